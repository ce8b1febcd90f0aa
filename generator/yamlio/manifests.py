"""Kubernetes manifests as the validators see them: parsed like Kubernetes parses them.

``kubectl`` and Argo CD read YAML through ``sigs.k8s.io/yaml`` (go-yaml v2), i.e. by YAML 1.1
rules: an unquoted ``yes`` is a boolean there, so a label value written ``yes`` is an error a
validator must see. This module parses multi-document files by those rules while keeping the
line and column of every key (for ``file:line:column`` messages), with the same hazard checks as
:mod:`generator.yamlio.source` (duplicate keys, tabs, bad UTF-8, alias bombs).

Rendered text is first read with the fast C loader alone; positions are computed only for a
document that has a problem to report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import Problem, Severity, key_path
from generator.core.model import DocPath
from generator.yamlio.source import (
    YamlLoadError,
    _Builder,
    read_text,
    yaml_error_problem,
)

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
#: Suffixes ``gen validate DIR`` reads.
MANIFEST_SUFFIXES = (".yaml", ".yml")


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

    def locate(self, path: DocPath) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest located ancestor; (0, 0) if unknown."""
        if self.positions is None:
            self.positions = {}
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
    """A problem in a document, located by path; :mod:`generator.validation.output` turns it into a
    :class:`~generator.core.errors.Problem` at the right ``file:line:column``."""

    manifest: Manifest
    path: DocPath
    message: str
    severity: Severity = "error"
    #: The path does not exist (a missing key): point at its parent.
    at_parent: bool = False
    #: The finding id (see generator/core/finding_ids.py).
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


class _KubeBuilder(_Builder):
    """yamlsource's builder (positions, hazards) with YAML 1.1 scalars, as Kubernetes reads."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.constructor = yaml.SafeLoader("")

    def scalar(self, node: Any, path: DocPath) -> Any:
        if node.tag in (_STD + "timestamp", _STD + "value", _STD + "str"):
            # go-yaml keeps timestamps as strings when decoding into untyped JSON.
            return node.value
        if node.tag in (_STD + "bool", _STD + "int", _STD + "float", _STD + "null"):
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError):
                message = f"cannot read {node.value!r} as {node.tag[len(_STD) :]}"
                raise self.fail(node, message, path, id="wrong-type") from None
        raise self.fail(
            node, f"YAML tag {node.tag!r} is not supported", path, id="yaml-unsupported"
        )


def parse_manifests(text: str, file: str) -> list[Manifest]:
    """Every non-empty document of ``text``, with positions; raises YamlLoadError."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise YamlLoadError(yaml_error_problem(exc, text, file)) from None
    except RecursionError:
        raise YamlLoadError(
            Problem(file, 0, 0, "", "nesting too deep to parse", id="yaml-too-big")
        ) from None
    found: list[Manifest] = []
    for node in nodes:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _STD + "null"):
            continue
        builder = _KubeBuilder(file)
        builder.positions[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
        data = builder.build(node, ())
        found.append(Manifest(file, data, len(found), builder.positions, text))
    return found


def load_rendered(text: str, file: str) -> list[Manifest]:
    """Documents of a rendered file, read fast (positions are computed on demand)."""
    try:
        docs = [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.YAMLError:
        return parse_manifests(text, file)  # for the located problem
    return [Manifest(file, doc, index, None, text) for index, doc in enumerate(docs)]


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
                if p.suffix in MANIFEST_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path
