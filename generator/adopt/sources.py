"""The SRCs of one import: each folder or file with the name messages give it, the group of
the files directly in it, and the repository they are in (where an ApplicationSet's groups
file and folders are found)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from generator.adopt.collect import Source, dns_label
from generator.core.errors import UsageError


def sources_of(paths: Sequence[Path], group: str | None) -> list[Source]:
    """The SRCs, resolved, in the order given. Files are named from the folder above all of
    them (``appsets/platform.yaml`` for ``clusters/ai-dev/{appsets,catalog}``); the files
    directly in a SRC folder (or a file SRC) go to ``group``, default the folder's name."""
    if not paths:
        raise UsageError("give at least one SRC folder or file")
    resolved = []
    for path in paths:
        full = path.resolve()
        if not full.exists():
            raise UsageError(f"{path}: no such folder or file")
        resolved.append(full)
    folders = [p if p.is_dir() else p.parent for p in resolved]
    base = Path(os.path.commonpath([str(f.parent) for f in folders]))
    out = []
    for full, folder in zip(resolved, folders, strict=True):
        default = group if group is not None else folder.name
        if not dns_label(default):
            raise UsageError(f"{default!r} cannot be made into a group name; pass --group NAME")
        display = full.relative_to(base).as_posix()
        out.append(Source(full, display, default, group is not None))
    return out


def display_in(sources: Sequence[Source]) -> Path:
    """The folder every SRC's name in messages is relative to."""
    first = sources[0]
    return first.path.parents[first.display.count("/")]


def repo_root_of(sources: Sequence[Source], given: Path | None) -> Path | None:
    """The repository root paths in ApplicationSets are relative to: ``--repo-root``, else
    the git work tree the first SRC is in (a folder holding ``.git``), else None."""
    if given is not None:
        root = given.resolve()
        if not root.is_dir():
            raise UsageError(f"--repo-root {given}: no such folder")
        return root
    start = sources[0].path if sources[0].path.is_dir() else sources[0].path.parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None
