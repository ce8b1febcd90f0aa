"""Lay out a text table in a given width: left-aligned columns two spaces apart, the widest
free-text columns cut with an ellipsis (then left out) until every row fits on one line.

A pure function of the rows and the width: the CLI decides the width (the terminal's, or none
for ``--wide`` and for output that is not a terminal), and ``-o json`` never goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
_GAP = "  "


@dataclass(frozen=True)
class Column:
    """A column: its header, how narrow it may be cut (None: never cut), and when it is left out
    if cutting is not enough (None: never; lower numbers go first)."""

    header: str
    minimum: int | None = None
    drop: int | None = None


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, ending with an ellipsis when shortened."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)].rstrip() + ELLIPSIS


def _fit(widths: list[int], columns: Sequence[Column], width: int) -> bool:
    """Narrow ``widths`` in place, the widest cuttable column first, until the row fits;
    whether it does."""
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - width
    while excess > 0:
        cuttable = [
            i
            for i, column in enumerate(columns)
            if column.minimum is not None and widths[i] > column.minimum
        ]
        if not cuttable:
            return False
        widest = max(cuttable, key=lambda i: widths[i])
        others = [widths[i] for i in cuttable if i != widest]
        floor = max([*others, columns[widest].minimum or 0])
        step = min(excess, widths[widest] - floor) or 1
        widths[widest] -= step
        excess -= step
    return True


def layout(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None
) -> list[str]:
    """The header line and one line per row. With ``width``, cuttable columns are cut (the
    widest first) and, if that is not enough, droppable columns are left out (in their
    ``drop`` order) so that every line fits; None lays everything out in full."""
    keep = list(range(len(columns)))
    while True:
        shown = [columns[i] for i in keep]
        table = [[c.header for c in shown], *([row[i] for i in keep] for row in rows)]
        widths = [max(len(line[n]) for line in table) for n in range(len(keep))]
        if width is None or _fit(widths, shown, width):
            break
        droppable = [i for i in keep if columns[i].drop is not None]
        if not droppable:
            break
        keep.remove(min(droppable, key=lambda i: columns[i].drop or 0))
    lines = []
    for line in table:
        cells = [cut(cell, w).ljust(w) for cell, w in zip(line, widths, strict=True)]
        lines.append(_GAP.join(cells).rstrip())
    return lines
