"""``${settings.NAME}`` in catalog values (generator/project/settings/interpolate.py): references
are found and substituted, ``$${`` is a literal ``${``, and nothing else is evaluated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.project.settings.interpolate import (
    errors,
    references,
    strings,
    substitute,
    substitute_source,
)

VALUES = {"domain": "ai.example.com", "gpu_stack": "operator", "empty": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chat.${settings.domain}", "chat.ai.example.com"),
        ("${settings.domain}", "ai.example.com"),
        ("${settings.gpu_stack}/${settings.domain}", "operator/ai.example.com"),
        ("host-${settings.empty}.x", "host-.x"),
        ("$${literal}", "${literal}"),
        ("$${settings.domain}", "${settings.domain}"),
        ("$$${settings.domain}", "$${settings.domain}"),
        ("{{ .name }}", "{{ .name }}"),
        ("{{ .Values.host }}.${settings.domain}", "{{ .Values.host }}.ai.example.com"),
        ("${ARGOCD_APP_NAME}-x", "${ARGOCD_APP_NAME}-x"),
        ("$ARGOCD_APP_NAMESPACE", "$ARGOCD_APP_NAMESPACE"),
        ('echo "${HOME}" $$FOO', 'echo "${HOME}" $$FOO'),
        ("${settings}", "${settings}"),
        ("${SETTINGS_DIR}/x", "${SETTINGS_DIR}/x"),
        ("no dollar at all", "no dollar at all"),
    ],
)
def test_substitute(text: str, expected: str) -> None:
    assert substitute(text, VALUES) == expected
    assert errors(text) == []


def test_references_in_order() -> None:
    assert references("${settings.b}-$${settings.x}-${settings.a}-${settings.b}") == [
        "b",
        "a",
        "b",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x.${ settings.domain }",
            '"${ settings.domain }" is not a setting reference: write ${settings.NAME} (no spaces;'
            ' NAME as declared), or $${ for a literal "${"',
        ),
        (
            "${setting.domain}",
            '"${setting.domain}" is not a setting reference: write ${settings.NAME} (no spaces; '
            'NAME as declared), or $${ for a literal "${"',
        ),
        (
            "${Settings.domain}",
            '"${Settings.domain}" is not a setting reference: write ${settings.NAME} (no spaces; '
            'NAME as declared), or $${ for a literal "${"',
        ),
        (
            "${settings.}",
            '"${settings.}" is not a setting reference: write ${settings.NAME} (no spaces; NAME '
            'as declared), or $${ for a literal "${"',
        ),
        (
            "https://${settings.domain",
            '"${settings.domain" has no closing "}"; a setting reference is written '
            "${settings.NAME}",
        ),
    ],
)
def test_malformed_references_are_errors(text: str, message: str) -> None:
    assert errors(text) == [message]
    assert references(text) == []


def test_only_the_values_of_a_source_are_substituted() -> None:
    source = {
        "repoURL": "https://${settings.domain}/charts",
        "chart": "web",
        "helm": {
            "valuesObject": {"host": "web.${settings.domain}", "${settings.domain}": 1},
            "parameters": [{"name": "ingress.host", "value": "x.${settings.domain}"}],
            "values": "a: ${settings.gpu_stack}\nb: '{{ .x }}'\n",
        },
        "kustomize": {"images": ["app=registry.${settings.domain}/app:v1"]},
    }
    out = substitute_source(source, VALUES)
    assert out == {
        "repoURL": "https://${settings.domain}/charts",  # not a value: the loader refuses it
        "chart": "web",
        "helm": {
            "valuesObject": {"host": "web.ai.example.com", "${settings.domain}": 1},  # keys stay
            "parameters": [{"name": "ingress.host", "value": "x.ai.example.com"}],
            "values": "a: operator\nb: '{{ .x }}'\n",
        },
        "kustomize": {"images": ["app=registry.ai.example.com/app:v1"]},
    }


def test_strings_walks_values_with_their_paths() -> None:
    assert list(strings({"a": ["x", {"b": "y"}], "c": 3})) == [
        (("a", 0), "x"),
        (("a", 1, "b"), "y"),
    ]


@given(st.text())
def test_escaping_every_dollar_brace_gives_the_text_back(text: str) -> None:
    assert substitute(text.replace("${", "$${"), VALUES) == text
