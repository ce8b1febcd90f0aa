"""The one YAML reader: plain Python data, the position of every key and item, every hazard
reported as a located :class:`~generator.core.errors.Problem`, never a traceback.

Two sets of rules, one parser (libyaml through PyYAML's C composer when available, about 20x
faster than the pure-Python one, which matters because ``gen check`` runs on every commit):

- ``"1.2"``, for the generator's input (config.yaml, the catalog, the folders ``gen import``
  adopts): plain scalars resolve by the YAML 1.2 core schema, like ruamel.yaml and Argo's
  tooling, so ``yes`` and ``on`` stay strings and a feature flag written ``yes`` is reported
  instead of being silently truthy;
- ``"1.1"``, for Kubernetes manifests: as ``kubectl`` and Argo CD read them through
  ``sigs.k8s.io/yaml`` (go-yaml v2), so an unquoted ``yes`` is a boolean a validator must see;
  timestamps stay strings, as go-yaml leaves them when decoding into untyped JSON.

Hazards, under both rules: invalid UTF-8, tabs, an empty file, several documents where one is
expected, duplicate keys, unknown tags, recursive aliases and alias bombs (expansion is bounded,
so a "billion laughs" file fails fast in little memory). :func:`load_fast` reads rendered text
with the C loader alone, for documents that are only looked at again when they have a problem.
The comment-preserving writers (:mod:`generator.yamlio.config_edit`,
:mod:`generator.yamlio.catalog_write`) use ruamel.yaml; nothing else parses YAML.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from generator.core.errors import Problem, key_path
from generator.core.layout import MAX_FILE_BYTES

Path_ = tuple[str | int, ...]
#: Which rules resolve plain scalars: YAML 1.2 core (input) or YAML 1.1 (Kubernetes manifests).
Rules = Literal["1.2", "1.1"]
#: Called with each scalar node, its path and the value it was read as (``gen import`` uses it
#: to find what YAML 1.1 and 1.2 read differently).
ScalarHook = Callable[[Any, Path_, Any], None]

#: Values one file may expand to, aliases included (a billion-laughs file hits this at once).
MAX_VALUES = 200_000
MAX_DEPTH = 100

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_Loader):  # type: ignore[valid-type,misc]
    """The C loader with go-yaml's one difference that matters here: timestamps stay strings."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)

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

    def problem(self, path: Path_, message: str, severity: str = "error") -> Problem:
        """A problem located at ``path`` in this file."""
        line, column = self.locate(path)
        return Problem(self.file, line, column, key_path(path), message, severity)  # type: ignore[arg-type]


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

    def fail(self, node: Any, message: str, path: Path_ = ()) -> YamlLoadError:
        line, column = _mark(node.start_mark) if node is not None else (0, 0)
        return YamlLoadError(Problem(self.file, line, column, key_path(path), message))

    def build(self, node: Any, path: Path_, depth: int = 0) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(
                node,
                f"document expands to more than {MAX_VALUES:,} values (an alias bomb?); "
                "aliases are expanded, so reuse them sparingly",
                path,
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels", path)
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar12(node, path) if self.rules == "1.2" else self.scalar11(node, path)
            if self.on_scalar is not None:
                self.on_scalar(node, path, value)
            return value
        if id(node) in self.active:
            raise self.fail(node, "recursive alias: a node contains itself", path)
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
            raise self.fail(node, f"YAML tag {node.tag!r} is not supported here", path)

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
        raise self.fail(node, f"YAML tag {node.tag!r} is not supported", path)

    def scalar11(self, node: Any, path: Path_) -> Any:
        """A scalar as Kubernetes reads it (YAML 1.1; see :func:`yaml11_scalar`)."""
        try:
            return yaml11_scalar(node)
        except ValueError as exc:
            raise self.fail(node, str(exc), path) from None

    def mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: list[Any] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain string", path)
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
                    raise self.fail(source, "a merge key (<<) needs a mapping or list of mappings")
                for key, value in self.mapping(source, path, depth + 1).items():
                    result.setdefault(key, value)
        return result


_constructor: yaml.SafeLoader | None = None


def yaml11_scalar(node: Any) -> Any:
    """What Kubernetes (YAML 1.1) reads a scalar node as; ValueError when its tag cannot be read
    (an unknown tag, or ``!!int`` on a word)."""
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
            raise ValueError(f"cannot read {node.value!r} as {node.tag[len(_STD) :]}") from None
    raise ValueError(f"YAML tag {node.tag!r} is not supported")


def decode(raw: bytes, file: str) -> str:
    """``raw`` as UTF-8 text (a leading byte order mark dropped); YamlLoadError naming the line
    and column of the first byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlLoadError(
            Problem(file, line, column, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
        ) from None
    return text.removeprefix("\ufeff")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    line, column = _mark(exc.problem_mark or exc.context_mark)
    if exc.problem_mark is not None:
        index = exc.problem_mark.index
        if 0 <= index < len(text) and text[index] == "\t":
            return Problem(file, line, column, "", "tab character: YAML indentation uses spaces")
    problem = exc.problem or "invalid YAML"
    if problem.startswith("but found another document"):
        return Problem(
            file, line, column, "", 'a second YAML document ("---"): this file holds exactly one'
        )
    if exc.context:
        context = exc.context
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            context += f" that starts on line {exc.context_mark.line + 1}"
        problem = f"{problem} ({context})"
    return Problem(file, line, column, "", f"YAML syntax error: {problem}")


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
        )
    return Problem(file, 0, 0, "", f"YAML error: {' '.join(str(exc).split())}")


def _failure(exc: BaseException, text: str, file: str) -> YamlLoadError:
    if isinstance(exc, yaml.YAMLError):
        return YamlLoadError(yaml_error_problem(exc, text, file))
    return YamlLoadError(Problem(file, 0, 0, "", "nesting too deep to parse"))


def build_document(
    node: Any, file: str, rules: Rules = "1.2", on_scalar: ScalarHook | None = None
) -> SourceDoc:
    """The data and positions of one composed document (from :func:`compose_all`)."""
    builder = _Builder(file, rules, on_scalar)
    builder.positions[()] = _mark(node.start_mark)
    data = builder.build(node, ())
    return SourceDoc(file, data, builder.positions)


def parse_yaml(text: str, file: str) -> SourceDoc:
    """Parse one YAML 1.2 document from ``text``; ``file`` names it in problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError) as exc:
        raise _failure(exc, text, file) from None
    if node is None:
        raise YamlLoadError(Problem(file, 1, 1, "", "the file is empty"))
    return build_document(node, file)


def compose_all(text: str, file: str) -> list[Any]:
    """The node of every document of ``text`` (None for an empty one), for
    :func:`build_document`; YamlLoadError when the text does not parse."""
    try:
        return list(yaml.compose_all(text, Loader=_Loader))
    except (yaml.YAMLError, RecursionError) as exc:
        raise _failure(exc, text, file) from None


def is_null(node: Any) -> bool:
    """Whether a composed document holds nothing (``---`` alone, or ``null``)."""
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _STD + "null")


def parse_all(text: str, file: str, rules: Rules) -> list[SourceDoc]:
    """Every non-empty document of ``text``, with positions; raises YamlLoadError."""
    return [
        build_document(node, file, rules) for node in compose_all(text, file) if not is_null(node)
    ]


def load_fast(text: str, file: str) -> list[Any]:
    """Every non-empty document of ``text`` by YAML 1.1 rules, read by the C loader alone (no
    positions, no hazard checks: for text that is parsed again with :func:`parse_all` when a
    problem needs a position); YamlLoadError when it does not parse."""
    try:
        return [doc for doc in yaml.load_all(text, Loader=_FastLoader) if doc is not None]
    except (yaml.YAMLError, RecursionError) as exc:
        raise _failure(exc, text, file) from None


def read_text(path: Path, file: str) -> str:
    """The text of ``path``, read within the size bound and decoded as UTF-8; raises
    YamlLoadError naming ``file`` when it is missing, unreadable, too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlLoadError(
                Problem(file, 0, 0, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlLoadError(Problem(file, 0, 0, "", "file not found")) from None
    except OSError as exc:
        raise YamlLoadError(Problem(file, 0, 0, "", f"cannot read: {exc.strerror}")) from None
    return decode(raw, file)


def load_yaml(path: Path, file: str) -> SourceDoc:
    """Read and parse ``path``; ``file`` is how messages name it (relative to the root)."""
    return parse_yaml(read_text(path, file), file)
