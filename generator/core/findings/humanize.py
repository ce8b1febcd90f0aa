"""Words for people: how found values are named, "did you mean", and the one translation of
jsonschema errors into messages.

Every schema check of the project goes through :func:`explain`: the input checks
(config.yaml, the catalog), the output checks (the project's own Argo CD schema, the core
Kubernetes kinds) and the CRD checks. So an unknown field, a wrong type or a missing field reads
the same wherever it is found, and carries the same finding id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}
#: Words YAML 1.1 takes for booleans (and the 1.2 ones): quoted, or read by YAML 1.2 rules, they
#: are strings, and a boolean field then says how to write one.
_BOOL_WORDS = frozenset(
    {"yes", "no", "on", "off", "y", "n", "true", "false"}
    | {"Yes", "No", "On", "Off", "YES", "NO", "True", "False", "TRUE", "FALSE"}
)


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
    import difflib  # only for a suggestion: most runs make none

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass(frozen=True)
class Explained:
    """One schema error in words: ``path`` into the document, the message, the finding id, and
    ``at_parent`` when the path does not exist (a missing field: locate its parent)."""

    path: tuple[str | int, ...]
    message: str
    id: str
    at_parent: bool = False


def _quoted(names: Iterable[Any]) -> str:
    return " or ".join(f'"{name}"' for name in names)


def explain(error: ValidationError) -> Iterator[Explained]:
    """Readable findings for one jsonschema error (an unknown-field error names every unknown
    field of the mapping, each at its own path)."""
    path = tuple(error.absolute_path)
    kind, value = error.validator, error.instance
    # validator_value is typed "Any | Unset"; jsonschema always sets it on errors it yields.
    expected: Any = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "additionalProperties" and expected is False and isinstance(value, dict):
        allowed = [str(name) for name in schema.get("properties", {})]
        for extra in value:
            if str(extra) not in allowed:
                message = f'unknown field "{extra}"' + suggest(str(extra), allowed)
                yield Explained((*path, str(extra)), message, id="unknown-field")
    elif kind == "required" and isinstance(value, dict):
        for name in expected:
            if name not in value:
                message = f'missing required field "{name}"'
                yield Explained((*path, name), message, id="missing-field", at_parent=True)
    elif kind == "type":
        yield Explained(path, _type_message(expected, value), id="wrong-type")
    elif kind in ("oneOf", "anyOf") and _field_choice(expected):
        yield _choice(path, expected, value)
    elif kind in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        if best is not None:
            yield from explain(best)
        else:  # pragma: no cover - context is non-empty
            yield Explained(path, error.message, id="schema-violation")
    elif kind == "maxProperties" and expected == 1 and schema.get("properties"):
        names = _quoted(schema["properties"])
        yield Explained(path, f"set either {names}, not both", id="one-of-fields")
    elif kind == "uniqueItems":
        yield Explained(path, "has duplicate items", id="duplicate-item")
    else:
        found = _value_message(kind, expected, value)
        yield Explained(path, found or error.message, id="invalid-value")


def _type_message(expected: Any, value: Any) -> str:
    types = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    message = f"must be {wanted}, got {describe(value)}"
    if "boolean" in types and isinstance(value, str) and value in _BOOL_WORDS:
        message += "; write true or false without quotes"
    return message


def _field_choice(branches: Any) -> bool:
    """Whether ``branches`` is the "one of these fields" pattern: each branch requires some."""
    return isinstance(branches, list) and all(
        isinstance(b, Mapping) and b.get("required") for b in branches
    )


def _choice(path: tuple[str | int, ...], branches: Any, value: Any) -> Explained:
    fields = [name for branch in branches for name in branch["required"]]
    if isinstance(value, Mapping) and sum(name in value for name in fields) > 1:
        return Explained(path, f"set either {_quoted(fields)}, not both", id="one-of-fields")
    return Explained(path, f"needs {_quoted(fields)}", id="missing-field")


def _value_message(kind: Any, expected: Any, value: Any) -> str | None:
    """The message of a check on a value's content (enum, pattern, bounds), or None."""
    got = describe(value)
    if kind == "enum":
        return f"must be one of {', '.join(json.dumps(c) for c in expected)}, got {got}"
    if kind == "const":
        return f"must be {json.dumps(expected)}, got {got}"
    if kind == "pattern":
        return f"must match the pattern {json.dumps(expected)}, got {got}"
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return f"must be {bound} {expected}, got {got}"
    if kind in ("minItems", "minProperties") and not value:
        return "must not be empty"
    if kind == "minLength" and expected == 1:
        return "must not be an empty string"
    if kind in ("minLength", "maxLength"):
        bound = "at least" if kind == "minLength" else "at most"
        return f"must be {bound} {expected} character{'' if expected == 1 else 's'} long"
    if kind == "maxProperties":
        return f"takes at most {expected} key(s)"
    return None
