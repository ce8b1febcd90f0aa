"""``gen graph``: draw the bring-up (layers, groups, apps, dependencies, waves, cost gates)."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.error_handler import error_handler
from generator.cli.options import (
    complete_profiles,
    one_env_option,
    resolve_root,
    root_option,
    since_option,
)
from generator.graph.options import FORMATS, LEVELS


@click.command()
@root_option
@one_env_option("The environment (default: the first in config.yaml).")
@click.option(
    "--profile",
    metavar="NAME",
    shell_complete=complete_profiles,
    help="The profile whose layers are drawn (default: the last, widest one).",
)
@click.option(
    "--output",
    "-o",
    type=click.Choice(FORMATS),
    default="mermaid",
    show_default=True,
    help="mermaid (a flowchart for Markdown), dot (Graphviz) or json (docs/output.md).",
)
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="groups",
    show_default=True,
    help="One node per layer, per group, or per app (each group a box of its apps).",
)
@click.option("--enabled-only", is_flag=True, help="Leave out the groups that are off.")
@since_option(
    "Mark what pushing rendered/ adds, removes and changes against git revision REV "
    "(default: the upstream branch, else HEAD), as `gen plan --since` compares them.",
)
def graph(
    root: Path | None,
    env: str | None,
    profile: str | None,
    output: str,
    level: str,
    enabled_only: bool,
    since: str | None,
) -> None:
    """Draw the bring-up of an environment and profile: layers, groups, apps and their order.

    One box per layer of the profile, in bring-up order, holding its groups (and at --level apps
    each group's apps with their sync waves). Arrows run in bring-up order: requires solid,
    dependsOn dotted, wants dashed. Manual-sync (cost-gated) apps are drawn with a double edge
    and their reason and cost actions; groups that are off are greyed with why, dormant and
    conditional groups say so. The same input gives the same bytes, so a diagram can be
    committed and reviewed.

    \b
    Example:
      gen graph --env ai-dev --profile full > docs/bring-up-graph.mmd
      gen graph --env ai-dev --level apps -o dot | dot -Tsvg > bring-up.svg
      gen graph --env ai-dev --since origin/main
    """
    from generator.cli.display import echo_warnings
    from generator.commands import graph as command

    with error_handler():
        result = command.run(resolve_root(root), env, profile, level, enabled_only, since)
    echo_warnings(result.warnings)
    if result.stale:
        click.echo(
            click.style(
                f"warning: {result.stale} is stale: the marks compare the files as they are; "
                "run `gen render` to compare what the catalog says now",
                fg="yellow",
            ),
            err=True,
        )
    click.echo(command.render_graph(result.graph, output), nl=False)
