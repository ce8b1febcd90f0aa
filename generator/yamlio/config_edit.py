"""Set one feature flag in config.yaml's text so that exactly one line changes.

ruamel.yaml's round-trip parser finds the flag (or the mapping it belongs in) with its line,
column and style; the change is then made to the text at that spot, and the result is parsed
again and compared with the intended data before anyone writes it. Dumping the whole document
back through ruamel's emitter would normalise what people write on purpose (values aligned as
``gpu:   true``, 4-space indentation, CRLF line ends), so more than the one line could change;
editing in place keeps comments, key order, quoting, blank lines and alignment byte for byte.

ruamel.yaml is imported here only, so commands that never edit config.yaml never load it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.core.errors import UsageError
from generator.yamlio.emit import scalar

_BOOL = re.compile(r"true|false|True|False|TRUE|FALSE")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_PAIRS = {"{": "}", "[": "]"}


@dataclass(frozen=True)
class FlagEdit:
    """The new text of config.yaml and what changed in it.

    ``key`` is the flag's dotted path (``environments.prod.features.gpu``), ``line`` its 1-based
    line in ``text``, ``old`` the value written there before (None: the key was not written).
    """

    text: str
    key: str
    line: int
    old: bool | None
    new: bool

    @property
    def changed(self) -> bool:
        """Whether ``text`` differs from the original."""
        return self.old is None or self.old != self.new


def split_lines(text: str) -> list[str]:
    """Lines with their own line ends (YAML's breaks only: ``\\n``, ``\\r\\n``, ``\\r``)."""
    return _LINE.findall(text)


def _load(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise UsageError(f"config.yaml: cannot parse it to edit: {exc}") from None


def _plain(node: Any) -> Any:
    """Round-trip data as plain dicts, lists and scalars, for comparisons."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _value_position(node: Any, key: str) -> tuple[int, int]:
    line, col = node.lc.value(key)
    return int(line), int(col)


def _flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


def _shared(node: Any) -> bool:
    """True when the mapping is a YAML anchor (shared through aliases) or uses merge keys."""
    anchor = getattr(node, "anchor", None)
    return bool(getattr(anchor, "value", None)) or bool(getattr(node, "merge", None))


def _token(value: bool, like: str = "true") -> str:
    word = "true" if value else "false"
    if like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


def _eol(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return line[len(stripped) :] or "\n"


def _closing(lines: list[str], line: int, col: int) -> tuple[int, int]:
    """Position of the bracket closing the flow collection opened at (line, col)."""
    depth = 0
    quote = ""
    row, index = line, col
    while row < len(lines):
        text = lines[row]
        while index < len(text):
            char = text[index]
            if quote:
                if char == "\\" and quote == '"':
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#" and (index == 0 or text[index - 1] in " \t"):
                break
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return row, index
            index += 1
        row, index = row + 1, 0
    raise UsageError("config.yaml: unbalanced flow collection; edit it by hand")


def _last_line(node: Any, lines: list[str]) -> int:
    """0-based line of the last character of a block mapping's last value."""
    key = list(node.keys())[-1]
    value = node[key]
    if isinstance(value, dict | list) and value:
        if _flow(value):
            line, col = node.lc.value(key)
            return _closing(lines, line, col)[0]
        if isinstance(value, dict):
            return _last_line(value, lines)
        return _last_item_line(value, lines)
    return int(node.lc.value(key)[0])


def _last_item_line(seq: Any, lines: list[str]) -> int:
    item = seq[-1]
    if isinstance(item, dict | list) and item:
        if _flow(item):
            line, col = seq.lc.item(len(seq) - 1)
            return _closing(lines, line, col)[0]
        return _last_line(item, lines) if isinstance(item, dict) else _last_item_line(item, lines)
    return int(seq.lc.item(len(seq) - 1)[0])


def _insert_at(lines: list[str], index: int, new: list[str]) -> None:
    """Insert whole lines before ``index``, ending each like the line above (or ``\\n``)."""
    above = lines[index - 1] if index > 0 else ""
    eol = _eol(above) if above else "\n"
    added = [text + eol for text in new]
    if above and not above.endswith(("\n", "\r")):
        # At the end of a file without a final line end: keep it without one.
        lines[index - 1] = above + eol
        added[-1] = new[-1]
    lines[index:index] = added


def _replace(lines: list[str], line: int, col: int, value: bool) -> bool:
    """Change the boolean token at (line, col); False if there is none."""
    src = lines[line]
    match = _BOOL.match(src, col)
    if match is None:
        return False
    old = match.group()
    new = _token(value, old)
    rest = src[match.end() :]
    delta = len(new) - len(old)
    # Keep an end-of-line comment aligned in its column.
    gap = len(rest) - len(rest.lstrip(" "))
    if rest[gap : gap + 1] == "#":
        if delta < 0:
            rest = " " * -delta + rest
        elif 0 < delta < gap:
            rest = rest[delta:]
    lines[line] = src[:col] + new + rest
    return True


def _block_insert(
    lines: list[str], parent: Any, fmap: Any, flag: str, value: bool, order: Sequence[str]
) -> int:
    keys = [str(k) for k in fmap]
    rank = {name: index for index, name in enumerate(order)}
    anchor = keys[-1]
    ranked = flag in rank and all(k in rank for k in keys)
    if ranked and [rank[k] for k in keys] == sorted(rank[k] for k in keys):
        before = [k for k in keys if rank[k] < rank[flag]]
        anchor = before[-1] if before else ""
    # After the anchor's value line; before the first key: right below ``features:``.
    index = int(fmap.lc.value(anchor)[0]) + 1 if anchor else int(parent.lc.key("features")[0]) + 1
    _insert_at(lines, index, [" " * int(fmap.lc.col) + f"{scalar(flag)}: {_token(value)}"])
    return index


def _flow_insert(lines: list[str], parent: Any, flag: str, value: bool) -> int:
    line, col = parent.lc.value("features")
    row, close = _closing(lines, line, col)
    text = lines[row]
    head = text[:close].rstrip(" ")
    separator = "" if head.endswith("{") else ", "
    lines[row] = head + separator + f"{scalar(flag)}: {_token(value)}" + text[len(head) :]
    return row


def _new_mapping(
    lines: list[str], data: Any, parent: Any, env: str | None, flag: str, value: bool
) -> int:
    step = int(data["environments"].lc.col) or 2
    entry = f"{scalar(flag)}: {_token(value)}"
    if env is None:
        # Above `environments:` and the comment block that introduces it.
        index = int(data.lc.key("environments")[0])
        while index > 0 and lines[index - 1].lstrip().startswith("#"):
            index -= 1
        _insert_at(lines, index, ["features:", " " * step + entry, ""])
        return index + 1
    if _flow(parent):
        raise UsageError(
            f"config.yaml: environments.{env} is written in flow style ({{...}}); "
            f"add `features: {{{entry}}}` to it by hand"
        )
    col = int(parent.lc.col)
    step = col - int(data["environments"].lc.col) or 2
    index = _last_line(parent, lines) + 1
    _insert_at(lines, index, [" " * col + "features:", " " * (col + step) + entry])
    return index + 1


def set_flag(
    text: str, flag: str, value: bool, env: str | None = None, order: Sequence[str] = ()
) -> FlagEdit:
    """Set ``features.<flag>`` (or ``environments.<env>.features.<flag>``) to ``value``.

    A flag already written is changed in place (same quoting and case, an aligned comment
    stays aligned); a new one is inserted as one line with the indentation of its neighbours,
    after the last flag that comes before it in ``order`` (bring-up order) when the mapping
    follows that order, else at its end. Raises UsageError when the edit cannot be made
    without touching other lines (anchors, flow-style environments) or would not parse back
    to the intended data.
    """
    data = _load(text)
    if not isinstance(data, dict) or not isinstance(data.get("environments"), dict):
        raise UsageError("config.yaml: expected a mapping with `environments:`")
    base = "features" if env is None else f"environments.{env}.features"
    key = f"{base}.{flag}"
    parent: Any = data if env is None else data["environments"].get(env)
    if not isinstance(parent, dict):
        raise UsageError(f"config.yaml: no environment {env!r}")
    fmap: Any = parent.get("features")
    if _shared(parent) or (isinstance(fmap, dict) and _shared(fmap)):
        raise UsageError(
            f"config.yaml: {base} uses a YAML anchor or merge key, so changing it here would "
            f"change it elsewhere too; set `{key}: {_token(value)}` by hand"
        )
    lines = split_lines(text)
    old: bool | None = None
    if isinstance(fmap, dict) and flag in fmap:
        line, col = _value_position(fmap, flag)
        old = bool(fmap[flag])
        if old == value:
            return FlagEdit(text, key, int(line) + 1, old, value)
        if not _replace(lines, int(line), int(col), value):
            raise UsageError(f"config.yaml:{line + 1}: {key}: not a boolean; edit it by hand")
        row = int(line)
        fmap[flag] = value
    elif isinstance(fmap, dict) and (_flow(fmap) or not fmap):  # `{}` is flow style too
        row = _flow_insert(lines, parent, flag, value)
        fmap[flag] = value
    elif isinstance(fmap, dict) and fmap:
        row = _block_insert(lines, parent, fmap, flag, value, order)
        fmap[flag] = value
    elif fmap is None and "features" not in parent:
        row = _new_mapping(lines, data, parent, env, flag, value)
        parent["features"] = {flag: value}
    else:
        raise UsageError(f"config.yaml: {base} is empty or not a mapping; edit it by hand")
    new_text = "".join(lines)
    try:
        same = _plain(_load(new_text)) == _plain(data)
    except UsageError:
        same = False
    if not same:
        raise UsageError(
            f"config.yaml: could not set {key} without changing other lines; "
            f"set `{key}: {_token(value)}` by hand"
        )
    return FlagEdit(new_text, key, row + 1, old, value)
