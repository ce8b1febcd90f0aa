"""The round-trip guarantee of ``gen import``, as code: compare an Application (or AppProject)
from the source folder with the one ``gen render`` wrote, field by field.

Both sides are parsed objects. Values are compared strictly (``true`` is not ``1``, ``1`` is not
``1.0``, ``"1"`` is not ``1``), key order is ignored. The documented exceptions, applied to both
sides by :func:`comparable`, are the only fields allowed to differ:

* labels and annotations under ``stagegen.dev/`` (the generator adds its labels to every
  Application it renders, and ``stagegen.dev/manual-reason`` to a manual-sync app with a
  ``reason``; a ``labels`` or ``annotations`` map left empty without them counts as absent);
* ``metadata.namespace`` when the original has none: the generator always writes config.yaml's
  ``argocdNamespace`` (where Argo CD reads Applications).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from generator.core.constants import LABEL_PREFIX

_ABSENT = object()


def comparable(doc: Mapping[str, Any], argocd_namespace: str) -> dict[str, Any]:
    """``doc`` with the documented exceptions applied (a new object; ``doc`` is not changed)."""
    out: dict[str, Any] = copy.deepcopy(dict(doc))
    metadata = out.get("metadata")
    if not isinstance(metadata, dict):
        return out
    for key in ("labels", "annotations"):
        values = metadata.get(key)
        if isinstance(values, dict):
            kept = {k: v for k, v in values.items() if not str(k).startswith(LABEL_PREFIX)}
            if kept:
                metadata[key] = kept
            else:
                del metadata[key]
    if metadata.get("namespace") is None:
        metadata["namespace"] = argocd_namespace
    return out


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def _same_type(a: Any, b: Any) -> bool:
    return type(a) is type(b) or (isinstance(a, Mapping) and isinstance(b, Mapping))


def differences(original: Any, rendered: Any, path: str = "") -> list[str]:
    """Every field where ``rendered`` differs from ``original``, one readable line each:
    ``spec.syncPolicy.automated.prune: original true, rendered (absent)``."""
    where = path or "(document)"
    if isinstance(original, Mapping) and isinstance(rendered, Mapping):
        found: list[str] = []
        for key in [*original, *(k for k in rendered if k not in original)]:
            child = f"{path}.{key}" if path else str(key)
            a = original.get(key, _ABSENT)
            b = rendered.get(key, _ABSENT)
            if a is _ABSENT or b is _ABSENT:
                found.append(f"{child}: original {_show(a)}, rendered {_show(b)}")
            else:
                found.extend(differences(a, b, child))
        return found
    if isinstance(original, list) and isinstance(rendered, list):
        if len(original) != len(rendered):
            return [
                f"{where}: original has {len(original)} item(s), rendered {len(rendered)}: "
                f"original {_show(original)}, rendered {_show(rendered)}"
            ]
        found = []
        for index, (a, b) in enumerate(zip(original, rendered, strict=True)):
            found.extend(differences(a, b, f"{path}[{index}]"))
        return found
    if not _same_type(original, rendered) or original != rendered:
        return [f"{where}: original {_show(original)}, rendered {_show(rendered)}"]
    return []


def strictly_equal(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are the same parsed data, types included."""
    return not differences(a, b)
