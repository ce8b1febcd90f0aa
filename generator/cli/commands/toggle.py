"""``gen enable``, ``gen disable`` and ``gen set``: change one line of config.yaml (a group's
feature flag, or a typed setting), then re-render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.display import display_path, echo_render_summary, echo_warnings
from generator.cli.error_handler import error_handler
from generator.cli.options import (
    complete_groups,
    complete_settings,
    one_env_option,
    quiet_option,
    resolve_root,
    root_option,
)

if TYPE_CHECKING:
    from generator.commands.render import RenderResult


def _toggle(
    enabled: bool, root: Path | None, group: str, env: str | None, no_render: bool, quiet: bool
) -> None:
    from generator.cli.display import progress
    from generator.commands.edit import toggle as command

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, group, enabled, env, not no_render, on_environment=bar)
    if quiet:
        return
    click.echo("\n".join(command.report(result, group, enabled)))
    if result.edit is not None and result.edit.changed:
        _echo_rendered(result.render, result.next_steps, base)


def _echo_rendered(render: RenderResult | None, next_steps: Sequence[str], base: Path) -> None:
    """After an edit of config.yaml: the render's warnings and summary (or that it was left
    out), then the next steps."""
    if render is not None:
        echo_warnings(render.warnings)
        echo_render_summary(render, display_path(render.out_dir, base))
    else:
        click.echo("rendered/ not updated (--no-render); run `gen render` to apply the change")
    for line in next_steps:
        click.echo(line)


def _toggle_command(enabled: bool) -> Callable[..., None]:
    @root_option
    @click.argument("group", metavar="GROUP", shell_complete=complete_groups)
    @one_env_option("Set the flag in this environment only (default: the global features:).")
    @click.option("--no-render", is_flag=True, help="Only edit config.yaml; do not re-render.")
    @quiet_option
    def command(
        root: Path | None, group: str, env: str | None, no_render: bool, quiet: bool
    ) -> None:
        _toggle(enabled, root, group, env, no_render, quiet)

    return command


enable = click.command(
    "enable",
    help="""Turn a group on: set its feature flag to true in config.yaml, then re-render.

    Only that one line of config.yaml changes (comments, order, quoting and blank lines stay);
    a flag not written yet is added as one line beside its neighbours. The edit is validated
    first: if the project would be invalid, config.yaml is left untouched (exit 2). GROUP may
    also be a feature flag; a flag shared by several groups switches them all (said so).

    \b
    Example:
      gen enable demos --env ai-dev
      gen enable gpu --no-render
    """,
)(_toggle_command(True))

disable = click.command(
    "disable",
    help="""Turn a group off: set its feature flag to false in config.yaml, then re-render.

    The group's files leave rendered/ and its element leaves its layer's ApplicationSet, so
    Argo CD prunes it. Core groups cannot be disabled (exit 2); neither can a group another
    enabled group requires. Same editing rules as `gen enable`.

    \b
    Example:
      gen disable n8n --env prod
    """,
)(_toggle_command(False))


@click.command(
    "set",
    help="""Set a typed setting in config.yaml, then re-render.

    NAME is a setting declared in catalog/settings.yaml; VALUE is typed by its declaration
    (a string, true/false, or an integer) and must fit it (its allowed values or pattern).
    With --env the environment's own `settings:` gets the value, else the global `settings:`.
    Only that one line of config.yaml changes (comments, quoting and order stay); a setting
    not written yet is added as one line. The edited project is validated and rendered in
    memory first: if anything would be invalid, config.yaml is left untouched (exit 2).

    \b
    Example:
      gen set gpu_stack operator --env ai-dev
      gen set domain ai.example.com --env prod
      gen set domain "" --env prod     # empty: groups that need it go dormant
    """,
)
@root_option
@click.argument("name", metavar="NAME", shell_complete=complete_settings)
@click.argument("value", metavar="VALUE")
@one_env_option("Set it in this environment only (default: the global settings:).")
@click.option("--no-render", is_flag=True, help="Only edit config.yaml; do not re-render.")
@quiet_option
def set_(
    root: Path | None, name: str, value: str, env: str | None, no_render: bool, quiet: bool
) -> None:
    from generator.cli.display import progress
    from generator.commands.edit import setting as command

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, name, value, env, not no_render, on_environment=bar)
    if quiet:
        return
    click.echo("\n".join(command.report(result)))
    if result.edit.changed:
        _echo_rendered(result.render, result.next_steps, base)
