"""Commands that explain a project without changing it: ``resolve-groups``, ``plan``, ``explain``,
``profile``."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.display import echo_warnings
from generator.cli.error_handler import error_handler
from generator.cli.options import (
    complete_profiles,
    env_option,
    one_env_option,
    output_choice_option,
    output_option,
    resolve_root,
    root_option,
    since_option,
)


@click.command("resolve-groups")
@root_option
@env_option
@output_option
def resolve_groups(root: Path | None, envs: tuple[str, ...], output: str) -> None:
    """Show every group per environment: layer, enabled or not, and why.

    With --output json, stdout is a list of {"environment", "layer", "group", "enabled", "why",
    "where", "apps"}.

    \b
    Example:
      gen resolve-groups --env prod
      gen resolve-groups --output json
    """
    from generator.cli.display import echo_json, table
    from generator.commands import resolve_groups as command

    with error_handler():
        rows = command.run(resolve_root(root), envs or None)
    if output == "json":
        echo_json([row.to_json() for row in rows])
        return
    cells = [["ENV", "LAYER", "GROUP", "ENABLED", "WHY"]]
    for row in rows:
        d = row.decision
        cells.append(
            [
                row.environment,
                d.group.layer,
                d.group.name,
                ("yes, dormant" if d.dormant else "yes") if d.enabled else "no",
                d.explain(),
            ]
        )
    table(cells, {3: lambda v: {"fg": "green" if v == "yes" else "yellow"}})


@click.command()
@root_option
@click.option("--env", "env", metavar="NAME", help="Only this environment (default: each).")
@click.option("--profile", metavar="NAME", help="Profile to plan (default: the last, widest one).")
@output_choice_option(["table", "text", "json"], "table (or text) for people; json for scripts.")
@since_option(
    "Compare with the rendered/ of git revision REV instead (default: the upstream "
    "branch, else HEAD): Applications created, pruned and changed by pushing rendered/.",
)
@click.option(
    "--wide", is_flag=True, help="Every column in full, however wide (default: fit the terminal)."
)
def plan(
    root: Path | None,
    env: str | None,
    profile: str | None,
    output: str,
    since: str | None,
    wide: bool,
) -> None:
    """List every Application Argo CD will create, read from rendered/ as committed.

    Starts at the environment's root (rendered/<env>/roots/<profile>/), follows it to the
    profile's layers, expands each layer's ApplicationSet offline (goTemplate,
    missingkey=error) and reads the group folders it points at. Sorted in bring-up order:
    layer, wave, name. Manual-sync apps are listed with the `argocd app sync` command that
    deploys them. With --since, lists what pushing rendered/ does instead. On a terminal (or
    with COLUMNS set) the table fits its width: long text ends in "…", then the IGNORED and
    GROUP columns are left out; --wide and -o json have everything.

    \b
    Example:
      gen plan --env ai-dev --profile serving
      gen plan --env prod --output json
      gen plan --since origin/main --env ai-dev
    """
    import json

    from generator.cli.display import terminal_width
    from generator.commands import plan as command
    from generator.commands import plan_text

    if since is not None:
        from generator.commands import plan_since

        with error_handler():
            changes = plan_since.run(resolve_root(root), since or None, env, profile)
        if output == "json":
            click.echo(json.dumps(changes.to_json(), indent=2))
            return
        echo_warnings(changes.warnings)
        click.echo(plan_since.format_result(changes))
        return
    with error_handler():
        result = command.run(resolve_root(root), env, profile)
    if output == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    echo_warnings(result.warnings)
    click.echo(plan_text.format_result(result, None if wide else terminal_width()))


@click.command()
@root_option
@click.argument("name")
@click.option("--env", "env", metavar="NAME", help="Only this environment (default: each).")
def explain(root: Path | None, name: str, env: str | None) -> None:
    """Explain a group or an app: rendered where and why, profiles, dependencies, wave, sync.

    \b
    Example:
      gen explain raw-vllm
      gen explain coding-assistant --env ai-dev
    """
    from generator.commands import explain as command

    with error_handler():
        explanations = command.run(resolve_root(root), name, env)
    click.echo(command.format_result(explanations))


@click.command()
@root_option
@click.argument("profile", shell_complete=complete_profiles)
@one_env_option("The environment (optional when config.yaml has only one).")
@click.option(
    "--print",
    "field",
    type=click.Choice(["path", "layers", "selector", "manual-apps"]),
    help="Print only this, for scripts (the Makefile uses path and selector).",
)
@output_option
def profile(
    root: Path | None, profile: str, env: str | None, field: str | None, output: str
) -> None:
    """Show what a profile brings up in an environment, and the commands to do it.

    Lists the profile's layers, its folder (what the root Application syncs), the command that
    points the root at it, the label selector of its auto-sync Applications (for `argocd app
    wait -l`) and its manual-sync apps.

    \b
    Example:
      gen profile serving --env ai-dev
      argocd app wait -l "$(gen profile serving --env ai-dev --print selector)"
    """
    from generator.cli.display import echo_json
    from generator.commands import profile as command
    from generator.core.errors import UsageError

    with error_handler():
        info = command.run(resolve_root(root), profile, env)
        if field == "path" and not info.rendered:
            raise UsageError(f"{info.path} does not exist; run `gen render`")
    if output == "json":
        echo_json(info.to_json())
    elif field == "path":
        click.echo(info.path)
    elif field == "layers":
        click.echo(" ".join(info.layers))
    elif field == "selector":
        click.echo(info.selector)
    elif field == "manual-apps":
        click.echo(" ".join(info.manual_apps))
    else:
        click.echo(f"profile {info.profile} in {info.environment}: layers {', '.join(info.layers)}")
        missing = "" if info.rendered else "   (not rendered yet: run `gen render`)"
        click.echo(f"  folder: {info.path}{missing}")
        click.echo(
            f"  root:  make root PROFILE={info.profile} ENV={info.environment} "
            f"(kubectl apply -k {info.root_path}, once; then a push is the only step)"
        )
        click.echo(f"  wait:  argocd app wait -l '{info.selector}'")
        if info.manual_apps:
            click.echo(
                "  manual (cost gate, deployed only by `argocd app sync <app>`): "
                + ", ".join(info.manual_apps)
            )
