"""``gen check``: build (load, render, validate, in memory) and compare the files with the
rendered folder on disk.

When the run cache (generator/fs/cache.py) knows what this exact snapshot renders and the folder
on disk holds exactly that, the answer needs none of the loaders, templates or validators: they
are imported only on the full path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import Problem
from generator.fs import cache
from generator.fs.inputs import Inputs, read_inputs
from generator.fs.memo import bytes_digest
from generator.fs.stamps import Stamps, open_stamps
from generator.fs.tree import Digests, TreeDiff
from generator.render.files import digest_of

if TYPE_CHECKING:
    from generator.fs.memo import Memo
    from generator.render.build import Build
    from generator.render.templates import Progress


@dataclass(frozen=True)
class CheckResult:
    """The comparison: ``diff`` lists files; ``patch`` is the unified diff (empty if clean)."""

    out_dir: Path
    diff: TreeDiff
    patch: str
    files: int
    warnings: list[Problem]


@dataclass(frozen=True)
class RunCache:
    """What the run cache knows of one run: its key and, when ``rendered/`` is known to hold
    what these inputs render, the entry (``key`` None: the cache is off)."""

    key: str | None = None
    entry: cache.Entry | None = None
    code: tuple[str, ...] = ()

    def memo(self, root: Path) -> Memo | None:
        """The per-file memo of ``root`` (None when the cache is off)."""
        if self.key is None:
            return None
        from generator.fs.memo import open_memo

        return open_memo(cache.memo_file(root), self.code)

    def stamps(self, out_dir: Path) -> Stamps:
        """What the files of ``out_dir`` held when a run last read them (nothing is kept when
        the cache is off: every file is read)."""
        return open_stamps(cache.stamps_file(out_dir) if self.key is not None else None)


def cached_clean(inputs: Inputs, environments: Sequence[str] | None) -> RunCache:
    """The run cache's answer for this run (the entry is walked by the full run's rule, so a
    refusal is the same GenError)."""
    if not cache.enabled() or inputs.problems:
        return RunCache()
    code = tuple(cache.code_identity())
    key = cache.fingerprint(inputs, environments, code)
    entry = cache.load(inputs.root, key)
    if entry is None:
        return RunCache(key, None, code)
    scope = list(environments) if environments else None
    out_dir = inputs.root / entry.out_dir
    stamps = open_stamps(cache.stamps_file(out_dir))
    matches = cache.disk_matches(out_dir, entry, scope, stamps)
    stamps.save()
    return RunCache(key, entry if matches else None, code)


def full_build(
    inputs: Inputs,
    environments: Sequence[str] | None,
    on_environment: Progress | None = None,
    memo: Memo | None = None,
) -> Build:
    """The build of ``inputs``, its errors raised (its clean files remembered in ``memo``
    first, so that fixing the error re-checks only what changed)."""
    from generator.render.build import build

    result = build(inputs, environments, on_environment=on_environment, memo=memo)
    if result.errors:
        result.remember()
    result.raise_for_errors()
    return result


def digests(result: Build) -> Digests:
    """How the rendered folder is compared with a build: by the digests of the files' texts,
    which the memo knows for the files it remembers (they need not be emitted)."""
    files = result.files
    return (lambda rel: digest_of(files, rel)), bytes_digest


def remember(run: RunCache, result: Build) -> None:
    """Record a build without errors in the run cache and its files in the memo."""
    result.remember()
    if run.key is not None:
        config = result.project.config
        envs = list(result.environments)
        digests = {rel: digest_of(result.files, rel) for rel in result.files}
        cache.store(
            result.inputs.root, run.key, config.rendered_dir, envs, digests, result.warnings
        )


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> CheckResult:
    """Compare what ``root``'s project renders now with its rendered folder."""
    inputs = read_inputs(root)
    run_cache = cached_clean(inputs, environments)
    entry = run_cache.entry
    if entry is not None:
        count = len(entry.files)
        return CheckResult(
            root / entry.out_dir, TreeDiff(unchanged=count), "", count, entry.warnings
        )

    from generator.fs.tree import diff_tree, unified_diff

    result = full_build(inputs, environments, on_environment, run_cache.memo(inputs.root))
    project = result.project
    out_dir = project.rendered_path
    stamps = run_cache.stamps(out_dir)
    diff = diff_tree(out_dir, result.files, result.scope, digests(result), stamps)
    stamps.save()
    remember(run_cache, result)
    label = project.config.rendered_dir
    patch = "" if diff.clean else unified_diff(out_dir, result.files, diff, label)
    return CheckResult(out_dir, diff, patch, len(result.files), result.warnings)
