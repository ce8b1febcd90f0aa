"""``gen check``: validate, render in memory (and validate that), compare with the rendered
folder on disk.

When the cache (generator/fs/cache.py) knows what these exact inputs render and the folder on disk
holds exactly that, the answer needs none of the loaders, templates or validators: they are
imported only on the full path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import Problem
from generator.fs import cache
from generator.fs.tree import TreeDiff

if TYPE_CHECKING:
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
    root: Path, environments: Sequence[str] | None
) -> tuple[str | None, cache.Entry | None]:
    """The cache key of this run, and its entry when ``rendered/`` is known to be up to date."""
    if not cache.enabled():
        return None, None
    try:
        key = cache.fingerprint(root, environments)
    except OSError:  # config.yaml missing or unreadable: the full run says so
        return None, None
    entry = cache.load(root, key)
    scope = list(environments) if environments else None
    if entry is not None and cache.disk_matches(root / entry.out_dir, entry, scope):
        return key, entry
    return key, None


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> CheckResult:
    """Compare what ``root``'s project renders now with its rendered folder."""
    key, entry = cached_clean(root, environments)
    if entry is not None:
        count = len(entry.files)
        return CheckResult(
            root / entry.out_dir, TreeDiff(unchanged=count), "", count, entry.warnings
        )

    from generator.fs.tree import diff_tree, unified_diff
    from generator.project.load import load_project
    from generator.render.templates import render_output
    from generator.validation.output import validate_output

    project = load_project(root)
    output = render_output(project, environments, on_environment)
    files = output.files
    warnings = sorted(
        [*project.warnings, *validate_output(project, files, documents=output.documents)]
    )
    envs = list(environments) if environments else list(project.config.environments)
    if key is not None:
        cache.store(root, key, project.config.rendered_dir, envs, files, warnings)
    out_dir = project.rendered_path
    scope = list(environments) if environments else None
    diff = diff_tree(out_dir, files, scope)
    label = project.config.rendered_dir
    patch = "" if diff.clean else unified_diff(out_dir, files, diff, label)
    return CheckResult(out_dir, diff, patch, len(files), warnings)
