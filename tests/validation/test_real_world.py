"""No false positives: Argo CD manifests written the way a platform team writes them
(tests/fixtures/real-world, written for this project; see SOURCES.md there) pass `gen validate`
and the official CRDs, and each single-field mutation of them is caught."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.validation.crd import load_crd_schemas
from generator.yamlio.emit import dump
from generator.yamlio.manifests import load_manifest_file, manifest_files

FIXTURES = Path(__file__).parents[1] / "fixtures" / "real-world"
FILES = sorted(p.relative_to(FIXTURES).as_posix() for p in manifest_files([FIXTURES]))
WILDCARD_WARNINGS = (
    "allows more repositories than the apps use [wildcard-source-repos]",
    "allows more destinations than the apps use [wildcard-destination]",
    "allows every matching cluster-scoped kind [wildcard-cluster-resources]",
)


def _docs(kind: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """``(file, document)`` of every fixture document (of ``kind``)."""
    return [
        (rel, doc.data)
        for rel in FILES
        for doc in load_manifest_file(FIXTURES / rel, rel)
        if kind is None or doc.kind == kind
    ]


def _load(rel: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((FIXTURES / rel).read_text("utf-8"), Loader=loader)


def test_there_are_enough_fixtures() -> None:
    kinds = {doc.kind for rel in FILES for doc in load_manifest_file(FIXTURES / rel, rel)}
    assert len(FILES) >= 60
    assert {
        "Application",
        "ApplicationSet",
        "AppProject",
        "Deployment",
        "Service",
        "Kustomization",
    } <= kinds


def _generators(generators: list[Any], outer: str = "") -> Iterator[tuple[str, str, Any]]:
    """``(outer combinator, generator kind, body)`` of every generator, nested ones too."""
    for generator in generators:
        for kind, body in generator.items():
            if kind == "selector":
                continue
            yield outer, kind, body
            if kind in ("matrix", "merge"):
                yield from _generators(body["generators"], kind)


def test_the_application_sets_cover_every_generator_and_template_style() -> None:
    found: set[str] = set()
    for _, doc in _docs("ApplicationSet"):
        spec = doc["spec"]
        found.add("goTemplate" if spec.get("goTemplate") is True else "fasttemplate")
        found.update(f"spec.{key}" for key in spec if key not in ("generators", "template"))
        for outer, kind, body in _generators(spec["generators"]):
            found.add(f"{outer}>{kind}" if outer else kind)
            if isinstance(body, dict) and "template" in body:
                found.add(f"{kind}.template")
            if kind == "git":
                found.update(f"git.{key}" for key in ("directories", "files") if key in body)
                entries = body.get("directories", []) + body.get("files", [])
                if any(entry.get("exclude") for entry in entries):
                    found.add("git.exclude")
            if kind in ("pullRequest", "scmProvider"):
                found.update(f"{kind}.{key}" for key in body if key not in ("filters",))
    assert {
        "goTemplate",
        "fasttemplate",
        "list",
        "clusters",
        "clusterDecisionResource",
        "git.directories",
        "git.files",
        "git.exclude",
        "matrix",
        "merge",
        "matrix>git",
        "matrix>list",
        "matrix>clusters",
        "matrix>merge",
        "matrix>matrix",
        "merge>clusters",
        "merge>list",
        "merge>matrix",
        "pullRequest.github",
        "pullRequest.gitlab",
        "scmProvider.github",
        "scmProvider.gitea",
        "list.template",
        "spec.templatePatch",
        "spec.syncPolicy",
        "spec.strategy",
        "spec.ignoreApplicationDifferences",
        "spec.preservedFields",
    } <= found


def test_the_app_project_uses_most_of_its_fields() -> None:
    spec = _load(PROJECT)["spec"]
    assert {
        "description",
        "sourceRepos",
        "destinations",
        "destinationServiceAccounts",
        "clusterResourceWhitelist",
        "clusterResourceBlacklist",
        "namespaceResourceBlacklist",
        "orphanedResources",
        "roles",
        "syncWindows",
        "permitOnlyProjectScopedClusters",
        "sourceNamespaces",
        "signatureKeys",
    } <= set(spec)
    assert any(repo.startswith("!") for repo in spec["sourceRepos"])
    assert any(d["namespace"].startswith("!") for d in spec["destinations"])
    assert spec["orphanedResources"]["ignore"]
    assert any("jwtTokens" in role for role in spec["roles"])
    assert {w["kind"] for w in spec["syncWindows"]} == {"allow", "deny"}
    windows = {key for window in spec["syncWindows"] for key in window}
    assert {"timeZone", "manualSync", "andOperator", "syncOverrun", "clusters"} <= windows
    others = {key for _, doc in _docs("AppProject") for key in doc["spec"]}
    assert {"namespaceResourceWhitelist", "sourceIntegrity"} <= others


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_the_single_applications_cover_their_cases() -> None:
    child = _load(CHILD)
    assert "argocd.argoproj.io/tracking-id" in child["metadata"]["annotations"]
    leaves = _leaves(child["spec"]["source"]["helm"]["valuesObject"])
    assert len(leaves) >= 90
    assert {type(leaf) for leaf in leaves} == {str, int, bool, type(None)}
    assert any("\n" in leaf for leaf in leaves if isinstance(leaf, str))
    plugin = _load(CMP)["spec"]["source"]["plugin"]
    assert plugin["env"]
    assert {key for p in plugin["parameters"] for key in p} == {"name", "string", "array", "map"}
    self_managed = _load(SELF_MANAGED)
    assert self_managed["metadata"]["name"] == "argocd"
    assert self_managed["spec"]["destination"]["namespace"] == "argocd"
    assert self_managed["spec"]["ignoreDifferences"]


def test_the_catalog_is_layered_like_an_app_of_apps() -> None:
    """Root Applications -> a layer folder (ApplicationSet over its area folders + AppProject)
    -> area folders (ApplicationSet over the area's app folders + AppProject)."""
    projects = {doc["metadata"]["name"] for _, doc in _docs("AppProject")}
    roots = [doc for rel, doc in _docs("Application") if rel.startswith("catalog/roots/")]
    areas = 0
    assert len(roots) >= 2
    for root in roots:
        assert root["spec"]["project"] in projects
        layer = root["spec"]["source"]["path"]
        areas_of_layer = (p for p in (FIXTURES / layer).iterdir() if p.is_dir())
        folders = [layer, *sorted(p.relative_to(FIXTURES).as_posix() for p in areas_of_layer)]
        for folder in folders:
            appset = _load(f"{folder}/applicationset.yaml")
            assert appset["kind"] == "ApplicationSet"
            git = appset["spec"]["generators"][0]["git"]
            assert git["directories"] == [{"path": f"{folder}/*"}]
            assert git["repoURL"] == root["spec"]["source"]["repoURL"]
            project = _load(f"{folder}/project.yaml")
            assert project["kind"] == "AppProject"
            assert appset["spec"]["template"]["spec"]["project"] == project["metadata"]["name"]
        areas += len(folders) - 1
    assert areas >= 12


def test_gen_validate_accepts_every_fixture() -> None:
    result = CliRunner().invoke(main, ["validate", str(FIXTURES)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{len(FILES)} file(s) valid\n"
    warnings = result.stderr.splitlines()
    assert warnings  # wildcards in the AppProjects are reported...
    for line in warnings:  # ...but nothing else, and nothing worse
        assert ": warning: " in line and line.endswith(WILDCARD_WARNINGS), line


def test_the_official_crds_accept_every_fixture_too(argo_crds_dir: Path) -> None:
    crds = load_crd_schemas(argo_crds_dir)
    checked = 0
    for rel in FILES:
        for doc in load_manifest_file(FIXTURES / rel, rel):
            if doc.api_version.startswith("argoproj.io/"):
                checked += 1
                assert crds.validate(doc.data, file=rel, locate=doc.locate) == []
    assert checked >= 60
    result = CliRunner().invoke(main, ["validate", str(FIXTURES), "--crds", str(argo_crds_dir)])
    assert result.exit_code == 0, result.stderr


Mutation = Callable[[dict[str, Any]], None]


def _rename(path: list[str | int], new: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        parent[new] = parent.pop(path[-1])

    return mutate


def _set(path: list[str | int], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = value

    return mutate


def _drop(path: list[str | int]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]

    return mutate


CHILD = "apps/log-aggregator.yaml"
CMP = "apps/payments-secrets-plugin.yaml"
SELF_MANAGED = "apps/argocd-self-managed.yaml"
SETS = "catalog/roots/platform.yaml"
LAYER_PROJECT = "catalog/platform/project.yaml"
NETWORK = "catalog/platform/ingress/applicationset.yaml"
AREA_PROJECT = "catalog/platform/observability/project.yaml"
LIST = "appsets/list/edge-gateways.yaml"
GIT = "appsets/git-directories/platform-addons.yaml"
MATRIX = "appsets/matrix/addons-per-environment.yaml"
MERGE = "appsets/merge/cluster-feature-flags.yaml"
DECISION = "appsets/cluster-decision/placement-reports.yaml"
PULL_REQUEST = "appsets/pull-request/storefront-previews.yaml"
SCM = "appsets/scm-provider/service-repositories.yaml"
OVERRIDE = "appsets/template-override/courier-api.yaml"
PATCH = "appsets/template-patch/courier-workers.yaml"
ROLLING = "appsets/progressive-sync/parcel-tracking.yaml"
PROJECT = "project/fleet.yaml"
WORKLOAD = "appsets/workloads/courier-api/base"
DEPLOY = f"{WORKLOAD}/deployment.yaml"
SERVICE = f"{WORKLOAD}/service.yaml"
KUSTOMIZATION = f"{WORKLOAD}/kustomization.yaml"

MUTATIONS: list[tuple[str, str, Mutation, str]] = [
    (
        "app-syncpolicy-typo",
        CHILD,
        _rename(["spec", "syncPolicy"], "syncpolicy"),
        'spec.syncpolicy: unknown field "syncpolicy" (did you mean "syncPolicy"?)',
    ),
    (
        "app-automated-typo",
        CHILD,
        _rename(["spec", "syncPolicy", "automated"], "automatic"),
        'spec.syncPolicy.automatic: unknown field "automatic" (did you mean "automated"?)',
    ),
    (
        "app-helm-key-typo",
        CHILD,
        _rename(["spec", "source", "helm"], "helms"),
        'spec.source.helms: unknown field "helms" (did you mean "helm"?)',
    ),
    (
        "app-revision-history-string",
        CHILD,
        _set(["spec", "revisionHistoryLimit"], "3"),
        'spec.revisionHistoryLimit: must be an integer, got string "3"',
    ),
    (
        "app-no-project",
        SETS,
        _drop(["spec", "project"]),
        'spec.project: missing required field "project"',
    ),
    (
        "app-no-repo",
        SETS,
        _drop(["spec", "source", "repoURL"]),
        'spec.source.repoURL: missing required field "repoURL"',
    ),
    (
        "app-server-and-name",
        SETS,
        _set(["spec", "destination", "server"], "https://k8s.example"),
        'spec.destination: set either "server" or "name" of the cluster, not both',
    ),
    (
        "app-no-cluster",
        CMP,
        _drop(["spec", "destination", "server"]),
        'spec.destination: needs the cluster: "server" (an API URL) or "name"',
    ),
    (
        "app-plugin-env-typo",
        CMP,
        _rename(["spec", "source", "plugin", "env"], "envs"),
        'spec.source.plugin.envs: unknown field "envs" (did you mean "env"?)',
    ),
    (
        "app-api-version",
        SETS,
        _set(["apiVersion"], "argoproj.io/v1beta1"),
        'apiVersion: Application is "argoproj.io/v1alpha1", not "argoproj.io/v1beta1"',
    ),
    (
        "app-finalizers-string",
        SETS,
        _set(["metadata", "finalizers"], "resources-finalizer.argocd.argoproj.io"),
        'metadata.finalizers: must be a list, got string "resources-finalizer.argocd.argoproj.io"',
    ),
    (
        "appset-generator-typo",
        LIST,
        _rename(["spec", "generators", 0, "list"], "lists"),
        'spec.generators[0].lists: unknown field "lists" (did you mean "list"?)',
    ),
    (
        "appset-git-directories-typo",
        GIT,
        _rename(["spec", "generators", 0, "git", "directories"], "directory"),
        'spec.generators[0].git.directory: unknown field "directory" (did you mean "directories"?)',
    ),
    (
        "appset-gotemplate-string",
        LIST,
        _set(["spec", "goTemplate"], "true"),
        'spec.goTemplate: must be a boolean (true or false), got string "true"',
    ),
    (
        "appset-nested-matrix-typo",
        MATRIX,
        _rename(["spec", "generators", 0, "matrix", "generators", 1, "list"], "lst"),
        'spec.generators[0].matrix.generators[1].lst: unknown field "lst" (did you mean "list"?)',
    ),
    (
        "appset-template-spec-typo",
        NETWORK,
        _rename(["spec", "template", "spec", "syncPolicy", "syncOptions"], "syncOption"),
        'spec.template.spec.syncPolicy.syncOption: unknown field "syncOption" '
        '(did you mean "syncOptions"?)',
    ),
    (
        "appset-sync-option-case",
        NETWORK,
        _set(["spec", "template", "spec", "syncPolicy", "syncOptions", 1], "ServerSideApply=True"),
        'spec.template.spec.syncPolicy.syncOptions[1]: "ServerSideApply=True" is not a value Argo '
        'CD recognises ("ServerSideApply=true", "ServerSideApply=false"); it compares the text '
        "exactly",
    ),
    (
        "appset-label-value",
        NETWORK,
        _set(["spec", "template", "metadata", "labels", "larkspur.example/layer"], "net work"),
        'spec.template.metadata.labels.larkspur.example/layer: "net work" is not a valid label '
        "value",
    ),
    (
        "appset-applications-sync-enum",
        LIST,
        _set(["spec", "syncPolicy"], {"applicationsSync": "createOnly"}),
        'spec.syncPolicy.applicationsSync: must be one of "create-only", "create-update", '
        '"create-delete", "sync", got string "createOnly"',
    ),
    (
        "project-source-repos-typo",
        PROJECT,
        _rename(["spec", "sourceRepos"], "sourceRepo"),
        'spec.sourceRepo: unknown field "sourceRepo" (did you mean "sourceRepos"?)',
    ),
    (
        "project-whitelist-no-kind",
        LAYER_PROJECT,
        _drop(["spec", "clusterResourceWhitelist", 0, "kind"]),
        'spec.clusterResourceWhitelist[0].kind: missing required field "kind"',
    ),
    (
        "project-role-typo",
        PROJECT,
        _rename(["spec", "roles", 0, "policies"], "policy"),
        'spec.roles[0].policy: unknown field "policy" (did you mean "policies"?)',
    ),
    (
        "deployment-replicas-string",
        DEPLOY,
        _set(["spec", "replicas"], "1"),
        'spec.replicas: must be an integer or null, got string "1"',
    ),
    (
        "deployment-container-typo",
        DEPLOY,
        _rename(["spec", "template", "spec", "containers", 0, "image"], "images"),
        'spec.template.spec.containers[0].images: unknown field "images" (did you mean "image"?)',
    ),
    (
        "kustomization-resources-typo",
        KUSTOMIZATION,
        _rename(["resources"], "resource"),
        'resource: unknown field "resource" (did you mean "resources"?)',
    ),
    (
        "appset-merge-keys-string",
        MERGE,
        _set(["spec", "generators", 0, "merge", "mergeKeys"], "server"),
        'spec.generators[0].merge.mergeKeys: must be a list, got string "server"',
    ),
    (
        "appset-cluster-decision-requeue-string",
        DECISION,
        _set(["spec", "generators", 0, "clusterDecisionResource", "requeueAfterSeconds"], "180"),
        "spec.generators[0].clusterDecisionResource.requeueAfterSeconds: must be an integer, "
        'got string "180"',
    ),
    (
        "appset-pull-request-token-typo",
        PULL_REQUEST,
        _rename(["spec", "generators", 0, "pullRequest", "github", "tokenRef"], "tokenref"),
        'spec.generators[0].pullRequest.github.tokenref: unknown field "tokenref" '
        '(did you mean "tokenRef"?)',
    ),
    (
        "appset-scm-filter-typo",
        SCM,
        _rename(["spec", "generators", 0, "scmProvider", "filters", 0, "pathsExist"], "pathExists"),
        'spec.generators[0].scmProvider.filters[0].pathExists: unknown field "pathExists" '
        '(did you mean "pathsExist"?)',
    ),
    (
        "appset-generator-template-sources-mapping",
        OVERRIDE,
        _rename(["spec", "generators", 1, "list", "template", "spec", "source"], "sources"),
        "spec.generators[1].list.template.spec.sources: must be a list, got a mapping",
    ),
    (
        "appset-template-patch-not-a-string",
        PATCH,
        _set(["spec", "templatePatch"], {"spec": {"project": "dispatch"}}),
        "spec.templatePatch: must be a string, got a mapping",
    ),
    (
        "appset-rolling-sync-typo",
        ROLLING,
        _rename(["spec", "strategy", "rollingSync", "steps", 2, "maxUpdate"], "maxUpdates"),
        'spec.strategy.rollingSync.steps[2].maxUpdates: unknown field "maxUpdates" '
        '(did you mean "maxUpdate"?)',
    ),
    (
        "project-sync-window-typo",
        PROJECT,
        _rename(["spec", "syncWindows", 0, "manualSync"], "manualsync"),
        'spec.syncWindows[0].manualsync: unknown field "manualsync" (did you mean "manualSync"?)',
    ),
    (
        "project-orphaned-warn-string",
        PROJECT,
        _set(["spec", "orphanedResources", "warn"], "true"),
        'spec.orphanedResources.warn: must be a boolean (true or false), got string "true"',
    ),
    (
        "project-signature-keys-string",
        PROJECT,
        _set(["spec", "signatureKeys"], "3F1A9C27B05E84D2"),
        'spec.signatureKeys: must be a list, got string "3F1A9C27B05E84D2"',
    ),
    (
        "project-jwt-iat-string",
        PROJECT,
        _set(["spec", "roles", 2, "jwtTokens", 0, "iat"], "1767225600"),
        'spec.roles[2].jwtTokens[0].iat: must be an integer, got string "1767225600"',
    ),
    (
        "project-destination-typo",
        AREA_PROJECT,
        _rename(["spec", "destinations", 0, "namespace"], "namespaces"),
        'spec.destinations[0].namespaces: unknown field "namespaces" (did you mean "namespace"?)',
    ),
    (
        "app-plugin-parameter-typo",
        CMP,
        _rename(["spec", "source", "plugin", "parameters", 1, "map"], "maps"),
        'spec.source.plugin.parameters[1].maps: unknown field "maps" (did you mean "map"?)',
    ),
    (
        "app-ignore-pointer-syntax",
        SELF_MANAGED,
        _set(["spec", "ignoreDifferences", 0, "jsonPointers", 0], "data"),
        'spec.ignoreDifferences[0].jsonPointers[0]: "data" must start with "/" (RFC 6901), '
        'like "/data"',
    ),
    (
        "service-port-string",
        SERVICE,
        _set(["spec", "ports", 0, "port"], "80"),
        'spec.ports[0].port: must be an integer, got string "80"',
    ),
    (
        "kustomization-image-typo",
        KUSTOMIZATION,
        _rename(["images", 0, "newTag"], "newtag"),
        'images[0].newtag: unknown field "newtag" (did you mean "newTag"?)',
    ),
]


@pytest.mark.parametrize(
    ("name", "rel", "mutate", "expected"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
def test_each_single_field_mutation_is_flagged(
    tmp_path: Path, name: str, rel: str, mutate: Mutation, expected: str
) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    original = yaml.load((FIXTURES / rel).read_text("utf-8"), Loader=loader)
    doc = copy.deepcopy(original)
    mutate(doc)
    assert doc != original
    target = tmp_path / Path(rel).name
    target.write_text(dump(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == 2, result.stderr  # the problem and the summary line
    assert expected in errors[0]
    assert "Traceback" not in result.output


def test_a_yaml11_boolean_label_value_is_flagged(tmp_path: Path) -> None:
    """kubectl reads an unquoted yes as a boolean, which a label value cannot be."""
    text = (
        (FIXTURES / SETS)
        .read_text("utf-8")
        .replace("  namespace: argocd\n", "  namespace: argocd\n  labels:\n    enabled: yes\n", 1)
    )
    target = tmp_path / "platform.yaml"
    target.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2
    assert f"{target}:10:5: metadata.labels.enabled: must be a string, got boolean true" in (
        result.stderr
    )


#: Mutations the fixtures pass only as a set: each breaks what an AppProject of the set permits
#: (the cross-object checks), so the whole folder is validated.
SET_MUTATIONS: list[tuple[str, str, Mutation, str]] = [
    (
        "child-chart-repo-not-in-project",
        CHILD,
        _set(["spec", "source", "repoURL"], "https://charts.unvetted.example/stable"),
        'spec.source.repoURL: repository "https://charts.unvetted.example/stable" is not allowed '
        'by AppProject "observability" (sourceRepos: '
        "https://git.larkspur.example/platform/gitops.git, https://charts.larkspur.example/mirror)",
    ),
    (
        "plugin-app-into-a-denied-namespace",
        CMP,
        _set(["spec", "destination", "namespace"], "kube-system"),
        "spec.destination: destination server=https://kubernetes.default.svc, "
        'namespace=kube-system is not allowed by AppProject "fleet" destinations',
    ),
    (
        "root-app-outside-the-argocd-namespace",
        SETS,
        _set(["spec", "destination", "namespace"], "default"),
        "spec.destination: destination name=in-cluster, namespace=default is not allowed by "
        'AppProject "bootstrap" destinations',
    ),
    (
        "layer-appset-repo-not-in-project",
        "catalog/workloads/applicationset.yaml",
        _set(
            ["spec", "template", "spec", "source", "repoURL"],
            "https://git.larkspur.example/platform/gitops-next.git",
        ),
        'spec.template.spec.source.repoURL: repository "https://git.larkspur.example/platform/'
        'gitops-next.git" is not allowed by AppProject "workloads" (sourceRepos: '
        "https://git.larkspur.example/platform/gitops.git)",
    ),
    (
        "area-project-without-the-area-namespace",
        "catalog/workloads/billing/project.yaml",
        _drop(["spec", "destinations", 0]),
        "spec.template.spec.destination: destination name=in-cluster, namespace=billing is not "
        'allowed by AppProject "billing" destinations',
    ),
]


@pytest.mark.parametrize(
    ("name", "rel", "mutate", "expected"), SET_MUTATIONS, ids=[m[0] for m in SET_MUTATIONS]
)
def test_each_mutation_of_the_set_is_flagged(
    tmp_path: Path, name: str, rel: str, mutate: Mutation, expected: str
) -> None:
    folder = tmp_path / "real-world"
    shutil.copytree(FIXTURES, folder)
    doc = _load(rel)
    mutate(doc)
    assert doc != _load(rel)
    (folder / rel).write_text(dump(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == 2, result.stderr  # the problem and the summary line
    assert errors[0].startswith(f"{folder}/")
    assert expected in errors[0]
