"""The graph as a Mermaid ``flowchart``: what code hosts render in Markdown, no tool needed.

Syntax (Mermaid's flowchart documentation): ``subgraph id["title"] ... end`` per cluster, nodes
``id("label")`` (a manual-sync app ``id[["label"]]``, the double-edged subroutine shape), edges
``-->`` (requires), ``-.->`` (dependsOn, dotted) and ``-.->|"wants"|`` restyled dashed with
``linkStyle``; ``classDef``/``class`` colour the marks. Text is always quoted, and the characters
Mermaid or its HTML labels would read (``"``, ``#``, ``<``, ``>``, ``&``, a backtick, ``%``) are
written as its decimal entity codes (``#34;``); label lines are joined with ``<br>``. Ids are
the graph's ids with every character but a letter or digit written ``_``: unambiguous because
layer, group and app names are DNS-1123 labels (no ``_``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

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

#: Characters written as Mermaid entity codes inside quoted text.
_ENTITIES = {char: f"#{ord(char)};" for char in '"#<>&`%'}
_NOT_ID = re.compile(r"[^A-Za-z0-9]")
#: The look of each mark (CSS for Mermaid's classDef). The change marks come last, so that
#: they win over the others when a node has both.
CLASS_STYLES = {
    DISABLED: "fill:#f4f4f4,stroke:#aaaaaa,color:#888888,stroke-dasharray:4 3",
    CONDITIONAL: "stroke:#6f42c1,stroke-width:2px",
    MANUAL: "fill:#fff3cd,stroke:#b8860b,stroke-width:2px",
    DORMANT: "fill:#e9ecef,stroke:#6c757d,stroke-dasharray:2 2",
    OUTSIDE: "fill:#ffffff,stroke:#999999,stroke-dasharray:6 3",
    ADDED: "fill:#e8f5e9,stroke:#2e7d32,stroke-width:3px",
    REMOVED: "fill:#ffebee,stroke:#c62828,stroke-width:3px,stroke-dasharray:5 3",
    CHANGED: "stroke:#1565c0,stroke-width:3px",
}
#: Link styles: wants dashed (Mermaid's own dotted line is dependsOn's), inactive greyed.
WANTS_STYLE = "stroke-dasharray:8 4"
INACTIVE_STYLE = "stroke:#bbbbbb"
ARROWS = {"requires": "-->", "dependsOn": "-.->", "wants": '-.->|"wants"|'}
INDENT = "    "


def mermaid_id(item_id: str) -> str:
    """``group:cert-manager`` -> ``group_cert_manager``."""
    return _NOT_ID.sub("_", item_id)


def mermaid_text(lines: Sequence[str]) -> str:
    """Label lines as one quoted Mermaid string."""
    escaped = ["".join(_ENTITIES.get(char, char) for char in line) for line in lines]
    return '"' + "<br>".join(escaped) + '"'


def _node(node: Node, depth: int) -> str:
    text = mermaid_text(node.label)
    shape = f"[[{text}]]" if MANUAL in node.marks else f"({text})"
    return f"{INDENT * depth}{mermaid_id(node.id)}{shape}"


def _cluster(graph: Graph, cluster: Cluster, depth: int) -> Iterator[str]:
    pad = INDENT * depth
    yield f"{pad}subgraph {mermaid_id(cluster.id)}[{mermaid_text(cluster.label)}]"
    for child in graph.clusters:
        if child.parent == cluster.id:
            yield from _cluster(graph, child, depth + 1)
    yield from (_node(node, depth + 1) for node in graph.nodes if node.cluster == cluster.id)
    yield f"{pad}end"


def _edge(edge: Edge) -> str:
    return f"{INDENT}{mermaid_id(edge.source)} {ARROWS[edge.kind]} {mermaid_id(edge.target)}"


def _classes(graph: Graph) -> Iterator[str]:
    items: list[Cluster | Node] = [*graph.clusters, *graph.nodes]
    for mark in MARKS:
        ids = [mermaid_id(item.id) for item in items if mark in item.marks]
        if ids and mark in CLASS_STYLES:
            name = mermaid_id(mark)
            yield f"{INDENT}classDef {name} {CLASS_STYLES[mark]}"
            yield f"{INDENT}class {','.join(ids)} {name}"


def _link_styles(edges: Sequence[Edge]) -> Iterator[str]:
    """One ``linkStyle`` per distinct look: a later one for the same link would replace it."""
    looks: dict[str, list[str]] = {}
    for index, edge in enumerate(edges):
        parts = [WANTS_STYLE] if edge.kind == "wants" else []
        if INACTIVE in edge.marks:
            parts.append(INACTIVE_STYLE)
        if parts:
            looks.setdefault(",".join(parts), []).append(str(index))
    for style, indexes in looks.items():
        yield f"{INDENT}linkStyle {','.join(indexes)} {style}"


def to_mermaid(graph: Graph) -> str:
    """The graph as a Mermaid flowchart (the text of a ```mermaid block), ending in a newline."""
    lines = [
        "---",
        f"title: {json.dumps(graph.title)}",
        "---",
        f"%% {graph.command('mermaid')}: generated, do not edit.",
        f"%% {ARROWS_NOTE}",
        "flowchart LR",
    ]
    for cluster in graph.clusters:
        if cluster.parent is None:
            lines += _cluster(graph, cluster, 1)
    lines += [_node(node, 1) for node in graph.nodes if node.cluster is None]
    lines += [_edge(edge) for edge in graph.edges]
    lines += _classes(graph)
    lines += _link_styles(graph.edges)
    return "\n".join(lines) + "\n"
