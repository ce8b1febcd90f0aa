"""Decide, per environment, which groups are on, and say why.

A core group is always on. Otherwise a group's flag (its ``feature``, or its name) is looked up
in the environment's ``features``, then in the global ``features``, then the group's ``default``
applies. Every decision keeps the key and file:line that made it, for ``gen resolve-groups``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.core.model import Environment, Group, Location, Project


@dataclass(frozen=True)
class Decision:
    """Whether one group is rendered in one environment, and what decided it."""

    group: Group
    enabled: bool
    why: str
    where: Location


def group_order(project: Project, groups: Mapping[str, Group] | None = None) -> list[Group]:
    """Groups (default: the catalog's) in bring-up order: by layer, then by name."""
    rank = {layer: index for index, layer in enumerate(project.layers.order)}
    chosen = project.groups if groups is None else groups
    return sorted(chosen.values(), key=lambda g: (rank.get(g.layer, len(rank)), g.name))


def decide(project: Project, env: Environment) -> list[Decision]:
    """One decision per group of the catalog (with ``env``'s app overrides), in bring-up order."""
    decisions = []
    for group in group_order(project, project.groups_for(env.name)):
        if group.core or group.feature is None:
            decisions.append(Decision(group, True, "core group", group.where))
            continue
        setting = env.features.get(group.feature) or project.config.features.get(group.feature)
        if setting is not None:
            value = "true" if setting.value else "false"
            decisions.append(
                Decision(group, setting.value, f"{setting.key} = {value}", setting.where)
            )
        else:
            value = "true" if group.default else "false"
            decisions.append(
                Decision(
                    group,
                    group.default,
                    f"default {value} (flag {group.feature!r} unset)",
                    group.where,
                )
            )
    return decisions


def enabled_groups(project: Project, env: Environment) -> list[Group]:
    """The groups rendered for ``env``, in bring-up order."""
    return [d.group for d in decide(project, env) if d.enabled]


def profile_layers(project: Project, profile: str) -> tuple[str, ...]:
    """The layers a profile brings up, in bring-up order."""
    wanted = set(project.layers.profiles[profile])
    return tuple(layer for layer in project.layers.order if layer in wanted)
