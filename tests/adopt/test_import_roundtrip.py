"""The round-trip guarantee: ``gen init`` + ``gen import SRC`` + ``gen render``, then every
Application (and AppProject) loaded from rendered/ equals its original loaded from SRC, field by
field, except the documented generator labels and the Argo CD namespace of an Application that
had none (generator/adopt/roundtrip.py). Runs on every fixture folder of tests/fixtures/import/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import gen_in as _gen

from generator.adopt.findings import kind_of
from generator.adopt.read import read_file, source_files
from generator.adopt.roundtrip import comparable, differences
from generator.yamlio.source import load_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures" / "import"
REPO = "https://github.com/example-org/gitops.git"
#: Fixture -> (Applications, AppProjects) it must import: a document silently lost fails here.
ROUND_TRIP = {
    "every-field": (9, 2),
    "app-of-apps-kustomize": (26, 0),
    "team-projects": (15, 5),
}


def _originals(src: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every Application and AppProject in ``src``, by (kind, name)."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for path, rel in source_files(src):
        for document in read_file(path, rel).documents:
            api, kind = kind_of(document.doc.data)
            if api == "argoproj.io/v1alpha1" and kind in ("Application", "AppProject"):
                name = document.doc.data["metadata"]["name"]
                found.setdefault((kind, name), []).append(document.doc.data)
    return found


def _rendered(root: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every Application and AppProject under rendered/, by (environment, kind, name)."""
    found = {}
    for path in sorted((root / "rendered").rglob("*.yaml")):
        data = load_yaml(path, path.name).data
        env = path.relative_to(root / "rendered").parts[0]
        if data["kind"] == "Kustomization":
            continue
        found[(env, data["kind"], data["metadata"]["name"])] = data
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    result = _gen("init", "repo", "--repo-url", REPO, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "repo"


#: Fixtures with an app-of-apps root of their own named "root": the project's root Application
#: needs another name (config.yaml rootName), or the import refuses (see test_import.py).
OWN_ROOT = {"team-projects"}


def name_root(root: Path, fixture: str) -> None:
    """Give the project's root Application a name the fixture does not use."""
    if fixture in OWN_ROOT:
        config = root / "config.yaml"
        config.write_text(config.read_text() + "rootName: stagegen-root\n", "utf-8")


def _round_trip(root: Path, fixture: str) -> None:
    src = FIXTURES / fixture
    name_root(root, fixture)
    result = _gen("import", str(src), cwd=root)
    assert result.exit_code == 0, result.output
    result = _gen("render", cwd=root)
    assert result.exit_code == 0, result.output
    check = _gen("check", cwd=root)
    assert check.exit_code == 0, check.output
    assert "is up to date" in check.output

    originals = _originals(src)
    rendered = _rendered(root)
    environments = sorted({env for env, _, _ in rendered})
    apps = sum(1 for kind, _ in originals if kind == "Application")
    projects = sum(1 for kind, _ in originals if kind == "AppProject")
    assert (apps, projects) == ROUND_TRIP[fixture]
    failures = []
    for (kind, name), copies in sorted(originals.items()):
        for env in environments:
            back = rendered.get((env, kind, name))
            if back is None:
                failures.append(f"{kind} {name}: not in rendered/{env}/")
                continue
            for original in copies:  # identical duplicates are kept once: each must match
                if kind == "Application":
                    found = differences(comparable(original, "argocd"), comparable(back, "argocd"))
                else:
                    found = differences(original, back)
                failures.extend(f"{env} {kind} {name}: {line}" for line in found)
    assert not failures, "round trip differs:\n" + "\n".join(failures)


@pytest.mark.parametrize("fixture", sorted(ROUND_TRIP))
def test_round_trip_field_by_field(project: Path, fixture: str) -> None:
    _round_trip(project, fixture)


def test_round_trip_holds_in_every_environment(project: Path) -> None:
    """Imported destinations are per app: a second environment on another cluster renders the
    imported Applications exactly as the first."""
    config = project / "config.yaml"
    config.write_text(
        config.read_text() + "  prod:\n    destination:\n      name: prod-gke\n", "utf-8"
    )
    _round_trip(project, "every-field")
    assert (project / "rendered" / "prod" / "groups" / "apps" / "guestbook.yaml").is_file()


#: Fixture -> catalog files its import writes (group files and AppProject files).
CATALOG_FILES = {"every-field": 6, "app-of-apps-kustomize": 1, "team-projects": 6}


@pytest.mark.parametrize("fixture", sorted(CATALOG_FILES))
def test_reimport_is_idempotent(project: Path, fixture: str) -> None:
    src = str(FIXTURES / fixture)
    name_root(project, fixture)
    first = _gen("import", src, cwd=project)
    assert first.exit_code == 0, first.output
    written = CATALOG_FILES[fixture]
    assert f"{written} file(s) written, 0 unchanged" in first.output
    files = sorted((project / "catalog").rglob("*.yaml"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    again = _gen("import", src, cwd=project)
    assert again.exit_code == 0, again.output
    assert f"0 file(s) written, {written} unchanged" in again.output
    assert sorted((project / "catalog").rglob("*.yaml")) == files
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every dotted path of ``value`` (list items as ``[]``), with the value kinds at leaves."""
    out = {prefix}
    if isinstance(value, dict):
        if not value:
            out.add(prefix + "={}")
        for key, item in value.items():
            out |= _paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        if not value:
            out.add(prefix + "=[]")
        for item in value:
            out |= _paths(item, prefix + "[]")
    return out


def test_every_field_fixture_covers_the_issue_list() -> None:
    """The every-field fixture really contains each construct the issue lists (so the round
    trip above proves something about each)."""
    apps = [
        doc
        for (kind, _), copies in _originals(FIXTURES / "every-field").items()
        for doc in copies
        if kind == "Application"
    ]
    seen: set[str] = set()
    for app in apps:
        seen |= _paths(app)
    wanted = {
        "spec.sources[].ref",
        "spec.sources[].helm.valueFiles",
        "spec.source.helm.valuesObject",
        "spec.source.helm.values",
        "spec.source.helm.parameters[].forceString",
        "spec.source.helm.fileParameters",
        "spec.source.directory.recurse",
        "spec.source.directory.include",
        "spec.source.directory.exclude",
        "spec.source.directory.jsonnet.extVars",
        "spec.source.kustomize.patches[].patch",
        "spec.source.kustomize.images",
        "spec.source.plugin.parameters",
        "spec.syncPolicy.retry.backoff.maxDuration",
        "spec.syncPolicy.managedNamespaceMetadata.labels",
        "spec.syncPolicy.automated={}",
        "spec.syncPolicy={}",
        "spec.ignoreDifferences[].jqPathExpressions",
        "spec.ignoreDifferences[].jsonPointers",
        "spec.ignoreDifferences[].managedFieldsManagers",
        "spec.ignoreDifferences=[]",
        "spec.destination.name",
        "spec.info[].value",
        "spec.revisionHistoryLimit",
        "spec.sourceHydrator.drySource.helm.valueFiles",
        "spec.sourceHydrator.syncSource.path",
        "spec.sourceHydrator.hydrateTo.targetBranch",
        "metadata.finalizers=[]",
        "metadata.annotations={}",
        "metadata.labels",
    }
    assert wanted - seen == set()
    assert any(a["spec"].get("project") == "default" for a in apps)
    assert any("finalizers" not in a["metadata"] for a in apps)
    assert any("syncPolicy" not in a["spec"] for a in apps)
    assert any(a["spec"].get("syncPolicy", {}).get("automated") == {"selfHeal": True} for a in apps)
    values = [
        a["spec"]["source"]["helm"]["values"]
        for a in apps
        if "values" in a["spec"].get("source", {}).get("helm", {})
    ]
    assert values and all("\n" in v.rstrip("\n") for v in values)


def _documents(fixture: str, kind: str) -> dict[str, dict[str, Any]]:
    """The ``kind`` documents of a fixture by name (these fixtures hold no duplicates)."""
    found = _originals(FIXTURES / fixture)
    assert all(len(copies) == 1 for copies in found.values())
    return {name: copies[0] for (k, name), copies in found.items() if k == kind}


def _ignores_without_respect(app: dict[str, Any]) -> bool:
    options = (app["spec"].get("syncPolicy") or {}).get("syncOptions") or []
    return bool(app["spec"].get("ignoreDifferences")) and (
        "RespectIgnoreDifferences=true" not in options
    )


def test_app_of_apps_kustomize_fixture_covers_its_layout() -> None:
    """The app-of-apps folder is what its round trip claims to prove: a kustomization listing
    every Application file, sync waves and custom annotations, ignoreDifferences with and
    without RespectIgnoreDifferences, path / Helm chart / multi-source apps, several
    destinations and namespaces."""
    base = FIXTURES / "app-of-apps-kustomize" / "cluster-addons" / "base"
    apps = _documents("app-of-apps-kustomize", "Application")
    kustomization = load_yaml(base / "kustomization.yaml", "kustomization.yaml").data
    files = sorted(p.name for p in base.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(kustomization["resources"]) == files
    assert len(files) == len(apps) == 26

    annotations = [a["metadata"].get("annotations", {}) for a in apps.values()]
    waves = {int(a["argocd.argoproj.io/sync-wave"]) for a in annotations}
    assert min(waves) < 0 and 0 in waves and max(waves) > 0
    assert all("argocd.argoproj.io/sync-wave" in a for a in annotations)
    custom = {k for a in annotations for k in a if not k.startswith("argocd.argoproj.io/")}
    assert {
        "platform.quarry.example/owner",
        "notifications.argoproj.io/subscribe.on-sync-failed.slack",
        "link.argocd.argoproj.io/runbook",
    } <= custom

    warned = sorted(n for n, a in apps.items() if _ignores_without_respect(a))
    assert warned == ["external-secrets", "keda", "kyverno"]
    assert "RespectIgnoreDifferences=true" in apps["metallb"]["spec"]["syncPolicy"]["syncOptions"]

    single = [a["spec"]["source"] for a in apps.values() if "source" in a["spec"]]
    multi = [a["spec"]["sources"] for a in apps.values() if "sources" in a["spec"]]
    assert sum("path" in s for s in single) >= 10
    assert sum("chart" in s for s in single) >= 8
    assert len(multi) == 3
    assert all(s[0]["helm"]["valueFiles"] and s[1]["ref"] == "values" for s in multi)

    destinations = [a["spec"]["destination"] for a in apps.values()]
    assert {d.get("server") for d in destinations} >= {
        "https://kubernetes.default.svc",
        "https://edge-eu-west.k8s.quarry.example:6443",
    }
    assert [d["name"] for d in destinations if "name" in d] == ["in-cluster"]
    assert any("namespace" not in d for d in destinations)
    assert len({d.get("namespace") for d in destinations}) >= 15


def test_team_projects_fixture_covers_its_layout() -> None:
    """The team cluster: AppProjects of several teams defined in SRC and each used, apps in
    project default too, apps without finalizers and without automated sync,
    managedFieldsManagers in ignoreDifferences."""
    apps = _documents("team-projects", "Application")
    projects = _documents("team-projects", "AppProject")
    assert sorted(projects) == ["bootstrap", "data", "payments", "platform-team", "search"]
    used = {a["spec"]["project"] for a in apps.values()}
    assert used == {"default", *projects}

    def manual(app: dict[str, Any]) -> bool:
        return "automated" not in (app["spec"].get("syncPolicy") or {})

    bare = sorted(n for n, a in apps.items() if "finalizers" not in a["metadata"] and manual(a))
    assert bare == ["airflow", "argo-cd", "ledger", "platform-postgres", "traefik"]
    assert "syncPolicy" not in apps["ledger"]["spec"]
    assert "finalizers" not in apps["root"]["metadata"] and not manual(apps["root"])

    managers = {
        name: [
            m
            for rule in a["spec"].get("ignoreDifferences", [])
            for m in rule.get("managedFieldsManagers", [])
        ]
        for name, a in apps.items()
    }
    assert {n: m for n, m in managers.items() if m} == {
        "root": ["lattice-release-bot"],
        "checkout-api": ["kube-controller-manager"],
        "search-indexer": ["search-indexer"],
    }
    warned = sorted(n for n, a in apps.items() if _ignores_without_respect(a))
    assert warned == ["platform-postgres", "search-indexer"]


@pytest.mark.parametrize("fixture", sorted(ROUND_TRIP))
def test_imported_output_passes_the_real_crds(
    project: Path, fixture: str, argo_crds_dir: Path
) -> None:
    """Every rendered Application and AppProject of an import is valid for Argo CD (strictly,
    against the official CRDs: no field Kubernetes would prune)."""
    from generator.validation.crd import load_crd_schemas

    name_root(project, fixture)
    assert _gen("import", str(FIXTURES / fixture), cwd=project).exit_code == 0
    assert _gen("render", cwd=project).exit_code == 0
    crds = load_crd_schemas(argo_crds_dir)
    problems = []
    for path in sorted((project / "rendered").rglob("*.yaml")):
        doc = load_yaml(path, path.name)
        if doc.data["kind"] != "Kustomization":
            problems.extend(crds.validate(doc.data, file=path.name, locate=doc.locate))
    assert [str(p) for p in problems] == []
