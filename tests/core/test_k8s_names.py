"""generator.core.k8s_names: Kubernetes' name, key and label value rules, with their messages."""

from __future__ import annotations

import pytest

from generator.core.k8s_names import (
    dns_label_problem,
    dns_subdomain_problem,
    key_problem,
    label_value_problem,
)

NAME_RULE = (
    'the name after the optional "prefix/" takes letters, digits, "-", "_" and ".", starting and '
    "ending with a letter or digit"
)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("app", None),
        ("app.kubernetes.io/name", None),
        ("serving.kserve.io/stop", None),
        ("a/b/c", 'the prefix "a/b" of "a/b/c" is not a DNS-1123 subdomain (like example.com)'),
        ("-x", f'"-x" is not a valid key: {NAME_RULE}'),
        ("example.com/", f'"example.com/" is not a valid key: {NAME_RULE}'),
        ("/x", '"/x" has an empty prefix before "/"'),
        (
            "Example.com/x",
            'the prefix "Example.com" of "Example.com/x" is not a DNS-1123 subdomain (like '
            "example.com)",
        ),
        ("x" * 64, f'the name "{"x" * 64}" of "{"x" * 64}" is 64 characters; at most 63'),
    ],
)
def test_label_and_annotation_keys(key: str, problem: str | None) -> None:
    assert key_problem(key) == problem


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("v1.2_3-x", True),
        ("a b", False),
        ("-a", False),
        ("a" * 63, True),
        ("a" * 64, False),
        ("café", False),
    ],
)
def test_label_values(value: str, ok: bool) -> None:
    assert (label_value_problem(value) is None) is ok


def test_label_value_messages() -> None:
    assert label_value_problem(3) is None  # the schema reports the type
    assert label_value_problem("a" * 64) == (
        "label values have at most 63 characters (this one has 64)"
    )
    assert label_value_problem("a b") == (
        '"a b" is not a valid label value: letters, digits, "-", "_" and "." only, starting and '
        "ending with a letter or digit"
    )


def test_dns_names() -> None:
    assert dns_label_problem("raw-vllm") is None
    assert dns_label_problem("Models") == (
        '"Models" is not a DNS-1123 label (lowercase letters, digits and "-", starting and '
        "ending with a letter or digit)"
    )
    assert dns_label_problem("a" * 64) == (
        f'"{"a" * 64}" is 64 characters; a DNS-1123 label has at most 63'
    )
    assert dns_label_problem("a.b") is not None
    assert dns_subdomain_problem("a.b-c") is None
    assert dns_subdomain_problem("Model_Server") == (
        '"Model_Server" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", '
        "starting and ending with a letter or digit)"
    )
    assert dns_subdomain_problem("a" * 254) == (
        f'"{"a" * 254}" is 254 characters; a DNS-1123 subdomain has at most 253'
    )
