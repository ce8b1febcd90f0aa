"""The operator's verbs, which talk to a cluster through kubectl: ``up``, ``down``, ``doctor``,
``smoke``. Each has ``--dry-run``, which prints the exact kubectl command lines and runs none."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.error_handler import EXIT_UNHEALTHY, error_handler
from generator.cli.options import (
    complete_profiles,
    kubectl_option,
    one_env_option,
    output_option,
    root_option,
)

_DRY_RUN_HELP = "Print the exact kubectl command lines; run nothing (not even the reads)."


def _dry_run_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option("--dry-run", is_flag=True, help=_DRY_RUN_HELP)(func)


def _profile_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--profile",
        metavar="NAME",
        shell_complete=complete_profiles,
        help="The profile (default: the last, widest one).",
    )(func)


def _cost(
    root: Path | None,
    app: str,
    direction: str,
    env: str | None,
    replicas: int | None,
    dry: bool,
    program: str,
) -> None:
    from generator.cli.options import resolve_root
    from generator.commands.cluster import cost

    with error_handler():
        result = cost.run(
            resolve_root(root),
            app,
            "up" if direction == "up" else "down",
            env,
            replicas=replicas,
            dry_run=dry,
            program=program,
        )
    if result.dry_run:
        for check in result.checks:
            click.echo(f"# would first check (read-only): {check}")
        for step in result.steps:
            click.echo(step.line)
        return
    for step, summary in zip(result.steps, result.summaries, strict=True):
        click.echo(f"+ {step.line}", err=True)
        if step.output:
            click.echo(step.output)
        click.echo(f"{result.application} ({result.environment}): {summary}")


@click.command()
@root_option
@click.argument("app")
@one_env_option("The environment (default: the only one the app is enabled in).")
@click.option(
    "--replicas",
    type=click.IntRange(min=1),
    metavar="N",
    help="Scale to N instead of the action's `up` (scale actions only).",
)
@_dry_run_option
@kubectl_option
def up(
    root: Path | None,
    app: str,
    env: str | None,
    replicas: int | None,
    dry_run: bool,
    program: str,
) -> None:
    """Run APP's cost actions up: scale to `up` replicas, or resume a paused object.

    Refuses (exit 2, nothing run) when APP declares no costActions, is not enabled in the
    environment, or Argo CD has not deployed it yet (`make sync APP=...` first).

    \b
    Example:
      gen up raw-vllm --env ai-dev --dry-run
      gen up raw-vllm --env ai-dev --replicas 2
    """
    _cost(root, app, "up", env, replicas, dry_run, program)


@click.command()
@root_option
@click.argument("app")
@one_env_option("The environment (default: the only one the app is enabled in).")
@_dry_run_option
@kubectl_option
def down(root: Path | None, app: str, env: str | None, dry_run: bool, program: str) -> None:
    """Run APP's cost actions down: scale to `down` replicas, or pause the object.

    Refuses (exit 2, nothing run) like `gen up`.

    \b
    Example:
      gen down raw-vllm --env ai-dev
      gen down kserve-demo --dry-run
    """
    _cost(root, app, "down", env, None, dry_run, program)


def _cluster_check_options(func: click.decorators.FC) -> click.decorators.FC:
    """The options ``doctor`` and ``smoke`` share: project, environment, profile, output,
    ``--dry-run`` and the kubectl program."""
    for option in reversed(
        (
            root_option,
            one_env_option("The environment (optional when config.yaml has only one)."),
            _profile_option,
            output_option,
            _dry_run_option,
            kubectl_option,
        )
    ):
        func = option(func)
    return func


@click.command()
@_cluster_check_options
def doctor(
    root: Path | None,
    env: str | None,
    profile: str | None,
    output: str,
    dry_run: bool,
    program: str,
) -> None:
    """Check a profile's Applications in the cluster against rendered/.

    Auto-sync apps must be Synced and Healthy; manual (cost-gated) apps are reported as
    cost-gated or deployed (with their live replicas), and never fail the doctor; an app
    rendered/ expects but the cluster lacks is an error. Exit 0 healthy, 1 not.

    \b
    Example:
      gen doctor --env ai-dev --profile serving
      gen doctor --env prod -o json
    """
    from generator.cli.display import echo_json
    from generator.cli.options import resolve_root
    from generator.commands.cluster import doctor as command

    with error_handler():
        report = command.run(resolve_root(root), env, profile, dry_run, program)
    if dry_run:
        click.echo("\n".join(report.commands))
        return
    if output == "json":
        echo_json(report.to_json())
    else:
        click.echo(command.format_report(report))
    if not report.healthy:
        sys.exit(EXIT_UNHEALTHY)


@click.command()
@_cluster_check_options
@click.option(
    "--allow-skipped",
    is_flag=True,
    help="Pass even when a check was skipped because its variables are unset.",
)
def smoke(
    root: Path | None,
    env: str | None,
    profile: str | None,
    output: str,
    dry_run: bool,
    program: str,
    allow_skipped: bool,
) -> None:
    """Run `gen doctor`, then the profile's smoke checks; exit 0 only if all pass.

    The checks are declared in the catalog (`smoke:` of a profile in layers.yaml, or of a
    group) and run on this machine; ${VAR} placeholders come from the environment, and a check
    whose variables are unset is skipped with the names to set. A skipped check fails the
    smoke unless --allow-skipped is given.

    \b
    Example:
      gen smoke --env ai-dev --profile serving --dry-run
      export SMOKE_GATEWAY_URL=https://llm.example.com SMOKE_API_KEY=...
      gen smoke --env ai-dev --profile serving
    """
    from generator.cli.display import echo_json
    from generator.cli.options import resolve_root
    from generator.commands.cluster import doctor as doctor_command
    from generator.commands.cluster import smoke as command

    def show_doctor(report: doctor_command.DoctorReport) -> None:
        click.echo(doctor_command.format_report(report))

    def show_check(check: command.CheckResult) -> None:
        click.echo(command.format_check(check))

    text = output == "text" and not dry_run
    with error_handler():
        result = command.run(
            resolve_root(root),
            env,
            profile,
            dry_run,
            on_doctor=show_doctor if text else None,
            on_check=show_check if text else None,
            program=program,
            allow_skipped=allow_skipped,
        )
    if dry_run:
        click.echo("\n".join([*result.doctor.commands, *(c.command for c in result.checks)]))
        return
    if output == "json":
        echo_json(result.to_json())
    else:
        click.echo(command.summary(result))
    if not result.passed:
        sys.exit(EXIT_UNHEALTHY)
