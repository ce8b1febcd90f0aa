"""``gen graph``: the bring-up of one environment and profile as a graph.

Data first: :mod:`~generator.graph.assemble` turns the project and the environment's resolved
groups (the decisions ``gen resolve-groups`` and ``gen plan`` use) into a :class:`Graph` value
(:mod:`~generator.graph.model`); :mod:`~generator.graph.highlight` marks what a push adds and
removes (``--since``, from ``gen plan --since``'s comparison); one emitter per format turns the
value into text: :mod:`~generator.graph.mermaid`, :mod:`~generator.graph.dot`, and the JSON
shape in :meth:`Graph.to_json`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.graph.model import Cluster, Edge, Graph, Node

__all__ = ["Cluster", "Edge", "Graph", "Node"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: every gen command imports generator.graph.options for its options.
    if name in __all__:
        from generator.graph import model

        return getattr(model, name)
    raise AttributeError(name)
