"""The graph value ``gen graph`` draws: clusters, nodes and edges with their attributes.

The value says what things are (a manual-sync app, a disabled group, a layer the profile leaves
out); the emitters decide how each looks. Every sequence is in a fixed order (bring-up order for
clusters and nodes, sorted edges), so the same project gives the same bytes in every format.

Ids are ``<kind>:<name>`` (``layer:platform``, ``group:kserve``, ``app:kserve``): a group and an
app may share a name. Names are DNS-1123 labels (the loader checks them), which the emitters rely
on to derive ids their formats accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.graph.options import FORMATS as FORMATS
from generator.graph.options import LEVELS as LEVELS
from generator.graph.options import Level as Level

NodeKind = Literal["layer", "group", "app"]
#: ``requires`` (a group needs another on), ``wants`` (works best with it), ``dependsOn`` (an app
#: needs another brought up first).
EdgeKind = Literal["requires", "wants", "dependsOn"]
EDGE_KINDS: tuple[EdgeKind, ...] = ("requires", "dependsOn", "wants")

#: What a node or cluster is, beyond its kind; the emitters style each (docs/output.md).
CORE = "core"  # a core group: always on
DISABLED = "disabled"  # a group that is off in the environment (greyed; the why in its label)
CONDITIONAL = "conditional"  # a group with ``when:``: on only for some setting values
DORMANT = "dormant"  # on, but a setting its ``needs:`` names is empty: no automated sync
#: A manual-sync app: created, deployed only by ``argocd app sync`` (the cost gate); or an
#: enabled group whose apps all are.
MANUAL = "manual"
OUTSIDE = "outside-profile"  # a dependency in a layer the profile does not bring up
ADDED = "added"  # --since: the push creates it
REMOVED = "removed"  # --since: the push prunes it
CHANGED = "changed"  # --since: the push changes it (or, for a group or layer, apps in it)
#: Every mark, in the order the emitters apply their styles (a later one wins: a dormant app
#: is manual-sync too but looks dormant; the change marks win over all).
MARKS = (CORE, DISABLED, CONDITIONAL, MANUAL, DORMANT, OUTSIDE, ADDED, REMOVED, CHANGED)
#: The marks of ``--since``; a node or cluster has at most one of them.
CHANGE_MARKS = (ADDED, REMOVED, CHANGED)
#: An edge touching a disabled group: drawn greyed.
INACTIVE = "inactive"
#: How to read the edges, in a comment at the top of the Mermaid and DOT text.
ARROWS_NOTE = "Arrows run in bring-up order: requires solid, dependsOn dotted, wants dashed."


def node_id(kind: NodeKind, name: str) -> str:
    """The id of a layer, group or app: ``group:kserve``."""
    return f"{kind}:{name}"


@dataclass(frozen=True)
class Cluster:
    """A box drawn around nodes: a layer, or (at the apps level) an enabled group."""

    id: str
    kind: Literal["layer", "group"]
    name: str
    #: The lines of its title; the first is the name.
    label: tuple[str, ...]
    #: The cluster it is drawn in (a group's layer), None at the top.
    parent: str | None = None
    marks: tuple[str, ...] = ()
    tooltip: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "label": list(self.label),
            "parent": self.parent,
            "marks": list(self.marks),
            "tooltip": self.tooltip,
        }


@dataclass(frozen=True)
class Node:
    """A layer, group or app. ``attributes`` are the facts behind the label, for JSON readers
    (documented per kind in docs/output.md)."""

    id: str
    kind: NodeKind
    name: str
    label: tuple[str, ...]
    cluster: str | None = None
    marks: tuple[str, ...] = ()
    tooltip: str = ""
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "label": list(self.label),
            "cluster": self.cluster,
            "marks": list(self.marks),
            "tooltip": self.tooltip,
            "attributes": dict(self.attributes),
        }


@dataclass(frozen=True, order=True)
class Edge:
    """``source`` comes up before ``target``, which ``requires``, ``wants`` or ``dependsOn``
    it. Either end may be a cluster id (a group drawn as a box at the apps level)."""

    source: str
    target: str
    kind: EdgeKind
    #: The app dependencies behind a group or layer edge (``kserve -> cert-manager``).
    via: tuple[str, ...] = ()
    #: Why a group wants another (its ``wants`` reason), for the tooltip.
    reason: str = ""
    marks: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind,
            "via": list(self.via),
            "reason": self.reason,
            "marks": list(self.marks),
        }


@dataclass(frozen=True)
class Since:
    """The revision ``--since`` compared with, and what the push does, by Application name."""

    revision: str
    commit: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    layers_added: tuple[str, ...] = ()
    layers_removed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "commit": self.commit,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
            "layersAdded": list(self.layers_added),
            "layersRemoved": list(self.layers_removed),
        }


@dataclass(frozen=True)
class Graph:
    """The bring-up of ``environment`` for ``profile`` at one level of detail."""

    environment: str
    profile: str
    level: Level
    #: The profile's layers, in bring-up order.
    layers: tuple[str, ...]
    clusters: tuple[Cluster, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: ``--enabled-only``: disabled groups are left out.
    enabled_only: bool = False
    since: Since | None = None

    @property
    def title(self) -> str:
        """``ai-dev, profile full (groups)``, and the revision with ``--since``."""
        text = f"{self.environment}, profile {self.profile} ({self.level})"
        if self.since is not None:
            text += f", changes since {self.since.revision}"
        return text

    def command(self, output: str) -> str:
        """The ``gen graph`` command line that draws this graph in ``output`` (defaults left
        out), for the generated files' first comment."""
        parts = ["gen graph", f"--env {self.environment}", f"--profile {self.profile}"]
        if self.level != "groups":
            parts.append(f"--level {self.level}")
        if self.enabled_only:
            parts.append("--enabled-only")
        if self.since is not None:
            parts.append(f"--since {self.since.revision}")
        if output != "mermaid":
            parts.append(f"-o {output}")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (docs/output.md, "gen graph -o json")."""
        return {
            "environment": self.environment,
            "profile": self.profile,
            "level": self.level,
            "layers": list(self.layers),
            "enabledOnly": self.enabled_only,
            "since": None if self.since is None else self.since.to_json(),
            "clusters": [c.to_json() for c in self.clusters],
            "nodes": [n.to_json() for n in self.nodes],
            "edges": [e.to_json() for e in self.edges],
        }
