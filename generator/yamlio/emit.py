"""Deterministic YAML emission for rendered manifests (used as Jinja filters).

Catalog values are data, never template source: they reach the output only through these
functions, which quote whatever a YAML 1.1 reader (Go's yaml.v2 behind ``sigs.k8s.io/yaml``, used
by Argo CD and kubectl) or a YAML 1.2 reader could take for anything but the same string. Plain
style is kept for the common, unambiguous case so the output stays readable.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

# A plain scalar must start with a letter, '/', '_', '$', './' or '../' (no YAML indicator,
# number, date or sexagesimal starts that way) and use printable ASCII only (a trailing newline too:
# `\Z`, not `$`, which would let one through and lose it).
_PLAIN = re.compile(r"^(?:[A-Za-z/_$]|\.\.?/)[\x20-\x7e]*\Z")
# Words YAML 1.1 or 1.2 resolves to booleans or null.
_KEYWORDS = frozenset(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE "
    "on On ON off Off OFF null Null NULL".split()
)
#: YAML allows an implicit ("key: value") key of at most 1024 characters; longer ones are
#: written as explicit keys ("? key").
_MAX_IMPLICIT_KEY = 1000
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _needs_escape(char: str) -> bool:
    code = ord(char)
    return (
        char in _ESCAPES
        or code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFEFF, 0xFFFE, 0xFFFF)
    )


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def plain_ok(text: str) -> bool:
    return (
        _PLAIN.match(text) is not None
        and text not in _KEYWORDS
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
    )


@functools.lru_cache(maxsize=1 << 16)
def _text(text: str) -> str:
    # Rendering emits the same few thousand strings (label keys, namespaces, URLs) tens of
    # thousands of times; this pure function is worth remembering.
    return text if plain_ok(text) else quote(text)


def quote(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``text``."""
    return '"' + "".join(_escape(c) if _needs_escape(c) else c for c in text) + '"'


def scalar(value: Any) -> str:
    """One scalar as YAML text: plain when unambiguous, double-quoted otherwise."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        # YAML 1.1 floats need a dot ("1e+16" would read as a string there).
        return text if "." in text else text.replace("e", ".0e", 1)
    if isinstance(value, str):
        return _text(value)
    raise TypeError(f"cannot emit {type(value).__name__} as YAML")


def _literal_ok(text: str) -> bool:
    # A literal block keeps newlines verbatim; it cannot carry other control characters, lone
    # CRs, or a first line that starts with a space (that would need an indentation indicator).
    return (
        "\n" in text.rstrip("\n")
        and not text.startswith((" ", "\n"))
        and not any(_needs_escape(c) and c != "\n" for c in text)
        and not any(line.endswith(" ") for line in text.split("\n"))
    )


def _string(text: str, indent: int) -> str:
    if "\n" not in text or not _literal_ok(text):
        return " " + _text(text)
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    pad = " " * indent
    lines = [pad + line if line else "" for line in body.split("\n")]
    tail = "\n" * (trailing - 1) if trailing > 1 else ""
    return f" |{chomp}\n" + "\n".join(lines) + tail


def _is_container(value: Any) -> bool:
    return type(value) in (dict, list, tuple) or isinstance(value, Mapping | list | tuple)


#: Indentation strings by width, made once.
_PADS = [" " * width for width in range(64)]


def _value(value: Any, indent: int, out: list[str]) -> None:
    """Append what follows ``key:`` (or ``-``) for ``value``: :func:`block`'s text, in pieces.

    The emitter is the largest cost of a render (tens of thousands of documents of dozens of
    lines each): it writes each line once, as one piece of one list joined at the end, and
    tries the common types first."""
    kind = type(value)
    if kind is str:
        out.append(_string(value, indent) if "\n" in value else " " + _text(value))
    elif kind is dict or kind is list or kind is tuple or _is_container(value):
        if value:
            _container(value, indent, out, None)
        else:
            out.append(" {}" if isinstance(value, Mapping) else " []")
    elif isinstance(value, str):
        out.append(_string(value, indent))
    else:
        out.append(" " + scalar(value))


class Shared:
    """The texts of the values under ``keys`` that the documents of one render share as the
    very same objects (a catalog app's Helm values, in every environment that renders it):
    each emitted once per indentation, then reused. Valid while the documents are not
    changed, as a render's are not once made (generator/render/files.py); each object is kept
    alive beside its text, so that its identity is not reused."""

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        self.texts: dict[tuple[int, int], tuple[Any, str]] = {}

    def emit(self, value: Any, indent: int, out: list[str]) -> None:
        """Append the lines of the non-empty container ``value`` (as :func:`_container`)."""
        found = self.texts.get((id(value), indent))
        if found is None or found[0] is not value:
            pieces: list[str] = []
            _container(value, indent, pieces, None, self)
            found = self.texts[(id(value), indent)] = (value, "".join(pieces))
        out.append(found[1])


def _container(
    value: Any, indent: int, out: list[str], first: str | None, shared: Shared | None = None
) -> None:
    """Append the lines of a non-empty container, each as ``"\n" + line``; ``first`` replaces
    the indentation of the first line (``"- "`` when the mapping is an item of a list)."""
    pad = _PADS[indent] if indent < len(_PADS) else " " * indent
    newline = "\n" + pad
    lead = newline if first is None else "\n" + first
    inner = indent + 2
    if type(value) is dict or isinstance(value, Mapping):
        for key, item in value.items():
            text = _text(key if type(key) is str or isinstance(key, str) else str(key))
            kind = type(item)
            if len(text) > _MAX_IMPLICIT_KEY:
                out.append(f"{lead}? {text}")  # an explicit key: "? key" then ": value"
                out.append(newline + ":")
            elif kind is str and "\n" not in item:
                out.append(f"{lead}{text}: {_text(item)}")
                lead = newline
                continue
            elif kind is bool or kind is int:  # the common scalars, as scalar() writes them
                out.append(f"{lead}{text}: {scalar(item)}")
                lead = newline
                continue
            else:
                out.append(f"{lead}{text}:")
                if (kind is dict or kind is list) and item:  # the common containers, directly
                    if shared is not None and key in shared.keys:
                        shared.emit(item, inner, out)
                    else:
                        _container(item, inner, out, None, shared)
                    lead = newline
                    continue
            _value(item, inner, out)
            lead = newline
        return
    item_first = pad + "- "
    for item in value:
        if type(item) is str and "\n" not in item:
            out.append(f"{lead}- {_text(item)}")
        elif item and (type(item) is dict or isinstance(item, Mapping)):
            _container(item, inner, out, item_first, shared)
        else:
            out.append(lead + "-")
            _value(item, inner, out)
        lead = newline


def block(value: Any, indent: int) -> str:
    """The YAML text that follows ``key:`` for ``value``, nested ``indent`` spaces deep.

    Scalars and empty containers come back inline (``" x"``, ``" {}"``); non-empty containers
    as a newline and indented block lines. Keys keep their input order: output is deterministic
    because the input is.
    """
    out: list[str] = []
    _value(value, indent, out)
    return "".join(out)


def dump(value: Mapping[str, Any] | Sequence[Any], shared: Shared | None = None) -> str:
    """A whole document body (no header) for a mapping or list; ``shared``: see
    :class:`Shared` (the documents of one render)."""
    if not value:
        return "\n"
    out: list[str] = []
    _container(value, 0, out, None, shared)
    return "".join(out)[1:] + "\n"
