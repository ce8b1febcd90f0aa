"""``gen graph``: the bring-up of one environment and profile as a Mermaid, DOT or JSON graph.

The graph is built from the project as resolved for the environment (generator/graph/); with
``since``, it is marked with what pushing the rendered folder does, as ``gen plan --since``
compares it (:func:`generator.commands.plan_since.compare_since`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import Problem, UsageError
from generator.graph.model import FORMATS, LEVELS, Graph


@dataclass(frozen=True)
class GraphResult:
    """The graph, the project's warnings, and whether ``--since`` compared a stale folder."""

    graph: Graph
    warnings: list[Problem]
    #: With ``--since``: the environment's rendered folder on disk differs from what the
    #: catalog renders (the highlights compare the files as they are).
    stale: str | None = None


def run(
    root: Path,
    environment: str | None = None,
    profile: str | None = None,
    level: str = "groups",
    enabled_only: bool = False,
    since: str | None = None,
) -> GraphResult:
    """The graph of ``environment`` (default: the first in config.yaml) for ``profile``
    (default: the last, widest one) at ``level``; with ``since`` ("" for the upstream branch,
    else HEAD), marked with what the push does against that revision."""
    from generator.commands.plan import _choose
    from generator.fs.inputs import read_inputs
    from generator.graph.assemble import bringup_graph
    from generator.project.checks.profiles import profile_dependency_warnings
    from generator.render.build import build

    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}; choose from: {', '.join(LEVELS)}")
    current = build(read_inputs(root))
    project = current.project
    envs = list(project.config.environments)
    profiles = list(project.layers.profiles)
    env = _choose("environment", environment, envs, envs[0])
    chosen_profile = _choose("profile", profile, profiles, profiles[-1])
    graph = bringup_graph(project, env, chosen_profile, level, enabled_only)
    warnings = sorted({*project.warnings, *profile_dependency_warnings(project, [chosen_profile])})
    if since is None:
        return GraphResult(graph, warnings)
    from generator.commands.plan_since import compare_since
    from generator.graph.highlight import highlight

    compared = compare_since(current, root, since or None, [env], chosen_profile)
    revision = compared.revision
    prefix = project.config.environments[env].name_prefix
    graph = highlight(graph, compared.changes[0], revision.name, revision.commit, prefix)
    stale = f"{compared.rendered_dir}/{env}/" if compared.stale else None
    return GraphResult(graph, warnings, stale)


def render_graph(graph: Graph, output: str) -> str:
    """The graph as text in ``output`` (one of :data:`~generator.graph.model.FORMATS`), ending
    in a newline."""
    if output == "mermaid":
        from generator.graph.mermaid import to_mermaid

        return to_mermaid(graph)
    if output == "dot":
        from generator.graph.dot import to_dot

        return to_dot(graph)
    if output == "json":
        return json.dumps(graph.to_json(), indent=2) + "\n"
    raise UsageError(f"unknown output {output!r}; choose from: {', '.join(FORMATS)}")
