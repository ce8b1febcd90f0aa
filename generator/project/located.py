"""Where the parts of a parsed input file are written, as the typed model keeps them: a
:class:`~generator.core.model.Location` per key and item, each with its key path."""

from __future__ import annotations

from typing import Any

from generator.core.errors import key_path
from generator.core.model import DocPath, Location
from generator.yamlio.source import SourceDoc


def location(doc: SourceDoc, *path: str | int) -> Location:
    """Where ``path`` (or its nearest located ancestor) is written in ``doc``."""
    line, column = doc.locate(path)
    return Location(doc.file, line, column)


def positions_of(doc: SourceDoc, at: tuple[str | int, ...] = ()) -> dict[DocPath, Location]:
    """Where every key and item below ``at`` is written, by path relative to ``at``."""
    size = len(at)
    return {
        path[size:]: Location(doc.file, line, column, key_path(path))
        for path, (line, column) in doc.positions.items()
        if path[:size] == at
    }


def fields_of(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any]
) -> dict[str, Location]:
    """Where each key of a mapping was written, plus each item of its reference lists."""
    out: dict[str, Location] = {}
    for key, value in raw.items():
        line, column = doc.locate((*at, key))
        out[key] = Location(doc.file, line, column, key_path((*at, key)))
        if key in ("dependsOn", "requires") and isinstance(value, list):
            for index in range(len(value)):
                line, column = doc.locate((*at, key, index))
                out[f"{key}[{index}]"] = Location(
                    doc.file, line, column, key_path((*at, key, index))
                )
    return out
