"""The options and shell completion the ``gen`` commands share (generator/cli/main.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def resolve_root(value: Path | None) -> Path:
    """``--root`` as given, or the nearest folder at or above the current one with config.yaml."""
    from generator.core.layout import find_root

    return value.resolve() if value is not None else find_root(Path.cwd())


def complete_envs(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from generator.cli.complete import environments

    return environments(ctx.params.get("root"), incomplete)


def complete_groups(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from generator.cli.complete import groups

    return groups(ctx.params.get("root"), incomplete)


def complete_settings(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from generator.cli.complete import settings

    return settings(ctx.params.get("root"), incomplete)


def complete_profiles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from generator.cli.complete import profiles

    return profiles(ctx.params.get("root"), incomplete)


def root_option(func: F) -> F:
    """``--root DIR``: the folder holding config.yaml (default: search upward)."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        is_eager=True,
        help="Folder holding config.yaml (default: nearest at or above the current folder).",
    )(func)


def env_option(func: F) -> F:
    """``--env NAME`` (repeatable): limit the command to these environments."""
    return click.option(
        "--env",
        "envs",
        multiple=True,
        metavar="NAME",
        shell_complete=complete_envs,
        help="Only this environment (repeatable; default: all).",
    )(func)


def one_env_option(help_text: str) -> Callable[[F], F]:
    """``--env NAME``: one environment."""
    return click.option(
        "--env", "env", metavar="NAME", shell_complete=complete_envs, help=help_text
    )


def output_choice_option(choices: list[str], help_text: str) -> Callable[[F], F]:
    """``--output``/``-o`` among ``choices`` (the first is the default)."""
    return click.option(
        "--output",
        "-o",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


#: ``--output text|json``.
output_option = output_choice_option(
    ["text", "json"], "text for people; json for scripts (shape in docs/output.md)."
)


def since_option(help_text: str) -> Callable[[F], F]:
    """``--since [REV]``: compare with git revision REV ("" without a value: the upstream
    branch, else HEAD)."""
    return click.option(
        "--since", metavar="REV", is_flag=False, flag_value="", default=None, help=help_text
    )


def quiet_option(func: F) -> F:
    """``-q/--quiet``: print nothing but errors; the exit code tells the result."""
    return click.option(
        "--quiet", "-q", is_flag=True, help="Print only errors; the exit code tells the result."
    )(func)


def kubectl_option(func: F) -> F:
    """``--kubectl PATH``: the kubectl the cluster verbs run (``$KUBECTL`` when set)."""
    return click.option(
        "--kubectl",
        "program",
        envvar="KUBECTL",
        default="kubectl",
        show_default=True,
        metavar="PATH",
        help="The kubectl to run (default: $KUBECTL when set).",
    )(func)
