"""The ``gen`` command line: parses options, calls one command function, prints its result.

Heavy modules (Jinja, jsonschema, the loaders) are imported inside the commands so that
``gen --help`` and shell completion stay instant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.error_handler import EXIT_DIFFERENT, error_handler

F = TypeVar("F", bound=Callable[..., Any])


def _root(value: Path | None) -> Path:
    from generator.loader import find_root

    return value.resolve() if value is not None else find_root(Path.cwd())


def root_option(func: F) -> F:
    """``--root DIR``: the folder holding config.yaml (default: search upward)."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        help="Folder holding config.yaml (default: nearest at or above the current folder).",
    )(func)


def env_option(func: F) -> F:
    """``--env NAME`` (repeatable): limit the command to these environments."""
    return click.option(
        "--env",
        "envs",
        multiple=True,
        metavar="NAME",
        help="Only this environment (repeatable; default: all).",
    )(func)


def _warn(warnings: list[Any]) -> None:
    for warning in warnings:
        click.echo(str(warning), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gen")
def main() -> None:
    """Render staged Argo CD bring-up from config.yaml and catalog/ into rendered/.

    \b
    Example:
      gen render            # write rendered/<env>/ for every environment
      gen check             # exit 1 with a diff when rendered/ is stale
    """


@main.command()
@root_option
@env_option
def render(root: Path | None, envs: tuple[str, ...]) -> None:
    """Validate the input, render it and write rendered/ (all or nothing).

    Files the generator wrote earlier and no longer produces are removed; files it did not
    write are never touched.

    \b
    Example:
      gen render --env ai-dev
    """
    from generator.commands import render as command

    with error_handler():
        result = command.run(_root(root), envs or None)
    _warn(result.warnings)
    s = result.summary
    where = result.out_dir.name
    click.echo(
        f"{where}/: {len(result.environments)} environment(s): {len(s.written)} written, "
        f"{s.unchanged} unchanged, {len(s.removed)} removed"
    )


@main.command()
@root_option
@env_option
def check(root: Path | None, envs: tuple[str, ...]) -> None:
    """Exit 0 if rendered/ is what `gen render` would write; else 1 with a diff.

    \b
    Example (the pre-commit hook):
      gen check
    """
    from generator.commands import check as command

    with error_handler():
        result = command.run(_root(root), envs or None)
    _warn(result.warnings)
    diff = result.diff
    where = result.out_dir.name
    if diff.clean:
        click.echo(f"{where}/ is up to date ({result.files} files)")
        return
    click.echo(result.patch, nl=False)
    click.echo(
        f"{where}/ is stale: {len(diff.changed)} changed, {len(diff.missing)} missing, "
        f"{len(diff.extra)} extra; run `gen render`"
    )
    for title, names in (
        ("changed", diff.changed),
        ("missing", diff.missing),
        ("extra", diff.extra),
    ):
        for name in names:
            click.echo(f"  {title}: {where}/{name}")
    raise SystemExit(EXIT_DIFFERENT)


@main.command("resolve-groups")
@root_option
@env_option
def resolve_groups(root: Path | None, envs: tuple[str, ...]) -> None:
    """Show every group per environment: layer, enabled or not, and why.

    \b
    Example:
      gen resolve-groups --env prod
    """
    from generator.commands import resolve_groups as command

    with error_handler():
        rows = command.run(_root(root), envs or None)
    table = [("ENV", "LAYER", "GROUP", "ENABLED", "WHY")]
    for row in rows:
        d = row.decision
        table.append(
            (
                row.environment,
                d.group.layer,
                d.group.name,
                "yes" if d.enabled else "no",
                f"{d.why} ({d.where})",
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    for r in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4])


@main.command()
@root_option
@click.option("--env", "env", metavar="NAME", help="Only this environment (default: each).")
@click.option("--profile", metavar="NAME", help="Profile to plan (default: the last, widest one).")
@click.option(
    "--output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Table for people, JSON for scripts.",
)
def plan(root: Path | None, env: str | None, profile: str | None, output: str) -> None:
    """List every Application Argo CD will create, read from rendered/ as committed.

    Expands each layer's ApplicationSet offline (goTemplate, missingkey=error) and reads the
    group folders it points at. Sorted in bring-up order: layer, wave, name. Manual-sync apps
    are listed with the `argocd app sync` command that deploys them.

    \b
    Example:
      gen plan --env ai-dev --profile serving
      gen plan --env prod --output json
    """
    import json

    from generator.commands import plan as command

    with error_handler():
        result = command.run(_root(root), env, profile)
    if output == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    _warn(result.warnings)
    click.echo(command.format_result(result))


@main.command()
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
        explanations = command.run(_root(root), name, env)
    click.echo(command.format_result(explanations))
