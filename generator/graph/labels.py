"""What each layer, group and app node says: its label lines, marks, tooltip and attributes.

Labels are plain text lines (the emitters escape them for their format), wrapped at
:data:`WRAP` characters so that one long reason does not stretch the whole diagram.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from generator.core.model import App, CostAction, Environment
from generator.graph.model import (
    CONDITIONAL,
    CORE,
    DISABLED,
    DORMANT,
    MANUAL,
    OUTSIDE,
    Cluster,
    Node,
    node_id,
)
from generator.ops.actions import describe
from generator.project.resolve import Decision
from generator.project.settings.conditions import is_dormant_reason
from generator.project.waves import Wave

#: Label lines are wrapped at this width (words are never cut).
WRAP = 40


def wrap(text: str) -> list[str]:
    """``text`` as label lines of at most :data:`WRAP` characters (a longer word stays whole)."""
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [""]


def count(number: int, noun: str) -> str:
    """``1 app``, ``3 apps``."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def gated(app: App) -> bool:
    """Whether the app is manual-sync for cost (not only because its group is dormant)."""
    return app.sync == "manual" and not is_dormant_reason(app)


def _group_lines(decision: Decision) -> list[str]:
    """The lines under a group's name: on or off and why, its apps, conditions, dormancy."""
    group = decision.group
    if not decision.enabled:
        return wrap(f"off: {decision.why}")
    manual = sum(1 for app in group.apps if gated(app))
    summary = count(len(group.apps), "app")
    if manual:
        summary += ", all manual" if manual == len(group.apps) else f", {manual} manual"
    lines = [f"core, {summary}" if group.core else summary]
    for condition in decision.conditions:
        lines += wrap(f"when {condition.verdict()}")
    if decision.dormant:
        names = ", ".join(value.name for value in decision.dormant)
        lines += wrap(f"dormant: {names} empty")
    return lines


def group_marks(decision: Decision, outside: bool) -> tuple[str, ...]:
    """The marks of a group node or cluster, in :data:`~generator.graph.model.MARKS` order."""
    group = decision.group
    marks = [CORE] if group.core else []
    if not decision.enabled:
        marks.append(DISABLED)
    if group.when:
        marks.append(CONDITIONAL)
    if decision.enabled and all(gated(app) for app in group.apps):
        marks.append(MANUAL)  # nothing in it deploys until someone syncs it
    if decision.dormant:
        marks.append(DORMANT)
    if outside:
        marks.append(OUTSIDE)
    return tuple(marks)


def group_attributes(decision: Decision) -> dict[str, Any]:
    """The facts behind a group's label (docs/output.md)."""
    group = decision.group
    return {
        "layer": group.layer,
        "description": group.description,
        "enabled": decision.enabled,
        "why": decision.why,
        "where": str(decision.where),
        "conditions": [c.verdict() for c in decision.conditions],
        "dormant": [value.name for value in decision.dormant],
        "apps": [app.name for app in group.apps],
        "manualApps": [app.name for app in group.apps if gated(app)],
    }


def group_tooltip(decision: Decision) -> str:
    """The group's description and the whole reason it is on or off, with file:line."""
    description = decision.group.description.strip()
    return f"{description} ({decision.explain()})" if description else decision.explain()


def group_node(decision: Decision, cluster: str | None, outside: bool) -> Node:
    """A group drawn as one box."""
    group = decision.group
    return Node(
        id=node_id("group", group.name),
        kind="group",
        name=group.name,
        label=(group.name, *_group_lines(decision)),
        cluster=cluster,
        marks=group_marks(decision, outside),
        tooltip=group_tooltip(decision),
        attributes=group_attributes(decision),
    )


def group_cluster(decision: Decision, parent: str) -> Cluster:
    """An enabled group drawn as a box around its apps (the apps level)."""
    group = decision.group
    notes = _group_lines(decision)[1:]  # the app count is plain to see inside the box
    return Cluster(
        id=node_id("group", group.name),
        kind="group",
        name=group.name,
        label=(group.name, *notes),
        parent=parent,
        # Its apps show the cost gate themselves.
        marks=tuple(m for m in group_marks(decision, outside=False) if m != MANUAL),
        tooltip=group_tooltip(decision),
    )


def _short(action: CostAction) -> str:
    """A cost action in a few words (the full description is in the tooltip)."""
    target = f"{action.kind} {action.name}"
    if action.action == "scale":
        return f"scale {target}, up {action.up} / down {action.down}"
    return f"pause {target}"


def _wave_text(app: App, wave: Wave) -> tuple[str, str]:
    """The wave as the label shows it, and where it came from."""
    if "wave" in app.written and app.wave is None:
        return "no sync wave (Argo CD's 0)", "none: wave: null in the catalog"
    return f"wave {wave.value}", wave.origin()


def app_node(app: App, wave: Wave, env: Environment, layer: str, cluster: str) -> Node:
    """An app: its Application name, its sync wave, and for a manual one why and how it is
    brought up (its reason and its cost actions)."""
    shown, origin = _wave_text(app, wave)
    lines = [shown]
    if gated(app):
        lines += wrap(f"manual: {app.reason or 'manual sync'}")
    if app.dormant:
        lines += wrap(f"dormant: {', '.join(app.dormant)} empty")
    for action in app.cost_actions:
        lines += wrap(f"cost action: {_short(action)}")
    actions = [describe(action) for action in app.cost_actions]
    marks = [MANUAL] if app.sync == "manual" else []
    if app.dormant:
        marks.append(DORMANT)
    name = env.object_name(app.name)
    notes = [app.reason or ""] if app.sync == "manual" else []
    notes += [f"{shown}: {origin}", *actions]
    return Node(
        id=node_id("app", app.name),
        kind="app",
        name=app.name,
        label=(name, *lines),
        cluster=cluster,
        marks=tuple(marks),
        tooltip="; ".join(note for note in notes if note),
        attributes={
            "layer": layer,
            "group": app.group,
            "application": name,
            "namespace": app.namespace or "",
            "wave": wave.value,
            "waveOrigin": origin,
            "sync": app.sync,
            "reason": app.reason if app.sync == "manual" else None,
            "syncCommand": f"argocd app sync {name}" if gated(app) and not app.dormant else None,
            "dormant": list(app.dormant),
            "costActions": actions,
            "dependsOn": list(app.depends_on),
        },
    )


def layer_node(
    layer: str, decisions: Sequence[Decision], outside: bool, profile: str, show_off: bool
) -> Node:
    """A layer as one box (the layers level, or a layer with nothing to show): how many of its
    groups are on, its apps, and how many of them are manual."""
    on = [d.group for d in decisions if d.enabled]
    off = [d.group.name for d in decisions if not d.enabled]
    apps = [app for group in on for app in group.apps]
    manual = [app.name for app in apps if gated(app)]
    if off and show_off:
        groups = f"{len(on)} of {len(decisions)} groups on"
    else:
        groups = count(len(on), "group") + " on"
    lines = [groups, f"{count(len(apps), 'app')}, {len(manual)} manual"]
    if outside:
        lines.append(f"not in profile {profile}")
    return Node(
        id=node_id("layer", layer),
        kind="layer",
        name=layer,
        label=(layer, *lines),
        marks=(OUTSIDE,) if outside else (),
        attributes={
            "groups": [group.name for group in on],
            "disabledGroups": off,
            "apps": len(apps),
            "manualApps": manual,
        },
    )


def layer_cluster(layer: str, outside: bool, profile: str) -> Cluster:
    """A layer drawn as a box around its groups; one the profile leaves out says so."""
    label = (layer, f"not in profile {profile}") if outside else (layer,)
    return Cluster(
        id=node_id("layer", layer),
        kind="layer",
        name=layer,
        label=label,
        marks=(OUTSIDE,) if outside else (),
    )
