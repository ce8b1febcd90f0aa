"""The graph in Graphviz's DOT language (``gen graph -o dot | dot -Tsvg > bring-up.svg``).

Clusters are ``subgraph "cluster_<id>"`` (Graphviz draws a box only around a subgraph whose name
starts with ``cluster``); an edge to a group drawn as a box is drawn to its first node with
``lhead``/``ltail`` naming the cluster, which needs ``compound=true``. Every id and value is a
double-quoted string, with ``\\`` and ``"`` escaped and label lines joined with ``\\n`` (an
escString: Graphviz reads ``\\n`` as a centred line break). Styles by mark: manual-sync apps have
a double border (``peripheries=2``); tooltips carry the reasons (shown by SVG viewers).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.graph.model import (
    ADDED,
    ARROWS_NOTE,
    CHANGED,
    CONDITIONAL,
    DISABLED,
    DORMANT,
    INACTIVE,
    MANUAL,
    MARKS,
    OUTSIDE,
    REMOVED,
    Cluster,
    Edge,
    Graph,
    Node,
)

FONT = "Helvetica"
#: Left to right in bring-up order; ``compound`` lets an edge end at a cluster's border.
GRAPH_DEFAULTS = {"labelloc": "t", "rankdir": "LR", "compound": "true", "fontname": FONT}
NODE_DEFAULTS = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "#ffffff",
    "fontname": FONT,
    "fontsize": "10",
}
EDGE_DEFAULTS = {"fontname": FONT, "fontsize": "9"}
#: Attributes per mark, applied in :data:`~generator.graph.model.MARKS` order (a later mark's
#: value wins: the change marks come last).
MARK_ATTRIBUTES: Mapping[str, Mapping[str, str]] = {
    DISABLED: {
        "style": "rounded,filled,dashed",
        "fillcolor": "#f4f4f4",
        "color": "#aaaaaa",
        "fontcolor": "#888888",
    },
    CONDITIONAL: {"color": "#6f42c1", "penwidth": "2"},
    MANUAL: {"fillcolor": "#fff3cd", "color": "#b8860b", "penwidth": "2", "peripheries": "2"},
    DORMANT: {"style": "rounded,filled,dotted", "fillcolor": "#e9ecef", "color": "#6c757d"},
    OUTSIDE: {"style": "rounded,filled,dashed", "color": "#999999"},
    ADDED: {"fillcolor": "#e8f5e9", "color": "#2e7d32", "penwidth": "3"},
    REMOVED: {
        "style": "rounded,filled,dashed",
        "fillcolor": "#ffebee",
        "color": "#c62828",
        "penwidth": "3",
    },
    CHANGED: {"color": "#1565c0", "penwidth": "3"},
}
EDGE_STYLES = {"requires": "solid", "dependsOn": "dotted", "wants": "dashed"}
INDENT = "  "


def dot_string(text: str) -> str:
    """``text`` as a DOT double-quoted string (an escString: line breaks become ``\\n``)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r\n", "\n").replace("\n", "\\n") + '"'


def _attributes(values: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={dot_string(value)}" for key, value in values.items())


def _styled(marks: tuple[str, ...], base: Mapping[str, str]) -> dict[str, str]:
    values = dict(base)
    for mark in MARKS:
        if mark in marks:
            values.update(MARK_ATTRIBUTES.get(mark, {}))
    return values


def cluster_name(cluster_id: str) -> str:
    return f"cluster_{cluster_id}"


def _node(node: Node, depth: int) -> str:
    values = {"label": "\n".join(node.label)}
    if node.tooltip:
        values["tooltip"] = node.tooltip
    return f"{INDENT * depth}{dot_string(node.id)} [{_attributes(_styled(node.marks, values))}];"


def _cluster(graph: Graph, cluster: Cluster, depth: int) -> Iterator[str]:
    pad = INDENT * (depth + 1)
    yield f"{INDENT * depth}subgraph {dot_string(cluster_name(cluster.id))} {{"
    values = {"label": "\n".join(cluster.label), "style": "rounded", "color": "#555555"}
    if cluster.tooltip:
        values["tooltip"] = cluster.tooltip
    styled = _styled(cluster.marks, values)
    if "fillcolor" in styled and "filled" not in styled["style"]:
        styled["style"] += ",filled"
    yield from (f"{pad}{key}={dot_string(value)};" for key, value in styled.items())
    for child in graph.clusters:
        if child.parent == cluster.id:
            yield from _cluster(graph, child, depth + 1)
    yield from (_node(node, depth + 1) for node in graph.nodes if node.cluster == cluster.id)
    yield f"{INDENT * depth}}}"


def _anchor(graph: Graph, item_id: str) -> str:
    """The node an edge to ``item_id`` is drawn to: itself, or a cluster's first node."""
    clusters = {item_id}
    for cluster in graph.clusters:  # parents come before their children
        if cluster.parent in clusters:
            clusters.add(cluster.id)
    return next(node.id for node in graph.nodes if node.id == item_id or node.cluster in clusters)


def _edge(graph: Graph, edge: Edge) -> str:
    clusters = {cluster.id for cluster in graph.clusters}
    values = {"style": EDGE_STYLES[edge.kind]}
    if edge.kind == "wants":
        values["label"] = "wants"
    tooltip = "; ".join(filter(None, [edge.reason, *edge.via]))
    if tooltip:
        values["tooltip"] = tooltip
    if INACTIVE in edge.marks:
        values["color"] = "#bbbbbb"
    if edge.source in clusters:
        values["ltail"] = cluster_name(edge.source)
    if edge.target in clusters:
        values["lhead"] = cluster_name(edge.target)
    source, target = _anchor(graph, edge.source), _anchor(graph, edge.target)
    return f"{INDENT}{dot_string(source)} -> {dot_string(target)} [{_attributes(values)}];"


def to_dot(graph: Graph) -> str:
    """The graph as a DOT ``digraph``, ending in a newline."""
    settings = {"label": graph.title, **GRAPH_DEFAULTS}
    lines = [
        f"// {graph.command('dot')}: generated, do not edit.",
        f"// {ARROWS_NOTE}",
        "digraph bringup {",
        f"{INDENT}graph [{_attributes(settings)}];",
        f"{INDENT}node [{_attributes(NODE_DEFAULTS)}];",
        f"{INDENT}edge [{_attributes(EDGE_DEFAULTS)}];",
    ]
    for cluster in graph.clusters:
        if cluster.parent is None:
            lines += _cluster(graph, cluster, 1)
    lines += [_node(node, 1) for node in graph.nodes if node.cluster is None]
    lines += [_edge(graph, edge) for edge in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
