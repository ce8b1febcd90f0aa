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

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import Problem, key_path
from generator.core.layout import MAX_FILE_BYTES
from generator.yamlio.nodes import _STD, _Builder, _mark
from generator.yamlio.nodes import MAX_DEPTH as MAX_DEPTH
from generator.yamlio.nodes import MAX_VALUES as MAX_VALUES
from generator.yamlio.nodes import Path_ as Path_
from generator.yamlio.nodes import Rules as Rules
from generator.yamlio.nodes import ScalarError as ScalarError
from generator.yamlio.nodes import ScalarHook as ScalarHook
from generator.yamlio.nodes import YamlLoadError as YamlLoadError
from generator.yamlio.nodes import resolve_plain as resolve_plain
from generator.yamlio.nodes import yaml11_scalar as yaml11_scalar

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_Loader):  # type: ignore[valid-type,misc]
    """The C loader with go-yaml's one difference that matters here: timestamps stay strings."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


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


def decode(raw: bytes, file: str) -> str:
    """``raw`` as UTF-8 text (a leading byte order mark dropped); YamlLoadError naming the line
    and column of the first byte that is not UTF-8."""
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


def _failure(exc: BaseException, text: str, file: str) -> YamlLoadError:
    if isinstance(exc, yaml.YAMLError):
        return YamlLoadError(yaml_error_problem(exc, text, file))
    return YamlLoadError(Problem(file, 0, 0, "", "nesting too deep to parse", id="yaml-too-big"))


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
        raise YamlLoadError(Problem(file, 1, 1, "", "the file is empty", id="empty-file"))
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
    return decode(raw, file)


def load_yaml(path: Path, file: str) -> SourceDoc:
    """Read and parse ``path``; ``file`` is how messages name it (relative to the root)."""
    return parse_yaml(read_text(path, file), file)
