"""What settings do to groups: ``when``/``needs``/``wants`` checks, the warnings of dormant groups
and of wanted groups that are off, and the per-environment apps with settings substituted.

Catalog-level checks (every group, whatever is enabled): ``when`` and ``needs`` name declared
settings and ``when`` values fit their declarations; ``wants`` names existing groups; every
``${settings.NAME}`` is well formed, names a declared setting and sits where it is substituted.

Per environment (enabled groups only): a group whose ``needs`` name an empty setting is dormant,
one warning per environment and setting; a ``wants`` entry that is off is a warning with the
group's reason; a reference to an empty setting is an error unless the group ``needs`` it.

:func:`apply_settings` then gives each environment its groups with the settings substituted into
their sources and the dormant groups' apps without automated sync, so that rendering, plans and
explanations all see the same apps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.core.errors import Problem
from generator.core.model import App, Group, Location, Project, SettingValue
from generator.project.resolve import Decision, decide, origin
from generator.project.schema import suggest
from generator.project.settings.declared import (
    as_text,
    effective_values,
    unknown_setting,
    value_problem,
)
from generator.project.settings.interpolate import (
    SUBSTITUTED,
    errors,
    references,
    strings,
    substitute_source,
)


def _when(project: Project, group: Group) -> Iterator[Problem]:
    for name, allowed in group.when.items():
        where = group.locate("when", name)
        decl = project.settings.get(name)
        if decl is None:
            message = unknown_setting(name, project.settings)
            yield where.problem(message, id="unknown-setting", key=where.key)
            continue
        listed = ("when", name, 0) in group.positions
        for index, value in enumerate(allowed):
            found = value_problem(decl, value)
            if found:
                at = group.locate("when", name, index) if listed else where
                yield at.problem(found[1], id=found[0], key=at.key)


def _needs(project: Project, group: Group) -> Iterator[Problem]:
    for index, name in enumerate(group.needs):
        if name not in project.settings:
            where = group.locate("needs", index)
            message = unknown_setting(name, project.settings)
            yield where.problem(message, id="unknown-setting", key=where.key)


def _wants(project: Project, group: Group) -> Iterator[Problem]:
    for want in group.wants:
        if want.group == group.name:
            message = "a group cannot want itself"
        elif want.group not in project.groups:
            message = f'unknown group "{want.group}"' + suggest(want.group, project.groups)
        else:
            continue
        yield want.where.problem(message, id="unknown-group", key=want.where.key)


def source_strings(app: App) -> Iterator[tuple[Location, str, bool]]:
    """Every string of the app's sources holding a ``${``: where it is written, the text, and
    whether it is substituted (under one of
    :data:`~generator.project.settings.interpolate.SUBSTITUTED`)."""
    for index, source in enumerate(app.sources):
        at: tuple[str | int, ...] = ("sources", index) if app.multi_source else ("source",)
        for key, value in source.items():
            for path, text in strings(value, (*at, key)):
                if "${" in text:
                    yield app.locate(*path), text, key in SUBSTITUTED


def _walked(project: Project, app: App) -> list[tuple[Location, str, bool]]:
    """:func:`source_strings` of ``app``, walked once per project (kept in
    ``project.derived``): environments without overrides share the catalog's app objects, so
    the checks and the settings of a run see most apps many times."""
    key = ("source-strings", id(app))
    hit = project.derived.get(key)
    if hit is None or hit[0] is not app:  # the entry holds the app: its id is not reused
        hit = project.derived[key] = (app, list(source_strings(app)))
    found: list[tuple[Location, str, bool]] = hit[1]
    return found


def _references(
    project: Project, found: list[tuple[Location, str, bool]], declared: bool
) -> Iterator[Problem]:
    for where, text, substituted in found:
        if not substituted:
            if references(text) or errors(text):
                yield where.problem(
                    "settings are substituted only in a source's "
                    f"{', '.join(SUBSTITUTED[:-1])} and {SUBSTITUTED[-1]} values, not here",
                    id="setting-reference-not-substituted",
                    key=where.key,
                )
            continue
        for message in errors(text):
            yield where.problem(message, id="malformed-setting-reference", key=where.key)
        for name in references(text):
            if name not in project.settings and declared:
                message = f"${{settings.{name}}}: " + unknown_setting(name, project.settings)
                yield where.problem(message, id="unknown-setting", key=where.key)


def catalog_problems(
    project: Project, declared: bool = True, catalog_complete: bool = True
) -> list[Problem]:
    """``when``/``needs``/``wants`` and the setting references of every group, the catalog's
    and each environment's overridden apps. ``declared`` is False when catalog/settings.yaml
    failed to load (names are then not checked)."""
    found: set[Problem] = set()
    for group in project.groups.values():
        if declared:
            found.update(_when(project, group))
            found.update(_needs(project, group))
        if catalog_complete:
            found.update(_wants(project, group))
    seen: set[int] = set()
    for groups in (project.groups, *project.env_groups.values()):
        for group in groups.values():
            for app in group.apps:
                if id(app) not in seen:
                    seen.add(id(app))
                    found.update(_references(project, _walked(project, app), declared))
    return sorted(found)


def _names(items: list[str]) -> str:
    quoted = [f'"{item}"' for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"


def _dormant_warnings(env: str, decisions: Iterable[Decision]) -> Iterator[Problem]:
    """One warning per empty setting: every enabled group it keeps dormant."""
    keeps: dict[str, list[str]] = {}
    values = {}
    for decision in decisions:
        for value in decision.dormant:
            keeps.setdefault(value.name, []).append(decision.group.name)
            values[value.name] = value
    for name, groups in keeps.items():
        value = values[name]
        subject = "group" if len(groups) == 1 else "groups"
        verb, their = ("is", "its") if len(groups) == 1 else ("are", "their")
        yield value.where.problem(
            f'environment "{env}": {subject} {_names(groups)} {verb} on but setting "{name}" '
            f"is empty: {their} apps stay dormant (no automated sync) until it is set",
            severity="warning",
            id="dormant-group",
            key=value.key or value.where.key,
        )


def _wants_warnings(env: str, decisions: Mapping[str, Decision]) -> Iterator[Problem]:
    for decision in decisions.values():
        if not decision.enabled:
            continue
        for want in decision.group.wants:
            other = decisions.get(want.group)
            if other is None or other.enabled:
                continue
            where, key = (
                (decision.where, decision.key) if decision.key else (want.where, want.where.key)
            )
            reason = f": {want.reason}" if want.reason else ""
            yield where.problem(
                f'environment "{env}": group "{decision.group.name}" is on but it wants '
                f'"{want.group}", which is off ({other.why} at {other.where}){reason}',
                severity="warning",
                id="wanted-group-off",
                key=key,
            )


def _empty_references(
    project: Project, group: Group, env: str, values: Mapping[str, SettingValue]
) -> Iterator[Problem]:
    for app in group.apps:
        for where, text, substituted in _walked(project, app):
            if not substituted:
                continue
            for name in references(text):
                value = values.get(name)
                if value is None or not value.empty or name in group.needs:
                    continue
                yield where.problem(
                    f'environment "{env}": ${{settings.{name}}} is empty ({origin(value)}); '
                    f'set it, or add "{name}" to the group\'s needs: to render the group '
                    "dormant until it is set",
                    id="empty-setting-reference",
                    key=where.key,
                )


def environment_problems(project: Project) -> list[Problem]:
    """Per environment: dormant groups and wanted groups that are off (warnings), references
    to empty settings outside ``needs`` (errors)."""
    found: set[Problem] = set()
    for env in project.config.environments.values():
        decisions = decide(project, env)
        enabled = [d for d in decisions if d.enabled]
        found.update(_dormant_warnings(env.name, enabled))
        found.update(_wants_warnings(env.name, {d.group.name: d for d in decisions}))
        values = effective_values(project, env)
        groups = project.groups_for(env.name)
        for decision in enabled:
            group = groups[decision.group.name]
            found.update(_empty_references(project, group, env.name, values))
    return sorted(found)


def dormant_reason(names: Iterable[str]) -> str:
    """The manual-sync reason of a dormant app that would otherwise sync automatically."""
    listed = list(names)
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + f" and {listed[-1]}"
    verb = "is" if len(listed) == 1 else "are"
    return f"dormant until {joined} {verb} set"


def is_dormant_reason(app: App) -> bool:
    """Whether the app is manual only because it is dormant (not cost-gated itself)."""
    return bool(app.dormant) and app.reason == dormant_reason(app.dormant)


def _dormant(app: App, names: tuple[str, ...]) -> App:
    """``app`` rendered dormant: no automated sync (a cost-gated app keeps its reason)."""
    reason = app.reason if app.sync == "manual" else dormant_reason(names)
    policy: Mapping[str, Any] | None = app.sync_policy
    if app.long_sync and policy is not None and "automated" in policy:
        policy = {key: value for key, value in policy.items() if key != "automated"}
    return dataclasses.replace(app, sync="manual", reason=reason, sync_policy=policy, dormant=names)


def _live(project: Project, app: App, values: Mapping[str, str], dormant: tuple[str, ...]) -> App:
    if any(substituted for _, _, substituted in _walked(project, app)):
        sources = tuple(substitute_source(source, values) for source in app.sources)
        app = dataclasses.replace(app, sources=sources)
    return _dormant(app, dormant) if dormant else app


def apply_settings(project: Project) -> dict[str, dict[str, Group]]:
    """Each environment's groups with its settings substituted into the sources of its enabled
    groups, and the apps of its dormant groups without automated sync (environments where
    nothing changes and nothing was overridden are left out, as in ``Project.env_groups``)."""
    result: dict[str, dict[str, Group]] = {}
    for env in project.config.environments.values():
        groups = dict(project.groups_for(env.name))
        values = {n: as_text(v.value) for n, v in effective_values(project, env).items()}
        changed = False
        for decision in decide(project, env):
            if not decision.enabled:
                continue
            group = groups[decision.group.name]
            names = tuple(value.name for value in decision.dormant)
            apps = tuple(_live(project, app, values, names) for app in group.apps)
            if any(new is not old for new, old in zip(apps, group.apps, strict=True)):
                groups[group.name] = dataclasses.replace(group, apps=apps)
                changed = True
        if changed or env.name in project.env_groups:
            result[env.name] = groups
    return result
