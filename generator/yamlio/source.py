"""Load YAML into plain Python data while remembering where every key and item came from.

Parsing uses libyaml through PyYAML's C composer when it is available (about 20x faster than a
pure-Python parser, which matters because ``gen check`` runs on every commit), and resolves plain
scalars by the YAML 1.2 core schema, like ruamel.yaml and Argo's tooling: ``yes`` and ``on`` stay
strings, so a feature flag written ``yes`` is reported instead of being silently truthy.

Hazards are reported as :class:`~generator.core.errors.Problem` values, never tracebacks: invalid
UTF-8, tabs, an empty file, several documents, duplicate keys, unknown tags, recursive aliases and
alias bombs (expansion is bounded, so a "billion laughs" file fails fast in little memory).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import Problem, key_path

Path_ = tuple[str | int, ...]

#: Files larger than this are refused before parsing: catalogs are small, and the bound keeps
#: memory flat for a hostile or mistaken input.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Values one file may expand to, aliases included (a billion-laughs file hits this at once).
MAX_VALUES = 200_000
MAX_DEPTH = 100

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


@dataclass(frozen=True)
class SourceDoc:
    """One parsed YAML file: plain data plus the (line, column) of every key and list item."""

    file: str
    data: Any
    positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, severity: str = "error", id: str = "") -> Problem:
        """A problem located at ``path`` in this file; ``id`` is its finding id."""
        line, column = self.locate(path)
        return Problem(self.file, line, column, key_path(path), message, severity, id)  # type: ignore[arg-type]


class YamlLoadError(Exception):
    """Raised by :func:`load_yaml`; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _mark(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _Builder:
    """Turns a composed node tree into plain data, recording positions and checking hazards."""

    def __init__(self, file: str) -> None:
        self.file = file
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
            return self.scalar(node, path)
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

    def scalar(self, node: Any, path: Path_) -> Any:
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


def _decode(raw: bytes, file: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlLoadError(
            Problem(
                file,
                line,
                column,
                "",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                id="not-utf8",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    line, column = _mark(exc.problem_mark or exc.context_mark)
    if exc.problem_mark is not None:
        index = exc.problem_mark.index
        if 0 <= index < len(text) and text[index] == "\t":
            return Problem(
                file, line, column, "", "tab character: YAML indentation uses spaces", id="yaml-tab"
            )
    problem = exc.problem or "invalid YAML"
    if problem.startswith("but found another document"):
        return Problem(
            file,
            line,
            column,
            "",
            'a second YAML document ("---"): this file holds exactly one',
            id="yaml-second-document",
        )
    if exc.context:
        context = exc.context
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            context += f" that starts on line {exc.context_mark.line + 1}"
        problem = f"{problem} ({context})"
    return Problem(file, line, column, "", f"YAML syntax error: {problem}", id="yaml-syntax")


def yaml_error_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    """A located problem for any YAML error (syntax, or a character YAML does not allow)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_problem(exc, text, file)
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(
            file,
            line,
            column,
            "",
            f"character U+{code:04X} is not allowed in YAML (a control "
            "character); write it as an escape in a double-quoted string",
            id="yaml-control-character",
        )
    return Problem(file, 0, 0, "", f"YAML error: {' '.join(str(exc).split())}", id="yaml-syntax")


def parse_yaml(text: str, file: str) -> SourceDoc:
    """Parse one YAML document from ``text``; ``file`` names it in problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise YamlLoadError(_syntax_problem(exc, text, file)) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(yaml_error_problem(exc, text, file)) from None
    except RecursionError:
        raise YamlLoadError(
            Problem(file, 0, 0, "", "nesting too deep to parse", id="yaml-too-big")
        ) from None
    if node is None:
        raise YamlLoadError(Problem(file, 1, 1, "", "the file is empty", id="empty-file"))
    builder = _Builder(file)
    builder.positions[()] = _mark(node.start_mark)
    data = builder.build(node, ())
    return SourceDoc(file, data, builder.positions)


def read_text(path: Path, file: str) -> str:
    """The text of ``path``, read within the size bound and decoded as UTF-8; raises
    YamlLoadError naming ``file`` when it is missing, unreadable, too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlLoadError(
                Problem(
                    file,
                    0,
                    0,
                    "",
                    f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    id="file-too-large",
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlLoadError(Problem(file, 0, 0, "", "file not found", id="file-missing")) from None
    except OSError as exc:
        raise YamlLoadError(
            Problem(file, 0, 0, "", f"cannot read: {exc.strerror}", id="file-unreadable")
        ) from None
    return _decode(raw, file)


def load_yaml(path: Path, file: str) -> SourceDoc:
    """Read and parse ``path``; ``file`` is how messages name it (relative to the root)."""
    return parse_yaml(read_text(path, file), file)
