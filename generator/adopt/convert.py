"""Turn Argo CD Applications and AppProjects into catalog entries, exactly as written.

An Application becomes one app of a group file in its long form: ``project``, ``destination``,
``source``/``sources``/``sourceHydrator``, ``syncPolicy`` (``null`` when it has none),
``ignoreDifferences``, ``info``, ``revisionHistoryLimit``, ``finalizers`` (``null`` when it has
none; left out when it is exactly the generator's default), ``labels`` and ``annotations`` as
written, the sync-wave annotation as ``wave`` (``null`` when it has none: no computed wave
either). An AppProject becomes ``catalog/projects/<name>.yaml`` holding the document itself.
Whatever cannot be carried exactly is a *loss*, located in the source file: the import refuses
to write anything while there is one, unless ``--allow-loss`` is given, in which case the field
is left out (or the document skipped when it cannot do without it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from generator.adopt.findings import Findings, Loss, Path_
from generator.adopt.read import SrcDoc
from generator.core.model import GROUP_APP_PREFIX, LABEL_PREFIX
from generator.project.checks import dns_label_problem
from generator.project.schema import describe, load_schema
from generator.render.objects import FINALIZER, WAVE_ANNOTATION

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

ARGO_API = "argoproj.io/v1alpha1"
_TEMPLATED = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_ENVSUBST = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
#: Where a templated-looking value may well be meant for the chart's own ``tpl`` calls.
_HELM_VALUES = frozenset({"values", "valuesObject", "parameters", "fileParameters"})
#: Catalog app key -> where its value sits in the Application.
_ORIGIN: dict[str, tuple[str, ...]] = {
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
_SPEC_KEYS = tuple(key for key, origin in _ORIGIN.items() if origin[0] == "spec")
_METADATA_KEYS = ("name", "namespace", "labels", "annotations", "finalizers")


def _strings(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _in_helm_values(path: Path_) -> bool:
    return "helm" in path and any(part in _HELM_VALUES for part in path)


class Converter:
    """Converts documents for one import (one target project's Argo CD namespace)."""

    def __init__(self, argocd_namespace: str) -> None:
        self.argocd_namespace = argocd_namespace
        self._app_validator: Validator | None = None
        self._project_validator: Validator | None = None

    # -- validation against the catalog's own schemas -------------------------------------

    def _validator(self, definition: str) -> Validator:
        from jsonschema import Draft202012Validator

        if definition == "app":
            if self._app_validator is None:
                schema = load_schema("group")
                self._app_validator = Draft202012Validator(
                    {"$ref": "#/$defs/app", "$defs": schema["$defs"]}
                )
            return self._app_validator
        if self._project_validator is None:
            schema = load_schema("project")
            self._project_validator = Draft202012Validator(schema["properties"]["manifest"])
        return self._project_validator

    def schema_losses(
        self,
        src: SrcDoc,
        value: dict[str, Any],
        definition: str,
        origin: Callable[[Path_], Path_],
    ) -> list[Loss]:
        """Where ``value`` breaks the catalog schema: each place is a field the catalog cannot
        hold. ``origin`` maps a path in ``value`` to the path in the source document."""
        losses = []
        for error in self._validator(definition).iter_errors(value):
            path = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                allowed = set(error.schema.get("properties", {}))  # type: ignore[union-attr]
                for key in error.instance:
                    if key not in allowed:
                        losses.append(
                            Loss(
                                src.doc.problem(
                                    origin((*path, key)),
                                    "a field the catalog cannot hold (unknown to it)",
                                ),
                                "drop",
                                (*path, key),
                            )
                        )
                continue
            if error.validator == "oneOf":
                continue  # source/sources: reported by the conversion itself
            message = error.message
            if error.validator == "type":
                message = f"must be {error.validator_value}, got {describe(error.instance)}"
            losses.append(
                Loss(
                    src.doc.problem(origin(path), f"cannot be carried: {message}"),
                    "drop" if path else "skip",
                    path,
                )
            )
        return losses

    def templated(self, src: SrcDoc, findings: Findings) -> list[Loss]:
        """``{{ ... }}`` values (losses; warnings inside Helm values) and ``${VAR}``
        placeholders (warnings) anywhere in the document."""
        losses = []
        for path, text in _strings(src.doc.data):
            template = _TEMPLATED.search(text)
            if template is not None:
                if _in_helm_values(path):
                    findings.warnings.append(
                        src.doc.problem(
                            path,
                            "looks templated; carried as written (fine if the chart passes it "
                            "through `tpl`)",
                            "warning",
                            id="import-templated-value",
                        )
                    )
                else:
                    losses.append(
                        Loss(
                            src.doc.problem(
                                path,
                                f"templated value {template.group(0)!r} cannot be carried: "
                                "import the rendered Applications instead",
                            )
                        )
                    )
            elif _ENVSUBST.search(text):
                findings.warnings.append(
                    src.doc.problem(
                        path,
                        "looks like a placeholder filled in by a script (envsubst); carried as "
                        "written",
                        "warning",
                        id="import-templated-value",
                    )
                )
        return losses

    # -- Applications ---------------------------------------------------------------------

    def application(self, src: SrcDoc) -> tuple[dict[str, Any] | None, list[Loss], Findings]:
        """The catalog app entry for an Application document (None when it cannot be one),
        the losses met, and the warnings and notes."""
        findings = Findings()
        doc = src.doc
        data: dict[str, Any] = doc.data
        losses = [Loss(p) for p in src.losses]
        losses.extend(self.templated(src, findings))
        for key in data:
            if key not in ("apiVersion", "kind", "metadata", "spec"):
                losses.append(Loss(doc.problem((key,), "a field the catalog cannot hold")))
        metadata = data.get("metadata")
        spec = data.get("spec")
        if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
            losses.append(
                Loss(doc.problem(("metadata",), "an Application needs metadata.name"), "skip")
            )
            return None, losses, findings
        if not isinstance(spec, dict):
            losses.append(Loss(doc.problem(("spec",), "an Application needs a spec"), "skip"))
            return None, losses, findings
        name = metadata["name"]
        bad = dns_label_problem(name)
        if bad:
            losses.append(Loss(doc.problem(("metadata", "name"), bad), "skip"))
        elif name.startswith(GROUP_APP_PREFIX):
            losses.append(
                Loss(
                    doc.problem(
                        ("metadata", "name"),
                        f'"{GROUP_APP_PREFIX}" names are the generator\'s per-group app-of-apps',
                    ),
                    "skip",
                )
            )
        entry: dict[str, Any] = {"name": name}
        losses.extend(self._metadata(src, metadata, findings))
        self._spec(src, spec, entry, losses)
        self._metadata_fields(src, metadata, entry, losses, findings)
        losses.extend(self.schema_losses(src, entry, "app", _app_origin))
        return entry, losses, findings

    def _metadata(self, src: SrcDoc, metadata: dict[str, Any], findings: Findings) -> list[Loss]:
        doc = src.doc
        losses = []
        for key in metadata:
            if key not in _METADATA_KEYS:
                losses.append(
                    Loss(doc.problem(("metadata", key), "a field the catalog cannot hold"))
                )
        namespace = metadata.get("namespace")
        if namespace is not None and namespace != self.argocd_namespace:
            losses.append(
                Loss(
                    doc.problem(
                        ("metadata", "namespace"),
                        f"Applications are rendered into config.yaml's argocdNamespace "
                        f'"{self.argocd_namespace}", not "{namespace}" (set argocdNamespace '
                        "if Argo CD runs there)",
                    )
                )
            )
        return losses

    def _spec(
        self, src: SrcDoc, spec: dict[str, Any], entry: dict[str, Any], losses: list[Loss]
    ) -> None:
        doc = src.doc
        for key in spec:
            if key not in _SPEC_KEYS:
                losses.append(Loss(doc.problem(("spec", key), "a field the catalog cannot hold")))
        if "project" in spec:
            entry["project"] = spec["project"]
        else:
            losses.append(
                Loss(
                    doc.problem(
                        ("spec",),
                        "no spec.project: Argo CD requires one (the catalog would give the "
                        "layer's project)",
                    )
                )
            )
        if "destination" in spec:
            entry["destination"] = copy.deepcopy(spec["destination"])
        else:
            losses.append(
                Loss(doc.problem(("spec",), "an Application needs a destination"), "skip")
            )
        if self._hydrator(src, spec, entry, losses):
            sources, single = None, None
        else:
            sources, single = spec.get("sources"), spec.get("source")
        if sources == [] and single is not None:
            losses.append(
                Loss(
                    doc.problem(
                        ("spec", "sources"),
                        'an empty "sources" beside "source" cannot be carried (the same to Argo '
                        "CD: it uses source)",
                    )
                )
            )
            sources = None
        if sources is not None and single is not None:
            losses.append(
                Loss(
                    doc.problem(
                        ("spec", "source"),
                        'both "source" and "sources": Argo CD uses sources; source cannot be '
                        "carried",
                    )
                )
            )
        if sources is not None:
            entry["sources"] = copy.deepcopy(sources)
        elif single is not None:
            entry["source"] = copy.deepcopy(single)
        elif "sourceHydrator" not in entry:
            losses.append(Loss(doc.problem(("spec",), "an Application needs a source"), "skip"))
        for kind, items in (("source", [single]), ("sources", sources or [])):
            if kind not in entry:
                continue
            for index, source in enumerate(items):
                if isinstance(source, dict) and "repoURL" not in source:
                    where = ("spec", kind) if kind == "source" else ("spec", kind, index)
                    losses.append(
                        Loss(
                            doc.problem(
                                where,
                                "a source without repoURL cannot be carried (the catalog reads "
                                "it as this repository)",
                            ),
                            "skip",
                        )
                    )
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

    def _hydrator(
        self, src: SrcDoc, spec: dict[str, Any], entry: dict[str, Any], losses: list[Loss]
    ) -> bool:
        """Carry ``spec.sourceHydrator`` as written (whether the Application has one). Argo CD
        then ignores ``source``/``sources``, which cannot be carried beside it; a drySource
        without repoURL or targetRevision is one Argo CD refuses (the catalog would read the
        first as this repository)."""
        hydrator = spec.get("sourceHydrator")
        if hydrator is None:
            return False
        doc = src.doc
        for key in ("source", "sources"):
            if key in spec:
                losses.append(
                    Loss(
                        doc.problem(
                            ("spec", key),
                            f'both "sourceHydrator" and "{key}": Argo CD uses the hydrator; '
                            f"{key} cannot be carried",
                        )
                    )
                )
        entry["sourceHydrator"] = copy.deepcopy(hydrator)
        dry = hydrator.get("drySource") if isinstance(hydrator, dict) else None
        if isinstance(dry, dict):
            for key, why in (
                ("repoURL", "the catalog reads it as this repository"),
                ("targetRevision", "Argo CD requires it"),
            ):
                if key not in dry:
                    losses.append(
                        Loss(
                            doc.problem(
                                ("spec", "sourceHydrator", "drySource"),
                                f"a drySource without {key} cannot be carried ({why})",
                            ),
                            "skip",
                        )
                    )
        return True

    def _metadata_fields(
        self,
        src: SrcDoc,
        metadata: dict[str, Any],
        entry: dict[str, Any],
        losses: list[Loss],
        findings: Findings,
    ) -> None:
        doc = src.doc
        finalizers = metadata.get("finalizers", _MISSING)
        if finalizers is _MISSING:
            entry["finalizers"] = None
        elif finalizers is None:
            losses.append(_null(doc, ("metadata", "finalizers"), "no finalizers"))
            entry["finalizers"] = None
        elif finalizers != [FINALIZER]:
            entry["finalizers"] = copy.deepcopy(finalizers)
        for key in ("labels", "annotations"):
            if key not in metadata:
                continue
            values = metadata[key]
            if values is None:
                losses.append(_null(doc, ("metadata", key), f"no {key}"))
                continue
            if not isinstance(values, dict):
                continue  # the schema check reports it
            kept: dict[str, Any] = {}
            for name, value in values.items():
                at = ("metadata", key, name)
                if str(name).startswith(LABEL_PREFIX):
                    if key == "labels":
                        findings.note(
                            doc.file,
                            doc.locate(at)[0],
                            f'label "{name}" belongs to the generator: it sets its own',
                            f"metadata.labels.{name}",
                        )
                    else:
                        losses.append(
                            Loss(doc.problem(at, f'"{LABEL_PREFIX}" annotations are set by gen'))
                        )
                    continue
                if key == "annotations" and name == WAVE_ANNOTATION:
                    wave = _wave(value)
                    if wave is None:
                        losses.append(
                            Loss(
                                doc.problem(
                                    at,
                                    f"sync-wave {describe(value)} cannot be carried (the catalog's "
                                    '"wave" is an integer, written like "-1" or "3")',
                                )
                            )
                        )
                    else:
                        entry["wave"] = wave
                    continue
                kept[name] = value
            if kept or (key == "annotations" and not values):
                entry[key] = kept
            elif key == "labels" and not values:
                findings.note(
                    doc.file,
                    doc.locate(("metadata", "labels"))[0],
                    "an empty labels map is the same as none (the generator adds its labels)",
                    "metadata.labels",
                )
        if "wave" not in entry:
            entry["wave"] = None  # no sync-wave annotation: not a computed wave either
        _reorder(entry)


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


def _null(doc: Any, path: Path_, meaning: str) -> Loss:
    return Loss(
        doc.problem(
            path,
            f"an explicit null cannot be carried exactly (it is rendered as {meaning}, the same "
            "to Argo CD); delete the key",
        )
    )


def _app_origin(path: Path_) -> Path_:
    """Where a path of a catalog app entry comes from in the Application document."""
    if not path:
        return ()
    head = path[0]
    origin = _ORIGIN.get(str(head))
    if origin is None:
        return ()
    if head == "wave":
        return origin
    return (*origin, *path[1:])


# -- AppProjects ---------------------------------------------------------------------------


def project_manifest(
    converter: Converter, src: SrcDoc
) -> tuple[dict[str, Any] | None, list[Loss], Findings]:
    """The manifest an AppProject is kept as (None when it cannot be kept), and its losses."""
    findings = Findings()
    doc = src.doc
    data: dict[str, Any] = doc.data
    losses = [Loss(p) for p in src.losses]
    losses.extend(converter.templated(src, findings))
    manifest: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("apiVersion", "kind", "metadata", "spec"):
            manifest[key] = copy.deepcopy(value)
        else:
            losses.append(Loss(doc.problem((key,), "a field the catalog cannot hold")))
    metadata = manifest.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        losses.append(Loss(doc.problem(("metadata",), "an AppProject needs metadata.name"), "skip"))
        return None, losses, findings
    bad = dns_label_problem(metadata["name"])
    if bad:
        losses.append(Loss(doc.problem(("metadata", "name"), bad), "skip"))
    for key in list(metadata):
        if key not in _METADATA_KEYS:
            losses.append(Loss(doc.problem(("metadata", key), "a field the catalog cannot hold")))
            del metadata[key]
    losses.extend(converter.schema_losses(src, manifest, "project", lambda path: tuple(path)))
    return manifest, losses, findings
