"""generator/adopt/read.py: several documents per file, positions, and what cannot be carried."""

from __future__ import annotations

from pathlib import Path

from generator.adopt.read import parse_documents, read_file, source_files


def test_documents_keep_their_lines_and_skip_empty_ones() -> None:
    text = "# c\na: 1\n---\n---\nb:\n  c: 2\n---\n"
    docs = list(parse_documents(text, "f.yaml"))
    assert [(d.index, d.line, d.doc.data) for d in docs] == [
        (0, 2, {"a": 1}),
        (2, 5, {"b": {"c": 2}}),
    ]
    assert docs[1].doc.locate(("b", "c")) == (6, 3)


def test_yaml11_and_yaml12_disagreements_are_losses() -> None:
    text = "a: yes\nb: 0777\nc: 1_000\nd: 1:20\ne: 'yes'\nf: true\ng: 12\nh: y\n"
    (doc,) = parse_documents(text, "f.yaml")
    assert [str(p) for p in doc.losses] == [
        'f.yaml:1:4: a: yes reads as boolean true to Kubernetes (YAML 1.1) but as string "yes" to '
        "gen (YAML 1.2); quote it or write it unambiguously [yaml11-value]",
        "f.yaml:2:4: b: 0777 reads as integer 511 to Kubernetes (YAML 1.1) but as integer 777 to "
        "gen (YAML 1.2); quote it or write it unambiguously [yaml11-value]",
        'f.yaml:3:4: c: 1_000 reads as integer 1000 to Kubernetes (YAML 1.1) but as string "1_000" '
        "to gen (YAML 1.2); quote it or write it unambiguously [yaml11-value]",
        'f.yaml:4:4: d: 1:20 reads as integer 80 to Kubernetes (YAML 1.1) but as string "1:20" to '
        "gen (YAML 1.2); quote it or write it unambiguously [yaml11-value]",
        'f.yaml:8:4: h: y reads as boolean true to Kubernetes (YAML 1.1) but as string "y" to gen '
        "(YAML 1.2); quote it or write it unambiguously [yaml11-value]",
    ]


def test_unsupported_tag_spoils_only_its_document() -> None:
    docs = list(parse_documents("a: 1\n---\nb: !Ref x\n", "f.yaml"))
    assert docs[0].doc.data == {"a": 1} and not docs[0].losses
    assert docs[1].doc.data is None
    assert [str(p) for p in docs[1].losses] == [
        "f.yaml:3:4: b: YAML tag '!Ref' is not supported [yaml-unsupported]"
    ]


def test_comment_lines_outside_block_scalars(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("# one\na: |\n  # not a comment\n  x\nb: 1  # inline\n  # two\n")
    assert [(c.line, c.text, c.beside) for c in read_file(path, "a.yaml").comments] == [
        (1, "# one", False),
        (5, "# inline", True),
        (6, "# two", False),
    ]


def test_source_files_are_sorted_and_hidden_ones_left_out(tmp_path: Path) -> None:
    for rel in (
        "b/x.yml",
        "a.json",
        ".git/config.yaml",
        "b/.hidden.yaml",
        "c/README.md",
        "b/y.YAML",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("a: 1\n")
    assert [rel for _, rel in source_files(tmp_path)] == ["a.json", "b/x.yml", "b/y.YAML"]
