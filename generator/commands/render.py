"""``gen render``: build (load, render, validate) and write the rendered folder all-or-nothing.
With nothing changed (the cache knows this snapshot and ``rendered/`` holds what it renders),
nothing is loaded and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.commands.check import cached_clean, full_build, remember
from generator.core.errors import Problem
from generator.fs.inputs import read_inputs
from generator.fs.tree import WriteSummary

if TYPE_CHECKING:
    from generator.render.build import Build
    from generator.render.templates import Progress


@dataclass(frozen=True)
class RenderResult:
    """What ``gen render`` did, and the warnings met on the way."""

    out_dir: Path
    environments: list[str]
    summary: WriteSummary
    warnings: list[Problem]


def write(result: Build, before_commit: Callable[[], None] | None = None) -> RenderResult:
    """Write a build without errors into its rendered folder (its scope only)."""
    from generator.fs import tree

    project = result.project
    summary = tree.write_tree(
        project.rendered_path,
        dict(result.files),
        scope=result.scope,
        before_commit=before_commit,
        label=project.config.rendered_dir,
    )
    envs = list(result.environments)
    return RenderResult(project.rendered_path, envs, summary, result.warnings)


def run(
    root: Path,
    environments: Sequence[str] | None = None,
    before_commit: Callable[[], None] | None = None,
    on_environment: Progress | None = None,
) -> RenderResult:
    """Render ``root``'s project and write it under its rendered folder."""
    inputs = read_inputs(root)
    key, entry = cached_clean(inputs, environments)
    if entry is not None:
        summary = WriteSummary([], [], len(entry.files))
        out_dir = inputs.root / entry.out_dir
        return RenderResult(out_dir, entry.environments, summary, entry.warnings)
    result = full_build(inputs, environments, on_environment)
    written = write(result, before_commit)
    remember(key, result)
    return written
