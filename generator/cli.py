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


@main.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--repo-url",
    required=True,
    metavar="URL",
    help="The git repository Argo CD pulls rendered/ from.",
)
@click.option(
    "--layers",
    "layers",
    type=click.Choice(["single", "seed"]),
    default="single",
    show_default=True,
    help="One layer `apps` and profile `all`, or the seed's 6 layers and 4 profiles.",
)
@click.option(
    "--env",
    "env",
    default="dev",
    show_default=True,
    metavar="NAME",
    help="Name of the one environment (destination: the in-cluster server).",
)
def init(directory: Path, repo_url: str, layers: str, env: str) -> None:
    """Scaffold a stagegen repository in DIRECTORY (default: here).

    Writes a commented config.yaml, catalog/layers.yaml and a README (or prints a snippet for
    an existing README.md). Refuses, writing nothing, if any of these files exists.

    \b
    Example:
      gen init gitops --repo-url https://github.com/acme/gitops.git
      gen init . --repo-url git@github.com:acme/gitops.git --layers seed
    """
    from generator.commands import init as command

    with error_handler():
        result = command.run(directory, repo_url, env=env, seed=layers == "seed")
    for rel in result.written:
        click.echo(f"wrote {(directory / rel).as_posix()}")
    if result.readme_snippet is not None:
        click.echo("README.md exists; add this section to it:\n")
        click.echo(result.readme_snippet)
    click.echo("next: gen import path/to/applications (see docs/import.md), then gen render")


@main.command("import")
@click.argument("src", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--layer", metavar="NAME", help="Layer of the imported groups (default: the first).")
@click.option(
    "--group",
    metavar="NAME",
    help="Group of the files directly in SRC (default: SRC's folder name).",
)
@click.option("--force", is_flag=True, help="Overwrite existing groups and projects.")
@click.option(
    "--allow-loss",
    is_flag=True,
    help="Import without what cannot be carried (reported), instead of failing.",
)
@root_option
def import_(
    src: Path,
    layer: str | None,
    group: str | None,
    force: bool,
    allow_loss: bool,
    root: Path | None,
) -> None:
    """Adopt a folder of Argo CD Application manifests into the catalog.

    Each sub-folder of SRC becomes a group (files directly in SRC go to --group), AppProjects go
    to catalog/projects/. Every field is carried exactly as written; anything that cannot be
    (a templated value, a YAML tag, an unknown field) fails the import with file:line and
    nothing is written, unless --allow-loss. Then run `gen render`.

    \b
    Example:
      gen import ../old-repo/apps --layer platform
    """
    from generator.commands import import_src as command

    with error_handler():
        result = command.run(
            _root(root), src, layer=layer, group=group, force=force, allow_loss=allow_loss
        )
    click.echo(f"imported {result.src.name}/ into layer {result.layer!r}:")
    for item in result.files:
        what = (
            f"group {item.name}: {len(item.items)} app(s) ({', '.join(item.items)})"
            if (item.kind == "group")
            else f"AppProject {item.name}"
        )
        click.echo(f"  {what} -> {item.file} ({item.status})")
    if result.skipped:
        click.echo(f"skipped {len(result.skipped)} document(s):")
        for where, reason in result.skipped:
            click.echo(f"  {where}: {reason}")
    for title, problems in (
        ("notes", result.notes),
        ("warnings", result.warnings),
        ("not carried (--allow-loss)", result.allowed_losses),
    ):
        if problems:
            click.echo(f"{title}:")
            for problem in problems:
                text = str(problem)
                if title == "notes":
                    text = text.replace(": warning: ", ": note: ", 1)
                click.echo(f"  {text}")
    groups = sum(1 for f in result.files if f.kind == "group")
    projects = len(result.files) - groups
    click.echo(
        f"{groups} group(s), {result.apps} app(s), {projects} AppProject(s): "
        f"{len(result.written)} file(s) written, {len(result.files) - len(result.written)} "
        f"unchanged; {len(result.skipped)} skipped, {len(result.warnings)} warning(s). "
        "Next: gen render"
    )
