"""Where things are written: a file, a line, a column and the key path there, and how to find
the nearest written place of a path into a document (for problems about keys that a document
does not write itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.errors import Problem, Severity, key_path

#: A path into a YAML document: mapping keys and list indexes (``("apps", 0, "source")``).
DocPath = tuple[str | int, ...]
#: Where every key and list item of a document (or of a part of it) is written, by path, each
#: with its key path as messages show it (``apps[0].ignoreDifferences[1].jsonPointers[0]``).
Positions = Mapping[DocPath, "Location"]


@dataclass(frozen=True)
class Location:
    """Where something was written: a file (relative to the root) and a 1-based line."""

    file: str
    line: int = 0
    column: int = 0
    #: The key path at that place (``apps[2].wave``), for problems about it; may be empty.
    key: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def problem(
        self, message: str, severity: Severity = "error", id: str = "", key: str | None = None
    ) -> Problem:
        """A problem written here, at this place's key path (or at ``key`` when given)."""
        return Problem(
            self.file,
            self.line,
            self.column,
            self.key if key is None else key,
            message,
            severity,
            id,
        )


def _extend(key: str, rest: DocPath) -> str:
    """``key`` with ``rest`` appended: ``apps[0]`` + ``("labels", "tier")``."""
    tail = key_path(rest)
    if not key or not tail:
        return key or tail
    return key + tail if tail.startswith("[") else f"{key}.{tail}"


def nearest(positions: Positions, path: DocPath, fallback: Location) -> Location:
    """Where ``path`` is written: its own position, else its nearest located ancestor's (the
    key still names ``path``), else ``fallback``'s."""
    path = tuple(path)
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found is not None:
            rest = path[end:]
            if not rest:
                return found
            return Location(found.file, found.line, found.column, _extend(found.key, rest))
    return Location(fallback.file, fallback.line, fallback.column, _extend(fallback.key, path))
