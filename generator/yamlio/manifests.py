"""Kubernetes manifests as the validators see them: parsed like Kubernetes parses them.

``kubectl`` and Argo CD read YAML through ``sigs.k8s.io/yaml`` (go-yaml v2), i.e. by YAML 1.1
rules: an unquoted ``yes`` is a boolean there, so a label value written ``yes`` is an error a
validator must see. The parsing is :mod:`generator.yamlio.source`'s (its ``"1.1"`` rules, same
hazard checks as for the input); this module holds what the validators work on: a document,
where its keys are, and the findings about it.

Rendered text is first read with the fast C loader alone; positions are computed only for a
document that has a problem to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import YAML_SUFFIXES
from generator.core.errors import Problem, Severity, key_path
from generator.core.model import DocPath
from generator.yamlio.source import YamlLoadError, load_fast, parse_all, read_text


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (for reading unvalidated data)."""
    return value if isinstance(value, dict) else {}


@dataclass
class Manifest:
    """One document of one file: its data and, on demand, where each key is written."""

    file: str
    data: Any
    index: int = 0
    positions: dict[DocPath, tuple[int, int]] | None = None
    #: The whole file's text, for computing ``positions`` only when a problem needs them.
    text: str | None = field(default=None, repr=False)
    #: Set by the project validator: the catalog app (or other source) this document came from.
    origin: Any = field(default=None, repr=False)
    #: Makes ``text`` when it is None and positions are needed (a rendered file is emitted only
    #: when something needs its text).
    text_of: Callable[[], str] | None = field(default=None, repr=False, compare=False)

    def locate(self, path: DocPath) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest located ancestor; (0, 0) if unknown."""
        if self.positions is None:
            self.positions = {}
            if self.text is None and self.text_of is not None:
                self.text = self.text_of()
            if self.text is not None:
                try:
                    docs = parse_manifests(self.text, self.file)
                except YamlLoadError:
                    docs = []
                if self.index < len(docs) and docs[self.index].positions is not None:
                    self.positions = docs[self.index].positions
        path = tuple(path)
        while True:
            found = self.positions.get(path) if self.positions else None
            if found is not None:
                return found
            if not path:
                return (0, 0)
            path = path[:-1]

    @property
    def api_version(self) -> str:
        """``apiVersion`` when it is a string, else ``""``."""
        value = self.data.get("apiVersion") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def kind(self) -> str:
        """``kind`` when it is a string, else ``""``."""
        value = self.data.get("kind") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        """``metadata.name`` when it is a string, else ``""``."""
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        value = meta.get("name") if isinstance(meta, dict) else None
        return value if isinstance(value, str) else ""

    def describe(self) -> str:
        """``Application "raw-vllm"`` for messages."""
        return f'{self.kind or "object"} "{self.name}"' if self.name else self.kind or "object"

    def finding(
        self,
        path: DocPath,
        message: str,
        severity: Severity = "error",
        at_parent: bool = False,
        id: str = "",
    ) -> Finding:
        """A finding about ``path`` in this document; ``id`` is its finding id."""
        return Finding(self, tuple(path), message, severity, at_parent, id)


@dataclass(frozen=True)
class Finding:
    """A problem in a document, located by path; :mod:`generator.validation.rendered` turns it
    into a :class:`~generator.core.errors.Problem` at the right ``file:line:column``."""

    manifest: Manifest
    path: DocPath
    message: str
    severity: Severity = "error"
    #: The path does not exist (a missing key): point at its parent.
    at_parent: bool = False
    #: The finding id (see generator/core/findings/ids.py).
    id: str = ""

    def problem(self) -> Problem:
        """This finding located in the document it is about."""
        path = self.path[:-1] if self.at_parent else self.path
        line, column = self.manifest.locate(path)
        return Problem(
            self.manifest.file,
            line,
            column,
            key_path(self.path),
            self.message,
            self.severity,
            self.id,
        )


def parse_manifests(text: str, file: str) -> list[Manifest]:
    """Every non-empty document of ``text``, with positions; raises YamlLoadError."""
    return [
        Manifest(file, doc.data, index, dict(doc.positions), text)
        for index, doc in enumerate(parse_all(text, file, "1.1"))
    ]


def load_rendered(text: str, file: str) -> list[Manifest]:
    """Documents of a rendered file, read fast (positions are computed on demand)."""
    return [
        Manifest(file, doc, index, None, text) for index, doc in enumerate(load_fast(text, file))
    ]


def load_manifest_file(path: Path, file: str) -> list[Manifest]:
    """Read and parse one manifest file; raises YamlLoadError with a located problem."""
    text = read_text(path, file)
    if not text.strip():
        raise YamlLoadError(Problem(file, 1, 1, "", "the file is empty", id="empty-file"))
    return parse_manifests(text, file)


def manifest_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every ``*.yaml``/``*.yml`` below the folders named, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path
