"""Read the folder ``gen import`` adopts: every YAML/JSON document, with positions, and every
construct that could not be carried exactly.

Documents are parsed like the catalog (:mod:`generator.yamlio.source`: YAML 1.2 core, duplicate
keys and unknown tags refused, aliases bounded), several per file. On top of that the reader
flags what would not survive the import unchanged:

* a plain scalar that Kubernetes (YAML 1.1, ``sigs.k8s.io/yaml``) reads differently from the
  generator (YAML 1.2): ``yes``, ``on``, ``0777``, ``1_000``, ``1:20``...;
* a file that does not parse, or a document with a tag the catalog cannot hold (``!vault``).

Templated values (``{{ .Values.x }}``) are found later, on the parsed data (see
:mod:`generator.adopt.convert`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import Problem, key_path
from generator.project.schema import describe
from generator.yamlio.source import (
    _STD,
    SourceDoc,
    YamlLoadError,
    _Builder,
    _Loader,
    _syntax_problem,
    read_text,
)

#: File name endings ``gen import`` reads.
EXTENSIONS = (".yaml", ".yml", ".json")
#: Plain words Go's YAML 1.1 reader (behind kubectl and Argo CD) takes for booleans.
_YAML11_BOOLS = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())
_NUMERIC_TAGS = {_STD + "int", _STD + "float"}


@dataclass(frozen=True)
class SrcDoc:
    """One document of a source file: ``doc`` (data and positions), its index in the file and
    the problems met while reading it (each one a construct that cannot be carried)."""

    doc: SourceDoc
    index: int
    line: int
    losses: tuple[Problem, ...] = ()


@dataclass
class SrcFile:
    """A file under SRC: its path relative to SRC's parent and its documents."""

    rel: str
    path: Path
    documents: list[SrcDoc] = field(default_factory=list)
    #: Why the whole file could not be read (a syntax error, a bad tag...), if it could not.
    unreadable: Problem | None = None
    #: Lines holding only a comment (comments are not part of the parsed objects).
    comments: list[int] = field(default_factory=list)


class _Checking(_Builder):
    """The catalog's builder, also noting scalars that YAML 1.1 and 1.2 read differently."""

    def __init__(self, file: str, spans: list[tuple[int, int]]) -> None:
        super().__init__(file)
        self.ambiguous: list[Problem] = []
        self.spans = spans

    def scalar(self, node: Any, path: tuple[str | int, ...]) -> Any:
        value = super().scalar(node, path)
        if node.end_mark.line > node.start_mark.line:
            self.spans.append((node.start_mark.line + 1, node.end_mark.line + 1))
        if node.style:
            return value
        text = node.value
        yaml11: Any = value
        if text in _YAML11_BOOLS:
            yaml11 = text.lower() in ("y", "yes", "on")
        elif node.tag in _NUMERIC_TAGS:
            yaml11 = yaml.safe_load(text)
        if type(yaml11) is not type(value) or yaml11 != value:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            self.ambiguous.append(
                Problem(
                    self.file,
                    line,
                    column,
                    key_path(path),
                    f"{text} reads as {describe(yaml11)} to Kubernetes (YAML 1.1) but as "
                    f"{describe(value)} to gen (YAML 1.2); quote it or write it unambiguously",
                    id="yaml11-value",
                )
            )
        return value


def comment_lines(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Lines (1-based) that hold only a YAML comment, outside multi-line scalars."""
    inside = {line for first, last in spans for line in range(first + 1, last + 1)}
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.lstrip().startswith("#") and number not in inside
    ]


def parse_documents(
    text: str, file: str, spans: list[tuple[int, int]] | None = None
) -> Iterator[SrcDoc]:
    """Every non-empty document of ``text``; raises YamlLoadError if the text does not parse.
    ``spans`` collects the line ranges of multi-line scalars (for :func:`comment_lines`)."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise YamlLoadError(_syntax_problem(exc, text, file)) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(
            Problem(file, 0, 0, "", f"YAML error: {exc}", id="yaml-syntax")
        ) from None
    except RecursionError:
        raise YamlLoadError(
            Problem(file, 0, 0, "", "nesting too deep to parse", id="yaml-too-big")
        ) from None
    for index, node in enumerate(nodes):
        if node is None:
            continue
        line = node.start_mark.line + 1
        builder = _Checking(file, spans if spans is not None else [])
        builder.positions[()] = (line, node.start_mark.column + 1)
        try:
            data = builder.build(node, ())
        except YamlLoadError as exc:
            empty = SourceDoc(file, None, {(): (line, 1)})
            yield SrcDoc(empty, index, line, (exc.problem,))
            continue
        if data is None:
            continue
        doc = SourceDoc(file, data, builder.positions)
        yield SrcDoc(doc, index, line, tuple(builder.ambiguous))


def read_file(path: Path, rel: str) -> SrcFile:
    """One source file, every document of it (or why it cannot be read)."""
    found = SrcFile(rel, path)
    try:
        text = read_text(path, rel)
    except YamlLoadError as exc:
        found.unreadable = exc.problem
        return found
    try:
        spans: list[tuple[int, int]] = []
        found.documents = list(parse_documents(text, rel, spans))
        found.comments = comment_lines(text, spans)
    except YamlLoadError as exc:
        problem = exc.problem
        if "{{" in text:
            problem = Problem(
                problem.file,
                problem.line,
                problem.column,
                problem.key,
                problem.message + " (a template? `{{ ... }}` cannot be carried: import the "
                "rendered Applications instead)",
                id=problem.id,
            )
        found.unreadable = problem
    return found


def source_files(src: Path) -> Iterator[tuple[Path, str]]:
    """``(path, path relative to SRC)`` of every YAML/JSON file under ``src``, sorted; hidden
    files and folders (``.git``) are left out, symbolic links to folders are not followed."""
    found: list[tuple[Path, str]] = []
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                continue
            path = Path(folder, name)
            found.append((path, path.relative_to(src).as_posix()))
    yield from sorted(found, key=lambda item: item[1])
