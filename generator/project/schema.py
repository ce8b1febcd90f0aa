"""Check parsed input files against the JSON Schemas in ``generator/schemas/``.

Every schema error becomes a located :class:`~generator.core.errors.Problem` worded by
:func:`generator.core.findings.humanize.explain` (the one translation the output and CRD checks use
too): unknown fields suggest the closest allowed one, type errors say what was found. All errors are
reported, not just the first. The compiled copy of each schema
(:mod:`generator.schemas.compiled`) passes a valid document first: jsonschema is imported and
run only for a file it rejects.
``describe`` and ``suggest`` are re-exported from :mod:`generator.core.findings.humanize` for the
modules that import them from here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from generator.core.errors import Problem, key_path
from generator.core.findings.humanize import describe, explain, suggest
from generator.schemas import schema_bytes
from generator.schemas.compiled import Rejected, screen
from generator.yamlio.source import SourceDoc

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

__all__ = ["SCHEMAS", "SchemaChecker", "describe", "load_schema", "suggest"]

SCHEMAS = ("config", "layers", "group", "project", "settings")


def load_schema(name: str) -> dict[str, Any]:
    """One of the bundled input schemas (``config``, ``layers``, ``group``, ``project`` or
    ``settings``)."""
    schema: dict[str, Any] = json.loads(schema_bytes(name))
    return schema


class SchemaChecker:
    """Validates input documents; builds each validator once, on first use."""

    def __init__(self) -> None:
        self._validators: dict[str, Validator] = {}

    def _validator(self, name: str) -> Validator:
        if name not in self._validators:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource

            # The schemas refer to each other's $defs by $id (a group's smoke checks are
            # defined once, in layers.schema.json).
            bundled = [load_schema(other) for other in SCHEMAS]
            registry: Registry[Any] = Registry().with_resources(
                (str(schema["$id"]), Resource.from_contents(schema)) for schema in bundled
            )
            self._validators[name] = Draft202012Validator(load_schema(name), registry=registry)
        return self._validators[name]

    def check(self, doc: SourceDoc, name: str) -> list[Problem]:
        """Every way ``doc`` breaks schema ``name``, as located problems. The compiled check
        (:mod:`generator.schemas.compiled`) screens first; jsonschema explains only a document
        it rejects."""
        try:
            screen(name)(doc.data)
            return []
        except Rejected:
            pass
        problems: list[Problem] = []
        for error in self._validator(name).iter_errors(doc.data):
            problems.extend(_problems(doc, error))
        return sorted(set(problems))


def _problems(doc: SourceDoc, error: ValidationError) -> list[Problem]:
    problems = []
    for found in explain(error):
        line, column = doc.locate(found.path[:-1] if found.at_parent else found.path)
        problems.append(
            Problem(doc.file, line, column, key_path(found.path), found.message, id=found.id)
        )
    return problems
