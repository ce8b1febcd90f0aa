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

from generator.adopt.fields import (
    METADATA_KEYS,
    app_origin,
    metadata_fields,
    spec_fields,
    unknown_fields,
)
from generator.adopt.findings import Findings, Loss, Path_
from generator.adopt.read import SrcDoc
from generator.core.constants import GROUP_APP_PREFIX
from generator.core.k8s_names import dns_label_problem
from generator.project.schema import describe, load_schema

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_TEMPLATED = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_ENVSUBST = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
#: Where a templated-looking value may well be meant for the chart's own ``tpl`` calls.
_HELM_VALUES = frozenset({"values", "valuesObject", "parameters", "fileParameters"})


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
        losses.extend(self._metadata(src, metadata))
        losses.extend(spec_fields(doc, spec, entry))
        losses.extend(metadata_fields(doc, metadata, entry, findings))
        losses.extend(self.schema_losses(src, entry, "app", app_origin))
        return entry, losses, findings

    def _metadata(self, src: SrcDoc, metadata: dict[str, Any]) -> list[Loss]:
        doc = src.doc
        losses = unknown_fields(doc, ("metadata",), metadata, METADATA_KEYS)
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
        if key not in METADATA_KEYS:
            losses.append(Loss(doc.problem(("metadata", key), "a field the catalog cannot hold")))
            del metadata[key]
    losses.extend(converter.schema_losses(src, manifest, "project", lambda path: tuple(path)))
    return manifest, losses, findings
