"""The JSON Schemas of the generator's input (config, layers, group, project, settings) and of
what it emits (argocd), and their compiled validators (:mod:`generator.schemas.compiled`)."""

from __future__ import annotations

from pathlib import Path

#: This folder: the schema files are read as files (``<name>.schema.json``).
SCHEMAS_DIR = Path(__file__).resolve().parent


def schema_bytes(name: str) -> bytes:
    """The bytes of a bundled schema file (``group`` -> ``group.schema.json``)."""
    return (SCHEMAS_DIR / f"{name}.schema.json").read_bytes()
