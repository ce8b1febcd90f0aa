"""``gen smoke``: ``gen doctor``, then the smoke checks the catalog declares for a profile.

The checks run for profile P are those declared for P and for every profile whose layers P
includes (profiles are additive: ``full`` runs the checks of ``serving``), then those of the
groups enabled in the environment within P's layers. Each runs without a shell, with its
placeholders (``${VAR}``, ``${VAR:-default}``) taken from the environment; a check with an unset
variable is skipped and says which to set. A check passes when it exits 0 within its timeout.
A skipped check is not a pass: the smoke passes with one only when the caller allows it
(``--allow-skipped``), since a gate that did not send its request has not tested anything.
Secret-looking variables (KEY, TOKEN, SECRET, PASSWORD in the name) are masked in what is
reported, and the command line is always shown with its placeholders, never their values.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.commands.cluster.doctor import DoctorReport, examine
from generator.core.model import Project, SmokeCheck
from generator.fs.inputs import read_inputs
from generator.ops.kubectl import DEFAULT_KUBECTL
from generator.project.declarations.smoke import PLACEHOLDER
from generator.project.resolve import enabled_groups, profile_layers
from generator.render.build import build

Outcome = Literal["pass", "fail", "skip"]
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD", re.IGNORECASE)
#: At most this much of a failed check's output is reported (its last lines).
_TAIL_LINES = 5


@dataclass(frozen=True)
class CheckResult:
    """One smoke check, run (or skipped)."""

    name: str
    #: Where it is declared: ``profile serving`` or ``group vllm``.
    origin: str
    #: The command line as declared (placeholders unexpanded).
    command: str
    outcome: Outcome
    seconds: float
    detail: str

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/output.md)."""
        return {
            "name": self.name,
            "origin": self.origin,
            "command": self.command,
            "outcome": self.outcome,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class SmokeReport:
    """The doctor's report and every check's result."""

    doctor: DoctorReport
    checks: tuple[CheckResult, ...]
    #: Whether a skipped check may count as passed (``--allow-skipped``).
    allow_skipped: bool = False

    @property
    def skipped(self) -> int:
        """How many checks were skipped."""
        return sum(1 for c in self.checks if c.outcome == "skip")

    @property
    def passed(self) -> bool:
        """The doctor found the profile healthy, no check failed, and none was skipped (unless
        that is allowed)."""
        return (
            self.doctor.healthy
            and not any(c.outcome == "fail" for c in self.checks)
            and (self.allow_skipped or not self.skipped)
        )

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/output.md)."""
        return {
            "passed": self.passed,
            "doctor": self.doctor.to_json(),
            "checks": [check.to_json() for check in self.checks],
        }


def checks_for(project: Project, environment: str, profile: str) -> list[tuple[str, SmokeCheck]]:
    """``(origin, check)`` for every check ``gen smoke`` runs (see the module docstring)."""
    layers = set(profile_layers(project, profile))
    found = [
        (f"profile {name}", check)
        for name, checks in project.layers.smoke.items()
        if set(project.layers.profiles[name]) <= layers
        for check in checks
    ]
    env = project.config.environments[environment]
    found += [
        (f"group {group.name}", check)
        for group in enabled_groups(project, env)
        if group.layer in layers
        for check in group.smoke
    ]
    return found


def expand(check: SmokeCheck, environ: Mapping[str, str]) -> tuple[list[str], str, list[str]]:
    """The argv and the standard input with their placeholders filled in, and the variables
    they need that are unset."""
    unset: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = environ.get(match.group("name"), "")
        if value:
            return value
        if match.group("default") is not None:
            return match.group("default")
        if match.group("name") not in unset:
            unset.append(match.group("name"))
        return ""

    argv = [PLACEHOLDER.sub(fill, argument) for argument in check.run]
    return argv, PLACEHOLDER.sub(fill, check.stdin), sorted(unset)


def _masked(text: str, environ: Mapping[str, str]) -> str:
    for name, value in environ.items():
        if value and len(value) >= 4 and _SECRET_NAME.search(name):
            text = text.replace(value, f"${{{name}}}")
    return text


def run_check(origin: str, check: SmokeCheck, environ: Mapping[str, str]) -> CheckResult:
    """Run one check and judge it."""
    shown = shlex.join(check.run)
    argv, stdin, unset = expand(check, environ)
    if unset:
        return CheckResult(
            check.name, origin, shown, "skip", 0.0, f"skipped: set {', '.join(unset)} to run it"
        )
    start = time.monotonic()
    try:
        # Its standard input is the check's ``stdin`` (empty without one): a check never
        # reads the operator's terminal.
        done = subprocess.run(
            argv, input=stdin, capture_output=True, text=True, timeout=check.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        elapsed = time.monotonic() - start
        detail = f"timed out after {check.timeout} s"
        return CheckResult(check.name, origin, shown, "fail", elapsed, detail)
    except OSError as error:
        detail = f"cannot run {argv[0]}: {error.strerror}"
        return CheckResult(check.name, origin, shown, "fail", time.monotonic() - start, detail)
    elapsed = time.monotonic() - start
    if done.returncode == 0:
        return CheckResult(check.name, origin, shown, "pass", elapsed, "exit 0")
    said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-_TAIL_LINES:]
    detail = f"exit {done.returncode}" + (": " + " | ".join(said) if said else "")
    return CheckResult(check.name, origin, shown, "fail", elapsed, _masked(detail, environ))


def run(
    root: Path,
    environment: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    on_doctor: Callable[[DoctorReport], None] | None = None,
    on_check: Callable[[CheckResult], None] | None = None,
    program: str = DEFAULT_KUBECTL,
    allow_skipped: bool = False,
) -> SmokeReport:
    """``gen smoke``: the doctor's report, then each check (``on_doctor`` and ``on_check`` hear
    each result as it is ready, for a CLI that shows progress). With ``dry_run`` nothing runs:
    the doctor lists its commands, each check is reported skipped with its command line.
    ``allow_skipped``: a check skipped for want of its variables does not fail the smoke."""
    from generator.commands.profile import choose_environment, choose_profile

    current = build(read_inputs(root))
    project = current.project
    env = choose_environment(project, environment)
    chosen = choose_profile(project, profile)
    doctor = examine(current, env, chosen, dry_run, program)
    if on_doctor is not None:
        on_doctor(doctor)
    results = []
    for origin, check in checks_for(project, env, chosen):
        if dry_run:
            shown = shlex.join(check.run)
            result = CheckResult(check.name, origin, shown, "skip", 0.0, "dry run")
        else:
            result = run_check(origin, check, os.environ)
        if on_check is not None:
            on_check(result)
        results.append(result)
    return SmokeReport(doctor, tuple(results), allow_skipped)


def format_check(result: CheckResult) -> str:
    """``  PASS  chat-completions (profile serving)  1.2 s  exit 0``."""
    word = {"pass": "PASS", "fail": "FAIL", "skip": "skip"}[result.outcome]
    return (
        f"  {word.ljust(4)}  {result.name} ({result.origin})  {result.seconds:.1f} s  "
        f"{result.detail}"
    )


def summary(report: SmokeReport) -> str:
    """The verdict line."""
    counts = {o: sum(1 for c in report.checks if c.outcome == o) for o in ("pass", "fail", "skip")}
    checks = f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped"
    doctor = "doctor healthy" if report.doctor.healthy else "doctor UNHEALTHY"
    verdict = "smoke passed" if report.passed else "smoke FAILED"
    line = f"{verdict}: {doctor}; checks: {checks}"
    if report.skipped and not report.allow_skipped:
        line += " (a skipped check is not a pass: set its variables, or pass --allow-skipped)"
    return line
