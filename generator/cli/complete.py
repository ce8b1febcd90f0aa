"""Shell completion values (``_GEN_COMPLETE=bash_source gen``): environments, groups, settings
and profiles, read cheaply from the project's files. Never raises: a broken project completes to
nothing rather than printing a traceback into the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _base(root: Any) -> Path:
    from generator.core.layout import find_root

    return Path(root) if root else find_root(Path.cwd())


def _keys(root: Any, relative: str, key: str) -> list[str]:
    from generator.yamlio.source import load_yaml

    try:
        data = load_yaml(_base(root) / relative, relative).data
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
        from generator.core.layout import CATALOG_DIR
        from generator.project.load import group_files

        names = sorted({p.stem for p in group_files(_base(root) / CATALOG_DIR)})
    except Exception:
        return []
    return [n for n in names if n.startswith(incomplete)]
