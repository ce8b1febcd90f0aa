"""Objects exported from a cluster (``kubectl get -o yaml``): what the server wrote into them.

A live object carries ``status`` and metadata the API server sets (``uid``, ``resourceVersion``,
``generation``, ``creationTimestamp``, ``managedFields``, ...). None of it is a mistake of the
author's, so ``gen validate PATH`` accepts it (and validates everything else as strictly as
ever) and says once, as a note, that these fields are there: they do not belong in git. The API
server sets them itself on create, the controllers own ``status``, and a ``resourceVersion``
left in a file makes a later ``kubectl apply`` fail with a conflict once the object changes
(see openshift/origin#19905).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.core.errors import Problem
from generator.yamlio.manifests import Manifest

#: ObjectMeta fields only the API server (or a controller) sets.
SERVER_SET_METADATA = (
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
    "ownerReferences",
)


def strip_live_fields(doc: Manifest) -> list[str]:
    """Remove ``status`` and server-set metadata from ``doc.data`` (a shallow copy replaces it;
    positions are unchanged); return the dotted names of what was removed."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    removed: list[str] = []
    meta = data.get("metadata")
    if isinstance(meta, dict) and any(key in meta for key in SERVER_SET_METADATA):
        removed.extend(f"metadata.{key}" for key in SERVER_SET_METADATA if key in meta)
        meta = {k: v for k, v in meta.items() if k not in SERVER_SET_METADATA}
    if "status" in data:
        removed.insert(0, "status")
    if removed:
        stripped: dict[str, Any] = {k: v for k, v in data.items() if k != "status"}
        if isinstance(meta, dict):
            stripped["metadata"] = meta
        doc.data = stripped
    return removed


def live_note(found: Sequence[tuple[Manifest, list[str]]]) -> Problem | None:
    """The one note about live fields: where they first appear, which, and in how many
    documents; None when there are none."""
    found = [(doc, fields) for doc, fields in found if fields]
    if not found:
        return None
    first, fields = found[0]
    names = sorted({name for _, names in found for name in names})
    line, column = first.locate(tuple(fields[0].split(".")))
    count = len(found)
    documents = "this document" if count == 1 else f"{count} documents (this is the first)"
    return Problem(
        first.file,
        line,
        column,
        "",
        f"{documents} carry fields a cluster sets ({', '.join(names)}): accepted and not "
        "validated; remove them from what you commit (the API server sets them itself, and a "
        "stale resourceVersion makes a later apply fail with a conflict)",
        "note",
        id="live-object-fields",
    )
