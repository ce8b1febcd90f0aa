"""What ``gen graph`` can be asked for: the levels of detail and the output formats (a module of
its own: the command line names them without loading the graph model)."""

from __future__ import annotations

from typing import Literal

#: How much the graph shows: one node per layer, per group, or per app (groups as clusters).
Level = Literal["layers", "groups", "apps"]
LEVELS: tuple[Level, ...] = ("layers", "groups", "apps")
#: The formats ``gen graph`` writes, the default first.
FORMATS = ("mermaid", "dot", "json")
