"""``gen up APP`` / ``gen down APP``: run an app's declared cost actions with kubectl.

The app is named as in the catalog (``raw-vllm``) or as its Application in an environment
(``prod-raw-vllm``). Before acting, two read-only checks: its Application, from the cluster
Argo CD runs in, and each action's object, from the environment's destination cluster
(``kubeContext``), where the actions then run. The verb refuses (RefusedError, exit 2, nothing
changed) when the app declares no cost action, is not enabled in the environment, its
Application does not exist, or an action's object does not exist yet (the app was never
synced). The object is read rather than Argo CD's per-resource health, which Argo CD 3.x no
longer persists by default (generator/ops/argo.py). With ``dry_run`` nothing runs at all, not
even the reads: the result holds the command lines to print.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import RefusedError, UsageError
from generator.core.model import App, CostAction, Environment, Project
from generator.fs.inputs import read_inputs
from generator.ops.actions import Direction, action_args, done, read_args
from generator.ops.argo import LiveApp, argocd_context, get_application_args, live_app
from generator.ops.kubectl import DEFAULT_KUBECTL, Kubectl
from generator.project.resolve import decide
from generator.project.schema import suggest
from generator.render.build import build


@dataclass(frozen=True)
class Step:
    """One kubectl command of the verb, and what it printed once run."""

    line: str
    output: str = ""


@dataclass(frozen=True)
class CostRun:
    """What ``gen up/down`` did (or, with ``dry_run``, would do)."""

    app: str
    environment: str
    #: The app's Application in that environment (with its namePrefix).
    application: str
    direction: Direction
    dry_run: bool
    #: The read-only checks made first (skipped with ``dry_run``).
    checks: tuple[str, ...]
    steps: tuple[Step, ...]
    #: One summary per action (``scaled Deployment raw-vllm to 1``).
    summaries: tuple[str, ...]


def _find(project: Project, name: str, environment: str | None) -> tuple[App, Environment]:
    """The app called ``name`` and the environment to act in. ``name`` is a catalog app, or an
    environment's Application name (``prod-raw-vllm``: that environment). The environment is
    ``environment``, else the one its Application name says, else the only one enabling it."""
    envs = project.config.environments
    if environment is not None and environment not in envs:
        raise UsageError(
            f"unknown environment {environment!r}{suggest(environment, list(envs))}; "
            f"choose from: {', '.join(envs)}"
        )
    chosen = [envs[environment]] if environment else list(envs.values())
    for env in chosen:
        prefix = env.name_prefix
        apps = project.apps_for(env.name)
        if prefix and name.startswith(prefix) and name[len(prefix) :] in apps:
            return apps[name[len(prefix) :]], env
    if environment is not None:
        apps = project.apps_for(environment)
        if name in apps:
            return apps[name], envs[environment]
        raise UsageError(f'unknown app "{name}"{suggest(name, apps)}')
    known = {app for env in chosen for app in project.apps_for(env.name)}
    if name not in known:
        raise UsageError(f'unknown app "{name}"{suggest(name, known)}')
    enabled = [env for env in envs.values() if _enabled(project, env, name)]
    if not enabled:
        raise RefusedError(f"{name} is not enabled in any environment; nothing was run")
    if len(enabled) > 1:
        names = " and ".join(env.name for env in enabled)
        raise UsageError(f"{name} is enabled in {names}; choose one with --env")
    return project.apps_for(enabled[0].name)[name], enabled[0]


def _enabled(project: Project, env: Environment, app: str) -> bool:
    return any(d.enabled and any(a.name == app for a in d.group.apps) for d in decide(project, env))


def _refuse_disabled(project: Project, env: Environment, app: App) -> None:
    for decision in decide(project, env):
        if decision.group.name == app.group and not decision.enabled:
            raise RefusedError(
                f"{app.name} is not enabled in environment {env.name}: group {app.group} is off "
                f"({decision.why}, {decision.where}); nothing was run"
            )


def _refuse_offline(
    project: Project, env: Environment, app: App, direction: Direction, replicas: int | None
) -> None:
    """The refusals decided from the catalog alone: no action, not enabled, bad --replicas."""
    if not app.cost_actions:
        raise RefusedError(
            f"{app.name} declares no costActions ({app.where}); `gen {direction}` has nothing "
            "to run"
        )
    _refuse_disabled(project, env, app)
    scales = [a for a in app.cost_actions if a.action == "scale"]
    if replicas is not None and not scales:
        raise RefusedError(f"--replicas applies to a scale action; {app.name} has none")
    for action in scales:
        if replicas is not None and replicas <= action.down:
            raise RefusedError(f"--replicas {replicas} must be above down ({action.down})")


def _refuse_unsynced(target: Kubectl, live: LiveApp, action: CostAction, application: str) -> None:
    """Refuse when the action's object does not exist in the cluster yet."""
    if target.get_json(read_args(action), missing_ok=True) is not None:
        return
    raise RefusedError(
        f"{application} is not synced yet: {action.kind} {action.name} does not exist in "
        f"namespace {action.namespace} (the Application is {live.sync}, {live.health}); deploy "
        f"it first with `make sync APP={application}`; nothing was run"
    )


def run(
    root: Path,
    name: str,
    direction: Direction,
    environment: str | None = None,
    replicas: int | None = None,
    dry_run: bool = False,
    program: str = DEFAULT_KUBECTL,
) -> CostRun:
    """Bring ``name``'s cost actions up or down in one environment (see the module docstring)."""
    project = build(read_inputs(root)).project
    app, env = _find(project, name, environment)
    application = env.object_name(app.name)
    _refuse_offline(project, env, app, direction, replicas)
    config = project.config
    argo = Kubectl(argocd_context(config, env), program)
    target = Kubectl(env.kube_context, program)
    check_args = get_application_args(application, config.argocd_namespace)
    commands = [action_args(action, direction, replicas) for action in app.cost_actions]
    planned = CostRun(
        app=app.name,
        environment=env.name,
        application=application,
        direction=direction,
        dry_run=True,
        checks=(
            argo.line(check_args),
            *(target.line(read_args(action)) for action in app.cost_actions),
        ),
        steps=tuple(Step(target.line(args)) for args in commands),
        summaries=tuple(done(action, direction, replicas) for action in app.cost_actions),
    )
    if dry_run:
        return planned
    data = argo.get_json(check_args, missing_ok=True)
    if data is None:
        raise RefusedError(
            f"Application {application} not found in namespace {config.argocd_namespace}: "
            f"apply the profile first (`make root PROFILE=<profile> ENV={env.name}`), or push "
            "and let Argo CD create it; nothing was run"
        )
    live = live_app(data)
    for action in app.cost_actions:
        _refuse_unsynced(target, live, action, application)
    ran = []
    for args in commands:
        result = target.run(args)
        assert result is not None  # missing_ok is off: a failure raises
        ran.append(Step(result.line, result.stdout.strip()))
    return dataclasses.replace(planned, dry_run=False, steps=tuple(ran))
