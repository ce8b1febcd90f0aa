"""The bring-up graph of one environment and profile, from the project as resolved for it.

Which groups are on, and why, is :func:`generator.project.resolve.decide` (what ``gen
resolve-groups``, ``gen render`` and ``gen plan`` use); apps are the environment's own
(``Project.groups_for``: overrides and settings applied, dormant apps without automated sync);
waves are :func:`generator.project.waves.app_waves`. Nothing here reads a file.

What is drawn:

- the profile's layers in bring-up order; a group of the profile's layers when it is on, or off
  unless ``enabled_only``; and each group an enabled one needs (``requires``, ``wants``, or an
  app's ``dependsOn``) in a layer the profile leaves out, marked so;
- between two groups, one line per level of detail. At the groups level, the strongest relation:
  ``requires``, else ``dependsOn`` (an app of one on an app of the other; the app pairs are the
  edge's ``via``), else ``wants``. At the apps level, each app's ``dependsOn`` is its own line,
  and a group line only joins groups no app line already joins. At the layers level, one line
  between two layers, the strongest of their groups' relations.

Lines run in bring-up order: from what comes up first to what needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.core.model import Environment, Group, Project
from generator.graph.labels import (
    app_node,
    group_cluster,
    group_node,
    layer_cluster,
    layer_node,
)
from generator.graph.model import (
    EDGE_KINDS,
    INACTIVE,
    Cluster,
    Edge,
    EdgeKind,
    Graph,
    Level,
    Node,
    node_id,
)
from generator.project.resolve import Decision, decide, profile_layers
from generator.project.waves import app_waves, group_of


@dataclass(frozen=True)
class Relation:
    """What ``dependant`` needs of ``dependency`` (two groups), as its strongest kind."""

    dependency: str
    dependant: str
    kind: EdgeKind
    #: The app dependencies between them (``kserve -> cert-manager``), in catalog order.
    via: tuple[str, ...] = ()
    #: The ``wants`` reason, when it wants the other group.
    reason: str = ""


def group_relations(group: Group, owner: Mapping[str, Group]) -> list[Relation]:
    """Each group ``group`` needs, once: ``requires``, ``dependsOn`` or ``wants``, in that
    order of strength. ``owner`` maps app names to their groups."""
    wants = {want.group: want.reason for want in group.wants}
    via: dict[str, list[str]] = {}
    for app in group.apps:
        for dependency in app.depends_on:
            other = owner.get(dependency)
            if other is not None and other.name != group.name:
                via.setdefault(other.name, []).append(f"{app.name} -> {dependency}")
    names = [*group.requires, *via, *wants]
    relations = []
    for name in dict.fromkeys(names):
        kind: EdgeKind = (
            "requires" if name in group.requires else "dependsOn" if name in via else "wants"
        )
        relations.append(
            Relation(name, group.name, kind, tuple(via.get(name, ())), wants.get(name, ""))
        )
    return relations


@dataclass(frozen=True)
class Scene:
    """What one graph shows: the groups (bring-up order) and the relations between them."""

    environment: Environment
    profile: str
    #: The profile's layers, in bring-up order.
    layers: tuple[str, ...]
    shown: tuple[Decision, ...]
    by_name: Mapping[str, Decision]
    #: Groups shown only because an enabled group of the profile needs them.
    outside: frozenset[str]
    relations: tuple[Relation, ...]
    enabled_only: bool

    def decision(self, group: str) -> Decision:
        """The decision of a shown group."""
        return self.by_name[group]

    def drawn_layers(self, order: Sequence[str]) -> list[str]:
        """The profile's layers and those of groups outside it, in bring-up order."""
        used = {d.group.layer for d in self.shown}
        return [layer for layer in order if layer in self.layers or layer in used]

    def in_layer(self, layer: str) -> list[Decision]:
        """The shown groups of ``layer``, in bring-up order."""
        return [d for d in self.shown if d.group.layer == layer]


def scene(project: Project, environment: str, profile: str, enabled_only: bool) -> Scene:
    """The groups and relations a graph of ``environment`` and ``profile`` shows."""
    env = project.config.environments[environment]
    layers = profile_layers(project, profile)
    decisions = decide(project, env)
    owner = group_of(project.groups_for(environment))
    in_profile = [
        d for d in decisions if d.group.layer in layers and (d.enabled or not enabled_only)
    ]
    needed = {
        relation.dependency
        for d in in_profile
        if d.enabled
        for relation in group_relations(d.group, owner)
    }
    outside = frozenset(
        d.group.name
        for d in decisions
        if d.group.name in needed
        and d.group.layer not in layers
        and (d.enabled or not enabled_only)
    )
    names = {d.group.name for d in in_profile} | outside
    shown = tuple(d for d in decisions if d.group.name in names)
    relations = tuple(
        relation
        for d in shown
        if d.group.name not in outside
        for relation in group_relations(d.group, owner)
        if relation.dependency in names
    )
    by_name = {d.group.name: d for d in shown}
    return Scene(env, profile, layers, shown, by_name, outside, relations, enabled_only)


def _strongest(kinds: Iterable[EdgeKind]) -> EdgeKind:
    return min(kinds, key=EDGE_KINDS.index)


def _inactive(scene: Scene, *groups: str) -> tuple[str, ...]:
    return (INACTIVE,) if any(not scene.decision(g).enabled for g in groups) else ()


def _layers_level(scene: Scene, order: Sequence[str]) -> tuple[list[Node], list[Edge]]:
    nodes = [
        layer_node(
            layer,
            scene.in_layer(layer),
            layer not in scene.layers,
            scene.profile,
            show_off=not scene.enabled_only,
        )
        for layer in scene.drawn_layers(order)
    ]
    found: dict[tuple[str, str], list[Relation]] = {}
    for relation in scene.relations:
        ends = scene.decision(relation.dependency), scene.decision(relation.dependant)
        if not all(d.enabled for d in ends) or ends[0].group.layer == ends[1].group.layer:
            continue
        key = (ends[0].group.layer, ends[1].group.layer)
        found.setdefault(key, []).append(relation)
    edges = [
        Edge(
            node_id("layer", source),
            node_id("layer", target),
            _strongest(r.kind for r in relations),
            via=tuple(sorted({f"{r.dependant} -> {r.dependency}" for r in relations})),
        )
        for (source, target), relations in found.items()
    ]
    return nodes, edges


def _layer_boxes(scene: Scene, order: Sequence[str]) -> tuple[list[Cluster], list[Node]]:
    """A box per drawn layer; a layer of the profile with no group to show is a plain node."""
    clusters, nodes = [], []
    for layer in scene.drawn_layers(order):
        outside = layer not in scene.layers
        if scene.in_layer(layer):
            clusters.append(layer_cluster(layer, outside, scene.profile))
        else:
            nodes.append(layer_node(layer, [], outside, scene.profile, show_off=False))
    return clusters, nodes


def _group_edge(scene: Scene, relation: Relation) -> Edge:
    return Edge(
        node_id("group", relation.dependency),
        node_id("group", relation.dependant),
        relation.kind,
        via=relation.via,
        reason=relation.reason,
        marks=_inactive(scene, relation.dependency, relation.dependant),
    )


#: What a level draws: its clusters, nodes and edges.
Drawn = tuple[list[Cluster], list[Node], list[Edge]]


def _groups_level(scene: Scene, order: Sequence[str]) -> Drawn:
    clusters, nodes = _layer_boxes(scene, order)
    for d in scene.shown:
        layer = node_id("layer", d.group.layer)
        nodes.append(group_node(d, layer, d.group.name in scene.outside))
    return clusters, nodes, [_group_edge(scene, r) for r in scene.relations]


def _apps_level(scene: Scene, project: Project, order: Sequence[str]) -> Drawn:
    clusters, nodes = _layer_boxes(scene, order)
    waves = app_waves(project, scene.environment.name)
    expanded: set[str] = set()
    for d in scene.shown:
        layer = node_id("layer", d.group.layer)
        if not d.enabled or d.group.name in scene.outside:
            nodes.append(group_node(d, layer, d.group.name in scene.outside))
            continue
        expanded.add(d.group.name)
        cluster = group_cluster(d, layer)
        clusters.append(cluster)
        apps = sorted(d.group.apps, key=lambda app: (waves[app.name].value, app.name))
        env = scene.environment
        nodes += [app_node(app, waves[app.name], env, d.group.layer, cluster.id) for app in apps]
    drawn = {node.name for node in nodes if node.kind == "app"}
    edges = [
        Edge(node_id("app", dependency), node.id, "dependsOn")
        for node in nodes
        if node.kind == "app"
        for dependency in node.attributes["dependsOn"]
        if dependency in drawn
    ]
    edges += [
        _group_edge(scene, r)
        for r in scene.relations
        if not (r.via and {r.dependency, r.dependant} <= expanded)
    ]
    clusters.sort(key=lambda c: _cluster_rank(c, order))
    return clusters, nodes, edges


def _cluster_rank(cluster: Cluster, order: Sequence[str]) -> tuple[int, int]:
    """Layers in bring-up order, each followed by its groups (already in bring-up order)."""
    layer = cluster.name if cluster.parent is None else cluster.parent.split(":", 1)[1]
    return order.index(layer), 0 if cluster.parent is None else 1


def bringup_graph(
    project: Project,
    environment: str,
    profile: str,
    level: Level = "groups",
    enabled_only: bool = False,
) -> Graph:
    """The graph of ``environment``'s bring-up for ``profile`` (both must exist: the command
    checks the names) at ``level``."""
    shown = scene(project, environment, profile, enabled_only)
    order = project.layers.order
    clusters: list[Cluster] = []
    if level == "layers":
        nodes, edges = _layers_level(shown, order)
    elif level == "groups":
        clusters, nodes, edges = _groups_level(shown, order)
    else:
        clusters, nodes, edges = _apps_level(shown, project, order)
    return Graph(
        environment=environment,
        profile=profile,
        level=level,
        layers=shown.layers,
        clusters=tuple(clusters),
        nodes=tuple(nodes),
        edges=tuple(sorted(edges)),
        enabled_only=enabled_only,
    )
