"""YAML comments as data: find them in a text (with the node each one belongs to), and put
them into another text at the node they belong to there.

Finding: the scanner's tokens say where every scalar, key and bracket is, so a ``#`` outside
all of them, at the start of a line or after a blank, starts a comment (a ``#`` inside a
quoted or block scalar is text). A comment on a line of its own belongs to the node that
starts on the next line below it (it is "above" that node); a comment after a value belongs to
the outermost node written wholly on that line (it is "beside" it).

Placing: :func:`place_comments` inserts each comment above or beside the node at a path of a
text this project emitted (block style), then parses the result back and checks that the data
did not change, so a comment can never alter a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from generator.core.errors import GenError
from generator.yamlio.nodes import Path_
from generator.yamlio.source import YamlLoadError, parse_yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Comment:
    """One comment line: its 1-based line, the text from ``#`` to the end of the line, and
    whether it follows a value on that line (``beside``) or stands on a line of its own."""

    line: int
    text: str
    beside: bool


def find_comments(text: str) -> list[Comment]:
    """Every comment of ``text`` (which must scan as YAML), in line order."""
    lines = text.split("\n")
    covered: set[int] = set()  # 0-based lines inside a token that spans lines
    ends: dict[int, int] = {}  # 0-based line -> where its last token ends
    for token in yaml.scan(text, Loader=_Loader):
        start, end = token.start_mark, token.end_mark
        last = end.line if end.column > 0 or end.line == start.line else end.line - 1
        if last > start.line:
            covered.update(range(start.line, last))
        if end.line == last:
            ends[last] = max(ends.get(last, 0), end.column)
    found = []
    for number, line in enumerate(lines):
        if number in covered:
            continue
        column = _comment_start(line.rstrip("\r"), ends.get(number, 0))
        if column is not None:
            body = line.rstrip("\r")
            found.append(Comment(number + 1, body[column:].rstrip(), bool(body[:column].strip())))
    return found


def _comment_start(line: str, after: int) -> int | None:
    index = line.find("#", after)
    while index >= 0:
        if index == 0 or line[index - 1] in " \t":
            return index
        index = line.find("#", index + 1)
    return None


def anchor_of(comment: Comment, positions: Mapping[Path_, tuple[int, int]]) -> Path_ | None:
    """The path a comment belongs to among ``positions`` (one document's): the node below a
    comment on its own line; for one beside a value, the outermost node written wholly on that
    line (``key: [a, b]  # x`` is about ``key``, ``- name: a  # x`` in a longer item is about
    ``name``). None when no node comes below it."""
    if comment.beside:
        on_line = sorted(
            (len(path), -col, path)
            for path, (line, col) in positions.items()
            if line == comment.line
        )
        for _, _, path in on_line:
            size = len(path)
            inside = [line for p, (line, _) in positions.items() if p[:size] == path]
            if all(line == comment.line for line in inside):
                return path
        above = [
            (line, col, len(path), path)
            for path, (line, col) in positions.items()
            if line < comment.line
        ]
        return max(above)[3] if above else None
    below = [
        (line, col, len(path), path)
        for path, (line, col) in positions.items()
        if line > comment.line
    ]
    return min(below)[3] if below else None


@dataclass(frozen=True)
class Placement:
    """Comment lines (each starting with ``#``) to put above the node at ``path``, or one to
    put beside it (``beside``), or below the last line of the node (``below``)."""

    path: Path_
    lines: tuple[str, ...]
    beside: bool = False
    below: bool = False


def _node_ends(text: str) -> dict[Path_, int]:
    """The 0-based last line of every node of ``text``, by path."""
    ends: dict[Path_, int] = {}

    def walk(node: Any, path: Path_) -> None:
        end = node.end_mark
        ends[path] = end.line if end.column > 0 else max(end.line - 1, node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text, Loader=_Loader)
    if root is not None:
        walk(root, ())
    return ends


def place_comments(text: str, placements: Sequence[Placement], file: str) -> str:
    """``text`` (block-style YAML this project emitted) with every placement's comments put in.

    A path that is not in the document is an internal error, and so is a result that does not
    read back as the same data."""
    if not placements:
        return text
    doc = parse_yaml(text, file)
    ends = _node_ends(text)
    lines = text.split("\n")
    above: dict[int, list[str]] = {}
    below: dict[int, list[str]] = {}
    beside: dict[int, str] = {}
    for placement in placements:
        found = doc.positions.get(placement.path) if placement.path else (1, 1)
        if found is None:
            raise GenError(f"internal error: {file}: no node at {placement.path} for a comment")
        row = found[0] - 1
        indent = " " * (len(lines[row]) - len(lines[row].lstrip(" ")))
        value = _value_at(doc.data, placement.path)
        if placement.below:
            below.setdefault(ends.get(placement.path, row), []).extend(
                indent + line for line in placement.lines
            )
        elif placement.beside and row not in beside and _takes_comment(value):
            beside[row] = placement.lines[0]
        else:
            above.setdefault(row, []).extend(indent + line for line in placement.lines)
    out: list[str] = []
    for row, line in enumerate(lines):
        out.extend(above.get(row, ()))
        out.append(f"{line} {beside[row]}" if row in beside else line)
        out.extend(below.get(row, ()))
    result = "\n".join(out)
    _same_data(doc.data, result, file)
    return result


def _value_at(data: Any, path: Iterable[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _takes_comment(value: Any) -> bool:
    """Whether the line a value starts on can end with a comment: not a multi-line string."""
    return not (isinstance(value, str) and "\n" in value)


def _same_data(data: Any, text: str, file: str) -> None:
    from generator.adopt.roundtrip import differences

    try:
        back = parse_yaml(text, file).data
    except YamlLoadError as exc:  # pragma: no cover - a bug in this module, not in the input
        raise GenError(
            f"internal error: {file} with comments would not parse: {exc.problem}"
        ) from None
    changed = differences(data, back)
    if changed:  # pragma: no cover - a bug in this module, not in the input
        raise GenError(f"internal error: {file}: a comment would change {changed[0]}")
