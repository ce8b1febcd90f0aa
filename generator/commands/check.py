"""``gen check``: validate, render in memory (and validate that), compare with the rendered
folder on disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem
from generator.loader import load_project
from generator.render import Progress, render_project
from generator.tree import TreeDiff, diff_tree, unified_diff
from generator.validate import validate_output


@dataclass(frozen=True)
class CheckResult:
    """The comparison: ``diff`` lists files; ``patch`` is the unified diff (empty if clean)."""

    out_dir: Path
    diff: TreeDiff
    patch: str
    files: int
    warnings: list[Problem]


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> CheckResult:
    """Compare what ``root``'s project renders now with its rendered folder."""
    project = load_project(root)
    files = render_project(project, environments, on_environment)
    warnings = [*project.warnings, *validate_output(project, files)]
    out_dir = project.rendered_path
    scope = list(environments) if environments else None
    diff = diff_tree(out_dir, files, scope)
    label = project.config.rendered_dir
    patch = "" if diff.clean else unified_diff(out_dir, files, diff, label)
    return CheckResult(out_dir, diff, patch, len(files), sorted(warnings))
