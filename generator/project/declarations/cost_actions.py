"""Cost actions (``costActions`` of a catalog app): read, checked, and the ignoreDifferences
derived from them.

A cost action is declared once, in the catalog, and everything else follows from it: the
ignoreDifferences rule that keeps a sync from reverting it (with RespectIgnoreDifferences, added
by the renderer), the ``kubectl`` command ``gen up/down`` runs (generator/ops/actions.py) and
what ``gen doctor`` reads back. A hand-written rule that already covers a derived one is
reported (``duplicate-ignore-rule``) and the derived copy is left out, so the Application never
lists the same rule twice.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from generator.core.constants import RESPECT_IGNORE
from generator.core.errors import Problem, key_path
from generator.core.k8s_names import dns_label_problem, dns_subdomain_problem, key_problem
from generator.core.model import App, CostAction, CostActionKind, Location
from generator.yamlio.source import SourceDoc

ACTIONS: tuple[CostActionKind, ...] = ("scale", "pause")

_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")

At = tuple[str | int, ...]


def _kind_problem(action: str, group: str | None, kind: str) -> tuple[str | None, str | None]:
    """The action's API group (given, or the built-in kind's own) and why it is wrong, if it
    is: kind and group must agree for built-in kinds, and a scaled built-in kind must have
    ``/spec/replicas`` (kubernetes-validate's schemas say which do)."""
    from generator.project.schema import suggest
    from generator.validation.core_kinds import KubeSchemas, core_groups_of, is_core_group

    if not _KIND.match(kind):
        return group, f'"{kind}" is not a Kubernetes kind (a CamelCase word such as Deployment)'
    groups = core_groups_of(kind)
    if group is None:
        if len(groups) != 1:
            known = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
            return None, (
                f'"{kind}" is not a built-in kind{suggest(kind, known)}; give the API "group" '
                "of a custom resource"
            )
        group = groups[0]
    elif is_core_group(group) and group not in groups:
        if not groups:
            return group, f'API group "{group}" has no built-in kind "{kind}"'
        where = " or ".join(f'"{g}"' for g in groups)
        return group, f'{kind} is in API group {where}, not "{group}"'
    replicas = ["spec", "replicas"]
    if action == "scale" and groups and KubeSchemas().pointer_problem(group, kind, replicas):
        return group, f"{kind} has no /spec/replicas: it cannot be scaled"
    return group, None


def _located(doc: SourceDoc, path: At, message: str, id_: str) -> Problem:
    return doc.problem(path, message, id=id_)


def _namespace_problem(
    doc: SourceDoc, at: At, namespace: str | None, written: bool
) -> Problem | None:
    """The action's namespace (its own when ``written``, else the app's) must exist and be a
    DNS-1123 label."""
    if namespace is None:
        return _located(doc, at, 'needs a "namespace": the app has none', "cost-action-namespace")
    bad = dns_label_problem(namespace)
    if bad:
        return _located(doc, (*at, "namespace") if written else at, bad, "cost-action-namespace")
    return None


def _one_action(
    doc: SourceDoc,
    at: At,
    action: CostActionKind,
    raw: Mapping[str, Any],
    app_namespace: str | None,
    problems: list[Problem],
) -> CostAction | None:
    """The typed action, or None after adding its problems (the schema checked the shape)."""
    found: list[Problem] = []
    group, bad = _kind_problem(action, raw.get("group"), raw["kind"])
    if bad:
        path = (*at, "group") if "group" in raw else (*at, "kind")
        found.append(_located(doc, path, bad, "cost-action-kind"))
    bad = dns_subdomain_problem(raw["name"])
    if bad:
        found.append(_located(doc, (*at, "name"), bad, "cost-action-name"))
    namespace = raw.get("namespace", app_namespace)
    bad_namespace = _namespace_problem(doc, at, namespace, "namespace" in raw)
    if bad_namespace:
        found.append(bad_namespace)
    if action == "scale" and raw["down"] >= raw["up"]:
        found.append(
            _located(
                doc,
                (*at, "down"),
                f"down ({raw['down']}) must be below up ({raw['up']})",
                "cost-action-replicas",
            )
        )
    if action == "pause":
        bad = key_problem(raw["annotation"])
        if bad:
            found.append(_located(doc, (*at, "annotation"), bad, "cost-action-annotation"))
    problems.extend(found)
    if found or group is None or namespace is None:
        return None
    line, column = doc.locate(at)
    return CostAction(
        action=action,
        group=group,
        kind=raw["kind"],
        name=raw["name"],
        namespace=namespace,
        where=Location(doc.file, line, column, key_path(at)),
        up=int(raw.get("up", 0)),
        down=int(raw.get("down", 0)),
        annotation=str(raw.get("annotation", "")),
        namespace_written="namespace" in raw,
    )


def build_cost_actions(
    doc: SourceDoc, at: At, raw: Mapping[str, Any], namespace: str | None, problems: list[Problem]
) -> tuple[CostAction, ...]:
    """The app's cost actions (``raw`` is the app entry at ``at`` in ``doc``), with every
    problem appended to ``problems``: wrong kinds or groups, names, replicas, annotation keys,
    a long-form syncPolicy without RespectIgnoreDifferences, and duplicate hand-written rules
    (warnings)."""
    declared = raw.get("costActions") or {}
    actions = []
    for kind in ACTIONS:
        if kind in declared:
            where = (*at, "costActions", kind)
            built = _one_action(doc, where, kind, declared[kind], namespace, problems)
            if built is not None:
                actions.append(built)
    if declared and "syncPolicy" in raw:
        options = (raw.get("syncPolicy") or {}).get("syncOptions") or ()
        if RESPECT_IGNORE not in options:
            problems.append(
                _located(
                    doc,
                    (*at, "syncPolicy"),
                    f"costActions need {RESPECT_IGNORE} in syncPolicy.syncOptions (this app's "
                    "syncPolicy is rendered as written), or a sync reverts them",
                    "cost-action-respect",
                )
            )
    problems.extend(_duplicates(doc, at, raw.get("ignoreDifferences") or (), actions))
    return tuple(actions)


def derived_rule(action: CostAction) -> dict[str, Any]:
    """The ignoreDifferences rule that keeps a sync from reverting ``action``."""
    rule: dict[str, Any] = {}
    if action.group:
        rule["group"] = action.group
    rule["kind"] = action.kind
    rule["name"] = action.name
    if action.namespace_written:
        rule["namespace"] = action.namespace
    rule["jsonPointers"] = [action.pointer]
    return rule


def covers(rule: Mapping[str, Any], action: CostAction) -> bool:
    """Whether a hand-written ignoreDifferences ``rule`` already ignores what ``action``
    changes (same group and kind, its name and namespace or none, the same JSON pointer)."""
    return (
        rule.get("group", "") == action.group
        and rule.get("kind") == action.kind
        and rule.get("name") in (None, action.name)
        and rule.get("namespace") in (None, action.namespace)
        and action.pointer in (rule.get("jsonPointers") or ())
    )


def _duplicates(doc: SourceDoc, at: At, rules: Any, actions: list[CostAction]) -> list[Problem]:
    found = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        for action in actions:
            if covers(rule, action):
                number = list(rule["jsonPointers"]).index(action.pointer)
                path = (*at, "ignoreDifferences", index, "jsonPointers", number)
                message = (
                    f"{action.kind} {action.name} {action.pointer} is already ignored by the rule "
                    f"derived from costActions.{action.action}; drop it here"
                )
                problem = _located(doc, path, message, "duplicate-ignore-rule")
                found.append(dataclasses.replace(problem, severity="warning"))
    return found


def ignore_differences(app: App) -> list[dict[str, Any]]:
    """The app's ignoreDifferences as rendered: the hand-written rules, then the rules derived
    from its cost actions that no hand-written rule already covers."""
    rules = [dict(rule) for rule in app.ignore_differences]
    for action in app.cost_actions:
        if not any(covers(rule, action) for rule in app.ignore_differences):
            rules.append(derived_rule(action))
    return rules
