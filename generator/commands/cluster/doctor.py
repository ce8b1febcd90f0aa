"""``gen doctor``: are a profile's Applications in the cluster what rendered/ says they should be?

What is expected comes from rendered/ as ``gen plan`` reads it (the root Application, the group
Applications each layer's ApplicationSet generates, and every Application in their folders). What
is there comes from one ``kubectl get applications.argoproj.io -n <argocd namespace> -l <profile
selector>``, and a ``get`` of the root. One line per app:

- the root must be there, Synced and Healthy, and sync this profile or a wider one;

- auto-sync apps (and the group apps) must be Synced and Healthy;
- manual-sync (cost-gated) apps are "cost-gated, not deployed", "deployed (costs money)", or
  "deployed, idle" when every cost action's object is at its ``down`` state, with what those
  objects say live (replicas, paused or not), read from the environment's cluster: whether an
  app with cost actions is deployed is whether their objects exist (Argo CD 3.x does not persist
  per-resource health; generator/ops/argo.py). Their state never fails the doctor;
- an expected Application the cluster does not have is an error (``make root`` not run, or a
  push not synced yet); one the cluster has but rendered/ does not is listed (Argo CD prunes it
  once the change is synced).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.core.constants import (
    ENV_LABEL,
    LAYER_LABEL,
    PROFILE_LABEL,
    ROLE_LABEL,
    SYNC_LABEL,
)
from generator.core.model import App, CostAction, Project
from generator.fs.inputs import read_inputs
from generator.ops.actions import at_down, live_state, read_args
from generator.ops.argo import (
    LiveApp,
    argocd_context,
    get_application_args,
    list_applications_args,
    live_app,
)
from generator.ops.kubectl import DEFAULT_KUBECTL, Kubectl
from generator.project.resolve import profile_layers
from generator.render.build import Build, build

Status = Literal["ok", "fail", "missing", "gated", "deployed", "extra"]
#: The statuses that make the doctor's exit code 1.
FAILING: tuple[Status, ...] = ("fail", "missing")


@dataclass(frozen=True)
class AppHealth:
    """One Application: what the cluster says about it, judged."""

    name: str
    #: ``group`` (an app-of-apps from an ApplicationSet) or ``workload``.
    role: str
    #: ``auto`` or ``manual`` (cost-gated).
    sync_mode: str
    status: Status
    detail: str
    sync: str = ""
    health: str = ""

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/output.md)."""
        return {
            "name": self.name,
            "role": self.role,
            "syncMode": self.sync_mode,
            "status": self.status,
            "sync": self.sync or None,
            "health": self.health or None,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class DoctorReport:
    """The doctor's verdict on one profile in one environment."""

    environment: str
    profile: str
    layers: tuple[str, ...]
    #: The kubectl command lines run (or, with ``dry_run``, that would run).
    commands: tuple[str, ...]
    apps: tuple[AppHealth, ...]
    #: rendered/<env>/ differs from what the catalog renders now (the plan reads the files).
    stale: bool
    dry_run: bool = False

    @property
    def healthy(self) -> bool:
        """No expected Application is missing, failing or out of sync."""
        return not any(app.status in FAILING for app in self.apps)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/output.md)."""
        return {
            "environment": self.environment,
            "profile": self.profile,
            "layers": list(self.layers),
            "healthy": self.healthy,
            "stale": self.stale,
            "commands": list(self.commands),
            "applications": [app.to_json() for app in self.apps],
        }


def selector(environment: str, layers: tuple[str, ...]) -> str:
    """The label selector of every Application a profile brings up (auto and manual)."""
    return f"{ENV_LABEL}={environment},{LAYER_LABEL} in ({','.join(layers)})"


class _Judge:
    """Judges Applications of one environment, reading cost-action objects as needed."""

    def __init__(self, project: Project, environment: str, profile: str, program: str) -> None:
        env = project.config.environments[environment]
        self.fix = f"`make root PROFILE={profile} ENV={environment}`"
        self.profile = profile
        self.profiles = project.layers.profiles
        self.target = Kubectl(env.kube_context, program)
        self.catalog = {env.object_name(a.name): a for a in project.apps_for(environment).values()}
        self.commands: list[str] = []

    def auto(self, name: str, role: str, live: LiveApp | None) -> AppHealth:
        if live is None:
            return AppHealth(name, role, "auto", "missing", self.missing())
        state = f"{live.sync}, {live.health}"
        if live.sync == "Synced" and live.health == "Healthy":
            return AppHealth(name, role, "auto", "ok", state, live.sync, live.health)
        detail = f"{state}: {live.message}" if live.message else state
        return AppHealth(name, role, "auto", "fail", detail, live.sync, live.health)

    def root(self, name: str, live: LiveApp | None) -> AppHealth:
        """The root Application: there, Synced and Healthy, syncing this profile (or a wider
        one)."""
        if live is None:
            detail = f"the root Application is not in the cluster: run {self.fix}"
            return AppHealth(name, "root", "auto", "missing", detail)
        judged = self.auto(name, "root", live)
        synced = live.labels.get(PROFILE_LABEL, "")
        if synced == self.profile:
            return dataclasses.replace(judged, detail=f"{judged.detail}; syncs profile {synced}")
        wider = set(self.profiles.get(synced, ())) >= set(self.profiles[self.profile])
        if wider:
            detail = f"{judged.detail}; syncs profile {synced}, which includes {self.profile}"
            return dataclasses.replace(judged, detail=detail)
        detail = f"syncs profile {synced or '(unknown)'}, not {self.profile}: run {self.fix}"
        return dataclasses.replace(judged, status="fail", detail=detail)

    def manual(self, name: str, live: LiveApp | None) -> AppHealth:
        if live is None:
            return AppHealth(name, "workload", "manual", "missing", self.missing())
        read = [(action, self.read(action)) for action in self.actions(name)]
        deployed = any(obj is not None for _, obj in read) if read else live.deployed
        if not deployed:
            detail = f"cost-gated, not deployed (`make sync APP={name}` deploys it)"
            return AppHealth(name, "workload", "manual", "gated", detail, live.sync, live.health)
        idle = bool(read) and all(at_down(action, obj) for action, obj in read)
        parts = [live_state(action, obj) for action, obj in read]
        parts.append(f"{live.sync}, {live.health}")
        state = "deployed, idle" if idle else "deployed (costs money)"
        detail = f"{state}: " + "; ".join(parts)
        return AppHealth(name, "workload", "manual", "deployed", detail, live.sync, live.health)

    def actions(self, name: str) -> tuple[CostAction, ...]:
        app: App | None = self.catalog.get(name)
        return app.cost_actions if app is not None else ()

    def read(self, action: CostAction) -> dict[str, Any] | None:
        args = read_args(action)
        self.commands.append(self.target.line(args))
        return self.target.get_json(args, missing_ok=True)

    def missing(self) -> str:
        return (
            f"expected by rendered/, not in the cluster: run {self.fix}, or wait for Argo CD "
            "to sync the last push"
        )


def _live(argo: Kubectl, args: list[str]) -> dict[str, LiveApp]:
    data = argo.get_json(args) or {}
    found = (live_app(item) for item in data.get("items") or ())
    return {app.name: app for app in found}


def examine(
    current: Build,
    environment: str,
    profile: str,
    dry_run: bool = False,
    program: str = DEFAULT_KUBECTL,
) -> DoctorReport:
    """The doctor's report on ``profile`` in ``environment`` of a project's build (its files,
    rendered and validated for ``environment`` on first use, say whether rendered/ is stale)."""
    from generator.commands.plan import plan_environment

    project = current.project
    config = project.config
    env = config.environments[environment]
    layers = profile_layers(project, profile)
    plan = plan_environment(current.only([environment]), environment, profile)
    argo = Kubectl(argocd_context(config, env), program)
    args = list_applications_args(config.argocd_namespace, selector(environment, layers))
    root_args = get_application_args(plan.root, config.argocd_namespace) if plan.root else None
    reads = (argo.line(args), *([argo.line(root_args)] if root_args else []))
    judge = _Judge(project, environment, profile, program)
    report = DoctorReport(environment, profile, layers, reads, (), not plan.stale.clean, dry_run)
    if dry_run:
        actions = [
            judge.target.line(read_args(action))
            for planned in plan.manual
            for action in judge.actions(planned.app)
        ]
        return dataclasses.replace(report, commands=(*report.commands, *actions))
    live = _live(argo, args)
    rows = []
    if plan.root and root_args:
        found = argo.get_json(root_args, missing_ok=True)
        rows.append(judge.root(plan.root, live_app(found) if found is not None else None))
    rows += [judge.auto(g.name, "group", live.pop(g.name, None)) for g in plan.group_apps]
    for planned in plan.apps:
        expected = live.pop(planned.app, None)
        if planned.sync == "auto":
            rows.append(judge.auto(planned.app, "workload", expected))
        else:
            rows.append(judge.manual(planned.app, expected))
    for name, extra in sorted(live.items()):
        role = extra.labels.get(ROLE_LABEL, "workload")
        mode = extra.labels.get(SYNC_LABEL, "auto")
        detail = "in the cluster, not in rendered/: Argo CD prunes it once the change is synced"
        rows.append(AppHealth(name, role, mode, "extra", detail, extra.sync, extra.health))
    commands = (*report.commands, *judge.commands)
    return dataclasses.replace(report, commands=commands, apps=tuple(rows))


def run(
    root: Path,
    environment: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    program: str = DEFAULT_KUBECTL,
) -> DoctorReport:
    """``gen doctor``: load the project, then :func:`examine` (environment optional when
    config.yaml has one; profile default: the widest)."""
    from generator.commands.profile import choose_environment, choose_profile

    current = build(read_inputs(root))
    project = current.project
    env = choose_environment(project, environment)
    return examine(current, env, choose_profile(project, profile), dry_run, program)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def summary(report: DoctorReport) -> str:
    """The verdict line: healthy, or what is not, naming the apps."""
    by: dict[str, list[str]] = {}
    for app in report.apps:
        by.setdefault(app.status, []).append(app.name)
    auto = [a for a in report.apps if a.sync_mode == "auto" and a.status != "extra"]
    manual = (
        f"manual: {len(by.get('gated', []))} cost-gated, {len(by.get('deployed', []))} deployed"
    )
    if report.healthy:
        return f"healthy: {_count(len(auto), 'auto-sync app')} Synced and Healthy; {manual}"
    parts = [
        f"{len(by[status])} {word} ({', '.join(by[status])})"
        for status, word in (("fail", "not Synced/Healthy"), ("missing", "missing"))
        if by.get(status)
    ]
    return f"unhealthy: {'; '.join(parts)}; {manual}"


def format_report(report: DoctorReport) -> str:
    """The report as people read it: a header, one line per app, the verdict."""
    lines = [
        f"doctor: environment {report.environment}, profile {report.profile} "
        f"(layers: {', '.join(report.layers)})",
        f"read: {report.commands[0]}",
    ]
    if report.stale:
        lines.append(
            f"warning: rendered/{report.environment}/ is stale; expected apps are read from the "
            "files as they are (run `gen render` and push)"
        )
    name_width = max((len(app.name) for app in report.apps), default=0)
    for app in report.apps:
        status = app.status.upper() if app.status in FAILING else app.status
        lines.append(
            f"  {status.ljust(8)}  {app.name.ljust(name_width)}  {app.sync_mode.ljust(6)}  "
            f"{app.detail}"
        )
    lines.append(summary(report))
    return "\n".join(lines)
