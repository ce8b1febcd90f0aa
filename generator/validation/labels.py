"""Label and annotation keys and label values, as Kubernetes validates them when an object is
applied (and Argo CD reports only then)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.core.model import DocPath
from generator.yamlio.manifests import Finding, Manifest

_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = re.compile(rf"^({_NAME})?$")
_KEY_NAME = re.compile(rf"^{_NAME}$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@functools.lru_cache(maxsize=8192)
def label_key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label or annotation key, or None."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        return f'"{key}": the prefix before "/" must be a DNS subdomain (like example.com)'
    if not name or len(name) > 63 or not _KEY_NAME.match(name):
        return (
            f'"{key}" is not a valid key: at most 63 letters, digits, "-", "_" or "." '
            '(starting and ending with a letter or digit), optionally after a "prefix/"'
        )
    return None


def label_value_problem(value: object) -> str | None:
    """Why ``value`` is not a valid label value, or None."""
    if not isinstance(value, str):
        return None  # the schema reports the type
    return _label_value_problem(value)


@functools.lru_cache(maxsize=8192)
def _label_value_problem(value: str) -> str | None:
    # A render checks the same few hundred label values tens of thousands of times.
    if len(value) > 63:
        return f"label values have at most 63 characters (this one has {len(value)})"
    if not _LABEL_VALUE.match(value):
        return (
            f"{json.dumps(value)} is not a valid label value: letters, digits, "
            '"-", "_" and "." only, starting and ending with a letter or digit'
        )
    return None


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
        bad = label_key_problem(str(key))
        if bad:
            yield doc.finding((*at, key), bad, id="invalid-label-key")
        elif label_values and not (templated is not None and templated(doc, value)):
            bad = label_value_problem(value)
            if bad:
                yield doc.finding((*at, key), bad, id="invalid-label-value")
