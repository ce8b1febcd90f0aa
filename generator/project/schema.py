"""Check parsed input files against the JSON Schemas in ``generator/schemas/``.

Every schema error becomes a located :class:`~generator.core.errors.Problem` worded for a person:
unknown keys name the key and suggest the closest allowed one, type errors say what was found.
All errors are reported, not just the first. jsonschema is imported only when a checker is
built, so commands that never validate pay nothing for it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from generator.core.errors import Problem
from generator.yamlio.source import SourceDoc

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMAS = ("config", "layers", "group", "project", "settings")

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "null": "null",
}
#: Words YAML 1.1 took for booleans; YAML 1.2 (what we read) keeps them as strings.
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO"}


def describe(value: Any) -> str:
    """How a found value is named in messages: ``string "yes"``, ``integer 1``, ``a list``
    (long strings are cut at 40 characters)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {json.dumps(shown)}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!s}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def load_schema(name: str) -> dict[str, Any]:
    """One of the bundled input schemas (``config``, ``layers``, ``group``, ``project`` or
    ``settings``)."""
    text = resources.files("generator.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
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
        """Every way ``doc`` breaks schema ``name``, as located problems."""
        problems: list[Problem] = []
        for error in self._validator(name).iter_errors(doc.data):
            problems.extend(_problems(doc, error))
        return sorted(set(problems))


def _problems(doc: SourceDoc, error: ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    validator = error.validator
    expected: Any = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(schema.get("properties", {}))
        return [
            doc.problem((*path, key), "unknown key" + suggest(key, allowed))
            for key in error.instance
            if key not in allowed
        ]
    if validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in expected if k not in error.instance]
        return [doc.problem(path, f'missing required key "{key}"') for key in missing]
    if validator == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        message = f"must be {wanted}, got {describe(error.instance)}"
        yaml11 = _YAML11_BOOLS | {"true", "false"}
        if "boolean" in names and isinstance(error.instance, str) and error.instance in yaml11:
            message += "; write true or false without quotes"
        return [doc.problem(path, message)]
    if validator == "enum":
        options = ", ".join(str(v) for v in expected)
        return [doc.problem(path, f"must be one of: {options}; got {describe(error.instance)}")]
    if validator in ("minItems", "minProperties") and not error.instance:
        return [doc.problem(path, "must not be empty")]
    if validator == "minLength":
        return [doc.problem(path, "must not be an empty string")]
    if validator == "maxProperties":
        names = list(schema.get("properties", {}))
        if expected == 1 and names:
            wanted = " or ".join(f'"{name}"' for name in names)
            return [doc.problem(path, f"set either {wanted}, not both")]
        return [doc.problem(path, f"takes at most {expected} key(s)")]
    if validator == "uniqueItems":
        return [doc.problem(path, "has duplicate items")]
    if validator in ("oneOf", "anyOf") and isinstance(error.instance, dict):
        # The "exactly one of these keys" pattern: each branch requires one key.
        keys = [
            key
            for branch in expected
            if isinstance(branch, dict)
            for key in branch.get("required", [])
        ]
        if keys:
            present = [key for key in keys if key in error.instance]
            wanted = " or ".join(f'"{key}"' for key in keys)
            if len(present) > 1:
                return [doc.problem(path, f"use either {wanted}, not both")]
            return [doc.problem(path, f"needs {wanted}")]
    if validator in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        return _problems(doc, best_match(error.context))
    return [doc.problem(path, error.message)]
