"""generator/yamlio/catalog_write.py: catalog files written with ruamel.yaml read back exactly."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.adopt.roundtrip import differences
from generator.yamlio.catalog_write import dump_document
from generator.yamlio.source import parse_yaml

_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\ufeff"), max_size=40)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "0777",
            "1_000",
            "1:20",
            "~",
            "",
            " lead",
            "trail ",
            "a: b",
            "#x",
            "- x",
            "multi\nline\n",
            "no newline\nend",
            "\n\nblank",
            "tab\there",
            "{{ .x }}",
            "2001-12-14",
            "0x1F",
            ".inf",
            "null",
            "'q'",
            '"dq"',
            "line \\ back",
            "é ✓ 😀",
        ]
    ),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text, _values, min_size=1, max_size=6))
def test_any_data_reads_back_exactly(data: dict[str, Any]) -> None:
    text = dump_document(data, ["header"], file="x.yaml")
    assert differences(data, parse_yaml(text, "x.yaml").data) == []


def test_layout_is_block_style_with_comments() -> None:
    data = {
        "name": "g",
        "apps": [{"name": "a", "values": "a: 1\nb: 2\n", "empty": {}}, {"name": "b", "x": None}],
    }
    text = dump_document(data, ["Group g.", "Second line."], {"apps": ["from a.yaml:1", "from b"]})
    assert text == (
        "# Group g.\n"
        "# Second line.\n"
        "name: g\n"
        "apps:\n"
        "  # from a.yaml:1\n"
        "  - name: a\n"
        "    values: |\n"
        "      a: 1\n"
        "      b: 2\n"
        "    empty: {}\n"
        "  # from b\n"
        "  - name: b\n"
        "    x: null\n"
    )
