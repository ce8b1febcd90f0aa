"""From composed YAML nodes to plain data: the builder behind :mod:`generator.yamlio.source`.

It records the position of every key and item, resolves plain scalars by the YAML 1.2 core
schema (input) or as Kubernetes reads them (YAML 1.1), and turns every hazard into a located
:class:`YamlLoadError`: duplicate keys, unknown tags, recursive aliases, alias bombs (expansion
is bounded) and nesting too deep.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Literal

import yaml

from generator.core.errors import Problem, key_path

Path_ = tuple[str | int, ...]
#: Which rules resolve plain scalars: YAML 1.2 core (input) or YAML 1.1 (Kubernetes manifests).
Rules = Literal["1.2", "1.1"]
#: Called with each scalar node, its path and the value it was read as (``gen import`` uses it
#: to find what YAML 1.1 and 1.2 read differently).
ScalarHook = Callable[[Any, Path_, Any], None]

#: Values one file may expand to, aliases included (a billion-laughs file hits this at once).
MAX_VALUES = 200_000
MAX_DEPTH = 100

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
#: Tags libyaml/PyYAML assigns on its own (YAML 1.1 rules) to plain scalars; we re-resolve those.
_IMPLICIT_TAGS = _SCALAR_TAGS | {_STD + "timestamp", _STD + "value", _STD + "merge"}


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


class YamlLoadError(Exception):
    """Raised by :func:`load_yaml`; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Builder:
    """Turns a composed node tree into plain data, recording positions and checking hazards."""

    def __init__(self, file: str, rules: Rules = "1.2", on_scalar: ScalarHook | None = None):
        self.file = file
        self.rules = rules
        self.on_scalar = on_scalar
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.values = 0
        self.active: set[int] = set()

    def fail(
        self, node: Any, message: str, path: Path_ = (), id: str = "yaml-syntax"
    ) -> YamlLoadError:
        line, column = _mark(node.start_mark) if node is not None else (0, 0)
        return YamlLoadError(Problem(self.file, line, column, key_path(path), message, id=id))

    def build(self, node: Any, path: Path_, depth: int = 0) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(
                node,
                f"document expands to more than {MAX_VALUES:,} values (an alias bomb?); "
                "aliases are expanded, so reuse them sparingly",
                path,
                id="yaml-too-big",
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                node, f"nesting deeper than {MAX_DEPTH} levels", path, id="yaml-too-big"
            )
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar12(node, path) if self.rules == "1.2" else self.scalar11(node, path)
            if self.on_scalar is not None:
                self.on_scalar(node, path, value)
            return value
        if id(node) in self.active:
            raise self.fail(
                node, "recursive alias: a node contains itself", path, id="yaml-recursive-alias"
            )
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self.check_tag(node, _STD + "seq", path)
                items = []
                for index, item in enumerate(node.value):
                    self.positions.setdefault((*path, index), _mark(item.start_mark))
                    items.append(self.build(item, (*path, index), depth + 1))
                return items
            self.check_tag(node, _STD + "map", path)
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: Any, expected: str, path: Path_) -> None:
        if node.tag != expected:
            raise self.fail(
                node, f"YAML tag {node.tag!r} is not supported here", path, id="yaml-unsupported"
            )

    def scalar12(self, node: Any, path: Path_) -> Any:
        """A scalar by the YAML 1.2 core schema."""
        # The C composer marks plain scalars with style '', the Python one with None.
        plain = not node.style
        if plain and node.tag == _STD + "str":
            # libyaml's YAML 1.1 resolver tags a plain scalar str only when it reads as text
            # under 1.1 too, so a str tag on a number-like value means an explicit ``!!str``.
            return node.value
        if plain and node.tag in _IMPLICIT_TAGS:
            return resolve_plain(node.value)
        if node.tag == _STD + "str" or (not plain and node.tag in _IMPLICIT_TAGS):
            return node.value
        if node.tag in _SCALAR_TAGS:
            value = resolve_plain(node.value)
            if node.tag == _STD + "float" and isinstance(value, int):
                return float(value)
            return value
        raise self.fail(
            node, f"YAML tag {node.tag!r} is not supported", path, id="yaml-unsupported"
        )

    def scalar11(self, node: Any, path: Path_) -> Any:
        """A scalar as Kubernetes reads it (YAML 1.1; see :func:`yaml11_scalar`)."""
        try:
            return yaml11_scalar(node)
        except ScalarError as exc:
            raise self.fail(node, str(exc), path, id=exc.id) from None

    def mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: list[Any] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(
                    key_node, "a mapping key must be a plain string", path, id="yaml-unsupported"
                )
            if key_node.tag == _STD + "merge":
                merged.append(value_node)
                continue
            key = key_node.value
            line, column = _mark(key_node.start_mark)
            if key in seen:
                raise self.fail(
                    key_node,
                    f"duplicate key {key!r} (first defined on line {seen[key]})",
                    (*path, key),
                    id="duplicate-key",
                )
            seen[key] = line
            self.positions[(*path, key)] = (line, column)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        # ``<<: *defaults`` merges keys the mapping does not set itself (YAML merge key).
        for value_node in merged:
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise self.fail(
                        source,
                        "a merge key (<<) needs a mapping or list of mappings",
                        id="yaml-unsupported",
                    )
                for key, value in self.mapping(source, path, depth + 1).items():
                    result.setdefault(key, value)
        return result


_constructor: yaml.SafeLoader | None = None


class ScalarError(ValueError):
    """A scalar YAML 1.1 cannot read, with the finding id of why."""

    def __init__(self, message: str, id: str) -> None:
        super().__init__(message)
        self.id = id


def yaml11_scalar(node: Any) -> Any:
    """What Kubernetes (YAML 1.1) reads a scalar node as; ScalarError when its tag cannot be
    read (an unknown tag, or ``!!int`` on a word)."""
    global _constructor
    if node.tag in (_STD + "timestamp", _STD + "value", _STD + "str"):
        # go-yaml keeps timestamps as strings when decoding into untyped JSON.
        return node.value
    if node.tag in (_STD + "bool", _STD + "int", _STD + "float", _STD + "null"):
        if _constructor is None:
            _constructor = yaml.SafeLoader("")
        try:
            return _constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            message = f"cannot read {node.value!r} as {node.tag[len(_STD) :]}"
            raise ScalarError(message, "wrong-type") from None
    raise ScalarError(f"YAML tag {node.tag!r} is not supported", "yaml-unsupported")
