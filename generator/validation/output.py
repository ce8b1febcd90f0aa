"""Validate Argo CD manifests: the project's rendered output, or any files given.

:class:`OutputValidator` holds the validators (built once per run, on first use) and checks
documents in three passes: the strict schema of their kind (the project's own
``schemas/argocd.schema.json`` for Argo CD kinds and Kustomization, kubernetes-validate for core
kinds, and the real CRDs too when ``--crds DIR`` gives them), the Argo details of
:mod:`generator.validation.argo`, and the cross-object checks of :mod:`generator.validation.cross`.

The project's own rendered output is validated by :mod:`generator.validation.rendered`, with
this validator.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from generator.core.constants import (
    ARGO_API,
    ARGO_KINDS,
    KUSTOMIZATION_FILES,
    KUSTOMIZE_GROUP,
)
from generator.core.findings.humanize import Explained
from generator.core.model import DocPath
from generator.project.schema import suggest
from generator.schemas import schema_bytes
from generator.schemas.compiled import Rejected, screen
from generator.validation.argo import check_document
from generator.validation.core_kinds import KubeSchemas
from generator.validation.crd import CrdSchemas
from generator.yamlio.manifests import (
    Finding,
    Manifest,
)

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


#: The bundled schema of what the generator emits (generator/schemas/argocd.schema.json).
OUTPUT_SCHEMA = "argocd"


def load_output_schema() -> dict[str, Any]:
    """The project's own strict schema of what it emits (all kinds, in ``$defs``)."""
    schema: dict[str, Any] = json.loads(schema_bytes(OUTPUT_SCHEMA))
    return schema


#: What a patch (a partial object) may lack: fields, and a kind (a JSON 6902 patch is a list).
PARTIAL_EXEMPT = frozenset({"missing-field", "respect-ignore-differences", "not-an-object"})


class OutputValidator:
    """Validates manifests. Build one per run: each validator is built once, on first use.

    The project's own schema is checked by its compiled copy first
    (:mod:`generator.schemas.compiled`, shipped as generated code): jsonschema runs only on a
    document the compiled check rejects, to say what is wrong (tests prove the two agree)."""

    def __init__(self, crds: CrdSchemas | None = None) -> None:
        self.crds = crds
        self.kube = KubeSchemas()
        self._schema: dict[str, Any] | None = None
        self._validators: dict[str, Validator] = {}

    def _schema_of(self, kind: str) -> dict[str, Any]:
        if self._schema is None:
            self._schema = load_output_schema()
        return {**self._schema, "$ref": f"#/$defs/{kind}"}

    def screen(self, kind: str) -> Callable[[Any], Any]:
        """The compiled validator of ``kind``: returns when the data is valid, else raises
        :class:`~generator.schemas.compiled.Rejected`."""
        return screen(OUTPUT_SCHEMA, kind)

    def _validator(self, kind: str) -> Validator:
        validator = self._validators.get(kind)
        if validator is None:
            from jsonschema import Draft202012Validator

            validator = Draft202012Validator(self._schema_of(kind))
            self._validators[kind] = validator
        return validator

    def schema_findings(self, doc: Manifest, strict_kinds: bool) -> Iterator[Finding]:
        """The strict schema problems of one document. ``strict_kinds``: a kind without a
        schema is an error (rendered output) rather than a warning (hand-written files)."""
        data = doc.data
        if not isinstance(data, dict):
            yield doc.finding((), "expected a Kubernetes object (a mapping)", id="not-an-object")
            return
        kind, api = data.get("kind"), data.get("apiVersion")
        # The file's name (str, not Path: this runs for every rendered document).
        is_kustomization = doc.file.rpartition("/")[2] in KUSTOMIZATION_FILES or kind in (
            "Kustomization",
            "Component",
        )
        if is_kustomization and (api is None or str(api).startswith(KUSTOMIZE_GROUP + "/")):
            yield from self._own(doc, "Kustomization")
            return
        if not isinstance(kind, str) or not isinstance(api, str):
            missing = [k for k in ("apiVersion", "kind") if not isinstance(data.get(k), str)]
            yield doc.finding(
                (),
                f"not a Kubernetes object: no {' or '.join(missing)}; not checked",
                "error" if strict_kinds else "warning",
                id="not-an-object",
            )
            return
        group = api.rpartition("/")[0]
        if group == "argoproj.io" and kind in ARGO_KINDS:
            if api != ARGO_API:
                yield doc.finding(
                    ("apiVersion",), f'{kind} is "{ARGO_API}", not "{api}"', id="wrong-api-version"
                )
            else:
                yield from self._own(doc, kind)
                yield from self._crds(doc)
        elif group == "argoproj.io":
            yield doc.finding(
                ("kind",),
                f'unknown Argo CD kind "{kind}"' + suggest(kind, ARGO_KINDS),
                id="unknown-kind",
            )
        elif self.kube.knows(api, kind):
            yield from _findings(doc, self.kube.validate(data))
        elif self.crds is not None and self.crds.schema(api, kind) is not None:
            yield from self._crds(doc)
        else:
            yield doc.finding(
                ("kind",),
                f"no schema for {api} {kind}; not validated",
                "error" if strict_kinds else "warning",
                id="no-schema",
            )

    def _own(self, doc: Manifest, kind: str) -> Iterator[Finding]:
        try:
            self.screen(kind)(doc.data)
            return
        except Rejected:
            pass  # jsonschema says what is wrong, in full
        from generator.core.findings.humanize import explain

        for error in self._validator(kind).iter_errors(doc.data):
            yield from _findings(doc, explain(error))

    def _crds(self, doc: Manifest) -> Iterator[Finding]:
        if self.crds is not None:
            yield from _findings(doc, self.crds.errors(doc.data), " (CRD)")

    def document_findings(
        self, doc: Manifest, *, standalone: bool, partial: bool = False
    ) -> list[Finding]:
        """Schema and Argo-detail problems of one document. ``partial``: the document is a
        patch, which sets some fields of an object: what it lacks is not a problem."""
        found = list(self.schema_findings(doc, strict_kinds=not standalone))
        found.extend(check_document(doc, self.kube, standalone))
        if partial:
            found = [f for f in found if f.id not in PARTIAL_EXEMPT]
        return _dedupe(found) if found else found


def _findings(doc: Manifest, found: Iterable[Explained], suffix: str = "") -> Iterator[Finding]:
    for each in found:
        yield doc.finding(each.path, each.message + suffix, at_parent=each.at_parent, id=each.id)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Drop a CRD finding that repeats one of the project's own schema at the same path."""
    out: list[Finding] = []
    seen: set[tuple[DocPath, str]] = set()
    for finding in findings:
        base = finding.message.removesuffix(" (CRD)")
        if (finding.path, base) in seen or (
            finding.message.endswith(" (CRD)") and any(f.path == finding.path for f in out)
        ):
            continue
        seen.add((finding.path, base))
        out.append(finding)
    return out
