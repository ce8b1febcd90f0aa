"""generator.yamlio.manifests: manifests read the way Kubernetes reads them (YAML 1.1), with
positions."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from generator.yamlio.manifests import (
    load_manifest_file,
    load_rendered,
    manifest_files,
    parse_manifests,
)
from generator.yamlio.source import YamlLoadError

TWO_DOCS = """\
# a comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels:
    enabled: yes
    count: 010
    when: 2024-01-01
---
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
"""


def test_documents_positions_and_yaml11_scalars() -> None:
    docs = parse_manifests(TWO_DOCS, "cm.yaml")
    assert [d.name for d in docs] == ["a", "b"]
    labels = docs[0].data["metadata"]["labels"]
    # As kubectl reads them: yes is a boolean, 010 octal, a date stays a string.
    assert labels == {"enabled": True, "count": 8, "when": "2024-01-01"}
    assert docs[0].locate(("metadata", "labels", "enabled")) == (8, 5)
    assert docs[1].locate(("metadata", "name")) == (15, 12)
    assert docs[1].locate(("metadata", "nope", "deeper")) == (15, 1)


def test_rendered_text_gets_positions_only_when_asked() -> None:
    docs = load_rendered(TWO_DOCS, "cm.yaml")
    assert docs[1].positions is None
    assert docs[1].locate(("kind",)) == (14, 1)
    assert docs[1].positions is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: 1\na: 2\n",
            "cm.yaml:2:1: a: duplicate key 'a' (first defined on line 1) [duplicate-key]",
        ),
        ("a:\n\tb: 1\n", "cm.yaml:2:1: tab character: YAML indentation uses spaces [yaml-tab]"),
        (
            "a: !!binary aGk=\n",
            "cm.yaml:1:4: a: YAML tag 'tag:yaml.org,2002:binary' is not supported "
            "[yaml-unsupported]",
        ),
        (
            "a: [1\n",
            "cm.yaml:2:1: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence that starts on line 1) [yaml-syntax]",
        ),
    ],
)
def test_hazards_are_located_problems(text: str, message: str) -> None:
    with pytest.raises(YamlLoadError) as caught:
        parse_manifests(text, "cm.yaml")
    assert str(caught.value.problem) == message


def test_an_alias_bomb_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")  # a billion "x" once expanded
    tracemalloc.start()
    with pytest.raises(YamlLoadError, match="alias bomb"):
        load_manifest_file(bomb, "bomb.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


def test_empty_and_non_utf8_files(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("  \n")
    (tmp_path / "latin1.yaml").write_bytes(b"a: caf\xe9\n")
    with pytest.raises(YamlLoadError, match="the file is empty"):
        load_manifest_file(tmp_path / "empty.yaml", "empty.yaml")
    with pytest.raises(YamlLoadError) as caught:
        load_manifest_file(tmp_path / "latin1.yaml", "latin1.yaml")
    assert str(caught.value.problem) == "latin1.yaml:1:7: not valid UTF-8 (byte 0xe9) [not-utf8]"


def test_manifest_files_walks_folders_but_skips_hidden_ones(tmp_path: Path) -> None:
    for rel in ("b.yaml", "a/c.yml", "a/d.json", ".git/e.yaml", "a/.hidden/f.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x: 1\n")
    found = [p.relative_to(tmp_path).as_posix() for p in manifest_files([tmp_path])]
    assert found == ["a/c.yml", "b.yaml"]
