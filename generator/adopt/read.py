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

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import MANIFEST_SUFFIXES
from generator.core.errors import Problem, key_path
from generator.project.schema import describe
from generator.yamlio.comments import Comment, anchor_of, find_comments
from generator.yamlio.nodes import Path_
from generator.yamlio.source import (
    SourceDoc,
    YamlLoadError,
    build_document,
    compose_all,
    read_text,
    yaml11_scalar,
)

#: Plain words Go's YAML 1.1 reader (behind kubectl and Argo CD) takes for booleans.
_YAML11_BOOLS = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())
_NUMERIC_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


@dataclass(frozen=True)
class SrcDoc:
    """One document of a source file: ``doc`` (data and positions), its index in the file and
    the problems met while reading it (each one a construct that cannot be carried)."""

    doc: SourceDoc
    index: int
    line: int
    losses: tuple[Problem, ...] = ()
    #: The file's comments that belong to this document, each with the path of the node it is
    #: above or beside (None: below the document's last node).
    comments: tuple[tuple[Path_ | None, Comment], ...] = ()


@dataclass
class SrcFile:
    """A file under SRC: its path relative to SRC's parent and its documents."""

    rel: str
    path: Path
    documents: list[SrcDoc] = field(default_factory=list)
    #: Why the whole file could not be read (a syntax error, a bad tag...), if it could not.
    unreadable: Problem | None = None
    #: Every comment of the file (each is also given to the document it belongs to).
    comments: list[Comment] = field(default_factory=list)


class _Ambiguity:
    """A scalar hook for the reader: notes scalars that YAML 1.1 and 1.2 read differently."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.ambiguous: list[Problem] = []

    def __call__(self, node: Any, path: tuple[str | int, ...], value: Any) -> None:
        if node.style:
            return
        text = node.value
        yaml11: Any = value
        if text in _YAML11_BOOLS:
            yaml11 = text.lower() in ("y", "yes", "on")
        elif node.tag in _NUMERIC_TAGS:
            try:
                yaml11 = yaml11_scalar(node)
            except ValueError:  # an explicit tag on a word: reported by the reader's rules
                return
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


def _with_comments(documents: list[SrcDoc], comments: list[Comment]) -> list[SrcDoc]:
    """``documents`` each with the comments that belong to it: beside one of its values, or
    above one of its nodes (the first document with a node below the comment), else below
    the last document."""
    owned: list[list[tuple[Path_ | None, Comment]]] = [[] for _ in documents]
    for comment in comments:
        if comment.beside:
            # The document the line is in: the last one starting at or above it.
            index = max((i for i, d in enumerate(documents) if d.line <= comment.line), default=0)
            candidates = [index] if documents else []
        else:
            candidates = list(range(len(documents)))
        for index in candidates:
            path = anchor_of(comment, documents[index].doc.positions)
            if path is not None:
                owned[index].append((path, comment))
                break
        else:
            if documents:
                owned[-1].append((None, comment))
    return [
        dataclasses.replace(src, comments=tuple(own))
        for src, own in zip(documents, owned, strict=True)
    ]


def parse_documents(text: str, file: str) -> Iterator[SrcDoc]:
    """Every non-empty document of ``text``; raises YamlLoadError if the text does not parse."""
    for index, node in enumerate(compose_all(text, file)):
        if node is None:
            continue
        line = node.start_mark.line + 1
        hook = _Ambiguity(file)
        try:
            doc = build_document(node, file, "1.2", hook)
        except YamlLoadError as exc:
            empty = SourceDoc(file, None, {(): (line, 1)})
            yield SrcDoc(empty, index, line, (exc.problem,))
            continue
        if doc.data is None:
            continue
        yield SrcDoc(doc, index, line, tuple(hook.ambiguous))


def read_file(path: Path, rel: str) -> SrcFile:
    """One source file, every document of it (or why it cannot be read)."""
    found = SrcFile(rel, path)
    try:
        text = read_text(path, rel)
    except YamlLoadError as exc:
        found.unreadable = exc.problem
        return found
    try:
        documents = list(parse_documents(text, rel))
        found.comments = find_comments(text)
        found.documents = _with_comments(documents, found.comments)
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
            if name.startswith(".") or not name.lower().endswith(MANIFEST_SUFFIXES):
                continue
            path = Path(folder, name)
            found.append((path, path.relative_to(src).as_posix()))
    yield from sorted(found, key=lambda item: item[1])
