"""generator/adopt/roundtrip.py: strict, readable field-by-field comparison, two exceptions."""

from __future__ import annotations

from generator.adopt.roundtrip import comparable, differences, strictly_equal


def test_differences_are_one_readable_line_per_field() -> None:
    original = {
        "spec": {
            "syncPolicy": {"automated": {"prune": True}},
            "info": [{"name": "a", "value": "1"}],
            "revisionHistoryLimit": 3,
        }
    }
    rendered = {
        "spec": {
            "syncPolicy": {"automated": {}},
            "info": [{"name": "a", "value": 1}],
            "revisionHistoryLimit": 3.0,
            "extra": [],
        }
    }
    assert differences(original, rendered) == [
        "spec.syncPolicy.automated.prune: original true, rendered (absent)",
        'spec.info[0].value: original "1", rendered 1',
        "spec.revisionHistoryLimit: original 3, rendered 3.0",
        "spec.extra: original (absent), rendered []",
    ]


def test_types_are_strict_and_order_is_ignored() -> None:
    assert not strictly_equal({"a": True}, {"a": 1})
    assert not strictly_equal([1, 2], [2, 1])
    assert strictly_equal({"a": 1, "b": [None, {}]}, {"b": [None, {}], "a": 1})
    assert differences([1], [1, 2]) == [
        "(document): original has 1 item(s), rendered 2: original [1], rendered [1, 2]"
    ]


def test_comparable_applies_only_the_documented_exceptions() -> None:
    original = {"metadata": {"name": "a", "labels": {"team": "x"}}, "spec": {}}
    rendered = {
        "metadata": {
            "name": "a",
            "namespace": "argocd",
            "labels": {"stagegen.dev/env": "dev", "team": "x"},
        },
        "spec": {},
    }
    assert differences(comparable(original, "argocd"), comparable(rendered, "argocd")) == []
    assert "labels" not in comparable({"metadata": {"labels": {}}}, "argocd")["metadata"]
    # Another namespace, another label or annotation is still a difference.
    moved = {**rendered, "metadata": {**rendered["metadata"], "namespace": "gitops"}}
    assert differences(comparable(original, "argocd"), comparable(moved, "argocd")) == [
        'metadata.namespace: original "argocd", rendered "gitops"'
    ]
    assert original == {"metadata": {"name": "a", "labels": {"team": "x"}}, "spec": {}}
