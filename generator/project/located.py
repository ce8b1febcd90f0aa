"""Where the parts of a parsed input file are written, as the typed model keeps them: a
:class:`~generator.core.model.Location` per key and item, each with its key path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.core.errors import key_path
from generator.core.model import DocPath, Location
from generator.yamlio.source import SourceDoc


def location(doc: SourceDoc, *path: str | int) -> Location:
    """Where ``path`` (or its nearest located ancestor) is written in ``doc``."""
    line, column = doc.locate(path)
    return Location(doc.file, line, column)


class _Below(Mapping[DocPath, Location]):
    """The positions of a document below ``at``, by path relative to ``at``: each
    :class:`Location` made when asked for. A file holds thousands of positions and a problem
    needs a few; making them all up front, once per app, cost a tenth of a second at 1,000
    apps (and the filtering by prefix grew with the square of a group's size)."""

    __slots__ = ("_at", "_doc")

    def __init__(self, doc: SourceDoc, at: DocPath) -> None:
        self._doc, self._at = doc, at

    def __getitem__(self, path: DocPath) -> Location:
        full = (*self._at, *path)
        line, column = self._doc.positions[full]
        return Location(self._doc.file, line, column, key_path(full))

    def get(self, path: DocPath, default: Any = None) -> Any:
        try:
            return self[path]
        except KeyError:
            return default

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and (*self._at, *path) in self._doc.positions

    def __iter__(self) -> Iterator[DocPath]:
        size = len(self._at)
        return (p[size:] for p in self._doc.positions if p[:size] == self._at)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def positions_of(doc: SourceDoc, at: tuple[str | int, ...] = ()) -> Mapping[DocPath, Location]:
    """Where every key and item below ``at`` is written, by path relative to ``at``."""
    return _Below(doc, tuple(at))


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
