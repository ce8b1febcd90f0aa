"""``gen render``: build (load, render, validate) and write the rendered folder all-or-nothing.
With nothing changed (the cache knows this snapshot and ``rendered/`` holds what it renders),
nothing is loaded and nothing is written."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.commands.check import RunCache, cached_clean, digests, full_build, remember
from generator.core.errors import InputError, Problem
from generator.fs.inputs import read_inputs
from generator.fs.tree import WriteSummary

if TYPE_CHECKING:
    from generator.fs.stamps import Stamps
    from generator.render.build import Build
    from generator.render.templates import Progress


@dataclass(frozen=True)
class RenderResult:
    """What ``gen render`` did, and the warnings met on the way."""

    out_dir: Path
    environments: list[str]
    summary: WriteSummary
    warnings: list[Problem]


def write(
    result: Build,
    before_commit: Callable[[], None] | None = None,
    stamps: Stamps | None = None,
) -> RenderResult:
    """Write a build without errors into its rendered folder (its scope only); ``stamps``
    know what the files held when last read (generator/fs/stamps.py)."""
    from generator.fs import tree

    project = result.project
    summary = tree.write_tree(
        project.rendered_path,
        result.files,
        scope=result.scope,
        before_commit=before_commit,
        label=project.config.rendered_dir,
        digests=digests(result),
        stamps=stamps,
    )
    if stamps is not None:
        stamps.save()
    envs = list(result.environments)
    return RenderResult(project.rendered_path, envs, summary, result.warnings)


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
    inputs = read_inputs(root)
    run_cache = RunCache() if check_sources else cached_clean(inputs, environments)
    entry = run_cache.entry
    if entry is not None:
        summary = WriteSummary([], [], len(entry.files))
        out_dir = inputs.root / entry.out_dir
        return RenderResult(out_dir, entry.environments, summary, entry.warnings)
    if not check_sources:
        result = full_build(inputs, environments, on_environment, run_cache.memo(inputs.root))
        written = write(result, before_commit, run_cache.stamps(result.project.rendered_path))
        remember(run_cache, result)
        return written
    from generator.render.build import build
    from generator.validation.manifests.repository import catalog_source_problems

    result = build(inputs, environments, on_environment=on_environment)
    found = catalog_source_problems(result.project)
    if any(p.severity == "error" for p in found):
        raise InputError([*result.project.warnings, *found])
    result.raise_for_errors()
    written = write(result, before_commit)
    return dataclasses.replace(written, warnings=sorted([*written.warnings, *found]))
