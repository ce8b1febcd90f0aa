"""``gen render``: validate the input, render, validate the output, write the rendered folder
all-or-nothing. With nothing changed (the cache knows these inputs and ``rendered/`` holds what
they render), nothing is loaded and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.commands.check import cached_clean
from generator.core.errors import Problem
from generator.fs import cache
from generator.fs.tree import WriteSummary

if TYPE_CHECKING:
    from generator.render.templates import Progress


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
    check_sources: bool = False,
) -> RenderResult:
    """Render ``root``'s project and write it under its rendered folder. ``check_sources``:
    first check that the catalog's sources in this repository exist (the run cache cannot
    know the work tree, so it is not used then)."""
    key, entry = (None, None) if check_sources else cached_clean(root, environments)
    if entry is not None:
        summary = WriteSummary([], [], len(entry.files))
        return RenderResult(root / entry.out_dir, entry.environments, summary, entry.warnings)

    from generator.fs.tree import write_tree
    from generator.project.load import load_project
    from generator.render.templates import render_output
    from generator.validation.output import validate_output

    project = load_project(root)
    found: list[Problem] = []
    if check_sources:
        from generator.core.errors import InputError
        from generator.validation.repository import catalog_source_problems

        found = catalog_source_problems(project)
        if any(p.severity == "error" for p in found):
            raise InputError([*project.warnings, *found])
    output = render_output(project, environments, on_environment)
    files = output.files
    warnings = sorted(
        [*project.warnings, *found, *validate_output(project, files, documents=output.documents)]
    )
    envs = list(environments) if environments else list(project.config.environments)
    summary = write_tree(
        project.rendered_path,
        files,
        scope=envs if environments else None,
        before_commit=before_commit,
    )
    if key is not None:
        cache.store(root, key, project.config.rendered_dir, envs, files, warnings)
    return RenderResult(project.rendered_path, envs, summary, warnings)
