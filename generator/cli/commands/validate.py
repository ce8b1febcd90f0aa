"""``gen validate``: the project, or any Argo CD manifests, checked the way Argo CD would."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.error_handler import EXIT_INVALID, error_handler
from generator.cli.options import env_option, output_choice_option, resolve_root, root_option

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.commands.validate import ValidateOptions, ValidateResult
    from generator.core.errors import Problem
    from generator.core.findings.acceptance import Accepted


def _repo(value: str) -> tuple[str, Path]:
    url, equals, folder = value.rpartition("=")
    if not equals or not url or not folder:
        raise click.BadParameter(f"{value!r} is not URL=DIR", param_hint="--repo")
    if not Path(folder).is_dir():
        raise click.BadParameter(f"{folder}: no such folder", param_hint="--repo")
    return url, Path(folder)


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
@click.option("--strict/--no-strict", default=None, help="Warnings fail the run too (exit 2).")
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="ID",
    help="Leave out findings with this id (repeatable; ids in docs/validation.md).",
)
@click.option(
    "--kustomize",
    is_flag=True,
    help="Validate what `kubectl kustomize` builds of each kustomization (needs kubectl).",
)
@click.option(
    "--repo-root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="Check source paths in this checkout (default: the git work tree of the PATHs).",
)
@click.option(
    "--repo",
    "repos",
    multiple=True,
    metavar="URL=DIR",
    help="Where the repository URL is checked out (repeatable).",
)
@click.option(
    "--check-sources",
    is_flag=True,
    help="Project: the catalog's sources in this repository must exist in the work tree.",
)
@click.option(
    "--show-accepted",
    is_flag=True,
    help="Also list the warnings an `accept:` entry accepts, with its reason.",
)
@root_option
@env_option
@output_choice_option(
    ["text", "json", "sarif"], "text for people; json for scripts; sarif for code-scanning UIs."
)
def validate(
    paths: tuple[Path, ...],
    crds_dir: Path | None,
    strict: bool | None,
    ignore: tuple[str, ...],
    kustomize: bool,
    repo_root: Path | None,
    repos: tuple[str, ...],
    check_sources: bool,
    show_accepted: bool,
    root: Path | None,
    envs: tuple[str, ...],
    output: str,
) -> None:
    """Check the project, or any Argo CD manifests, the way Argo CD would (and stricter).

    Without PATH: config.yaml and the catalog, then every document the project renders (in
    memory; nothing is written). With PATHs: the manifest files, and every *.yaml/*.yml under
    the folders, given (hand-written, exported from a cluster, kustomize overlays). Each
    problem is printed as file:line:column: key: message [id]. Exit 0 when nothing fails,
    2 on an error (or a warning, with --strict). Ignored ids and strict mode may also be set
    in .stagegen.yaml or [tool.stagegen] in pyproject.toml (docs/validation.md).

    \b
    Examples:
      gen validate
      gen validate apps/ --crds ../argo-cd/manifests/crds
      gen validate clusters/ --strict --ignore duplicate-object
      gen validate clusters/ --repo-root . -o sarif > gen.sarif
      gen validate --show-accepted
    """
    from generator.commands import validate as command

    with error_handler():
        options = command.ValidateOptions(
            crds_dir,
            envs or None,
            ignore,
            strict,
            kustomize,
            repo_root,
            [_repo(value) for value in repos],
            check_sources,
        )
        result = _run(None if paths else resolve_root(root), paths, options, output != "text")
    accepted = result.accepted if show_accepted else []
    if output != "text":
        _machine(result.problems, output, accepted)
        raise SystemExit(EXIT_INVALID if result.errors else 0)
    _text(result, accepted)


def _run(
    base: Path | None, paths: tuple[Path, ...], options: ValidateOptions, as_data: bool
) -> ValidateResult:
    """The validation's result; ``as_data`` (json, sarif): an input error's problems are the
    result too, so that they are printed in the format asked for."""
    from generator.commands import validate as command
    from generator.core.errors import GenError

    try:
        return command.run(base, paths, options=options)
    except GenError as error:
        if not as_data or not error.problems:
            raise
        return command.ValidateResult(error.problems)


def _text(result: ValidateResult, accepted: Sequence[Accepted]) -> None:
    """Each problem (and each accepted warning asked for) on stderr, then the verdict; exit 2
    on an error."""
    for problem in result.problems:
        click.echo(str(problem), err=True)
    for item in accepted:
        where = item.acceptance.where
        click.echo(f"{item.problem} (accepted at {where}: {item.acceptance.reason})", err=True)
    errors = len(result.errors)
    if errors:
        noun = "problem" if errors == 1 else "problems"
        click.echo(f"error: {errors} {noun} in {result.files} file(s)", err=True)
        raise SystemExit(EXIT_INVALID)
    click.echo(f"{result.files} file(s) valid")


def _machine(problems: list[Problem], output: str, accepted: Sequence[Accepted]) -> None:
    from generator import __version__
    from generator.cli.display import echo_json

    if output == "json":
        shown = [p.to_json() for p in problems]
        for item in accepted:
            where = item.acceptance.where
            accept = {"file": where.file, "line": where.line, "reason": item.acceptance.reason}
            shown.append({**item.problem.to_json(), "accepted": accept})
        echo_json(shown)
    else:
        from generator.validation.sarif import to_sarif

        echo_json(to_sarif(problems, __version__, accepted))
