"""No false positives: hand-written, real-world Argo CD manifests (tests/fixtures/real-world,
see SOURCES.md there) pass `gen validate`, and each single-field mutation of them is caught."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.crd_schema import load_crd_schemas
from generator.emit import dump
from generator.manifests import load_manifest_file, manifest_files

FIXTURES = Path(__file__).parent / "fixtures" / "real-world"
FILES = sorted(p.relative_to(FIXTURES).as_posix() for p in manifest_files([FIXTURES]))


def test_there_are_enough_fixtures() -> None:
    kinds = {doc.kind for rel in FILES for doc in load_manifest_file(FIXTURES / rel, rel)}
    assert len(FILES) >= 50
    assert {
        "Application",
        "ApplicationSet",
        "AppProject",
        "Deployment",
        "Service",
        "Kustomization",
    } <= kinds


def test_gen_validate_accepts_every_fixture() -> None:
    result = CliRunner().invoke(main, ["validate", str(FIXTURES)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{len(FILES)} file(s) valid\n"
    assert " warning: " in result.stderr  # wildcards and duplicate names are reported...
    assert "error" not in result.stderr.replace("error: ", "")  # ...but nothing worse


def test_the_official_crds_accept_every_fixture_too(argo_crds_dir: Path) -> None:
    crds = load_crd_schemas(argo_crds_dir)
    checked = 0
    for rel in FILES:
        for doc in load_manifest_file(FIXTURES / rel, rel):
            if doc.api_version.startswith("argoproj.io/"):
                checked += 1
                assert crds.validate(doc.data, file=rel, locate=doc.locate) == []
    assert checked >= 45
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


CHILD = "argo-cd/controller/testdata/target-child-application.yaml"
CMP = "argo-cd/test/manifests/cmp/app.yaml"
SETS = "vehagn-homelab/k8s/sets/applications.yaml"
LIST = "argo-cd/applicationset/examples/list-generator/list-example.yaml"
GIT = "argo-cd/applicationset/examples/git-generator-directory/git-directories-example.yaml"
MATRIX = "argo-cd/applicationset/examples/matrix/list-and-git.yaml"
NETWORK = "vehagn-homelab/k8s/infra/network/application-set.yaml"
PROJECT = "argo-cd/docs/operator-manual/project.yaml"
HOME_PROJECT = "vehagn-homelab/k8s/apps/project.yaml"
DEPLOY = "argo-cd/applicationset/examples/list-generator/guestbook/engineering-dev/guestbook-ui-deployment.yaml"  # noqa: E501
KUSTOMIZATION = "argo-cd/applicationset/examples/template-override/default/kustomization.yaml"

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
        _set(["spec", "revisionHistoryLimit"], "1"),
        'spec.revisionHistoryLimit: must be an integer, got string "1"',
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
        'spec.goTemplate: must be a boolean, got string "true"',
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
        _set(["spec", "template", "metadata", "labels", "dev.stonegarden"], "net work"),
        'spec.template.metadata.labels.dev.stonegarden: "net work" is not a valid label value',
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
        HOME_PROJECT,
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
    target = tmp_path / "applications.yaml"
    target.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2
    assert f"{target}:7:5: metadata.labels.enabled: must be a string, got boolean true" in (
        result.stderr
    )
