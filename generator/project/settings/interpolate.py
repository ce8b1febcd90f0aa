"""``${settings.NAME}`` in catalog values: find the references, substitute the values.

The only syntax is ``${settings.NAME}``, replaced by the setting's value as text; ``$${`` writes
a literal ``${``. There are no expressions, filters or defaults, and nothing else is evaluated:
Argo CD's own ``{{ .name }}`` and any other ``${...}`` (Argo CD's build variables such as
``${ARGOCD_APP_NAME}``, shell snippets in Helm values) stay exactly as written. A ``${`` that
starts like a setting reference but is not one (``${ settings.domain }``, ``${setting.domain}``,
an unclosed ``${settings.domain``) is an error rather than silently literal.

Only the string values under a source's ``helm``, ``kustomize``, ``directory`` and ``plugin``
keys are substituted (:data:`SUBSTITUTED`); keys are never. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.core.model import DocPath

#: The keys of an Argo CD source whose string values are substituted.
SUBSTITUTED = ("helm", "kustomize", "directory", "plugin")
_OPEN = re.compile(r"\$\$\{|\$\{")
#: After ``${``: what makes it look like ours (then it must be exactly right).
_OURS = re.compile(r"\s*settings?\s*\.", re.IGNORECASE)
_EXACT = re.compile(r"settings\.([A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)\}")


@dataclass(frozen=True)
class Piece:
    """One part of a string: literal ``text``, a reference to setting ``name``, or an
    ``error`` (a malformed reference)."""

    text: str = ""
    name: str | None = None
    error: str | None = None


def pieces(value: str) -> Iterator[Piece]:
    """``value`` split into literal text, references and malformed references."""
    pos = 0
    while True:
        found = _OPEN.search(value, pos)
        if found is None:
            break
        yield Piece(value[pos : found.start()])
        if found.group() == "$${":
            yield Piece("${")
            pos = found.end()
            continue
        start = found.end()
        if not _OURS.match(value, start):
            yield Piece("${")
            pos = start
            continue
        exact = _EXACT.match(value, start)
        if exact is not None:
            yield Piece(name=exact.group(1))
            pos = exact.end()
            continue
        close = value.find("}", start)
        written = value[found.start() : close + 1] if close >= 0 else value[found.start() :]
        yield Piece(error=_malformed(written, close >= 0))
        pos = close + 1 if close >= 0 else len(value)
    yield Piece(value[pos:])


def _malformed(written: str, closed: bool) -> str:
    shown = written if len(written) <= 40 else written[:37] + "..."
    if not closed:
        return f'"{shown}" has no closing "}}"; a setting reference is written ${{settings.NAME}}'
    return (
        f'"{shown}" is not a setting reference: write ${{settings.NAME}} (no spaces; NAME as '
        'declared), or $${ for a literal "${"'
    )


def references(value: str) -> list[str]:
    """The setting names ``value`` refers to, in order."""
    return [piece.name for piece in pieces(value) if piece.name is not None]


def errors(value: str) -> list[str]:
    """What is wrong with each malformed reference in ``value``."""
    return [piece.error for piece in pieces(value) if piece.error is not None]


def substitute(value: str, values: Mapping[str, str]) -> str:
    """``value`` with each reference replaced by its text from ``values`` and ``$${`` by ``${``.

    A name missing from ``values`` (the loader reports those first) is replaced by nothing."""
    if "${" not in value:
        return value
    return "".join(
        piece.text if piece.name is None else values.get(piece.name, "") for piece in pieces(value)
    )


def strings(value: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, str]]:
    """Every string value (not key) below ``value``, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def substitute_tree(value: Any, values: Mapping[str, str]) -> Any:
    """``value`` (maps, lists, scalars) with :func:`substitute` applied to every string; the
    very same object where nothing changes (most values hold no reference at all)."""
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, Mapping):
        out = {key: substitute_tree(item, values) for key, item in value.items()}
        return value if all(out[key] is item for key, item in value.items()) else out
    if isinstance(value, list | tuple):
        items = [substitute_tree(item, values) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def substitute_source(source: Mapping[str, Any], values: Mapping[str, str]) -> Mapping[str, Any]:
    """An Argo CD source with the :data:`SUBSTITUTED` parts substituted (the same object when
    nothing changes)."""
    out = {
        key: substitute_tree(item, values) if key in SUBSTITUTED else item
        for key, item in source.items()
    }
    return source if all(out[key] is item for key, item in source.items()) else out
