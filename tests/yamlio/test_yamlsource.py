"""generator.yamlio.source: input hazards are clear errors, found quickly and in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from generator.yamlio.source import YamlLoadError, load_yaml, parse_yaml


def test_billion_laughs_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    tracemalloc.start()
    with pytest.raises(YamlLoadError) as caught:
        load_yaml(path, "catalog/bomb.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "expands to more than 200,000 values (an alias bomb?)" in str(caught.value.problem)
    assert peak < 64 * 1024 * 1024


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (4 * 1024 * 1024 + 1) + b"\n")
    with pytest.raises(YamlLoadError, match="the limit is 4,194,304"):
        load_yaml(path, "big.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: 1\n---\nb: 2\n",
            'x.yaml:2:1: a second YAML document ("---"): this file holds exactly one '
            "[yaml-second-document]",
        ),
        (
            "a: \x07\n",
            "x.yaml:1:4: character U+0007 is not allowed in YAML (a control character); "
            "write it as an escape in a double-quoted string [yaml-control-character]",
        ),
        ("a: yes\nb: on\nc: 1.0\n", None),
    ],
)
def test_hazards(text: str, message: str | None) -> None:
    if message is None:
        assert parse_yaml(text, "x.yaml").data == {"a": "yes", "b": "on", "c": 1.0}
        return
    with pytest.raises(YamlLoadError) as caught:
        parse_yaml(text, "x.yaml")
    assert str(caught.value.problem) == message
