"""Decide, per environment, which groups are on, and say why.

A core group is always on. Otherwise a group's flag (its ``feature``, or its name) is looked up
in the environment's ``features``, then in the global ``features``, then the group's ``default``
applies. A group with ``when:`` is on only where, besides, each setting it names has one of the
values it lists. An enabled group whose ``needs:`` name an empty setting is dormant: rendered,
without automated sync. Every decision keeps the key and file:line that made it, and each
condition the setting's value and where it was set, for ``gen resolve-groups`` and ``gen explain``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.model import (
    Environment,
    Group,
    Location,
    Project,
    SettingScalar,
    SettingValue,
    format_setting,
)
from generator.project.settings.declared import effective_values, same_value


@dataclass(frozen=True)
class Condition:
    """One setting of a group's ``when:``, as one environment's value meets it."""

    setting: str
    allowed: tuple[SettingScalar, ...]
    value: SettingValue

    @property
    def holds(self) -> bool:
        """Whether the environment's value is one of the allowed ones."""
        return any(same_value(self.value.value, allowed) for allowed in self.allowed)

    def verdict(self) -> str:
        """``gpu_stack is operator`` or ``gpu_stack is gke-managed, not operator``."""
        shown = "unset" if self.value.value is None else format_setting(self.value.value)
        text = f"{self.setting} is {shown}"
        if self.holds:
            return text
        choices = [format_setting(v) for v in self.allowed]
        wanted = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + f" or {choices[-1]}"
        return f"{text}, not {wanted}"

    def describe(self) -> str:
        """The verdict and where the value was set."""
        return f"{self.verdict()} ({origin(self.value)})"


def origin(value: SettingValue) -> str:
    """Where a setting's value comes from: ``settings.domain at config.yaml:30``,
    ``default at catalog/settings.yaml:12``, ``unset, declared at catalog/settings.yaml:9``."""
    if value.key:
        return f"{value.key} at {value.where}"
    if value.value is None:
        return f"unset, declared at {value.where}"
    return f"default at {value.where}"


@dataclass(frozen=True)
class Decision:
    """Whether one group is rendered in one environment, and what decided it."""

    group: Group
    enabled: bool
    why: str
    where: Location
    #: The config.yaml key behind ``why`` (``features.gpu``, a setting's key); empty for a core
    #: group, a default, or a setting's default.
    key: str = ""
    #: The group's ``when:``, as this environment's settings meet it.
    conditions: tuple[Condition, ...] = ()
    #: For an enabled group: the settings of its ``needs:`` that are empty (it is dormant).
    dormant: tuple[SettingValue, ...] = ()
    #: What the flag (or core-ness, or the default) says, with its place; equals ``why (where)``
    #: unless a condition turned the group off.
    flag: str = ""

    def explain(self) -> str:
        """The whole reason: the flag, each condition with the value and where it was set, and
        what keeps the group dormant."""
        parts = [self.flag or f"{self.why} ({self.where})"]
        parts += [c.describe() for c in self.conditions]
        parts += [f"dormant: {v.name} is empty ({origin(v)})" for v in self.dormant]
        return "; ".join(parts)


def group_order(project: Project, groups: Mapping[str, Group] | None = None) -> list[Group]:
    """Groups (default: the catalog's) in bring-up order: by layer, then by name."""
    rank = {layer: index for index, layer in enumerate(project.layers.order)}
    chosen = project.groups if groups is None else groups
    return sorted(chosen.values(), key=lambda g: (rank.get(g.layer, len(rank)), g.name))


def _flag(project: Project, env: Environment, group: Group) -> tuple[bool, str, Location, str]:
    """What the group's flag (or core-ness, or default) says: on, why, where, key."""
    if group.core or group.feature is None:
        return True, "core group", group.where, ""
    setting = env.features.get(group.feature) or project.config.features.get(group.feature)
    if setting is not None:
        value = "true" if setting.value else "false"
        return setting.value, f"{setting.key} = {value}", setting.where, setting.key
    value = "true" if group.default else "false"
    return group.default, f"default {value} (flag {group.feature!r} unset)", group.where, ""


def decide(project: Project, env: Environment) -> list[Decision]:
    """One decision per group of the catalog (with ``env``'s app overrides), in bring-up order.

    Made once per (immutable) project and environment: a run asks for the same ones a dozen
    times (loader checks, settings, waves, render, validation)."""
    key = ("decisions", id(env))
    found = project.derived.get(key)
    if found is None or found[0] is not env:  # the entry holds env: its id is not reused
        found = project.derived[key] = (env, tuple(_decide(project, env)))
    return list(found[1])


def _decide(project: Project, env: Environment) -> list[Decision]:
    values = effective_values(project, env)
    decisions = []
    for group in group_order(project, project.groups_for(env.name)):
        enabled, why, where, key = _flag(project, env, group)
        flag = f"{why} ({where})"
        conditions = tuple(
            Condition(
                name,
                allowed,
                values.get(name) or SettingValue(name, None, "", group.locate("when", name)),
            )
            for name, allowed in group.when.items()
        )
        failing = next((c for c in conditions if not c.holds), None)
        if enabled and failing is not None:
            enabled, why = False, failing.verdict()
            where, key = failing.value.where, failing.value.key
        dormant: tuple[SettingValue, ...] = ()
        if enabled:
            dormant = tuple(values[n] for n in group.needs if n in values and values[n].empty)
        decisions.append(Decision(group, enabled, why, where, key, conditions, dormant, flag))
    return decisions


def enabled_groups(project: Project, env: Environment) -> list[Group]:
    """The groups rendered for ``env``, in bring-up order."""
    return [d.group for d in decide(project, env) if d.enabled]


def profile_layers(project: Project, profile: str) -> tuple[str, ...]:
    """The layers a profile brings up, in bring-up order."""
    wanted = set(project.layers.profiles[profile])
    return tuple(layer for layer in project.layers.order if layer in wanted)
