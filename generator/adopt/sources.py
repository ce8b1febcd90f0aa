"""The SRCs of one import: each folder or file with the name messages give it, the group of
the files directly in it, and the repository they are in (where an ApplicationSet's groups
file and folders are found)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.adopt.collect import Source, dns_label
from generator.core.errors import UsageError


def sources_of(paths: Sequence[Path], group: str | None) -> list[Source]:
    """The SRCs, resolved, in the order given. Messages name a file from its SRC folder's
    name (``catalog/dns/external-dns.yaml``), or a file SRC by its folder and name; the files
    directly in a SRC folder (or a file SRC) go to ``group``, default the folder's name."""
    if not paths:
        raise UsageError("give at least one SRC folder or file")
    out = []
    for path in paths:
        full = path.resolve()
        if not full.exists():
            raise UsageError(f"{path}: no such folder or file")
        folder = full if full.is_dir() else full.parent
        default = group if group is not None else folder.name
        if not dns_label(default):
            raise UsageError(f"{default!r} cannot be made into a group name; pass --group NAME")
        display = folder.name if full.is_dir() else f"{folder.name}/{full.name}"
        out.append(Source(full, display, default, group is not None))
    return out


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
