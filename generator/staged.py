"""Write a handful of files under a folder all-or-nothing, for ``gen init`` and ``gen import``.

Like :func:`generator.tree.write_tree`, every file is first written to a staging folder on the
same filesystem, then moved into place with SIGINT/SIGTERM held off, so an error or an interrupt
before the moves leaves the folder as it was. Unlike it, nothing is ever removed: these files
belong to the user once written. Files whose content is already what is asked are not rewritten.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.errors import GenError
from generator.tree import STAGING_PREFIX, _signals_held


def _target(base: Path, rel: str) -> Path:
    if rel.startswith("/") or ".." in rel.split("/"):
        raise GenError(f"refusing to write outside {base}: {rel}")
    target = base / rel
    for parent in [target, *target.parents]:
        if parent == base:
            break
        if parent.is_symlink():
            raise GenError(f"{parent} is a symbolic link; refusing to write through it")
    return target


def write_files(
    base: Path,
    files: Mapping[str, str],
    before_commit: Callable[[], None] | None = None,
) -> list[str]:
    """Make each ``base/<rel>`` hold ``files[rel]``; return the paths written (changed ones).

    ``before_commit`` runs after staging, before anything under ``base`` changes (tests use it
    to fail at the worst moment)."""
    targets = {rel: _target(base, rel) for rel in sorted(files)}
    changed = [
        rel
        for rel, target in targets.items()
        if not target.is_file() or target.read_bytes() != files[rel].encode("utf-8")
    ]
    if not changed:
        return []
    base.mkdir(parents=True, exist_ok=True)
    for stale in base.glob(STAGING_PREFIX + "*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=base))
    try:
        for rel in changed:
            staged = staging / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(files[rel].encode("utf-8"))
        if before_commit is not None:
            before_commit()
        with _signals_held():
            for rel in changed:
                targets[rel].parent.mkdir(parents=True, exist_ok=True)
                (staging / rel).replace(targets[rel])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return changed
