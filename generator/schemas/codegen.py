"""Generate the compiled validators shipped in :mod:`generator.schemas.compiled`.

Every run checks documents against the JSON Schemas of this folder: the input files against
config, layers, group, project and settings, every rendered document against argocd. jsonschema
walks a schema anew for each document; fastjsonschema turns a schema into plain Python code,
about 20x faster per document, but building that code costs about 0.1 s per schema, which
``gen check`` would pay on every commit. So the code is built here, once, and shipped:
``generator/schemas/compiled/gen_<schema>.py``, each recording the digest (BLAKE2b-256) of the
schema files it was made from. At run time :func:`generator.schemas.compiled.screen` uses a
module only when those digests match the schemas it ships with (else it compiles in memory,
correct but slow, and tests/schemas/test_compiled.py fails until the code is regenerated)::

    python -m generator.schemas.codegen          # rewrite the modules
    python -m generator.schemas.codegen --check  # exit 1 when one is stale

The code is generated without fastjsonschema's detailed exceptions (the screen only says
whether a document passes; jsonschema explains the ones it rejects), which makes it a third of
the size, and raises :class:`generator.schemas.compiled.Rejected` (a run imports no
fastjsonschema). Generating it that way, fastjsonschema 2.22 cannot emit ``const``, so each
``const: X`` is given to it as ``enum: [X]``: the same assertion in every JSON Schema draft
(and in both libraries, which compare strings by type and value). The differential tests
(tests/schemas/test_compiled.py) hold the generated code to jsonschema's verdicts on the schemas
as written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.core.hashing import blake2b
from generator.schemas import SCHEMAS_DIR, schema_bytes

#: Schema files and what their module exposes: the whole schema (``""``), or, for the output
#: schema, one entry per kind (``$defs`` names), as the validators use them.
TARGETS: dict[str, tuple[str, ...]] = {
    "config": ("",),
    "layers": ("",),
    "group": ("",),
    "project": ("",),
    "settings": ("",),
    "argocd": ("Application", "ApplicationSet", "AppProject", "Kustomization"),
}
#: Keywords whose value is one subschema, a list of them, or a map of names to them.
_ONE = ("additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames")
_MANY = ("anyOf", "allOf", "oneOf", "prefixItems")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

COMPILED_DIR = SCHEMAS_DIR / "compiled"
#: The generated code raises the compiled module's own exception, so that a run needs
#: fastjsonschema only to generate (and for the fallback), not to check.
_FASTJSONSCHEMA_IMPORT = (
    "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException"
)
_OWN_IMPORT = (
    "from generator.schemas.compiled import Rejected as JsonSchemaValueException\n"
    "from generator.schemas.compiled import Rejected as JsonSchemaValuesException"
)


def digest(name: str) -> str:
    """The BLAKE2b-256 digest of a bundled schema file: what a generated module records and is
    checked by."""
    return blake2b(schema_bytes(name), digest_size=32).hexdigest()


def load(name: str) -> dict[str, Any]:
    """A bundled schema, parsed."""
    schema: dict[str, Any] = json.loads(schema_bytes(name))
    return schema


def _schemas() -> dict[str, dict[str, Any]]:
    return {name: load(name) for name in TARGETS}


def _without_const(schema: Any) -> Any:
    """``schema`` with every ``const: X`` keyword written ``enum: [X]`` (see the module
    docstring); only keyword positions are rewritten, never a property named ``const``."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "const":
            out["enum"] = [value]
        elif key in _ONE:
            out[key] = _without_const(value)
        elif key in _MANY and isinstance(value, list):
            out[key] = [_without_const(item) for item in value]
        elif key in _MAP and isinstance(value, dict):
            out[key] = {name: _without_const(item) for name, item in value.items()}
        else:
            out[key] = value
    return out


def _function_name(uri: str) -> str:
    """The name fastjsonschema gives the function validating ``uri``."""
    return "validate_" + re.sub(r"[^a-zA-Z0-9_]", "_", uri).lower()


def referenced(name: str, schemas: Mapping[str, dict[str, Any]] | None = None) -> list[str]:
    """``name`` and the other bundled schemas it refers to by ``$id``, in that order."""
    schemas = schemas or _schemas()
    text = json.dumps(schemas[name])
    others = [o for o, s in schemas.items() if o != name and f'"{s["$id"]}#' in text]
    return [name, *sorted(others)]


def generate(name: str) -> str:
    """The source of ``gen_<name>.py``: the compiled validator of schema ``name``."""
    import fastjsonschema

    schemas = _schemas()
    by_id: dict[str, dict[str, Any]] = {str(s["$id"]): _without_const(s) for s in schemas.values()}

    def fetch(uri: str) -> dict[str, Any]:
        return by_id[uri]

    schema = _without_const(schemas[name])
    entries = TARGETS[name]
    uri = str(schema["$id"])
    if entries != ("",):
        schema = {k: v for k, v in schema.items() if k in ("$schema", "$id", "$defs")}
        schema["anyOf"] = [{"$ref": f"#/$defs/{entry}"} for entry in entries]
    handlers: dict[str, Callable[[str], Any]] = {"https": fetch}
    code = fastjsonschema.compile_to_code(schema, handlers=handlers, detailed_exceptions=False)
    if _FASTJSONSCHEMA_IMPORT not in code:
        raise RuntimeError("fastjsonschema's generated code imports other names than expected")
    code = code.replace(_FASTJSONSCHEMA_IMPORT, _OWN_IMPORT)
    functions = {
        entry: _function_name(uri + (f"#/$defs/{entry}" if entry else "")) for entry in entries
    }
    for function in functions.values():
        if f"\ndef {function}(" not in code:
            raise RuntimeError(f"fastjsonschema named no function {function} for {name}")
    sources = {f"{other}.schema.json": digest(other) for other in referenced(name, schemas)}
    head = [
        f"# Generated by `python -m generator.schemas.codegen` from generator/schemas/{name}"
        ".schema.json",
        f"# with fastjsonschema {fastjsonschema.VERSION}. Do not edit: change the schema, then run",
        "# the command again (tests/schemas/test_compiled.py fails while this file is stale).",
        "# ruff: noqa",
        "# fmt: off",
        "# mypy: ignore-errors",
        "",
        f"SOURCES = {json.dumps(sources, indent=4, sort_keys=True)}",
        "",
    ]
    tail = ["", "ENTRIES = {"]
    tail += [f"    {entry!r}: {function}," for entry, function in functions.items()]
    tail.append("}")
    return "\n".join(head) + code.rstrip("\n") + "\n\n" + "\n".join(tail) + "\n"


def module_path(name: str) -> Path:
    """Where the generated module of schema ``name`` lives in this checkout."""
    return COMPILED_DIR / f"gen_{name}.py"


def stale() -> list[str]:
    """The schemas whose shipped module differs from what :func:`generate` makes now."""
    return [
        name
        for name in TARGETS
        if not module_path(name).is_file() or module_path(name).read_text("utf-8") != generate(name)
    ]


def main(argv: list[str] | None = None) -> int:
    """Regenerate the modules (``--check``: only report the stale ones, exit 1 if any)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a module is stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for name in found:
            print(f"{module_path(name)}: stale; run python -m generator.schemas.codegen")
        return 1 if found else 0
    for name in TARGETS:
        path = module_path(name)
        text = generate(name)
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
