"""What a push does to the cluster: two trees of one environment and profile, compared.

Argo CD matches Applications by name: one only in the new tree is created, one only in the old
tree is pruned (its resources finalizer deletes what it deployed), one in both whose object
differs is changed. Group app-of-apps Applications count as Applications too: pruning
``group-<name>`` prunes the whole group.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.core.model import LABEL_PREFIX
from generator.plan.tree import Tree

Role = Literal["group", "workload"]
#: How a value absent on one side is shown.
ABSENT = "(absent)"
_MAX_VALUE = 72


@dataclass(frozen=True)
class AppState:
    """One Application of a tree: a group app or a workload app."""

    name: str
    role: Role
    layer: str
    group: str
    sync: str
    document: Mapping[str, Any]
    file: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "layer": self.layer,
            "group": self.group,
            "sync": self.sync,
            "file": self.file,
        }


def _sync(document: Mapping[str, Any]) -> str:
    policy = (document.get("spec") or {}).get("syncPolicy") or {}
    return "auto" if isinstance(policy, dict) and policy.get("automated") is not None else "manual"


def app_states(tree: Tree) -> dict[str, AppState]:
    """Every Application of ``tree`` by name, group apps first, in tree order."""
    states: dict[str, AppState] = {}
    for node in tree.groups:
        document = node.generated.application
        states[node.name] = AppState(
            node.name, "group", node.layer, node.group, _sync(document), document, node.appset.file
        )
    for node, doc in tree.applications:
        labels = (doc.data.get("metadata") or {}).get("labels") or {}
        group = str(labels.get(f"{LABEL_PREFIX}group", node.group))
        states[doc.name] = AppState(
            doc.name, "workload", node.layer, group, _sync(doc.data), doc.data, doc.file
        )
    return states


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its path (``spec.source.targetRevision``), old and new as JSON."""

    path: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.path}: {self.old} -> {self.new}"


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 3] + "..."


def _key(path: str, key: str) -> str:
    if "." in key or "/" in key or not key:
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def field_changes(old: Any, new: Any, path: str = "") -> Iterator[FieldChange]:
    """The leaves where ``old`` and ``new`` differ: mappings key by key, lists of one length
    item by item, anything else as a whole."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            here = _key(path, str(key))
            if key not in new:
                yield FieldChange(here, _show(old[key]), ABSENT)
            elif key not in old:
                yield FieldChange(here, ABSENT, _show(new[key]))
            else:
                yield from field_changes(old[key], new[key], here)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from field_changes(before, after, f"{path}[{index}]")
        return
    yield FieldChange(path, _show(old), _show(new))


@dataclass(frozen=True)
class AppChange:
    """An Application in both trees whose object differs."""

    before: AppState
    after: AppState
    fields: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.after.to_json(),
            "syncBefore": self.before.sync,
            "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in self.fields],
        }


@dataclass(frozen=True)
class Changes:
    """What replacing ``before`` by ``after`` does, for one environment and profile."""

    environment: str
    profile: str
    layers_before: tuple[str, ...]
    layers_after: tuple[str, ...]
    created: tuple[AppState, ...]
    pruned: tuple[AppState, ...]
    changed: tuple[AppChange, ...]
    unchanged: int

    @property
    def layers_added(self) -> list[str]:
        return [layer for layer in self.layers_after if layer not in self.layers_before]

    @property
    def layers_removed(self) -> list[str]:
        return [layer for layer in self.layers_before if layer not in self.layers_after]

    @property
    def manual_pruned(self) -> list[AppState]:
        """Manual-sync apps pruned: someone may have synced them, and pruning deletes that."""
        return [a for a in self.pruned if a.role == "workload" and a.sync == "manual"]

    @property
    def ungated(self) -> list[AppChange]:
        """Apps that were manual-sync and become auto-sync: they deploy on their own."""
        return [c for c in self.changed if c.before.sync == "manual" and c.after.sync == "auto"]

    @property
    def empty(self) -> bool:
        return not (self.created or self.pruned or self.changed or self.layers_added) and not (
            self.layers_removed
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "profile": self.profile,
            "layersAdded": self.layers_added,
            "layersRemoved": self.layers_removed,
            "created": [a.to_json() for a in self.created],
            "pruned": [a.to_json() for a in self.pruned],
            "changed": [c.to_json() for c in self.changed],
            "manualPruned": [a.name for a in self.manual_pruned],
            "becomeAutoSync": [c.after.name for c in self.ungated],
            "unchanged": self.unchanged,
        }


def compare(before: Tree, after: Tree) -> Changes:
    """The changes from ``before`` to ``after`` (two trees of one environment and profile)."""
    old, new = app_states(before), app_states(after)
    changed = []
    unchanged = 0
    for name, state in new.items():
        if name not in old:
            continue
        fields = tuple(field_changes(old[name].document, state.document))
        if fields:
            changed.append(AppChange(old[name], state, fields))
        else:
            unchanged += 1
    return Changes(
        environment=after.environment,
        profile=after.profile,
        layers_before=before.layers,
        layers_after=after.layers,
        created=tuple(state for name, state in new.items() if name not in old),
        pruned=tuple(state for name, state in old.items() if name not in new),
        changed=tuple(changed),
        unchanged=unchanged,
    )
