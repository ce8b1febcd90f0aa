"""The compiled validators of the bundled JSON Schemas (see :mod:`generator.schemas.codegen`).

:func:`screen` gives the function that checks a document against one schema (or one kind of
the output schema): it returns when the document is valid and raises
:class:`Rejected` when it is not. It is a screen: a caller that needs
to say *what* is wrong asks jsonschema, for the documents the screen rejected only. It raises
:class:`Rejected` (the generated code raises it in place of fastjsonschema's exception, so a
run does not import fastjsonschema at all).

The generated module ``gen_<schema>.py`` is used only when the digests it records match the
schema files this package ships; otherwise (a schema edited in a checkout and not yet
regenerated) the schema is compiled in memory, once per run: slower, never stale.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from generator.core.hashing import blake2b
from generator.schemas import SCHEMAS_DIR

Screen = Callable[[Any], Any]


class Rejected(ValueError):
    """The compiled check rejects the document (jsonschema says why)."""


@functools.cache
def _digest(filename: str) -> str:
    return blake2b((SCHEMAS_DIR / filename).read_bytes(), digest_size=32).hexdigest()


@functools.cache
def _entries(schema: str) -> dict[str, Screen] | None:
    """The generated module's entry points, when it is current."""
    try:
        module = importlib.import_module(f"{__name__}.gen_{schema}")
    except ImportError:
        return None
    sources: dict[str, str] = module.SOURCES
    if any(_digest(filename) != sha for filename, sha in sources.items()):
        return None
    entries: dict[str, Screen] = module.ENTRIES
    return entries


def is_current(schema: str) -> bool:
    """Whether the shipped code of ``schema`` matches its schema files."""
    return _entries(schema) is not None


@functools.cache
def _compiled(schema: str, entry: str) -> Screen:
    """The fallback: ``schema`` (or its ``$defs`` entry) compiled in memory."""
    import fastjsonschema

    from generator.schemas.codegen import TARGETS, load

    by_id = {str(s["$id"]): s for s in map(load, TARGETS)}
    root = load(schema)
    if entry:
        root = {**root, "$ref": f"#/$defs/{entry}"}
    compiled: Screen = fastjsonschema.compile(root, handlers={"https": by_id.__getitem__})

    def check(data: Any) -> Any:
        try:
            return compiled(data)
        except fastjsonschema.JsonSchemaException as exc:
            raise Rejected(str(exc)) from None

    return check


def screen(schema: str, entry: str = "") -> Screen:
    """The compiled check of bundled schema ``schema`` (``group``), or of one entry of its
    ``$defs`` (``argocd``, ``Application``)."""
    entries = _entries(schema)
    if entries is not None and entry in entries:
        return entries[entry]
    return _compiled(schema, entry)
