"""Label and annotation keys and label values, as Kubernetes validates them when an object is
applied (and Argo CD reports only then)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from generator.core.k8s_names import key_problem, label_value_problem
from generator.core.model import DocPath
from generator.yamlio.manifests import Finding, Manifest


def label_findings(
    doc: Manifest,
    at: DocPath,
    values: Any,
    label_values: bool,
    templated: Callable[[Manifest, object], bool] | None,
) -> Iterator[Finding]:
    """Invalid keys (and, for labels, values) of the map ``values`` at ``at``; ``templated``
    tells values Argo CD fills in later (None: no value of this document is templated)."""
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if templated is not None and templated(doc, key):
            continue
        bad = key_problem(str(key))
        if bad:
            yield doc.finding((*at, key), bad, id="invalid-label-key")
        elif label_values and not (templated is not None and templated(doc, value)):
            bad = label_value_problem(value)
            if bad:
                yield doc.finding((*at, key), bad, id="invalid-label-value")
