"""``gen init`` and ``gen import``: start a project, or adopt hand-written Argo CD manifests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.error_handler import error_handler
from generator.cli.options import (
    resolve_root,
    root_option,
)

if TYPE_CHECKING:
    from generator.commands.edit import import_src


@click.command()
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
    from generator.commands.edit import init as command

    with error_handler():
        result = command.run(directory, repo_url, env=env, seed=layers == "seed")
    for rel in result.written:
        click.echo(f"wrote {(directory / rel).as_posix()}")
    if result.readme_snippet is not None:
        click.echo("README.md exists; add this section to it:\n")
        click.echo(result.readme_snippet)
    click.echo("next: gen import path/to/applications (see docs/import.md), then gen render")


@click.command("import")
@click.argument(
    "srcs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="SRC..."
)
@click.option(
    "--layer", metavar="NAME", help="Layer of groups no ApplicationSet places (default: the first)."
)
@click.option(
    "--group",
    metavar="NAME",
    help="Group of the files directly in a SRC (default: that folder's name).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite existing groups and projects, and layers.yaml/config.yaml values, that differ.",
)
@click.option(
    "--allow-loss",
    is_flag=True,
    help="Import without what cannot be carried (reported), instead of failing.",
)
@click.option(
    "--repo-root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="The repository ApplicationSets' paths are relative to (default: SRC's git work tree).",
)
@root_option
def import_(
    srcs: tuple[Path, ...],
    layer: str | None,
    group: str | None,
    force: bool,
    allow_loss: bool,
    repo_root: Path | None,
    root: Path | None,
) -> None:
    """Adopt folders or files of Argo CD Applications, AppProjects and ApplicationSets.

    All SRCs are read together, in any order, and imported as one transaction. Each
    sub-folder of a SRC becomes a group (files directly in it go to --group); AppProjects go to
    catalog/projects/; ApplicationSets that make one app-of-apps per group (a git-files
    generator over a groups file, or a list generator) become layers, their groups on or off as
    the groups file says, their template layers.yaml's appOfApps. Every field and comment is
    carried; anything that cannot be (a templated value, a YAML tag, an unknown field, a matrix
    generator) fails the import with file:line and nothing is written, unless --allow-loss.
    Then run `gen render`.

    \b
    Examples:
      gen import ../old-repo/apps --layer platform
      gen import ../platform/clusters/ai-dev/{appsets,catalog,projects}
    """
    from generator.commands.edit import import_src as command

    with error_handler():
        result = command.run(
            resolve_root(root),
            list(srcs),
            layer=layer,
            group=group,
            force=force,
            allow_loss=allow_loss,
            repo_root=repo_root,
        )
    _summary(result)


def _summary(result: import_src.ImportResult) -> None:
    click.echo(f"imported {', '.join(result.srcs)}:")
    for name, groups, on in result.layers:
        click.echo(f"  layer {name}: {groups} group(s), {on} on (from its ApplicationSet)")
    for item in result.files:
        what = (
            f"group {item.name}: {len(item.items)} app(s) ({', '.join(item.items)})"
            if (item.kind == "group")
            else f"AppProject {item.name}"
        )
        click.echo(f"  {what} -> {item.file} ({item.status})")
    for rel, status in result.edits.items():
        click.echo(f"  {rel} ({status})")
    if result.skipped:
        click.echo(f"skipped {len(result.skipped)} document(s):")
        for where, reason in result.skipped:
            click.echo(f"  {where}: {reason}")
    accepted = "accepted (the owner's choices, written as `accept:` entries)"
    for title, problems in (
        ("notes", result.notes),
        ("warnings", result.warnings),
        (accepted, result.accepted),
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
    total = len(result.files) + len(result.edits)
    click.echo(
        f"{groups} group(s), {result.apps} app(s), {projects} AppProject(s): "
        f"{len(result.written)} file(s) written, {total - len(result.written)} "
        f"unchanged; {len(result.skipped)} skipped, {len(result.warnings)} warning(s), "
        f"{len(result.accepted)} accepted. Next: gen render"
    )
