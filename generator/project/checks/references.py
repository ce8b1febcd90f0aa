"""Cross-file checks over the typed model: names, references, features, requirements.

Field-level shape is the JSON Schemas' job; these checks need more than one file at a time
(a group's layer exists, a feature flag selects a group, app names are unique). Each returns
problems located at the file:line:column the model remembered.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.core.constants import (
    GROUP_APP_PREFIX,
    LABEL_PREFIX,
    RESPECT_IGNORE,
    WAVE_ANNOTATION,
)
from generator.core.errors import Problem
from generator.core.k8s_names import dns_label_problem
from generator.core.model import (
    App,
    Group,
    Project,
)
from generator.project.declarations.appofapps import app_of_apps_problems
from generator.project.resolve import decide
from generator.project.schema import suggest


def _names(project: Project) -> Iterable[Problem]:
    config = project.config
    for env in config.environments.values():
        bad = dns_label_problem(env.name)
        if bad:
            yield env.where.problem(bad, id="invalid-name", key=f"environments.{env.name}")
    layers = project.layers
    for index, layer in enumerate(layers.order):
        bad = dns_label_problem(layer)
        if bad:
            yield layers.locate("layers", index).problem(
                bad, id="invalid-name", key=f"layers[{index}]"
            )
    for group in project.groups.values():
        bad = dns_label_problem(group.name)
        if bad:
            yield group.locate("name").problem(bad, id="invalid-name", key="name")
        for app in group.apps:
            for key, value in (("name", app.name), ("namespace", app.namespace)):
                bad = dns_label_problem(value) if value else None
                if bad:
                    where = app.locate(key)
                    yield where.problem(bad, id="invalid-name", key=where.key)
            for env in config.environments.values():
                # Argo CD labels every resource with its Application's name (a label value).
                full = env.object_name(app.name)
                if env.name_prefix and len(full) > 63:
                    where = app.locate("name")
                    yield where.problem(
                        f'"{full}" (with environment "{env.name}"\'s namePrefix) is '
                        f"{len(full)} characters; an Application name has at most 63",
                        id="invalid-name",
                        key=where.key,
                    )


def _layers(project: Project) -> Iterable[Problem]:
    layers = project.layers
    known = set(layers.order)
    for index, layer in enumerate(layers.order):
        if layer in layers.order[:index]:
            first = layers.locate("layers", layers.order.index(layer))
            yield layers.locate("layers", index).problem(
                f'layer "{layer}" is already listed at {first}',
                id="duplicate-name",
                key=f"layers[{index}]",
            )
    previous: tuple[str, set[str]] | None = None
    for profile, members in layers.profiles.items():
        where = layers.locate("profiles", profile)
        bad = dns_label_problem(profile)
        if bad:
            yield where.problem(bad, id="invalid-name", key=f"profiles.{profile}")
        for index, layer in enumerate(members):
            if layer not in known:
                yield layers.locate("profiles", profile, index).problem(
                    f'unknown layer "{layer}"' + suggest(layer, known),
                    id="unknown-layer",
                    key=f"profiles.{profile}[{index}]",
                )
        if previous is not None:
            missing = [layer for layer in previous[1] if layer not in members]
            if missing:
                yield where.problem(
                    f'profiles are additive: "{profile}" must include every layer of '
                    f'"{previous[0]}" (missing: {", ".join(sorted(missing))})',
                    id="profile-not-additive",
                    key=f"profiles.{profile}",
                )
        previous = (profile, set(members))
    for group in project.groups.values():
        if group.layer not in known:
            yield group.locate("layer").problem(
                f'unknown layer "{group.layer}"' + suggest(group.layer, known),
                id="unknown-layer",
                key="layer",
            )


def _apps(project: Project) -> Iterable[Problem]:
    for group in project.groups.values():
        seen: dict[str, App] = {}
        for app in group.apps:
            if app.name in seen:
                yield app.locate("name").problem(
                    f'app "{app.name}" is already defined at {seen[app.name].locate("name")}',
                    id="duplicate-name",
                    key=app.locate("name").key,
                )
            else:
                seen[app.name] = app
            if app.name.startswith(GROUP_APP_PREFIX):
                yield app.locate("name").problem(
                    f'"{GROUP_APP_PREFIX}" is reserved for the per-group app-of-apps Applications',
                    id="reserved-name",
                    key=app.locate("name").key,
                )
            for kind, values in (("labels", app.labels), ("annotations", app.annotations)):
                for key in values:
                    if key.startswith(LABEL_PREFIX):
                        yield app.locate(kind, key).problem(
                            f'"{LABEL_PREFIX}" keys are set by gen',
                            id="reserved-key",
                            key=app.locate(kind, key).key,
                        )
            if WAVE_ANNOTATION in app.annotations:
                yield app.locate("annotations", WAVE_ANNOTATION).problem(
                    'set the "wave" key instead',
                    id="reserved-key",
                    key=app.locate("annotations", WAVE_ANNOTATION).key,
                )
    yield from _names_across_groups(project)


def _names_across_groups(project: Project) -> Iterable[Problem]:
    """Names must be unique among the Applications one environment renders: apps of groups
    that are never on together may share a name."""
    reported: set[tuple[str, str]] = set()
    for env in project.config.environments.values():
        owners: dict[str, tuple[Group, App]] = {}
        for decision in decide(project, env):
            if not decision.enabled:
                continue
            group = decision.group
            for app in group.apps:
                first = owners.get(app.name)
                if first is None:
                    owners[app.name] = (group, app)
                    continue
                if first[0].name == group.name or (app.name, group.name) in reported:
                    continue  # same group: reported above
                reported.add((app.name, group.name))
                yield app.locate("name").problem(
                    f'app "{app.name}" is already defined at {first[1].locate("name")} (group '
                    f'"{first[0].name}"); both groups are on in environment "{env.name}"',
                    id="duplicate-name",
                    key=app.locate("name").key,
                )


def _features(project: Project, catalog_complete: bool) -> Iterable[Problem]:
    flags = {g.feature for g in project.groups.values() if g.feature is not None}
    core = {g.name for g in project.groups.values() if g.core}
    settings = list(project.config.features.values())
    for env in project.config.environments.values():
        settings.extend(env.features.values())
    for setting in settings:
        flag = setting.key.rsplit(".", 1)[-1]
        if flag in flags or not catalog_complete:
            continue
        if flag in core:
            message = f'"{flag}" is a core group: it is always on and has no flag'
            yield setting.where.problem(message, id="feature-core-group", key=setting.key)
        else:
            message = f'"{flag}" selects no group' + suggest(flag, flags)
            yield setting.where.problem(message, id="unknown-feature", key=setting.key)


def _cycles(project: Project) -> Iterable[Problem]:
    """``requires`` must not loop back (a -> b -> a): no bring-up order satisfies a cycle."""
    groups = project.groups
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(name: str) -> Iterable[Problem]:
        state[name] = 1
        stack.append(name)
        group = groups[name]
        for index, needed in enumerate(group.requires):
            if needed not in groups or needed == name:
                continue
            if state.get(needed) == 1:
                loop = [*stack[stack.index(needed) :], needed]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    yield group.locate("requires", index).problem(
                        "requires cycle: " + " -> ".join(loop),
                        id="dependency-cycle",
                        key=f"requires[{index}]",
                    )
            elif needed not in state:
                yield from visit(needed)
        stack.pop()
        state[name] = 2

    for name in sorted(groups):
        if name not in state:
            yield from visit(name)


def _requires(project: Project, catalog_complete: bool) -> Iterable[Problem]:
    groups = project.groups
    for group in groups.values():
        for index, needed in enumerate(group.requires):
            where, key = group.locate("requires", index), f"requires[{index}]"
            if needed == group.name:
                yield where.problem("a group cannot require itself", id="dependency-cycle", key=key)
            elif needed not in groups and catalog_complete:
                yield where.problem(
                    f'unknown group "{needed}"' + suggest(needed, groups),
                    id="unknown-group",
                    key=key,
                )
    yield from _cycles(project)
    for env in project.config.environments.values():
        enabled = {d.group.name: d for d in decide(project, env)}
        for decision in enabled.values():
            if not decision.enabled:
                continue
            for index, needed in enumerate(decision.group.requires):
                other = enabled.get(needed)
                if other is None or other.enabled:
                    continue
                if decision.key:  # on because of a flag: point at the flag
                    where, key = decision.where, decision.key
                else:
                    where, key = decision.group.locate("requires", index), f"requires[{index}]"
                yield where.problem(
                    f'environment "{env.name}": group "{decision.group.name}" is on but it '
                    f'requires "{needed}", which is off ({other.why} at {other.where})',
                    id="dependency-off",
                    key=key,
                )


def _wildcards(project: Project) -> Iterable[Problem]:
    """Least privilege: a ``*`` in clusterResources grants far more than one group needs."""
    for group in project.groups.values():
        for index, entry in enumerate(group.cluster_resources):
            for key in ("group", "kind"):
                if "*" in entry[key]:
                    yield group.locate("clusterResources", index, key).problem(
                        f'wildcard "{entry[key]}": the layer\'s AppProject will allow every '
                        "matching cluster-scoped kind; list the kinds the group creates instead",
                        severity="warning",
                        id="wildcard-cluster-resources",
                        key=f"clusterResources[{index}].{key}",
                    )


def _risky(project: Project) -> Iterable[Problem]:
    """Warnings about long-form apps the generator renders as written, without its defaults."""
    for group in project.groups.values():
        for app in group.apps:
            if not app.long_sync or not app.ignore_differences:
                continue
            options = (app.sync_policy or {}).get("syncOptions") or ()
            if RESPECT_IGNORE not in options:
                at = app.where_of("syncPolicy")
                yield at.problem(
                    f"ignoreDifferences without {RESPECT_IGNORE}: a sync still overwrites the "
                    "ignored fields; add it to syncPolicy.syncOptions if they must be kept",
                    severity="warning",
                    id="respect-ignore-differences",
                    key=f"{at.key}.syncOptions" if at.key else "syncPolicy.syncOptions",
                )


def check_project(project: Project, catalog_complete: bool = True) -> list[Problem]:
    """Every cross-file problem of ``project``. ``catalog_complete`` is False when some group
    file failed to load, so that references to it are not reported twice."""
    from generator.project.checks.appprojects import appproject_problems
    from generator.project.checks.config import config_problems

    return [
        *_names(project),
        *_layers(project),
        *_apps(project),
        *_features(project, catalog_complete),
        *_requires(project, catalog_complete),
        *appproject_problems(project, catalog_complete),
        *_risky(project),
        *_wildcards(project),
        *config_problems(project),
        *app_of_apps_problems(project, catalog_complete),
    ]
