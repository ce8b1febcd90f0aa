"""generator.yamlio.emit: any value round-trips exactly, whether read by YAML 1.1 rules (PyYAML,
like Go's yaml.v2 behind kubectl and Argo CD) or by YAML 1.2 rules (generator.yamlio.source)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.yamlio.emit import Shared, block, dump, scalar
from generator.yamlio.source import parse_yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Strings a YAML reader is most likely to misread, mixed into the random ones.
TRICKY = [
    "", " ", "yes", "no", "on", "off", "y", "N", "true", "False", "null", "~", "Null",
    "1", "0x1F", "0o17", "1_000", "1:20", "1e3", ".5", "-.inf", ".NaN", "2024-01-01",
    "*ref", "&anchor", "!tag", "%directive", "@at", "`tick", "|", ">", "-", "- item", "? key",
    ": value", "a: b", "a #b", "#comment", "key:", "{{ .name }}", "[x]", "{a: 1}", "'q'", '"q"',
    "<<", "=", "---", "...", "a\nb", "a\n", "a\n\n", "\na", " lead", "trail ", "tab\tx",
    "cr\rx", "nul\0x", "\x85", "\u2028", "\ufeff", "caf\u00e9", "\U0001f680", "\x7f", "\\",
    "line1\n  indented\n", "$values/x.yaml", "./rel", "../up", "/abs/path", "_under",
]  # fmt: skip

#: Lone surrogates are left out: no UTF-8 file (so no catalog value) can hold one.
strings = st.one_of(
    st.sampled_from(TRICKY),
    st.text(),
    st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    st.text(alphabet=st.characters(max_codepoint=0xFF)),
)
scalars = st.one_of(
    strings,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)
    ),
    max_leaves=12,
)


def load11(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def load12(text: str) -> Any:
    return parse_yaml(text, "emitted.yaml").data


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(strings)
@example("line1\n  indented\n")
def test_any_string_round_trips_as_a_value(text: str) -> None:
    doc = "key:" + block(text, 2) + "\n"
    assert load11(doc) == {"key": text}
    assert load12(doc) == {"key": text}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(strings)
def test_any_string_round_trips_as_a_key_and_a_list_item(text: str) -> None:
    doc = dump({text: [text, {text: text}]})
    assert load11(doc) == {text: [text, {text: text}]}
    assert load12(doc) == {text: [text, {text: text}]}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_any_nested_value_round_trips(value: Any) -> None:
    doc = dump({"root": value})
    assert load11(doc) == {"root": value}
    assert load12(doc) == {"root": value}


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(values, min_size=1, max_size=3), st.lists(st.integers(0, 2), max_size=8))
def test_shared_values_are_emitted_as_alone(parts: list[Any], picks: list[int]) -> None:
    """A render's documents hold the catalog's values as the very same objects, at several
    depths and in several documents: emitted through one Shared, each document's text is
    exactly what it is alone."""
    documents = []
    for number, pick in enumerate(picks):
        part = parts[pick % len(parts)]
        nested: dict[str, Any] = {"helm": part, "plugin": {"helm": part, "n": number}}
        documents.append({"spec": {"source": nested, "sources": [nested]}, "helm": part})
    shared = Shared(frozenset(("helm", "plugin")))
    assert [dump(doc, shared) for doc in documents] == [dump(doc) for doc in documents]


@pytest.mark.parametrize("text", ["yes", "on", "NO", "1", "1.0", "0x10", "1:20", "~", "null"])
def test_words_yaml_reads_as_other_types_are_quoted(text: str) -> None:
    assert scalar(text) == f'"{text}"'


@pytest.mark.parametrize(
    ("text", "plain"), [("apps/web", True), ("CreateNamespace=true", True), ("a: b", False)]
)
def test_ordinary_strings_stay_plain(text: str, plain: bool) -> None:
    assert (scalar(text) == text) is plain


def test_a_key_longer_than_yaml_allows_for_an_implicit_key_round_trips() -> None:
    key = "k" * 2000
    doc = dump({key: "v", "short": {key: [key]}})
    assert load11(doc) == {key: "v", "short": {key: [key]}}
    assert load12(doc) == {key: "v", "short": {key: [key]}}


def test_template_syntax_in_a_value_is_emitted_as_text() -> None:
    assert load11("a:" + block("{{ 7*7 }}", 2)) == {"a": "{{ 7*7 }}"}
