"""An Application's fields, one by one, into a catalog app entry in its long form.

Each field is carried exactly as written, or left out with a located *loss* saying why (see
:mod:`generator.adopt.convert` for what a loss does). ``spec`` fields keep their Argo CD names;
``metadata`` gives ``finalizers``, ``labels``, ``annotations`` and the sync-wave annotation as
``wave``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from generator.adopt.findings import Findings, Loss, Path_
from generator.core.constants import FINALIZER, LABEL_PREFIX, WAVE_ANNOTATION
from generator.project.schema import describe
from generator.yamlio.source import SourceDoc

#: Catalog app key -> where its value sits in the Application.
ORIGIN: dict[str, tuple[str, ...]] = {
    "name": ("metadata", "name"),
    "project": ("spec", "project"),
    "destination": ("spec", "destination"),
    "wave": ("metadata", "annotations", WAVE_ANNOTATION),
    "source": ("spec", "source"),
    "sources": ("spec", "sources"),
    "sourceHydrator": ("spec", "sourceHydrator"),
    "syncPolicy": ("spec", "syncPolicy"),
    "ignoreDifferences": ("spec", "ignoreDifferences"),
    "info": ("spec", "info"),
    "revisionHistoryLimit": ("spec", "revisionHistoryLimit"),
    "finalizers": ("metadata", "finalizers"),
    "labels": ("metadata", "labels"),
    "annotations": ("metadata", "annotations"),
}
SPEC_KEYS = tuple(key for key, origin in ORIGIN.items() if origin[0] == "spec")
METADATA_KEYS = ("name", "namespace", "labels", "annotations", "finalizers")
_MISSING = object()
_ENTRY_ORDER = (
    "name",
    "project",
    "destination",
    "wave",
    "source",
    "sources",
    "sourceHydrator",
    "syncPolicy",
    "ignoreDifferences",
    "info",
    "revisionHistoryLimit",
    "finalizers",
    "labels",
    "annotations",
)


def unknown_fields(
    doc: SourceDoc, at: Path_, value: dict[str, Any], known: tuple[str, ...]
) -> list[Loss]:
    """A loss for each key of ``value`` (at ``at``) the catalog has no field for."""
    return [
        Loss(doc.problem((*at, key), "a field the catalog cannot hold"))
        for key in value
        if key not in known
    ]


def spec_fields(doc: SourceDoc, spec: dict[str, Any], entry: dict[str, Any]) -> list[Loss]:
    """Carry ``spec`` into ``entry``; the losses met."""
    losses = unknown_fields(doc, ("spec",), spec, SPEC_KEYS)
    if "project" in spec:
        entry["project"] = spec["project"]
    else:
        message = (
            "no spec.project: Argo CD requires one (the catalog would give the layer's project)"
        )
        losses.append(Loss(doc.problem(("spec",), message)))
    if "destination" in spec:
        entry["destination"] = copy.deepcopy(spec["destination"])
    else:
        losses.append(Loss(doc.problem(("spec",), "an Application needs a destination"), "skip"))
    losses.extend(_sources(doc, spec, entry))
    if "syncPolicy" in spec:
        if spec["syncPolicy"] is None:
            losses.append(_null(doc, ("spec", "syncPolicy"), "no syncPolicy"))
        else:
            entry["syncPolicy"] = copy.deepcopy(spec["syncPolicy"])
    else:
        entry["syncPolicy"] = None
    for key in ("ignoreDifferences", "info", "revisionHistoryLimit"):
        if key not in spec:
            continue
        if spec[key] is None:
            losses.append(_null(doc, ("spec", key), f"no {key}"))
        else:
            entry[key] = copy.deepcopy(spec[key])
    return losses


def _hydrator(doc: SourceDoc, spec: dict[str, Any], entry: dict[str, Any]) -> list[Loss]:
    """Carry ``spec.sourceHydrator`` as written. Argo CD then ignores ``source``/``sources``,
    which cannot be carried beside it; a drySource without repoURL or targetRevision is one
    Argo CD refuses (the catalog would read the first as this repository)."""
    hydrator = spec["sourceHydrator"]
    losses = [
        Loss(
            doc.problem(
                ("spec", key),
                f'both "sourceHydrator" and "{key}": Argo CD uses the hydrator; '
                f"{key} cannot be carried",
            )
        )
        for key in ("source", "sources")
        if key in spec
    ]
    entry["sourceHydrator"] = copy.deepcopy(hydrator)
    dry = hydrator.get("drySource") if isinstance(hydrator, dict) else None
    if isinstance(dry, dict):
        for key, why in (
            ("repoURL", "the catalog reads it as this repository"),
            ("targetRevision", "Argo CD requires it"),
        ):
            if key not in dry:
                message = f"a drySource without {key} cannot be carried ({why})"
                where = ("spec", "sourceHydrator", "drySource")
                losses.append(Loss(doc.problem(where, message), "skip"))
    return losses


def _sources(doc: SourceDoc, spec: dict[str, Any], entry: dict[str, Any]) -> list[Loss]:
    """Carry ``source`` or ``sources`` (Argo CD uses ``sources`` when both are written), or
    ``sourceHydrator`` (then neither)."""
    if spec.get("sourceHydrator") is not None:
        return _hydrator(doc, spec, entry)
    losses = []
    sources, single = spec.get("sources"), spec.get("source")
    if sources == [] and single is not None:
        message = (
            'an empty "sources" beside "source" cannot be carried (the same to Argo CD: it uses '
            "source)"
        )
        losses.append(Loss(doc.problem(("spec", "sources"), message)))
        sources = None
    if sources is not None and single is not None:
        message = 'both "source" and "sources": Argo CD uses sources; source cannot be carried'
        losses.append(Loss(doc.problem(("spec", "source"), message)))
    if sources is not None:
        entry["sources"] = copy.deepcopy(sources)
    elif single is not None:
        entry["source"] = copy.deepcopy(single)
    else:
        losses.append(Loss(doc.problem(("spec",), "an Application needs a source"), "skip"))
    for kind, items in (("source", [single]), ("sources", sources or [])):
        if kind not in entry:
            continue
        for index, source in enumerate(items):
            if isinstance(source, dict) and "repoURL" not in source:
                where = ("spec", kind) if kind == "source" else ("spec", kind, index)
                message = (
                    "a source without repoURL cannot be carried (the catalog reads it as this "
                    "repository)"
                )
                losses.append(Loss(doc.problem(where, message), "skip"))
    return losses


def metadata_fields(
    doc: SourceDoc, metadata: dict[str, Any], entry: dict[str, Any], findings: Findings
) -> list[Loss]:
    """Carry ``finalizers``, ``labels``, ``annotations`` and the sync wave into ``entry``
    (then put its keys in the catalog's order); the losses met."""
    losses = []
    finalizers = metadata.get("finalizers", _MISSING)
    if finalizers is _MISSING:
        entry["finalizers"] = None
    elif finalizers is None:
        losses.append(_null(doc, ("metadata", "finalizers"), "no finalizers"))
        entry["finalizers"] = None
    elif finalizers != [FINALIZER]:
        entry["finalizers"] = copy.deepcopy(finalizers)
    for key in ("labels", "annotations"):
        if key in metadata:
            losses.extend(_labels(doc, key, metadata[key], entry, findings))
    if "wave" not in entry:
        entry["wave"] = None  # no sync-wave annotation: not a computed wave either
    _reorder(entry)
    return losses


def _labels(
    doc: SourceDoc, key: str, values: Any, entry: dict[str, Any], findings: Findings
) -> list[Loss]:
    """Carry ``metadata.labels`` or ``metadata.annotations`` (``key``) into ``entry``."""
    if values is None:
        return [_null(doc, ("metadata", key), f"no {key}")]
    if not isinstance(values, dict):
        return []  # the schema check reports it
    losses = []
    kept: dict[str, Any] = {}
    for name, value in values.items():
        at = ("metadata", key, name)
        if str(name).startswith(LABEL_PREFIX):
            if key == "labels":
                message = f'label "{name}" belongs to the generator: it sets its own'
                findings.note(doc.file, doc.locate(at)[0], message, f"metadata.labels.{name}")
            else:
                message = f'"{LABEL_PREFIX}" annotations are set by gen'
                losses.append(Loss(doc.problem(at, message)))
        elif key == "annotations" and name == WAVE_ANNOTATION:
            wave = _wave(value)
            if wave is None:
                message = (
                    f"sync-wave {describe(value)} cannot be carried (the catalog's "
                    '"wave" is an integer, written like "-1" or "3")'
                )
                losses.append(Loss(doc.problem(at, message)))
            else:
                entry["wave"] = wave
        else:
            kept[name] = value
    if kept or (key == "annotations" and not values):
        entry[key] = kept
    elif key == "labels" and not values:
        message = "an empty labels map is the same as none (the generator adds its labels)"
        findings.note(doc.file, doc.locate(("metadata", "labels"))[0], message, "metadata.labels")
    return losses


def _reorder(entry: dict[str, Any]) -> None:
    ordered = {key: entry[key] for key in _ENTRY_ORDER if key in entry}
    ordered.update((k, v) for k, v in entry.items() if k not in ordered)
    entry.clear()
    entry.update(ordered)


def _wave(value: Any) -> int | None:
    """The integer of a sync-wave annotation written canonically ("3", "-1"), else None."""
    if isinstance(value, str) and re.fullmatch(r"-?(0|[1-9][0-9]*)", value) and value != "-0":
        return int(value)
    return None


def _null(doc: SourceDoc, path: Path_, meaning: str) -> Loss:
    return Loss(
        doc.problem(
            path,
            f"an explicit null cannot be carried exactly (it is rendered as {meaning}, the same "
            "to Argo CD); delete the key",
        )
    )


def app_origin(path: Path_) -> Path_:
    """Where a path of a catalog app entry comes from in the Application document."""
    if not path:
        return ()
    head = path[0]
    origin = ORIGIN.get(str(head))
    if origin is None:
        return ()
    if head == "wave":
        return origin
    return (*origin, *path[1:])
