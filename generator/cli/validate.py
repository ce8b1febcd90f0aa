"""``gen validate``: the project, or any Argo CD manifests, checked the way Argo CD would."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.error_handler import EXIT_INVALID, error_handler
from generator.cli.options import (
    env_option,
    output_option,
    resolve_root,
    root_option,
)


@click.command()
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
@click.option(
    "--crds",
    "crds_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="Also validate against the CustomResourceDefinition files in DIR (strict).",
)
@root_option
@env_option
@output_option
def validate(
    paths: tuple[Path, ...],
    crds_dir: Path | None,
    root: Path | None,
    envs: tuple[str, ...],
    output: str,
) -> None:
    """Check the project, or any Argo CD manifests, the way Argo CD would (and stricter).

    Without PATH: config.yaml and the catalog, then every document the project renders (in
    memory; nothing is written). With PATHs: the manifest files, and every *.yaml/*.yml under
    the folders, given (hand-written ones too). Exit 0 when there is no error, 2 otherwise;
    each problem is printed as file:line:column: key: message. With --output json, stdout is a
    list of problems, each {"file", "line", "column", "key", "message", "severity"}.

    \b
    Examples:
      gen validate
      gen validate apps/ --crds ../argo-cd/manifests/crds
      gen validate --output json
    """
    from generator.cli.display import echo_json
    from generator.commands import validate as command
    from generator.core.errors import GenError, Problem

    if output == "json":
        with error_handler():  # Ctrl-C / SIGTERM; a GenError is reported as JSON below
            try:
                result = command.run(
                    None if paths else resolve_root(root), paths, crds_dir, envs or None
                )
                problems = result.problems
            except GenError as error:
                problems = error.problems or [Problem("", message=error.message)]
        echo_json([p.to_json() for p in problems])
        if any(p.severity == "error" for p in problems):
            raise SystemExit(EXIT_INVALID)
        return
    with error_handler():
        result = command.run(None if paths else resolve_root(root), paths, crds_dir, envs or None)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    errors = len(result.errors)
    if errors:
        noun = "problem" if errors == 1 else "problems"
        click.echo(f"error: {errors} {noun} in {result.files} file(s)", err=True)
        raise SystemExit(EXIT_INVALID)
    click.echo(f"{result.files} file(s) valid")
