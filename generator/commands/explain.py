"""``gen explain NAME``: everything the generator decided about one group or app, and why.

Per environment: rendered or not (core group, the feature key and the file:line that set it, or
the group's default), the app's wave and where it came from, its sync mode and reason, its
ignored fields, and the keys config.yaml overrides. Across environments: the profiles that bring
it up, its dependencies and its dependants. All of it comes from the model, not from rendered/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import Problem, UsageError
from generator.core.model import App, Group, Project, format_setting
from generator.fs.inputs import read_inputs
from generator.project.checks.profiles import profile_dependency_warnings
from generator.project.resolve import Decision, decide
from generator.project.schema import suggest
from generator.project.settings.conditions import is_dormant_reason
from generator.project.waves import (
    Wave,
    app_waves,
    dependants,
    group_dependencies,
    group_of,
)
from generator.render.build import build


@dataclass(frozen=True)
class AppFacts:
    """One app as one environment sees it."""

    environment: str
    app: App
    wave: Wave
    #: The Application's name in that environment (with the environment's namePrefix).
    object_name: str
    #: The project the app belongs to (to render what the environment fills in).
    project: Project


@dataclass(frozen=True)
class Explanation:
    """What ``gen explain`` says about one name: a group, an app, or both."""

    name: str
    group: Group | None
    app: App | None
    owner: Group
    decisions: list[tuple[str, Decision]]
    profiles: list[str]
    facts: list[AppFacts]
    project: Project
    warnings: list[Problem]


def _profiles(project: Project, layer: str) -> list[str]:
    return [name for name, layers in project.layers.profiles.items() if layer in layers]


def run(root: Path, name: str, environment: str | None = None) -> list[Explanation]:
    """Explanations of ``name`` (a group, an app, or both when they share the name)."""
    project = build(read_inputs(root)).project
    envs = list(project.config.environments)
    if environment is not None:
        if environment not in envs:
            raise UsageError(
                f"unknown environment {environment!r}{suggest(environment, envs)}; choose from: "
                + ", ".join(envs)
            )
        envs = [environment]
    owner = group_of(project.groups)
    if name not in project.groups and name not in owner:
        choices = [*project.groups, *owner]
        raise UsageError(f'unknown group or app "{name}"{suggest(name, choices)}')
    warnings = profile_dependency_warnings(project)
    results = []
    targets: list[tuple[Group | None, App | None, Group]] = []
    if name in project.groups:
        targets.append((project.groups[name], None, project.groups[name]))
    if name in owner:
        group = owner[name]
        app = next(a for a in group.apps if a.name == name)
        targets.append((None, app, group))
    for group_target, app_target, group in targets:
        decisions = []
        facts = []
        for env_name in envs:
            env = project.config.environments[env_name]
            decision = next(d for d in decide(project, env) if d.group.name == group.name)
            decisions.append((env_name, decision))
            waves = app_waves(project, env_name)
            env_group = project.groups_for(env_name)[group.name]
            for app in env_group.apps:
                if app_target is None or app.name == app_target.name:
                    name_in_env = env.object_name(app.name)
                    facts.append(AppFacts(env_name, app, waves[app.name], name_in_env, project))
        mine = [w for w in warnings if _concerns(w, group, app_target)]
        results.append(
            Explanation(
                name=name,
                group=group_target,
                app=app_target,
                owner=group,
                decisions=decisions,
                profiles=_profiles(project, group.layer),
                facts=facts,
                project=project,
                warnings=mine,
            )
        )
    return results


def _concerns(warning: Problem, group: Group, app: App | None) -> bool:
    """Whether a profile warning is about ``group`` (its requires or any app's dependsOn) or,
    for an app, about the app's own dependsOn or its group's requires."""
    places = [w for k, w in group.fields.items() if k.startswith("requires")]
    places += [want.where for want in group.wants]
    for member in group.apps:
        if app is None or member.name == app.name:
            places += [w for k, w in member.fields.items() if k.startswith("dependsOn")]
    return any((w.file, w.line, w.key) == (warning.file, warning.line, warning.key) for w in places)


def _rendered(explanation: Explanation) -> list[str]:
    group = explanation.owner
    lines = ["  rendered:"]
    width = max(len(env) for env, _ in explanation.decisions)
    for env, decision in explanation.decisions:
        verdict = "yes" if decision.enabled else "no"
        if decision.dormant:
            verdict = "yes, dormant"
        lines.append(f"    {env.ljust(width)}  {verdict}: {decision.explain()}")
    if group.core:
        lines.append("    core group: always rendered, no feature flag")
    else:
        default = "true" if group.default else "false"
        set_at = group.fields.get("default")
        origin = f"set at {set_at}" if set_at else "not set in the group file"
        lines.append(f'    feature "{group.feature}"; default {default} ({origin})')
    return lines + _setting_lines(group)


def _setting_lines(group: Group) -> list[str]:
    """The group's ``when``, ``needs`` and ``wants``, each with where it is written."""
    lines = []
    if group.when:
        conditions = "; ".join(
            f"{name} is {' or '.join(format_setting(v) for v in allowed)}"
            for name, allowed in group.when.items()
        )
        lines.append(f"    only when: {conditions} ({group.where_of('when')})")
    if group.needs:
        lines.append(
            f"    needs settings: {', '.join(group.needs)}; dormant (no automated sync) while "
            f"one is empty ({group.where_of('needs')})"
        )
    for want in group.wants:
        reason = f": {want.reason}" if want.reason else ""
        lines.append(f"    wants group {want.group}{reason} ({want.where})")
    return lines


def _per_env(
    facts: Sequence[AppFacts], label: str, describe: Callable[[AppFacts], str]
) -> list[str]:
    """One line when every environment agrees, else one per environment."""
    texts = [(f.environment, describe(f)) for f in facts]
    if len({text for _, text in texts}) <= 1:
        return [f"  {label}: {texts[0][1]}"] if texts else []
    return [f"  {label} ({env}): {text}" for env, text in texts]


def _wave(f: AppFacts) -> str:
    if "wave" in f.app.written and f.app.wave is None:
        where = f.app.where_of("wave")
        return f"none: no sync-wave annotation, Argo CD's 0 (wave: null at {where})"
    return f"{f.wave.value} ({f.wave.origin()})"


def _sync(f: AppFacts) -> str:
    app = f.app
    if app.long_sync:
        return f"{app.sync}: syncPolicy as written ({app.where_of('syncPolicy')})"
    if app.sync == "auto":
        return (
            f"auto (prune, selfHeal) ({app.where_of('sync')})"
            if "sync" in app.fields
            else ("auto (prune, selfHeal; the default)")
        )
    if is_dormant_reason(app):
        return f"manual: {app.reason}: its group needs {', '.join(app.dormant)}, empty here"
    return (
        f"manual: {' '.join((app.reason or '').split())} ({app.where_of('reason')}); "
        f"deploy with: argocd app sync {f.object_name}"
    )


def _ignored(f: AppFacts) -> str:
    from generator.commands.plan import describe_ignore
    from generator.project.declarations.cost_actions import ignore_differences

    written = [describe_ignore(dict(rule)) for rule in f.app.ignore_differences]
    derived = ignore_differences(f.app)[len(written) :]
    parts = [f"{'; '.join(written)} ({f.app.where_of('ignoreDifferences')})"] if written else []
    parts += [
        f"{describe_ignore(rule)} (derived from costActions at {f.app.where_of('costActions')})"
        for rule in derived
    ]
    return "; ".join(parts) or "none"


def _cost_actions(explanation: Explanation) -> list[str]:
    """The app's cost actions, then per environment the commands that run them."""
    from generator.ops.actions import action_commands, describe

    if not any(f.app.cost_actions for f in explanation.facts):
        return []
    lines = _per_env(
        explanation.facts,
        "cost actions",
        lambda f: "; ".join(describe(a) for a in f.app.cost_actions) or "none",
    )
    enabled = {env: decision.enabled for env, decision in explanation.decisions}
    width = max(len(f.environment) for f in explanation.facts) + 1
    for f in explanation.facts:
        label = f"{f.environment}:".ljust(width)
        if not enabled.get(f.environment):
            lines.append(f"    {label}  not rendered here: `gen up/down` refuse")
            continue
        env = explanation.project.config.environments[f.environment]
        for commands in action_commands(f.app, env):
            size = max(len(commands.up), len(commands.down))
            lines.append(f"    {label}  {commands.up.ljust(size)}  # {commands.kubectl_up}")
            lines.append(f"    {label}  {commands.down.ljust(size)}  # {commands.kubectl_down}")
    return lines


def _hydrator(f: AppFacts) -> str:
    from generator.commands.plan import describe_hydrator
    from generator.render.objects import hydrator

    if f.app.hydrator is None:
        return "none (source or sources)"
    env = f.project.config.environments[f.environment]
    return (
        f"{describe_hydrator(hydrator(f.project, env, f.app))} ({f.app.where_of('sourceHydrator')})"
    )


def _overrides(f: AppFacts) -> str:
    keys = sorted(
        {
            key.split("[", 1)[0]
            for key, where in f.app.fields.items()
            if where.file != f.app.where.file
        }
    )
    if not keys:
        return "none"
    first = min(
        (where for where in f.app.fields.values() if where.file != f.app.where.file),
        key=lambda w: w.line,
    )
    return f"{', '.join(keys)} ({first.file}:{first.line})"


def _dependencies(explanation: Explanation) -> list[str]:
    project = explanation.project

    def describe(env: str, names: Sequence[str]) -> str:
        owner = group_of(project.groups_for(env))
        waves = app_waves(project, env)
        out = []
        for name in names:
            group = owner.get(name)
            if group is None:
                out.append(name)
                continue
            out.append(
                f"{name} (group {group.name}, layer {group.layer}, wave {waves[name].value})"
            )
        return ", ".join(out)

    def deps(f: AppFacts) -> str:
        return describe(f.environment, f.app.depends_on) or "nothing"

    def users(f: AppFacts) -> str:
        return describe(f.environment, dependants(project.apps_for(f.environment), f.app.name)) or (
            "none"
        )

    return [
        *_per_env(explanation.facts, "depends on", deps),
        *_per_env(explanation.facts, "dependants", users),
        *_cross_group(explanation),
    ]


def _cross_group(explanation: Explanation) -> list[str]:
    """Dependencies on apps of other groups, said plainly to be unenforced by waves."""
    from generator.project.checks.crossdeps import NOT_ENFORCED, cross_group_dependencies

    project, group, app = explanation.project, explanation.owner, explanation.app
    found = sorted(
        {
            dependency
            for env in {f.environment for f in explanation.facts}
            for dependency in cross_group_dependencies(project, env, [group.name])
            if app is None or dependency.app == app.name
        }
    )
    if not found:
        return []
    return [
        f"  across groups ({NOT_ENFORCED}):",
        *(f"    {dependency}" for dependency in found),
    ]


def _group_lines(explanation: Explanation, group: Group) -> list[str]:
    project = explanation.project
    deps = group_dependencies(group, project.groups)
    needed = [f"{name} ({'; '.join(why)})" for name, why in deps.items()]
    users = []
    for other in project.groups.values():
        why = group_dependencies(other, project.groups).get(group.name)
        if why and other.name != group.name:
            users.append(f"{other.name} ({'; '.join(why)})")
    lines = [
        f"  depends on groups: {', '.join(needed) or 'none'}",
        f"  needed by groups: {', '.join(users) or 'none'}",
        "  apps:",
    ]
    envs = {f.environment for f in explanation.facts}
    first = sorted(envs)[0] if envs else None
    rows = [f for f in explanation.facts if f.environment == first]
    width = max((len(f.app.name) for f in rows), default=0)
    for f in sorted(rows, key=lambda f: (f.wave.value, f.app.name)):
        sync = (
            f"manual ({' '.join((f.app.reason or '').split())})"
            if f.app.sync == "manual"
            else ("auto")
        )
        lines.append(
            f"    {f.app.name.ljust(width)}  wave {f.wave.value} ({f.wave.origin()}); {sync}"
        )
    if len(envs) > 1:
        lines.append(f"    (waves as {first} sees them; see `gen explain <app>` per environment)")
    return [*lines, *_cross_group(explanation)]


def format_explanation(explanation: Explanation) -> str:
    """The human-readable explanation."""
    group = explanation.owner
    profiles = ", ".join(explanation.profiles) or "none"
    if explanation.app is not None:
        app = explanation.app
        lines = [
            f'{app.name}: app of group "{group.name}" (layer {group.layer}), defined at '
            f"{app.where}",
            *_rendered(explanation),
            f"  profiles: {profiles} (the profiles that include layer {group.layer})",
            *_dependencies(explanation),
            *_per_env(explanation.facts, "namespace", lambda f: f.app.namespace or "(none)"),
            *_per_env(explanation.facts, "wave", _wave),
            *_per_env(explanation.facts, "sync", _sync),
            *_per_env(explanation.facts, "ignored fields", _ignored),
            *_cost_actions(explanation),
        ]
        if any(f.app.hydrator is not None for f in explanation.facts):
            lines += _per_env(explanation.facts, "source hydrator", _hydrator)
        if any(_overrides(f) != "none" for f in explanation.facts):
            lines += _per_env(explanation.facts, "overridden by config.yaml", _overrides)
    else:
        lines = [
            f"{group.name}: group in layer {group.layer}, defined at {group.where}",
            f"  {group.description}",
            *_rendered(explanation),
            f"  profiles: {profiles} (the profiles that include layer {group.layer})",
            *_group_lines(explanation, group),
        ]
    lines.extend(f"  {w}" for w in explanation.warnings)
    return "\n".join(lines)


def format_result(explanations: Sequence[Explanation]) -> str:
    """Every explanation, separated by a blank line."""
    return "\n\n".join(format_explanation(e) for e in explanations)
