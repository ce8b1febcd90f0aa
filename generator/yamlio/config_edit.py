"""Set one feature flag or setting in config.yaml's text so that exactly one line changes.

ruamel.yaml's round-trip parser finds the flag (or the mapping it belongs in) with its line,
column and style; the change is then made to the text at that spot, and the result is parsed
again and compared with the intended data before anyone writes it. Dumping the whole document
back through ruamel's emitter would normalise what people write on purpose (values aligned as
``gpu:   true``, 4-space indentation, CRLF line ends), so more than the one line could change;
editing in place keeps comments, key order, quoting, blank lines and alignment byte for byte.

ruamel.yaml is imported here only, so commands that never edit config.yaml never load it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.core.errors import UsageError
from generator.core.model import SettingScalar
from generator.yamlio.emit import scalar

_BOOL = re.compile(r"true|false|True|False|TRUE|FALSE")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_PAIRS = {"{": "}", "[": "]"}


@dataclass(frozen=True)
class ValueEdit:
    """The new text of config.yaml and what changed in it: one feature flag or setting.

    ``key`` is the entry's dotted path (``environments.prod.features.gpu``), ``line`` its 1-based
    line in ``text``, ``old`` the value written there before (None: the key was not written).
    """

    text: str
    key: str
    line: int
    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        """Whether ``text`` differs from the original."""
        return self.old is None or not _same(self.old, self.new)


#: The name ``gen enable``/``disable`` know the edit by.
FlagEdit = ValueEdit


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


def plain_data(node: Any) -> Any:
    """Round-trip data as plain dicts, lists and scalars, for comparisons."""
    if isinstance(node, dict):
        return {str(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_data(v) for v in node]
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


def _block_insert(
    lines: list[str],
    parent: Any,
    entries: Any,
    section: str,
    entry: tuple[str, str],
    order: Sequence[str],
) -> int:
    name, token = entry
    keys = [str(k) for k in entries]
    rank = {key: index for index, key in enumerate(order)}
    anchor = keys[-1]
    ranked = name in rank and all(k in rank for k in keys)
    if ranked and [rank[k] for k in keys] == sorted(rank[k] for k in keys):
        before = [k for k in keys if rank[k] < rank[name]]
        anchor = before[-1] if before else ""
    # After the anchor's value line; before the first key: right below ``features:``.
    index = int(entries.lc.value(anchor)[0]) + 1 if anchor else int(parent.lc.key(section)[0]) + 1
    _insert_at(lines, index, [" " * int(entries.lc.col) + f"{scalar(name)}: {token}"])
    return index


def _flow_insert(lines: list[str], parent: Any, section: str, entry: tuple[str, str]) -> int:
    line, col = parent.lc.value(section)
    row, close = _closing(lines, line, col)
    text = lines[row]
    head = text[:close].rstrip(" ")
    separator = "" if head.endswith("{") else ", "
    lines[row] = head + separator + f"{scalar(entry[0])}: {entry[1]}" + text[len(head) :]
    return row


def _new_mapping(
    lines: list[str], data: Any, parent: Any, env: str | None, section: str, entry: tuple[str, str]
) -> int:
    step = int(data["environments"].lc.col) or 2
    written = f"{scalar(entry[0])}: {entry[1]}"
    if env is None:
        # Above `environments:` and the comment block that introduces it.
        index = int(data.lc.key("environments")[0])
        while index > 0 and lines[index - 1].lstrip().startswith("#"):
            index -= 1
        _insert_at(lines, index, [f"{section}:", " " * step + written, ""])
        return index + 1
    if _flow(parent):
        raise UsageError(
            f"config.yaml: environments.{env} is written in flow style ({{...}}); "
            f"add `{section}: {{{written}}}` to it by hand"
        )
    col = int(parent.lc.col)
    step = col - int(data["environments"].lc.col) or 2
    index = _last_line(parent, lines) + 1
    _insert_at(lines, index, [" " * col + f"{section}:", " " * (col + step) + written])
    return index + 1


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _styled(value: SettingScalar, old: str) -> str:
    """``value`` as a YAML token written like ``old`` (same quotes, or plain when it can be)."""
    if isinstance(value, bool):
        return _token(value, old if _BOOL.fullmatch(old) else "true")
    if isinstance(value, int):
        return str(value)
    if old.startswith('"'):
        return json.dumps(value)
    if old.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    return scalar(value)


def _scalar_end(src: str, col: int, flow: bool) -> int | None:
    """Where the one-line scalar starting at ``col`` ends; None for a block or multi-line one."""
    first = src[col : col + 1]
    if first in ("|", ">"):
        return None
    if first in ("'", '"'):
        index = col + 1
        while index < len(src):
            char = src[index]
            if first == '"' and char == "\\":
                index += 2
                continue
            if char == first:
                if first == "'" and src[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return None
    stop = len(src.rstrip("\r\n"))
    comment = src.find(" #", col)
    if comment >= 0:
        stop = min(stop, comment)
    if flow:
        stop = min([stop, *(i for i in (src.find(c, col) for c in ",}]") if i >= 0)])
    return len(src[:stop].rstrip(" \t"))


def _replace_value(lines: list[str], line: int, col: int, value: SettingScalar, flow: bool) -> bool:
    """Change the scalar at (line, col) to ``value``, keeping its quoting style and an aligned
    end-of-line comment's column; False when it is not a one-line scalar."""
    src = lines[line]
    end = _scalar_end(src, col, flow)
    if end is None:
        return False
    new = _styled(value, src[col:end])
    rest = src[end:]
    delta = len(new) - (end - col)
    gap = len(rest) - len(rest.lstrip(" "))
    if rest[gap : gap + 1] == "#":
        if delta < 0:
            rest = " " * -delta + rest
        elif 0 < delta < gap:
            rest = rest[delta:]
    lines[line] = src[:col] + new + rest
    return True


def _set(
    text: str,
    section: str,
    name: str,
    value: SettingScalar,
    env: str | None,
    order: Sequence[str],
) -> ValueEdit:
    """Set ``<section>.<name>`` (or ``environments.<env>.<section>.<name>``) to ``value``."""
    data = _load(text)
    if not isinstance(data, dict) or not isinstance(data.get("environments"), dict):
        raise UsageError("config.yaml: expected a mapping with `environments:`")
    base = section if env is None else f"environments.{env}.{section}"
    key = f"{base}.{name}"
    parent: Any = data if env is None else data["environments"].get(env)
    if not isinstance(parent, dict):
        raise UsageError(f"config.yaml: no environment {env!r}")
    entries: Any = parent.get(section)
    written = _styled(value, "")
    if _shared(parent) or (isinstance(entries, dict) and _shared(entries)):
        raise UsageError(
            f"config.yaml: {base} uses a YAML anchor or merge key, so changing it here would "
            f"change it elsewhere too; set `{key}: {written}` by hand"
        )
    lines = split_lines(text)
    old: Any = None
    if isinstance(entries, dict) and name in entries:
        line, col = _value_position(entries, name)
        old = entries[name]
        if _same(old, value):
            return ValueEdit(text, key, int(line) + 1, old, value)
        if not _replace_value(lines, int(line), int(col), value, _flow(entries)):
            raise UsageError(
                f"config.yaml:{line + 1}: {key}: not a one-line value; edit it by hand"
            )
        row = int(line)
        entries[name] = value
    elif isinstance(entries, dict) and (_flow(entries) or not entries):  # `{}` is flow style too
        row = _flow_insert(lines, parent, section, (name, written))
        entries[name] = value
    elif isinstance(entries, dict) and entries:
        row = _block_insert(lines, parent, entries, section, (name, written), order)
        entries[name] = value
    elif entries is None and section not in parent:
        row = _new_mapping(lines, data, parent, env, section, (name, written))
        parent[section] = {name: value}
    else:
        raise UsageError(f"config.yaml: {base} is empty or not a mapping; edit it by hand")
    new_text = "".join(lines)
    _require_only_the_change(new_text, data, key, written)
    return ValueEdit(new_text, key, row + 1, old, value)


def _require_only_the_change(new_text: str, expected: Any, key: str, written: str) -> None:
    """The edited text must read as ``expected`` (the data with the one value changed); a
    UsageError that says to edit by hand otherwise."""
    try:
        same = plain_data(_load(new_text)) == plain_data(expected)
    except UsageError:
        same = False
    if not same:
        raise UsageError(
            f"config.yaml: could not set {key} without changing other lines; "
            f"set `{key}: {written}` by hand"
        )


def set_flag(
    text: str, flag: str, value: bool, env: str | None = None, order: Sequence[str] = ()
) -> ValueEdit:
    """Set ``features.<flag>`` (or ``environments.<env>.features.<flag>``) to ``value``.

    A flag already written is changed in place (same quoting and case, an aligned comment
    stays aligned); a new one is inserted as one line with the indentation of its neighbours,
    after the last flag that comes before it in ``order`` (bring-up order) when the mapping
    follows that order, else at its end. Raises UsageError when the edit cannot be made
    without touching other lines (anchors, flow-style environments) or would not parse back
    to the intended data.
    """
    return _set(text, "features", flag, value, env, order)


def set_setting(
    text: str, name: str, value: SettingScalar, env: str | None = None, order: Sequence[str] = ()
) -> ValueEdit:
    """Set ``settings.<name>`` (or ``environments.<env>.settings.<name>``) to ``value``, with
    the same rules as :func:`set_flag`: a value already written is replaced in place in its
    own quoting style (``"..."``, ``'...'`` or plain); a new one is one line, placed by
    ``order`` (the declaration order of catalog/settings.yaml)."""
    return _set(text, "settings", name, value, env, order)
