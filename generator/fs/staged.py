"""Write a handful of files under a folder all-or-nothing, for ``gen init`` and ``gen import``.

Like :func:`generator.fs.tree.write_tree`, every file is first written to a staging folder on the
same filesystem, then moved into place with SIGINT/SIGTERM held off, so an error or an interrupt
before the moves leaves the folder as it was. Unlike it, nothing is ever removed: these files
belong to the user once written. Files whose content is already what is asked are not rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from generator.fs.tree import commit_files


def write_files(
    base: Path,
    files: Mapping[str, str],
    before_commit: Callable[[], None] | None = None,
) -> list[str]:
    """Make each ``base/<rel>`` hold ``files[rel]``; return the paths written (changed ones).

    ``before_commit`` runs after staging, before anything under ``base`` changes (tests use it
    to fail at the worst moment)."""
    changed = [
        rel
        for rel in sorted(files)
        if not (base / rel).is_file() or (base / rel).read_bytes() != files[rel].encode("utf-8")
    ]
    if changed:
        contents = {rel: files[rel].encode("utf-8") for rel in changed}
        commit_files(base, contents, before_commit=before_commit, label=base.name or str(base))
    return changed
