"""generator.validation.core_kinds: core kinds with kubernetes-validate's strict schemas."""

from __future__ import annotations

import pytest

from generator.validation.core_kinds import KubeSchemas, core_groups_of, is_core_group


@pytest.fixture(scope="module")
def kube() -> KubeSchemas:
    return KubeSchemas()


@pytest.mark.parametrize(
    ("group", "core"),
    [("", True), ("apps", True), ("rbac.authorization.k8s.io", True), ("serving.kserve.io", False)],
)
def test_core_groups(group: str, core: bool) -> None:
    assert is_core_group(group) is core


def test_groups_of_a_kind() -> None:
    assert core_groups_of("Deployment") == ["apps"]
    assert core_groups_of("Namespace") == [""]
    assert core_groups_of("InferenceService") == []


def test_strict_validation_reports_every_error(kube: KubeSchemas) -> None:
    doc = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "replica": 1,
            "selector": {"matchLabels": {"app": "x"}},
            "template": {"spec": {"containers": [{"name": "x", "imagePullPolicy": 3}]}},
        },
    }
    assert kube.knows("apps/v1", "Deployment")
    found = sorted((".".join(map(str, e.path)), e.message) for e in kube.validate(doc))
    assert found == [
        ("spec.replica", 'unknown field "replica" (did you mean "replicas"?)'),
        (
            "spec.template.spec.containers.0.imagePullPolicy",
            "must be a string or null, got integer 3",
        ),
    ]


@pytest.mark.parametrize(
    ("group", "kind", "pointer", "problem"),
    [
        ("apps", "Deployment", "/spec/replicas", None),
        ("apps", "Deployment", "/spec/template/spec/containers/0/image", None),
        ("apps", "Deployment", "/spec/template/spec/containers/-", None),
        ("apps", "Deployment", "/metadata/annotations/a~1b", None),
        (
            "apps",
            "Deployment",
            "/spec/replica",
            'Deployment has no field "replica" at /spec (did you mean "replicas"?)',
        ),
        (
            "apps",
            "Deployment",
            "/spec/template/spec/containers/first/image",
            '/spec/template/spec/containers is a list: the next part must be an index, not "first"',
        ),
        (
            "apps",
            "Deployment",
            "/spec/replicas/x",
            "/spec/replicas is a value, not an object: nothing is below it (/x)",
        ),
        (
            "apiextensions.k8s.io",
            "CustomResourceDefinition",
            "/spec/versions/0/schema/openAPIV3Schema/properties",
            None,
        ),
        ("serving.kserve.io", "InferenceService", "/spec/anything", None),
    ],
)
def test_pointer_paths(
    kube: KubeSchemas, group: str, kind: str, pointer: str, problem: str | None
) -> None:
    assert kube.pointer_problem(group, kind, pointer[1:].split("/")) == problem


def test_string_maps_are_found_by_schema(kube: KubeSchemas) -> None:
    tokens = ["spec", "template", "spec", "nodeSelector", "cloud.google.com", "gke-nodepool"]
    assert kube.string_map_at("apps", "Deployment", tokens) == 4
    assert kube.string_map_at("apps", "Deployment", ["spec", "replicas"]) is None
