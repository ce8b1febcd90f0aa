"""Strict validation of rendered documents against real CustomResourceDefinition files.

The API server *prunes* fields that a CRD's structural schema does not declare, silently, so a
typo such as ``ignoreDifference:`` or ``syncOption:`` would be applied as if it were not there.
This module turns each CRD's OpenAPI v3 schema into a JSON Schema (Draft 2020-12) in which an
unknown field is an error, the way kubeconform's ``-strict`` mode does, and reports every
violation as a :class:`~generator.core.errors.Problem`.

jsonschema (and PyYAML) are imported inside the functions that need them: ``gen check`` imports
this module on every start, and most runs never validate against a CRD.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.constants import MANIFEST_SUFFIXES
from generator.core.errors import GenError, Problem, key_path
from generator.core.findings.humanize import Explained, describe, explain

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = [
    "CrdSchemas",
    "Locator",
    "SchemaKey",
    "load_crd_schemas",
    "to_strict_schema",
]

SchemaKey = tuple[str, str]
"""``(apiVersion, kind)``, e.g. ``("argoproj.io/v1alpha1", "Application")``."""

Locator = Callable[[tuple[str | int, ...]], tuple[int, int]]
"""Gives the 1-based ``(line, column)`` of a path into a document, ``(0, 0)`` when unknown."""


# Plain JSON Schema keywords whose meaning is the same in OpenAPI v3 and Draft 2020-12. Anything
# else (description, default, example, x-kubernetes-list-type, ...) is dropped: it validates
# nothing, and keeping the descriptions would double the memory the ApplicationSet schema takes.
_PASSTHROUGH = frozenset(
    {
        "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "multipleOf",
        "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "title",
    }
)  # fmt: skip
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

_STRING: dict[str, Any] = {"type": "string"}
_STRING_MAP: dict[str, Any] = {"type": "object", "additionalProperties": _STRING}
# Kubernetes validates ObjectMeta itself, so CRDs declare ``metadata`` as a bare ``type: object``;
# this is the part of ObjectMeta a manifest may carry. kubectl writes ``creationTimestamp: null``.
_OBJECT_META: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": _STRING,
        "generateName": _STRING,
        "namespace": _STRING,
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
        "finalizers": {"type": "array", "items": _STRING},
        "ownerReferences": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["apiVersion", "kind", "name", "uid"],
                "properties": {
                    "apiVersion": _STRING,
                    "kind": _STRING,
                    "name": _STRING,
                    "uid": _STRING,
                    "controller": {"type": "boolean"},
                    "blockOwnerDeletion": {"type": "boolean"},
                },
            },
        },
        "uid": _STRING,
        "resourceVersion": _STRING,
        "generation": {"type": "integer"},
        "selfLink": _STRING,
        "creationTimestamp": {"type": ["string", "null"]},
        "deletionTimestamp": {"type": ["string", "null"]},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "managedFields": {"type": "array", "items": {"type": "object"}},
    },
}


def to_strict_schema(openapi: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a CRD's root ``openAPIV3Schema`` into a strict Draft 2020-12 JSON Schema.

    Objects that declare ``properties`` reject undeclared fields unless they carry
    ``x-kubernetes-preserve-unknown-fields: true``; ``x-kubernetes-int-or-string`` becomes
    ``type: [integer, string]``; ``nullable`` admits null; ``format`` is dropped (``int32``/
    ``int64`` become integer range checks). At the root, ``apiVersion`` and ``kind`` are
    required strings and ``metadata`` is a strict ObjectMeta schema. The input is not modified.
    """
    root = _convert(openapi, strict=True)
    properties = root.setdefault("properties", {})
    # Copies, so that a caller editing one returned schema cannot change every other one.
    properties["apiVersion"] = {"type": "string"}
    properties["kind"] = {"type": "string"}
    properties["metadata"] = copy.deepcopy(_OBJECT_META)
    required = [r for r in root.get("required", []) if r not in ("apiVersion", "kind")]
    root["required"] = ["apiVersion", "kind", *required]
    root["type"] = "object"
    if not openapi.get("x-kubernetes-preserve-unknown-fields"):
        root.setdefault("additionalProperties", False)
    return root


def _convert(node: Mapping[str, Any], *, strict: bool) -> dict[str, Any]:
    """Convert one OpenAPI schema node; ``strict`` is False inside anyOf/allOf/oneOf/not."""
    out: dict[str, Any] = {k: v for k, v in node.items() if k in _PASSTHROUGH}
    types: list[str] = []
    if "type" in node:
        types = [node["type"]] if isinstance(node["type"], str) else list(node["type"])
    fmt = node.get("format")
    if fmt in _INT_RANGES:
        types = ["integer"] if not types or types == ["number"] else types
        out.setdefault("minimum", _INT_RANGES[fmt][0])
        out.setdefault("maximum", _INT_RANGES[fmt][1])
    if node.get("x-kubernetes-int-or-string"):
        types = ["integer", "string"]
    if types and node.get("nullable"):
        types.append("null")
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    if types:
        out["type"] = types[0] if len(types) == 1 else types
    # OpenAPI 3.0 makes exclusiveMinimum/Maximum booleans modifying minimum/maximum; in 2020-12
    # they are the bounds themselves.
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if node.get(flag) is True and bound in node:
            out[flag] = out.pop(bound)
    if "properties" in node:
        out["properties"] = {
            name: _convert(sub, strict=strict) for name, sub in node["properties"].items()
        }
    if "required" in node:
        out["required"] = list(node["required"])
    if "items" in node and isinstance(node["items"], Mapping):
        out["items"] = _convert(node["items"], strict=strict)
    additional = node.get("additionalProperties")
    if isinstance(additional, Mapping):
        out["additionalProperties"] = _convert(additional, strict=strict)
    elif isinstance(additional, bool):
        out["additionalProperties"] = additional
    elif strict and "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    for junctor in ("allOf", "anyOf", "oneOf"):
        branches = node.get(junctor)
        if not branches:
            continue
        if node.get("x-kubernetes-int-or-string"):
            # The usual [{type: integer}, {type: string}] pair is already said by ``type``.
            branches = [b for b in branches if set(b) - {"type"}]
            if not branches:
                continue
        # Branches only add value checks in a structural schema: a branch listing some
        # properties does not forbid the others, so no additionalProperties:false in there.
        out[junctor] = [_convert(b, strict=False) for b in branches]
    if isinstance(node.get("not"), Mapping):
        out["not"] = _convert(node["not"], strict=False)
    return out


class CrdSchemas:
    """Strict JSON Schemas by ``(apiVersion, kind)``, with one validator built per kind."""

    def __init__(self, schemas: Mapping[SchemaKey, dict[str, Any]]) -> None:
        """Wrap already-converted schemas (see :func:`to_strict_schema`)."""
        self._schemas: dict[SchemaKey, dict[str, Any]] = dict(schemas)
        self._validators: dict[SchemaKey, Validator] = {}

    @property
    def kinds(self) -> list[SchemaKey]:
        """Every ``(apiVersion, kind)`` known, sorted."""
        return sorted(self._schemas)

    def schema(self, api_version: str, kind: str) -> dict[str, Any] | None:
        """The strict JSON Schema for ``api_version`` and ``kind``, or None."""
        return self._schemas.get((api_version, kind))

    def _validator(self, key: SchemaKey) -> Validator:
        validator = self._validators.get(key)
        if validator is None:
            from jsonschema import Draft202012Validator

            # No format_checker: formats were dropped, and checking them would need extras.
            validator = Draft202012Validator(self._schemas[key])
            self._validators[key] = validator
        return validator

    def errors(self, doc: Mapping[str, Any]) -> Iterator[Explained]:
        """Every way ``doc`` breaks its CRD's schema, in words; nothing when no CRD defines its
        ``apiVersion`` and ``kind``."""
        key = (doc.get("apiVersion"), doc.get("kind"))
        if key not in self._schemas:
            return
        for error in self._validator(key).iter_errors(doc):
            yield from explain(error)

    def validate(self, doc: object, *, file: str, locate: Locator | None = None) -> list[Problem]:
        """Every way ``doc`` breaks its CRD's strict schema, sorted; empty when it is valid.

        ``file`` goes into each Problem as is; ``locate`` maps a path into ``doc`` to its line
        and column (the nearest located ancestor is used for a path it does not know).
        """

        def located(found: Explained) -> Problem:
            path = found.path
            line, column = _position(locate, path[:-1] if found.at_parent else path)
            return Problem(file, line, column, key_path(path), found.message, id=found.id)

        if not isinstance(doc, dict):
            message = f"expected a Kubernetes object (a mapping), got {describe(doc)}"
            return [located(Explained((), message, id="not-an-object"))]
        found: list[Problem] = []
        for field in ("apiVersion", "kind"):
            if field not in doc:
                message = f'missing required field "{field}"'
                found.append(located(Explained((field,), message, id="missing-field")))
            elif not isinstance(doc[field], str):
                message = f"must be a string, got {describe(doc[field])}"
                found.append(located(Explained((field,), message, id="wrong-type")))
        if found:
            return found
        key = (doc["apiVersion"], doc["kind"])
        if key not in self._schemas:
            message = f"no CRD schema for {key[0]} {key[1]}"
            return [located(Explained(("kind",), message, id="unknown-kind"))]
        for error in self._validator(key).iter_errors(doc):
            found.extend(located(explained) for explained in explain(error))
        return sorted(set(found))


def _position(locate: Locator | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Position of ``path``, else of its nearest ancestor with one, else ``(0, 0)``."""
    if locate is None:
        return 0, 0
    for end in range(len(path), -1, -1):
        line, column = locate(path[:end])
        if line:
            return line, column
    return 0, 0


def load_crd_schemas(crd_dir: Path) -> CrdSchemas:
    """Read every ``*.yaml``/``*.yml``/``*.json`` CRD in ``crd_dir`` into :class:`CrdSchemas`.

    Each ``spec.versions[]`` entry with an ``openAPIV3Schema`` is recorded under
    ``(f"{group}/{version}", kind)``. Raises :class:`GenError` naming the file when a file cannot
    be read or parsed, is not a CustomResourceDefinition, or defines a kind another file defines.
    """
    if not crd_dir.is_dir():
        raise _bad(crd_dir, "CRD folder not found")
    files = sorted(p for p in crd_dir.iterdir() if p.is_file() and p.suffix in MANIFEST_SUFFIXES)
    if not files:
        raise _bad(crd_dir, "no CRD files (*.yaml, *.yml, *.json) in this folder")
    schemas: dict[SchemaKey, dict[str, Any]] = {}
    origin: dict[SchemaKey, Path] = {}
    for path in files:
        for key, openapi in _crd_schemas_in(path):
            if key in origin:
                raise _bad(path, f"{key[0]} {key[1]} is already defined by {origin[key]}")
            origin[key] = path
            schemas[key] = to_strict_schema(openapi)
    return CrdSchemas(schemas)


def _bad(path: Path, message: str) -> GenError:
    return GenError(f"{path}: {message}", [Problem(str(path), message=message, id="bad-crd-file")])


def _parse(path: Path) -> list[object]:
    """Every document in one file: JSON for ``.json``, else (multi-document) YAML."""
    from generator.yamlio.source import YamlLoadError, load_fast

    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            # json, not yaml: PyYAML (YAML 1.1) rejects some valid JSON, e.g. tab indentation.
            return [json.loads(text)]
        # The C loader alone: it parses the 1.4 MB ApplicationSet CRD several times faster.
        return load_fast(text, str(path))
    except (OSError, ValueError) as exc:  # ValueError: bad JSON, bad UTF-8
        raise _bad(path, f"cannot read CRD file: {exc}") from exc
    except YamlLoadError as exc:
        raise _bad(path, f"cannot read CRD file: {exc.problem.message}") from exc


def _crd_schemas_in(path: Path) -> Iterable[tuple[SchemaKey, dict[str, Any]]]:
    found: list[tuple[SchemaKey, dict[str, Any]]] = []
    for doc in _parse(path):
        if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
            got = doc.get("kind") if isinstance(doc, dict) else describe(doc)
            raise _bad(path, f"not a CustomResourceDefinition (got {got})")
        spec = doc.get("spec")
        names = spec.get("names") if isinstance(spec, dict) else None
        group = spec.get("group") if isinstance(spec, dict) else None
        kind = names.get("kind") if isinstance(names, dict) else None
        versions = spec.get("versions") if isinstance(spec, dict) else None
        if not isinstance(group, str) or not isinstance(kind, str):
            raise _bad(path, "CRD lacks spec.group or spec.names.kind")
        if not isinstance(versions, list) or not versions:
            raise _bad(path, f"CRD for {kind} lacks spec.versions")
        before = len(found)
        for version in versions:
            name = version.get("name") if isinstance(version, dict) else None
            if not isinstance(name, str):
                raise _bad(path, f"CRD for {kind} has a version without a name")
            schema = version.get("schema")
            openapi = schema.get("openAPIV3Schema") if isinstance(schema, dict) else None
            if openapi is None:
                continue
            if not isinstance(openapi, dict):
                raise _bad(path, f"{kind} {name}: openAPIV3Schema is not a mapping")
            found.append(((f"{group}/{name}", kind), openapi))
        if len(found) == before:
            raise _bad(path, f"CRD for {kind} has no openAPIV3Schema in any version")
    return found
