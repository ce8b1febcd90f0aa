"""The ``gen`` command line: parses options, calls one command function, prints its result.

Heavy modules (Jinja, jsonschema, ruamel.yaml, the loaders) are imported inside the commands so
that ``gen --help`` and shell completion stay instant and ``gen check`` starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from generator import __version__
from generator.cli_options import (
    complete_groups,
    complete_profiles,
    env_option,
    one_env_option,
    output_option,
    quiet_option,
    resolve_root,
    root_option,
)
from generator.error_handler import EXIT_DIFFERENT, EXIT_INVALID, error_handler
from generator.output import display_path, echo_render_summary, echo_warnings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Render staged Argo CD bring-up from config.yaml and catalog/ into rendered/.

    Colour is used on terminals only; set NO_COLOR=1 to turn it off. Shell completion:
    eval "$(_GEN_COMPLETE=bash_source gen)" (zsh_source, fish_source for other shells).

    \b
    Example:
      gen render            # write rendered/<env>/ for every environment
      gen check             # exit 1 with a diff when rendered/ is stale
      gen enable demos --env ai-dev
    """
    from generator.output import color_default

    if color_default() is False:
        ctx.color = False


@main.command()
@root_option
@env_option
@quiet_option
def render(root: Path | None, envs: tuple[str, ...], quiet: bool) -> None:
    """Validate the input, render it and write rendered/ (all or nothing).

    Files the generator wrote earlier and no longer produces are removed; files it did not
    write are never touched. Prints the files written and removed.

    \b
    Example:
      gen render --env ai-dev
    """
    from generator.commands import render as command
    from generator.output import progress

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, envs or None, on_environment=bar)
    echo_warnings(result.warnings, quiet)
    if not quiet:
        echo_render_summary(result, display_path(result.out_dir, base))


@main.command()
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
    from generator.commands import check as command
    from generator.output import echo_files, echo_json, progress, style_patch

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
        raise SystemExit(EXIT_DIFFERENT)


@main.command("resolve-groups")
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
    from generator.commands import resolve_groups as command
    from generator.output import echo_json, table

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
                "yes" if d.enabled else "no",
                f"{d.why} ({d.where})",
            ]
        )
    table(cells, {3: lambda v: {"fg": "green" if v == "yes" else "yellow"}})


@main.command()
@root_option
@click.option("--env", "env", metavar="NAME", help="Only this environment (default: each).")
@click.option("--profile", metavar="NAME", help="Profile to plan (default: the last, widest one).")
@click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "text", "json"]),
    default="table",
    show_default=True,
    help="table (or text) for people; json for scripts.",
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
        result = command.run(resolve_root(root), env, profile)
    if output == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    echo_warnings(result.warnings)
    click.echo(command.format_result(result))


def _toggle(
    enabled: bool, root: Path | None, group: str, env: str | None, no_render: bool, quiet: bool
) -> None:
    from generator.commands import toggle as command
    from generator.output import progress

    with error_handler(), progress() as bar:
        base = resolve_root(root)
        result = command.run(base, group, enabled, env, not no_render, on_environment=bar)
    if quiet:
        return
    click.echo("\n".join(command.report(result, group, enabled)))
    if result.edit is None or not result.edit.changed:
        return
    if result.render is not None:
        echo_warnings(result.render.warnings)
        echo_render_summary(result.render, display_path(result.render.out_dir, base))
    else:
        click.echo("rendered/ not updated (--no-render); run `gen render` to apply the change")


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


main.command(
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

main.command(
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
        explanations = command.run(resolve_root(root), name, env)
    click.echo(command.format_result(explanations))


@main.command()
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

    Lists the profile's layers, the folder `kubectl apply -k` applies, the label selector of
    its auto-sync Applications (for `argocd app wait -l`) and its manual-sync apps.

    \b
    Example:
      gen profile serving --env ai-dev
      kubectl apply -k "$(gen profile serving --env ai-dev --print path)"
    """
    from generator.commands import profile as command
    from generator.errors import UsageError
    from generator.output import echo_json

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
        click.echo(f"  apply: kubectl apply -k {info.path}{missing}")
        click.echo(f"  wait:  argocd app wait -l '{info.selector}'")
        if info.manual_apps:
            click.echo(
                "  manual (cost gate, deployed only by `argocd app sync <app>`): "
                + ", ".join(info.manual_apps)
            )


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
            resolve_root(root), src, layer=layer, group=group, force=force, allow_loss=allow_loss
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


@main.command()
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
    from generator.commands import validate as command
    from generator.errors import GenError, Problem
    from generator.output import echo_json

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
