"""``gen render``: validate the input, render, validate the output, write the rendered folder
all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem
from generator.loader import load_project
from generator.render import Progress, render_project
from generator.tree import WriteSummary, write_tree
from generator.validate import validate_output


@dataclass(frozen=True)
class RenderResult:
    """What ``gen render`` did, and the warnings met on the way."""

    out_dir: Path
    environments: list[str]
    summary: WriteSummary
    warnings: list[Problem]


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    before_commit: Callable[[], None] | None = None,
    on_environment: Progress | None = None,
) -> RenderResult:
    """Render ``root``'s project and write it under its rendered folder."""
    project = load_project(root)
    files = render_project(project, environments, on_environment)
    warnings = [*project.warnings, *validate_output(project, files)]
    envs = list(environments) if environments else list(project.config.environments)
    summary = write_tree(
        project.rendered_path,
        files,
        scope=envs if environments else None,
        before_commit=before_commit,
    )
    return RenderResult(project.rendered_path, envs, summary, sorted(warnings))
