"""generator.validation.argo: the Argo CD details a schema cannot see."""

from __future__ import annotations

from typing import Any

import pytest

from generator.validation.argo import (
    check_document,
    pointer_syntax_problem,
)
from generator.validation.core_kinds import KubeSchemas
from generator.yamlio.manifests import Manifest


def findings(data: dict[str, Any], standalone: bool = True) -> list[tuple[str, str, str]]:
    doc = Manifest("app.yaml", data)
    return [
        (".".join(map(str, f.path)), f.message, f.severity)
        for f in check_document(doc, KubeSchemas(), standalone)
    ]


def app(**spec: Any) -> dict[str, Any]:
    base = {
        "project": "default",
        "source": {"repoURL": "https://git.example.com/x.git", "path": "x"},
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "x"},
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "x"},
        "spec": {**base, **spec},
    }


@pytest.mark.parametrize(
    ("pointer", "problem"),
    [
        ("/spec/replicas", None),
        ("/metadata/annotations/a~1b~0c", None),
        ("", 'the empty pointer means the whole object; name a field, like "/spec/replicas"'),
        ("spec/replicas", '"spec/replicas" must start with "/" (RFC 6901), like "/spec/replicas"'),
        ("/a~2b", '"/a~2b": "~" must be followed by 0 or 1 ("~0" is "~", "~1" is "/")'),
        ("/a~", '"/a~": "~" must be followed by 0 or 1 ("~0" is "~", "~1" is "/")'),
        ("/spec/", '"/spec/" ends with "/", which names an empty key; drop the "/"'),
    ],
)
def test_pointer_syntax(pointer: str, problem: str | None) -> None:
    assert pointer_syntax_problem(pointer) == problem


def test_unescaped_annotation_key_in_a_custom_resource() -> None:
    rules = [
        {
            "group": "serving.kserve.io",
            "kind": "InferenceService",
            "jsonPointers": ["/metadata/annotations/serving.kserve.io/stop"],
        }
    ]
    data = app(
        ignoreDifferences=rules, syncPolicy={"syncOptions": ["RespectIgnoreDifferences=true"]}
    )
    assert findings(data) == [
        (
            "spec.ignoreDifferences.0.jsonPointers.0",
            '"/metadata/annotations/serving.kserve.io/stop" reads like an unescaped key: '
            '"/" inside a key is written "~1" in a JSON pointer (RFC 6901); write '
            '"/metadata/annotations/serving.kserve.io~1stop"',
            "error",
        )
    ]


@pytest.mark.parametrize("standalone", [True, False])
def test_respect_ignore_differences(standalone: bool) -> None:
    rules = [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}]
    assert findings(app(ignoreDifferences=rules), standalone) == [
        (
            "spec.ignoreDifferences",
            'ignoreDifferences without "RespectIgnoreDifferences=true" in '
            "syncPolicy.syncOptions: a sync still overwrites the ignored fields",
            "warning" if standalone else "error",
        )
    ]


def test_manual_app_with_automated_sync() -> None:
    data = app(syncPolicy={"automated": {}})
    data["metadata"]["labels"] = {"stagegen.dev/sync": "manual"}
    assert findings(data) == [
        (
            "spec.syncPolicy.automated",
            "a manual-sync (cost-gated) app must not have automated sync: "
            "it would deploy by itself",
            "error",
        )
    ]


def test_sync_options_are_compared_exactly() -> None:
    data = app(syncPolicy={"syncOptions": ["CreateNamespace=true", "pruneLast=true", "Validate"]})
    assert [m for _, m, _ in findings(data)] == [
        'unknown sync option "pruneLast" (did you mean "PruneLast"?); Argo CD ignores it',
        '"Validate" is not "Key=value" (like "CreateNamespace=true")',
    ]


def test_templated_values_are_left_to_the_applicationset_only() -> None:
    appset = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "s"},
        "spec": {
            "generators": [],
            "template": {
                "metadata": {"name": "{{.name}}", "labels": {"team": "{{.team}}"}},
                "spec": app()["spec"] | {"syncPolicy": {"syncOptions": ["{{.option}}"]}},
            },
        },
    }
    assert findings(appset) == []
    data = app()
    data["metadata"]["labels"] = {"team": "{{.team}}"}
    assert [p for p, _, _ in findings(data)] == ["metadata.labels.team"]


def test_source_fields() -> None:
    data = app(
        sources=[
            {
                "repoURL": "https://charts.example.com",
                "chart": "c",
                "path": "p",
                "helm": {"valueFiles": ["$vals/x.yaml"], "values": "a: 1", "valuesObject": {}},
            },
            {"repoURL": "https://git.example.com/v.git", "ref": "values"},
        ]
    )
    assert findings(data) == [
        ("spec.sources", 'set either "source" or "sources", not both', "error"),
        (
            "spec.sources.0.helm.valueFiles.0",
            '"$vals" names no source "ref" of this app (refs: "values") (did you mean "values"?)',
            "error",
        ),
        ("spec.sources.0", 'a source has either a "chart" or a "path", not both', "error"),
        (
            "spec.sources.0.helm.values",
            '"valuesObject" wins over "values" (Argo CD drops this one); keep one',
            "warning",
        ),
    ]
