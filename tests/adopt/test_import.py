"""``gen import``: what cannot be carried fails with file:line and writes nothing; options,
skipped documents, duplicates, existing groups, --allow-loss, all-or-nothing writing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import gen_in as _gen

from generator.cli.main import main
from generator.commands.edit import import_src
from generator.core.errors import GenError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example-org/apps.git
    targetRevision: HEAD
    path: {name}
  destination:
    server: https://kubernetes.default.svc
    namespace: {name}
"""


def _snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    result = _gen(
        "init", "repo", "--repo-url", "https://github.com/example-org/gitops.git", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "repo"


def _src(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for rel, text in files.items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return src


def _fails(root: Path, src: Path, *args: str) -> str:
    before = _snapshot(root)
    result = CliRunner().invoke(main, ["import", str(src), "--root", str(root), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert _snapshot(root) == before, "a failed import must write nothing"
    return str(result.output)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "targetRevision: HEAD", 'targetRevision: "{{ .Values.revision }}"'
                )
            },
            "src/g/a.yaml:10:5: spec.source.targetRevision: templated value "
            "'{{ .Values.revision }}' cannot be carried",
            id="templated value",
        ),
        pytest.param(
            {"g/a.yaml": APP.format(name="a").replace("path: a", "path: !vault secret/a")},
            "src/g/a.yaml:11:11: spec.source.path: YAML tag '!vault' is not supported",
            id="YAML tag",
        ),
        pytest.param(
            {"g/a.yaml": APP.format(name="a") + "operation:\n  sync: {revision: HEAD}\n"},
            "src/g/a.yaml:15:1: operation: a field the catalog cannot hold",
            id="field the catalog cannot hold",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a")
                + "  sourceHydrator:\n"
                + "    drySource: {repoURL: https://github.com/example-org/apps.git, "
                + "targetRevision: HEAD, path: a}\n"
                + "    syncSource: {targetBranch: env/dev, path: a}\n"
            },
            'src/g/a.yaml:8:3: spec.source: both "sourceHydrator" and "source": Argo CD uses '
            "the hydrator; source cannot be carried",
            id="hydrator beside a source",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "  source:\n    repoURL: https://github.com/example-org/apps.git\n"
                    "    targetRevision: HEAD\n    path: a\n",
                    "  sourceHydrator:\n    drySource: {path: a, targetRevision: HEAD}\n"
                    "    syncSource: {targetBranch: env/dev, path: a}\n",
                )
            },
            "src/g/a.yaml:9:5: spec.sourceHydrator.drySource: a drySource without repoURL "
            "cannot be carried (the catalog reads it as this repository)",
            id="drySource without repoURL",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "    path: a\n", "    path: a\n    helm:\n      releaseNames: x\n"
                )
            },
            "src/g/a.yaml:13:7: spec.source.helm.releaseNames: a field the catalog cannot hold",
            id="unknown nested field",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a") + "  syncPolicy:\n    automated:\n"
                "      prune: yes\n"
            },
            "src/g/a.yaml:17:14: spec.syncPolicy.automated.prune: yes reads as boolean true to "
            'Kubernetes (YAML 1.1) but as string "yes" to gen (YAML 1.2)',
            id="YAML 1.1 boolean",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "  namespace: argocd\n", "  namespace: gitops\n", 1
                )
            },
            "src/g/a.yaml:5:3: metadata.namespace: Applications are rendered into config.yaml's "
            'argocdNamespace "argocd", not "gitops"',
            id="other Argo CD namespace",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "  namespace: argocd\n", "  namespace: argocd\n  finalizers:\n", 1
                )
            },
            "src/g/a.yaml:6:3: metadata.finalizers: an explicit null cannot be carried exactly",
            id="explicit null",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "  namespace: argocd\n",
                    '  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: "01"\n',
                    1,
                )
            },
            "src/g/a.yaml:7:5: metadata.annotations.argocd.argoproj.io/sync-wave: sync-wave "
            'string "01" cannot be carried',
            id="non-canonical sync wave",
        ),
        pytest.param(
            {
                "g/a.yaml": APP.format(name="a").replace(
                    "    repoURL: https://github.com/example-org/apps.git\n", ""
                )
            },
            "src/g/a.yaml:8:3: spec.source: a source without repoURL cannot be carried",
            id="source without repoURL",
        ),
        pytest.param(
            {"g/a.yaml": APP.format(name="a").replace("name: a\n", "name: A.b\n", 1)},
            'src/g/a.yaml:4:3: metadata.name: "A.b" is not a DNS-1123 label',
            id="name the catalog cannot hold",
        ),
        pytest.param(
            {"g/a.yaml": "kind: Application\nmetadata: {name: a\n"},
            "src/g/a.yaml:3:1: YAML syntax error",
            id="unparseable file",
        ),
    ],
)
def test_what_cannot_be_carried_fails_with_file_line_and_writes_nothing(
    root: Path, tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    output = _fails(root, _src(tmp_path, files))
    assert expected in output
    assert "nothing written; --allow-loss imports without what cannot be carried" in output


def test_helm_chart_of_applications_fails_with_template_hint(root: Path) -> None:
    """A Helm chart of Applications: Chart.yaml and values.yaml parse (and hold no
    Application), the template does not; the import names its first line and writes nothing."""
    output = _fails(root, FIXTURES / "helm-app-of-apps")
    assert output == (
        "helm-app-of-apps/fleet-bootstrap/templates/applications.yaml:1:3: YAML syntax error: "
        "did not find expected node content (while parsing a flow node) (a template? "
        "`{{ ... }}` cannot be carried: import the rendered Applications instead) [yaml-syntax]\n"
        "error: 1 problem(s) in helm-app-of-apps/: nothing written; --allow-loss imports "
        "without what cannot be carried\n"
    )


_RISKY = (
    "warning: apps[{index}].syncPolicy.syncOptions: ignoreDifferences without "
    "RespectIgnoreDifferences=true: a sync still overwrites the ignored fields; add it to "
    "syncPolicy.syncOptions if they must be kept [respect-ignore-differences]"
)


def _warned_apps(root: Path, group: str, output: str) -> list[str]:
    """The apps of ``catalog/apps/<group>.yaml`` named by the import's risky-app warnings."""
    from generator.yamlio.source import load_yaml

    path = root / "catalog" / "apps" / f"{group}.yaml"
    apps = load_yaml(path, path.name).data["apps"]
    names = []
    for line in output.splitlines():
        if ": warning: apps[" in line:
            index = int(line.split("apps[", 1)[1].split("]", 1)[0])
            assert line.strip().startswith(f"catalog/apps/{group}.yaml:")
            assert line.strip().endswith(_RISKY.format(index=index))
            names.append(apps[index]["name"])
    return names


def test_app_of_apps_kustomize_import_summary(root: Path) -> None:
    result = _gen("import", str(FIXTURES / "app-of-apps-kustomize"), cwd=root)
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "  group cluster-addons: 26 app(s) (alert-rules, argocd, backup-schedules, cert-manager, "
        "cluster-issuers, edge-ingress, external-dns, external-secrets, grafana-dashboards, "
        "ingress-nginx, keda, kube-prometheus-stack, kyverno-policies, kyverno, loki, longhorn, "
        "metallb, metrics-server, namespaces, network-policies, node-tuning, promtail, reloader, "
        "secret-stores, tenants, velero) -> catalog/apps/cluster-addons.yaml (written)\n" in out
    )
    assert (
        "skipped 1 document(s):\n  app-of-apps-kustomize/cluster-addons/base/kustomization.yaml:1:"
        " Kustomization: the files it lists are read directly\n" in out
    )
    catalog = (root / "catalog" / "apps" / "cluster-addons.yaml").read_text()
    origin = "  # from app-of-apps-kustomize/cluster-addons/base/longhorn.yaml:3\n"
    longhorn = catalog.split(origin)[1]
    assert longhorn.startswith(
        "  # Storage is never pruned automatically: removing a StorageClass or a volume by\n"
        "  # accident costs data, so prune stays manual here.\n"
        "  - name: longhorn\n"
    )
    # The owner's ignoreDifferences without RespectIgnoreDifferences: accepted, as written.
    accepted = out.split("accepted (the owner's choices, written as `accept:` entries):\n")[1]
    assert "catalog/apps/cluster-addons.yaml:" in accepted
    assert _warned_apps(root, "cluster-addons", accepted) == ["external-secrets", "keda", "kyverno"]
    assert catalog.count("      - id: respect-ignore-differences\n") == 3
    assert (
        "1 group(s), 26 app(s), 0 AppProject(s): 1 file(s) written, 0 unchanged; 1 skipped, "
        "0 warning(s), 3 accepted. Next: gen render" in out
    )


def test_an_imported_app_named_like_the_root_gets_the_root_renamed(root: Path) -> None:
    """team-projects has an app-of-apps root of its own, named "root": the project's root
    Application would have the same name, so the import names the root another, free name
    (config.yaml rootName) and says so; no name collision blocks an import."""
    result = _gen("import", str(FIXTURES / "team-projects"), cwd=root)
    assert result.exit_code == 0, result.output
    assert (
        'config.yaml: note: rootName: "root" is the name of an imported Application or '
        'AppProject; the root Application is named "stagegen-root" instead [import-note]'
    ) in result.output
    assert "  config.yaml (written)\n" in result.output
    config = (root / "config.yaml").read_text()
    assert (
        "# The root Application's name: \"root\" is an imported object's (gen import).\n"
        "rootName: stagegen-root\n"
    ) in config
    assert _gen("render", cwd=root).exit_code == 0
    assert (
        (root / "rendered" / "dev" / "roots" / "all" / "application.yaml")
        .read_text()
        .count("name: stagegen-root")
    )
    again = _gen("import", str(FIXTURES / "team-projects"), cwd=root)
    assert again.exit_code == 0, again.output
    assert "0 file(s) written" in again.output


def test_team_projects_import_summary(root: Path) -> None:
    config = root / "config.yaml"
    config.write_text(config.read_text() + "rootName: stagegen-root\n", "utf-8")
    result = _gen("import", str(FIXTURES / "team-projects"), cwd=root)
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "  group cluster: 15 app(s) (airflow, argo-cd, cert-manager, checkout-api, ledger, "
        "logging, monitoring, opensearch, payment-gateway, platform-postgres, platform-redis, "
        "root, search-indexer, traefik, trino) -> catalog/apps/cluster.yaml (written)\n" in out
    )
    for name in ("bootstrap", "data", "payments", "platform-team", "search"):
        assert f"  AppProject {name} -> catalog/projects/{name}.yaml (written)\n" in out
    assert (
        "  team-projects/cluster/kustomization.yaml:1: Kustomization: the files it lists are "
        "read directly\n" in out
    )
    assert _warned_apps(root, "cluster", out) == ["platform-postgres", "search-indexer"]
    payments = (root / "catalog" / "projects" / "payments.yaml").read_text()
    assert (
        "    syncWindows:\n"
        "      # No automatic syncs during the card-processing peak; manual syncs stay possible.\n"
        "      - kind: deny\n"
    ) in payments
    assert (
        "1 group(s), 15 app(s), 5 AppProject(s): 6 file(s) written, 0 unchanged; 1 skipped, "
        "0 warning(s), 8 accepted. Next: gen render" in out
    )
    # Apps without finalizers and without automated sync keep neither in the catalog.
    catalog = (root / "catalog" / "apps" / "cluster.yaml").read_text()
    assert "  # from team-projects/cluster/apps/ledger.yaml:2\n" in catalog
    ledger = catalog.split("apps/ledger.yaml:2\n", 1)[1].split("  # from ", 1)[0]
    assert "    syncPolicy: null\n" in ledger and "    finalizers: null\n" in ledger


def test_allow_loss_imports_without_and_lists_what_was_not_carried(
    root: Path, tmp_path: Path
) -> None:
    src = _src(
        tmp_path,
        {
            "g/a.yaml": APP.format(name="a").replace(
                "    path: a\n", "    path: a\n    helm:\n      releaseNames: x\n"
            ),
            "g/b.yaml": APP.format(name="b").replace("path: b", "path: !vault b"),
        },
    )
    result = _gen("import", str(src), "--allow-loss", cwd=root)
    assert result.exit_code == 0, result.output
    assert "not carried (--allow-loss):" in result.output
    assert "src/g/a.yaml:13:7: spec.source.helm.releaseNames: a field the catalog cannot hold" in (
        result.output
    )
    assert "src/g/b.yaml:1: cannot be carried (--allow-loss): YAML tag '!vault'" in result.output
    catalog = (root / "catalog" / "apps" / "g.yaml").read_text()
    assert "releaseNames" not in catalog and "helm: {}" in catalog
    assert "name: b" not in catalog
    assert _gen("render", cwd=root).exit_code == 0


def test_skipped_documents_are_listed_with_their_reason(root: Path) -> None:
    result = _gen("import", str(FIXTURES / "every-field"), cwd=root)
    assert result.exit_code == 0, result.output
    assert "skipped 2 document(s):" in result.output
    for line in (
        "every-field/apps/configmap.yaml:1: ConfigMap: not an Application or AppProject",
        "every-field/apps/kustomization.yaml:1: Kustomization: the files it lists are read "
        "directly",
        'every-field/My Tools: note: "My Tools" is not a DNS label: group named "my-tools"',
        'every-field/apps/guestbook.yaml:3: note: Application "guestbook" is identical to the one '
        "at every-field/apps/guestbook-copy.yml:3: kept once",
    ):
        assert line in result.output
    assert "4 group(s), 9 app(s), 2 AppProject(s): 6 file(s) written" in result.output


def test_same_name_different_content_names_both_files(root: Path, tmp_path: Path) -> None:
    src = _src(
        tmp_path,
        {
            "one/a.yaml": APP.format(name="a"),
            "two/a.yaml": APP.format(name="a").replace("HEAD", "main"),
        },
    )
    output = _fails(root, src)
    assert (
        'src/two/a.yaml:4:3: metadata.name: Application "a" is also defined, differently, at '
        "src/one/a.yaml:1" in output
    )


def test_kustomization_that_transforms_is_warned_about(root: Path, tmp_path: Path) -> None:
    src = _src(
        tmp_path,
        {
            "g/a.yaml": APP.format(name="a"),
            "g/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
            "kind: Kustomization\nresources: [a.yaml]\ncommonLabels: {team: x}\n",
        },
    )
    result = _gen("import", str(src), cwd=root)
    assert result.exit_code == 0, result.output
    assert (
        "src/g/kustomization.yaml:4:1: warning: commonLabels: this kustomization also changes "
        "what it lists (commonLabels)" in result.output
    )


def test_layer_and_group_options(tmp_path: Path) -> None:
    assert (
        _gen(
            "init", "repo", "--repo-url", "https://x/y.git", "--layers", "seed", cwd=tmp_path
        ).exit_code
        == 0
    )
    root = tmp_path / "repo"
    src = _src(tmp_path, {"a.yaml": APP.format(name="a"), "sub/b.yaml": APP.format(name="b")})
    result = _gen("import", str(src), "--layer", "serving", "--group", "Top Level", cwd=root)
    assert result.exit_code == 0, result.output
    assert (root / "catalog" / "serving" / "top-level.yaml").is_file()
    assert (root / "catalog" / "serving" / "sub.yaml").is_file()
    assert '--group Top Level: note: "Top Level" is not a DNS label' in result.output
    assert "layer: serving" in (root / "catalog" / "serving" / "sub.yaml").read_text()
    bad = CliRunner().invoke(main, ["import", str(src), "--root", str(root), "--layer", "nope"])
    assert bad.exit_code == 2
    assert "unknown layer 'nope'; choose from: platform, serving" in bad.output


def test_files_directly_in_src_default_to_its_folder_name(root: Path, tmp_path: Path) -> None:
    src = _src(tmp_path, {"a.yaml": APP.format(name="a")})
    assert _gen("import", str(src), cwd=root).exit_code == 0
    assert (root / "catalog" / "apps" / "src.yaml").is_file()


def test_existing_group_is_kept_unless_force(root: Path, tmp_path: Path) -> None:
    src = _src(tmp_path, {"g/a.yaml": APP.format(name="a")})
    assert _gen("import", str(src), cwd=root).exit_code == 0
    (src / "g" / "a.yaml").write_text(APP.format(name="a").replace("HEAD", "v2"), "utf-8")
    output = _fails(root, src)
    assert (
        'catalog/apps/g.yaml: group "g" already exists and differs from the import; --force '
        "overwrites it" in output
    )
    forced = _gen("import", str(src), "--force", cwd=root)
    assert forced.exit_code == 0, forced.output
    assert "targetRevision: v2" in (root / "catalog" / "apps" / "g.yaml").read_text()


def test_app_name_clashing_with_the_catalog_fails_and_writes_nothing(
    root: Path, tmp_path: Path
) -> None:
    src = _src(tmp_path, {"one/a.yaml": APP.format(name="a")})
    assert _gen("import", str(src), cwd=root).exit_code == 0
    other = tmp_path / "other"
    (other / "two").mkdir(parents=True)
    (other / "two" / "a.yaml").write_text(APP.format(name="a"), "utf-8")
    output = _fails(root, other)
    assert 'name: app "a" is already defined at catalog/apps/one.yaml:' in output
    assert "the imported catalog would not load" in output


def test_unknown_project_is_reported(root: Path, tmp_path: Path) -> None:
    src = _src(tmp_path, {"g/a.yaml": APP.format(name="a").replace("default", "team-x")})
    output = _fails(root, src)
    assert (
        'project: unknown AppProject "team-x": define it in catalog/projects/team-x.yaml or '
        "list it in config.yaml externalProjects" in output
    )
    config = root / "config.yaml"
    config.write_text(config.read_text() + "externalProjects: [team-x]\n", "utf-8")
    assert _gen("import", str(src), cwd=root).exit_code == 0


def test_import_is_all_or_nothing(root: Path, tmp_path: Path) -> None:
    src = _src(tmp_path, {"g/a.yaml": APP.format(name="a"), "h/b.yaml": APP.format(name="b")})
    before = _snapshot(root)

    def fail() -> None:
        raise GenError("interrupted while staging")

    with pytest.raises(GenError):
        import_src.run(root, [src], before_commit=fail)
    assert _snapshot(root) == before
    assert not list(root.glob(".gen-staging-*"))


def test_stagegen_labels_are_dropped_with_a_note(root: Path, tmp_path: Path) -> None:
    text = APP.format(name="a").replace(
        "  namespace: argocd\n", "  namespace: argocd\n  labels:\n    stagegen.dev/env: x\n", 1
    )
    result = _gen("import", str(_src(tmp_path, {"g/a.yaml": text})), cwd=root)
    assert result.exit_code == 0, result.output
    assert (
        'src/g/a.yaml:7: note: metadata.labels.stagegen.dev/env: label "stagegen.dev/env" belongs '
        "to the generator" in result.output
    )
    assert "stagegen.dev/env" not in (root / "catalog" / "apps" / "g.yaml").read_text()


def test_risky_imported_app_is_accepted_not_rewritten(root: Path, tmp_path: Path) -> None:
    text = APP.format(name="a") + (
        "  syncPolicy:\n    automated: {}\n"
        "  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n"
        "      jsonPointers: [/spec/replicas]\n"
    )
    result = _gen("import", str(_src(tmp_path, {"g/a.yaml": text})), cwd=root)
    assert result.exit_code == 0, result.output
    assert (
        "accepted (the owner's choices, written as `accept:` entries):\n"
        "  catalog/apps/g.yaml:22:5: warning: apps[0].syncPolicy.syncOptions: ignoreDifferences "
        "without RespectIgnoreDifferences=true"
    ) in result.output
    assert (
        "    accept:\n"
        "      - id: respect-ignore-differences\n"
        "        reason: imported as written from src/g/a.yaml:1 by gen import\n"
    ) in (root / "catalog" / "apps" / "g.yaml").read_text()
    rendered = _gen("render", cwd=root)
    assert rendered.exit_code == 0 and "warning" not in rendered.output
    assert _gen("render", cwd=root).exit_code == 0
    rendered = (root / "rendered" / "dev" / "groups" / "g" / "a.yaml").read_text()
    assert "RespectIgnoreDifferences" not in rendered
    assert "syncPolicy:\n    automated: {}\n" in rendered


def test_errors_name_the_owners_files_not_files_never_written(root: Path, tmp_path: Path) -> None:
    """A problem the staged build finds in a catalog file the import would write is said at
    the Application it comes from, with the catalog file and line after it."""
    project = (
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team\n"
        "  namespace: argocd\nspec:\n  sourceRepos: [https://github.com/example-org/apps.git]\n"
        "  destinations:\n    - {server: https://kubernetes.default.svc, namespace: team-a}\n"
    )
    src = _src(
        tmp_path,
        {
            "g/a.yaml": APP.format(name="a").replace("project: default", "project: team"),
            "projects/team.yaml": project,
        },
    )
    output = _fails(root, src)
    assert output.splitlines()[0] == (
        "src/g/a.yaml:12:3: spec.destination: destination server=https://kubernetes.default.svc, "
        'namespace=a is not allowed by AppProject "team" destinations (in catalog/apps/g.yaml:14, '
        "which the import writes) [destination-not-permitted]"
    )
