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
from generator.fs.tree import TreeDiff

if TYPE_CHECKING:
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


def cached_clean(
    inputs: Inputs, environments: Sequence[str] | None
) -> tuple[str | None, cache.Entry | None]:
    """The cache key of this run, and its entry when ``rendered/`` is known to hold what these
    inputs render (walked by the full run's rule, so a refusal is the same GenError)."""
    if not cache.enabled() or inputs.problems:
        return None, None
    key = cache.fingerprint(inputs, environments)
    entry = cache.load(inputs.root, key)
    scope = list(environments) if environments else None
    if entry is not None and cache.disk_matches(inputs.root / entry.out_dir, entry, scope):
        return key, entry
    return key, None


def full_build(
    inputs: Inputs, environments: Sequence[str] | None, on_environment: Progress | None = None
) -> Build:
    """The build of ``inputs``, its errors raised."""
    from generator.render.build import build

    result = build(inputs, environments, on_environment=on_environment)
    result.raise_for_errors()
    return result


def remember(key: str | None, result: Build) -> None:
    """Record a build without errors in the run cache under ``key`` (None: the cache is off)."""
    if key is not None:
        config = result.project.config
        envs = list(result.environments)
        cache.store(
            result.inputs.root, key, config.rendered_dir, envs, result.files, result.warnings
        )


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> CheckResult:
    """Compare what ``root``'s project renders now with its rendered folder."""
    inputs = read_inputs(root)
    key, entry = cached_clean(inputs, environments)
    if entry is not None:
        count = len(entry.files)
        return CheckResult(
            root / entry.out_dir, TreeDiff(unchanged=count), "", count, entry.warnings
        )

    from generator.fs.tree import diff_tree, unified_diff

    result = full_build(inputs, environments, on_environment)
    remember(key, result)
    project = result.project
    out_dir = project.rendered_path
    diff = diff_tree(out_dir, result.files, result.scope)
    label = project.config.rendered_dir
    patch = "" if diff.clean else unified_diff(out_dir, result.files, diff, label)
    return CheckResult(out_dir, diff, patch, len(result.files), result.warnings)
