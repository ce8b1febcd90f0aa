"""Shell completion values (``_GEN_COMPLETE=bash_source gen``): environments, groups, settings
and profiles, read cheaply from the project's snapshot (no schema checks, no loading). Never
raises: a broken project completes to nothing rather than printing a traceback into the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _keys(root: Any, relative: str, key: str) -> list[str]:
    from generator.core.layout import find_root
    from generator.fs.inputs import read_inputs
    from generator.yamlio.source import decode, parse_yaml

    try:
        inputs = read_inputs(Path(root) if root else find_root(Path.cwd()))
        data = parse_yaml(decode(inputs.files[relative], relative), relative).data
        return [str(k) for k in data.get(key, {})] if isinstance(data, dict) else []
    except Exception:
        return []


def environments(root: Any, incomplete: str) -> list[str]:
    """Environment names from config.yaml."""
    return [n for n in _keys(root, "config.yaml", "environments") if n.startswith(incomplete)]


def profiles(root: Any, incomplete: str) -> list[str]:
    """Profile names from catalog/layers.yaml."""
    return [n for n in _keys(root, "catalog/layers.yaml", "profiles") if n.startswith(incomplete)]


def settings(root: Any, incomplete: str) -> list[str]:
    """Setting names from catalog/settings.yaml."""
    return [n for n in _keys(root, "catalog/settings.yaml", "settings") if n.startswith(incomplete)]


def groups(root: Any, incomplete: str) -> list[str]:
    """Group names: the group files' names under catalog/."""
    try:
        from generator.core.layout import find_root
        from generator.fs.inputs import read_inputs
        from generator.project.load import group_files

        inputs = read_inputs(Path(root) if root else find_root(Path.cwd()))
        names = sorted({Path(rel).stem for rel in group_files(inputs)})
    except Exception:
        return []
    return [n for n in names if n.startswith(incomplete)]
