"""``gen root``: point an environment's root Application at a profile (``make root``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.error_handler import EXIT_REFUSED, error_handler
from generator.cli.options import (
    complete_profiles,
    kubectl_option,
    one_env_option,
    resolve_root,
    root_option,
)

if TYPE_CHECKING:
    from generator.commands.cluster.root import RootChange


@click.command("root")
@root_option
@click.argument("profile", shell_complete=complete_profiles)
@one_env_option("The environment (optional when config.yaml has only one).")
@click.option(
    "--current",
    metavar="PROFILE",
    help="The live root's profile ('none': no root yet) instead of reading it with kubectl.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Run no kubectl: print the objects, what the change does and the kubectl commands.",
)
@click.option(
    "--confirm", is_flag=True, help="Allow a narrower profile: Argo CD prunes what it drops."
)
@kubectl_option
def root(
    root: Path | None,
    profile: str,
    env: str | None,
    current: str | None,
    dry_run: bool,
    confirm: bool,
    program: str,
) -> None:
    """Apply rendered/<env>/roots/PROFILE/: the root Application and its AppProject.

    Once applied, Argo CD syncs rendered/<env>/profiles/PROFILE/ from git: a push is then the
    only step, except a change of profile, which is this command again. It reads the live
    root (kubectl get) to say what changes: the first time, the profile's layers; for a
    narrower profile, the layers and Applications Argo CD will prune, refused (exit 2) without
    --confirm. kubectl runs against the cluster Argo CD runs in (argocdContext in config.yaml,
    else an in-cluster environment's kubeContext, else the current context). --dry-run runs no
    kubectl at all.

    \b
    Example:
      gen root serving --env ai-dev --dry-run
      gen root serving --env ai-dev --confirm      # narrowing from full
    """
    from generator.commands.cluster import root as command

    with error_handler():
        change = command.run(
            resolve_root(root),
            profile,
            env,
            current,
            dry_run,
            confirm,
            program,
        )
    _echo(change)


def _echo(change: RootChange) -> None:
    """What the change does; the dry run's objects and command lines, the refusal (exit 2),
    or what kubectl apply printed and the next step."""
    from generator.commands.cluster.root import summary as summarize

    summary = summarize(change)
    if change.dry_run:
        click.echo(change.objects, nl=False)
        for line in [f"# DRY RUN: {change.folder}, nothing applied", *summary]:
            click.echo(line if line.startswith("#") else f"# {line}", err=True)
        for line in change.commands:
            click.echo(f"# would run: {line}", err=True)
    else:
        click.echo("\n".join(summary))
    if change.refused:
        click.echo(
            f"refused: {change.profile} is narrower than {change.current or 'the live profile'}; "
            "Argo CD would prune the above. Run again with CONFIRM=1 (gen root --confirm) to "
            "go ahead",
            err=True,
        )
        sys.exit(EXIT_REFUSED)
    if change.applied is not None:
        for line in change.commands[-1:]:
            click.echo(f"+ {line}", err=True)
        if change.applied.strip():
            click.echo(change.applied.rstrip("\n"))
        click.echo(
            f"next: Argo CD syncs the layers of {change.profile} from git; from now on a push is "
            f"the only step (`make wait PROFILE={change.profile} ENV={change.environment}` "
            "waits for the auto-sync apps)"
        )
