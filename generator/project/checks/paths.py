"""Repository paths written in the input: relative, normalised, inside the repository."""

from __future__ import annotations

import posixpath

from generator.core.errors import Problem
from generator.yamlio.source import SourceDoc


def relative_path_problem(
    doc: SourceDoc, where: tuple[str | int, ...], value: str
) -> Problem | None:
    """Repository paths must be relative, normalised and stay inside the repository."""
    if value.startswith("/") or "\\" in value:
        return doc.problem(
            where, f'"{value}" must be a relative path with "/" separators', id="invalid-path"
        )
    normal = posixpath.normpath(value)
    if normal == ".." or normal.startswith("../") or ".." in value.split("/"):
        return doc.problem(
            where, f'"{value}" must stay inside the repository (no "..")', id="invalid-path"
        )
    if normal != value.rstrip("/") and value != ".":
        return doc.problem(
            where, f'"{value}" is not normalised; write "{normal}"', id="invalid-path"
        )
    return None


def leaves_repository(value: str) -> bool:
    """Whether a path is absolute or climbs out with ``..``: refused even in a source that
    names another repository (whose paths are otherwise carried as written)."""
    return value.startswith("/") or ".." in value.split("/")
