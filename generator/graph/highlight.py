"""``gen graph --since REV``: mark on the graph what a push adds, removes and changes.

The changes are ``gen plan --since``'s (generator/plan/changes.py): the rendered folder on disk
against the one at REV, compared by Application name. An app is added, removed or changed as
its Application is; a group as its app-of-apps Application (``group-<name>``) is, else changed
when any of its apps is; a layer is added or removed with the profile's layers, else changed
when anything in it is. What the push removes is no longer in the catalog's graph: it is drawn
back, marked removed, where it was (its layer, and its group when that is still a box).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from generator.graph.model import (
    ADDED,
    CHANGE_MARKS,
    CHANGED,
    REMOVED,
    Cluster,
    Graph,
    Node,
    NodeKind,
    Since,
    node_id,
)
from generator.plan.changes import AppState, Changes

Item = TypeVar("Item", Node, Cluster)

#: The label line of each change mark.
CHANGE_LINES = {
    ADDED: "added by the push",
    REMOVED: "removed by the push",
    CHANGED: "changed by the push",
}


@dataclass
class _Marks:
    """The change mark of each layer, group and app, by node id."""

    marks: dict[str, str] = field(default_factory=dict)
    #: Changed fields of changed apps, for their tooltips.
    fields: dict[str, list[str]] = field(default_factory=dict)

    def mark(self, key: str, mark: str) -> None:
        """Set ``mark`` unless a stronger one (added or removed beats changed) is set."""
        if self.marks.get(key) in (ADDED, REMOVED) and mark == CHANGED:
            return
        self.marks[key] = mark


def _catalog_name(state: AppState, prefix: str) -> str:
    """The catalog name of an Application (its name without the environment's namePrefix)."""
    name = state.name
    return name[len(prefix) :] if prefix and name.startswith(prefix) else name


def _collect(changes: Changes, prefix: str) -> _Marks:
    found = _Marks()
    touched = [
        *((state, ADDED) for state in changes.created),
        *((state, REMOVED) for state in changes.pruned),
        *((change.after, CHANGED) for change in changes.changed),
    ]
    for state, mark in touched:
        found.mark(node_id("layer", state.layer), CHANGED)
        if state.role == "group":
            found.mark(node_id("group", state.group), mark)
            continue
        found.mark(node_id("group", state.group), CHANGED)
        found.mark(node_id("app", _catalog_name(state, prefix)), mark)
    for change in changes.changed:
        if change.after.role == "workload":
            key = node_id("app", _catalog_name(change.after, prefix))
            found.fields[key] = [f.path for f in change.fields]
    for layer in changes.layers_added:
        found.mark(node_id("layer", layer), ADDED)
    for layer in changes.layers_removed:
        found.mark(node_id("layer", layer), REMOVED)
    return found


def _marked(item: Item, found: _Marks) -> Item:
    mark = found.marks.get(item.id)
    if mark is None:
        return item
    tooltip = item.tooltip
    if item.id in found.fields:
        tooltip = "; ".join(filter(None, [tooltip, "changed: " + ", ".join(found.fields[item.id])]))
    marks = (*(m for m in item.marks if m not in CHANGE_MARKS), mark)
    return dataclasses.replace(
        item, label=(*item.label, CHANGE_LINES[mark]), marks=marks, tooltip=tooltip
    )


def _removed_node(kind: NodeKind, name: str, cluster: str, layer: str, group: str) -> Node:
    attributes = {"layer": layer, "group": group} if kind == "app" else {"layer": layer}
    return Node(
        id=node_id(kind, name),
        kind=kind,
        name=name,
        label=(name,),  # the change line is added with the mark
        cluster=cluster,
        marks=(REMOVED,),
        attributes=attributes,
    )


def _restore(graph: Graph, changes: Changes, prefix: str) -> tuple[list[Cluster], list[Node]]:
    """The clusters and nodes of what the push removes and the graph no longer has."""
    have = {c.id for c in graph.clusters} | {n.id for n in graph.nodes}
    boxes = {c.id for c in graph.clusters}
    clusters: list[Cluster] = []
    nodes: list[Node] = []

    def layer_box(layer: str) -> str:
        """The layer's cluster, made when the layer is none (or only a plain node)."""
        key = node_id("layer", layer)
        if key not in boxes:
            boxes.add(key)
            have.add(key)
            clusters.append(Cluster(key, "layer", layer, (layer,)))
        return key

    if graph.level == "layers":
        for layer in changes.layers_removed:
            if node_id("layer", layer) not in have:
                nodes.append(Node(node_id("layer", layer), "layer", layer, (layer,)))
        return clusters, nodes
    for state in changes.pruned:
        if state.role == "workload" and graph.level == "groups":
            continue  # its group is marked changed (or removed)
        kind: NodeKind = "group" if state.role == "group" else "app"
        name = state.group if kind == "group" else _catalog_name(state, prefix)
        if node_id(kind, name) in have:
            continue
        group_box = node_id("group", state.group)
        inside = group_box if kind == "app" and group_box in {c.id for c in graph.clusters} else ""
        cluster = inside or layer_box(state.layer)
        have.add(node_id(kind, name))
        nodes.append(_removed_node(kind, name, cluster, state.layer, state.group))
    return clusters, nodes


def _names(states: Iterable[AppState]) -> tuple[str, ...]:
    return tuple(sorted(state.name for state in states))


def highlight(graph: Graph, changes: Changes, revision: str, commit: str, prefix: str) -> Graph:
    """``graph`` with what ``changes`` adds, removes and changes marked; ``prefix`` is the
    environment's namePrefix (Application names carry it, catalog names do not)."""
    found = _collect(changes, prefix)
    extra_clusters, extra_nodes = _restore(graph, changes, prefix)
    clusters = [_marked(c, found) for c in (*graph.clusters, *extra_clusters)]
    boxes = {c.id for c in clusters}
    # A layer that was a plain node (nothing to show) and now holds what is removed is a box.
    kept = [n for n in graph.nodes if n.id not in boxes]
    nodes = [_marked(n, found) for n in (*kept, *extra_nodes)]
    since = Since(
        revision=revision,
        commit=commit,
        added=_names(changes.created),
        removed=_names(changes.pruned),
        changed=_names(change.after for change in changes.changed),
        layers_added=tuple(changes.layers_added),
        layers_removed=tuple(changes.layers_removed),
    )
    return dataclasses.replace(graph, clusters=tuple(clusters), nodes=tuple(nodes), since=since)
