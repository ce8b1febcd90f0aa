"""``gen render`` and ``gen check``: write rendered/, or compare it with what would be written."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.display import display_path, echo_render_summary, echo_warnings
from generator.cli.error_handler import EXIT_STALE, error_handler
from generator.cli.options import (
    env_option,
    output_option,
    quiet_option,
    resolve_root,
    root_option,
)


@click.command()
@root_option
@env_option
@quiet_option
@click.option(
    "--check-sources",
    is_flag=True,
    help="First check that the catalog's sources in this repository exist in its work tree.",
)
def render(root: Path | None, envs: tuple[str, ...], quiet: bool, check_sources: bool) -> None:
    """Validate the input, render it and write rendered/ (all or nothing).

    Files the generator wrote earlier and no longer produces are removed; files it did not
    write are never touched. Prints the files written and removed.

    \b
    Example:
      gen render --env ai-dev
    """
    from generator.cli.display import progress
    from generator.commands import render as command

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, envs or None, on_environment=bar, check_sources=check_sources)
    echo_warnings(result.warnings, quiet)
    if not quiet:
        echo_render_summary(result, display_path(result.out_dir, base))


@click.command()
@root_option
@env_option
@output_option
@quiet_option
def check(root: Path | None, envs: tuple[str, ...], output: str, quiet: bool) -> None:
    """Exit 0 if rendered/ is what `gen render` would write; else 1 with a diff.

    With --output json, stdout is one object: {"clean", "changed", "missing", "extra", "diff",
    "files", "warnings"} (paths relative to the project root); exit codes are the same.

    \b
    Example (the pre-commit hook):
      gen check
      gen check --output json | jq .changed
    """
    from generator.cli.display import echo_files, echo_json, progress, style_patch
    from generator.commands import check as command

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, envs or None, on_environment=bar)
    diff = result.diff
    where = display_path(result.out_dir, base)
    if output == "json":
        echo_json(
            {
                "clean": diff.clean,
                "changed": [f"{where}/{n}" for n in diff.changed],
                "missing": [f"{where}/{n}" for n in diff.missing],
                "extra": [f"{where}/{n}" for n in diff.extra],
                "diff": result.patch,
                "files": result.files,
                "warnings": [w.to_json() for w in result.warnings],
            }
        )
    elif not quiet:
        echo_warnings(result.warnings)
        if diff.clean:
            click.echo(f"{where}/ is up to date ({result.files} files)")
        else:
            click.echo(style_patch(result.patch), nl=False)
            stale = click.style(f"{where}/ is stale", fg="red", bold=True)
            click.echo(
                f"{stale}: {len(diff.changed)} changed, {len(diff.missing)} missing, "
                f"{len(diff.extra)} extra; run `gen render`"
            )
            echo_files("changed", [f"{where}/{n}" for n in diff.changed], "yellow")
            echo_files("missing", [f"{where}/{n}" for n in diff.missing], "green")
            echo_files("extra", [f"{where}/{n}" for n in diff.extra], "red")
    if not diff.clean:
        raise SystemExit(EXIT_STALE)
