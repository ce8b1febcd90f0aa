"""The compiled validators of the bundled JSON Schemas (see :mod:`generator.schemas.codegen`).

:func:`screen` gives the function that checks a document against one schema (or one kind of
the output schema): it returns when the document is valid and raises
:class:`fastjsonschema.JsonSchemaException` when it is not. It is a screen: a caller that needs
to say *what* is wrong asks jsonschema, for the documents the screen rejected only.

The generated module ``gen_<schema>.py`` is used only when the digests it records match the
schema files this package ships; otherwise (a schema edited in a checkout and not yet
regenerated) the schema is compiled in memory, once per run: slower, never stale.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Callable
from importlib import resources
from typing import Any

Screen = Callable[[Any], Any]


@functools.cache
def _digest(filename: str) -> str:
    data = resources.files("generator.schemas").joinpath(filename).read_bytes()
    return hashlib.sha256(data).hexdigest()


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
    screen: Screen = fastjsonschema.compile(root, handlers={"https": by_id.__getitem__})
    return screen


def screen(schema: str, entry: str = "") -> Screen:
    """The compiled check of bundled schema ``schema`` (``group``), or of one entry of its
    ``$defs`` (``argocd``, ``Application``)."""
    entries = _entries(schema)
    if entries is not None and entry in entries:
        return entries[entry]
    return _compiled(schema, entry)
