"""The owner's comments travel with what they describe: each comment of an Application (or
AppProject) goes above or beside the catalog key its node became (a comment above an app stays
above it; one beside ``sync-wave: "4"`` goes beside ``wave: 4``), and a manual-sync app gets a
``reason`` from its comments when it has none.

A source path becomes a catalog path through the field map of :mod:`generator.adopt.fields`
(``spec.syncPolicy.syncOptions[1]`` -> ``syncPolicy.syncOptions[1]``); a node the catalog does
not keep (``apiVersion``, ``metadata.namespace``) gives its comment to the nearest key that is
kept, else to the app itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.adopt.fields import ORIGIN
from generator.adopt.read import SrcDoc
from generator.yamlio.comments import Comment, Placement
from generator.yamlio.nodes import Path_

#: Where a manual-sync app's reason is looked for first: the comment above or beside it.
_SYNC_POLICY: Path_ = ("spec", "syncPolicy")


def _exists(data: Any, path: Path_) -> bool:
    for part in path:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return False
        data = data[part]
    return True


def _app_path(path: Path_) -> Path_:
    """Where a path of an Application document is kept in its catalog app entry (the longest
    field whose origin contains it), before checking that it exists there."""
    best: tuple[int, Path_] = (0, ())
    for key, origin in ORIGIN.items():
        if path[: len(origin)] == origin and len(origin) > best[0]:
            best = (len(origin), (key, *path[len(origin) :]))
    return best[1]


def _placements(src: SrcDoc, entry: Any, at: Path_, convert: Any) -> list[Placement]:
    """The comments of ``src`` for the entry at ``at`` of a catalog file whose data at ``at``
    is ``entry``; ``convert`` maps a source path to a path in ``entry``."""
    out: list[Placement] = []
    for path, comment in src.comments:
        if path is None:
            out.append(Placement(at, (comment.text,), below=True))
            continue
        wanted = convert(path)
        target = wanted
        while target and not _exists(entry, target):
            target = target[:-1]
        # A comment beside a node the catalog does not keep goes above what is kept instead.
        beside = comment.beside and target == wanted and bool(target)
        placement = Placement((*at, *target), (comment.text,), beside=beside)
        last = out[-1] if out else None
        if (
            last is not None
            and not beside
            and not last.beside
            and not last.below
            and (last.path == placement.path)
        ):
            out[-1] = Placement(last.path, (*last.lines, comment.text))
        else:
            out.append(placement)
    return out


def app_placements(src: SrcDoc, entry: dict[str, Any], at: Path_) -> list[Placement]:
    """The comments of an Application document, placed in its catalog app entry at ``at``."""
    return _placements(src, entry, at, _app_path)


def project_placements(src: SrcDoc, manifest: dict[str, Any]) -> list[Placement]:
    """The comments of an AppProject document, placed in its catalog file (under
    ``manifest``)."""
    return _placements(src, manifest, ("manifest",), lambda path: tuple(path))


def _blocks(comments: Sequence[tuple[Path_ | None, Comment]]) -> list[tuple[Path_ | None, str]]:
    """The comments as blocks of text: consecutive lines above one node, or one beside."""
    blocks: list[tuple[Path_ | None, list[Comment]]] = []
    for path, comment in comments:
        last = blocks[-1] if blocks else None
        joins = (
            last is not None
            and not comment.beside
            and not last[1][-1].beside
            and last[0] == path
            and last[1][-1].line + 1 == comment.line
        )
        if joins and last is not None:
            last[1].append(comment)
        else:
            blocks.append((path, [comment]))
    return [(path, _text(lines)) for path, lines in blocks]


def _text(comments: Sequence[Comment]) -> str:
    words = [c.text.lstrip("#").strip() for c in comments]
    return " ".join(" ".join(w for w in words if w).split())


def manual_reason(src: SrcDoc) -> str | None:
    """The reason of a manual-sync Application, from its comments: the comment right above or
    beside its syncPolicy, else the first that speaks of manual sync, else its first one."""
    blocks = [(path, text) for path, text in _blocks(src.comments) if text]
    for path, text in blocks:
        if path == _SYNC_POLICY:
            return text
    for _, text in blocks:
        if "manual" in text.lower():
            return text
    return blocks[0][1] if blocks else None


def is_manual(entry: dict[str, Any]) -> bool:
    """Whether a catalog app entry in the long form syncs only by hand (no automated sync, or
    ``automated.enabled: false``), as :mod:`generator.project.apps` reads it."""
    policy = entry.get("syncPolicy") or {}
    automated = policy.get("automated") if isinstance(policy, dict) else None
    return not (isinstance(automated, dict) and automated.get("enabled", True) is not False)
