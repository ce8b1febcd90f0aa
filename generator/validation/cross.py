"""Checks across documents: does every Application's AppProject exist and permit it?

Argo CD only reports these when it syncs ("application repo ... is not permitted in project"),
in the UI. Here they are checked over a set of documents (one environment's rendered output, or
the files given to ``gen validate``):

- each Application's (and ApplicationSet template's) ``spec.project`` exists, or is Argo's
  built-in ``default``;
- the project permits its repositories and destination, and an app-of-apps (an ApplicationSet
  whose template is labelled ``stagegen.dev/role: group``) may create ``argoproj.io/Application``
  objects in the Argo namespace (the rules themselves: :mod:`generator.validation.privilege`);
- least privilege: a ``*`` in an AppProject is reported;
- two documents applied together define the same object (:func:`check_duplicates`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from generator.core.appspec import spec_repository_urls
from generator.core.constants import LAYER_LABEL, ROLE_LABEL
from generator.core.errors import Severity
from generator.core.findings.humanize import suggest
from generator.core.model import DocPath
from generator.validation.argo import templated
from generator.validation.privilege import (
    Grants,
    destination_allowed,
    normalize_repo,
    permits,
    wildcards,
)
from generator.yamlio.manifests import Finding, Manifest, as_dict

__all__ = ["check_duplicates", "check_set", "destination_allowed", "normalize_repo"]


def _app_specs(
    doc: Manifest, kind: str
) -> Iterator[tuple[DocPath, dict[str, Any], dict[str, Any]]]:
    """``(path of spec, spec, labels)`` of an Application, or of an ApplicationSet template
    (``kind``: the document's)."""
    data = as_dict(doc.data)
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if kind == "Application":
        meta = as_dict(data.get("metadata"))
        yield ("spec",), spec, meta.get("labels") or {}
    elif kind == "ApplicationSet" and isinstance(spec.get("template"), dict):
        template = spec["template"]
        meta = as_dict(template.get("metadata"))
        if isinstance(template.get("spec"), dict):
            yield ("spec", "template", "spec"), template["spec"], meta.get("labels") or {}


#: The kinds whose specs name an AppProject (an ApplicationSet's in its template).
_APP_KINDS = frozenset(("Application", "ApplicationSet"))


def check_set(
    docs: Sequence[Manifest],
    *,
    complete: bool,
    argocd_namespace: str | None = None,
    known: Iterable[str] = (),
) -> Iterator[Finding]:
    """Cross-object checks over ``docs``. ``complete`` says the set holds every AppProject the
    Applications may use (a rendered environment) besides the ``known`` ones Argo CD already
    has; otherwise a project that is not in the set is only checked when the set defines some
    AppProject. ``argocd_namespace`` is where Argo CD runs (default: the namespace of each
    ApplicationSet)."""
    elsewhere = set(known)
    # (project, repositories, destination) of Applications already found permitted: a layer's
    # Applications share a few of them, and the verdict depends on nothing else.
    permitted: set[tuple[Any, ...]] = set()
    projects: dict[str, Grants] = {}
    kinds = [doc.kind for doc in docs]
    for doc, kind in zip(docs, kinds, strict=True):
        if kind == "AppProject" and doc.api_version.startswith("argoproj.io/") and doc.name:
            spec = doc.data.get("spec")
            projects.setdefault(doc.name, Grants(doc, spec if isinstance(spec, dict) else {}))
    for doc, kind in zip(docs, kinds, strict=True):
        if kind not in _APP_KINDS or not doc.api_version.startswith("argoproj.io/"):
            continue
        for at, spec, labels in _app_specs(doc, kind):
            name = spec.get("project")
            if not isinstance(name, str) or templated(doc, name):
                continue
            grants = projects.get(name)
            if grants is None:
                if name == "default" or name in elsewhere or not (complete or projects):
                    continue
                yield doc.finding(
                    (*at, "project"),
                    f'AppProject "{name}" is not defined'
                    + (" in the files given" if not complete else "")
                    + suggest(name, projects),
                    "error" if complete else "warning",
                    id="unknown-project",
                )
                continue
            key = _permit_key(name, spec) if kind == "Application" else None
            if key is None or key not in permitted:
                found = list(permits(doc, at, spec, grants, templated))
                if not found and key is not None:
                    permitted.add(key)
                yield from found
            if labels.get(ROLE_LABEL) == "group" and kind == "ApplicationSet":
                namespace = argocd_namespace or _namespace(doc)
                yield from _app_of_apps(doc, at, spec, grants, namespace)
    for grants in projects.values():
        labels = as_dict(as_dict(grants.doc.data.get("metadata")).get("labels"))
        generated = LAYER_LABEL in labels  # not an AppProject kept as written
        yield from wildcards(grants, strict=complete and argocd_namespace is not None and generated)


def _permit_key(project: str, spec: dict[str, Any]) -> tuple[Any, ...] | None:
    """What :func:`permits` judges of an Application spec (no value of an Application is
    templated): its project, repositories and destination; None when a value is unhashable."""
    dest = spec.get("destination")
    key = (
        project,
        spec_repository_urls(spec),
        tuple(dest.items()) if isinstance(dest, dict) else type(dest).__name__,
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _namespace(doc: Manifest, api_version: str | None = None) -> str:
    """The object's namespace; Argo CD's objects default to "argocd", others to "" (whatever
    namespace they are applied to). ``api_version``: the document's, when known already."""
    meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    value = meta.get("namespace") if isinstance(meta, dict) else None
    if isinstance(value, str):
        return value
    api = doc.api_version if api_version is None else api_version
    return "argocd" if api.startswith("argoproj.io/") else ""


def _app_of_apps(
    doc: Manifest, at: DocPath, spec: dict[str, Any], grants: Grants, namespace: str
) -> Iterator[Finding]:
    """An app-of-apps creates Application objects in the Argo namespace: its project must
    allow that kind there."""
    dest = as_dict(spec.get("destination"))
    name = grants.doc.name
    if dest.get("namespace") != namespace:
        yield doc.finding(
            (*at, "destination", "namespace"),
            "an app-of-apps creates Applications, which live in the Argo CD namespace "
            f'"{namespace}"; got {json.dumps(dest.get("namespace"))}',
            id="app-of-apps-namespace",
        )
    if not grants.allows_kind("argoproj.io", "Application"):
        yield doc.finding(
            (*at, "project"),
            f'AppProject "{name}" does not allow argoproj.io/Application (namespaceResource'
            "Whitelist/Blacklist), which this app-of-apps creates",
            id="app-of-apps-not-permitted",
        )


def check_duplicates(docs: Sequence[Manifest], severity: Severity = "error") -> Iterator[Finding]:
    """Two documents for the same object: applying both keeps only the last one."""
    seen: dict[tuple[str, str, str, str], Manifest] = {}
    for doc in docs:
        kind, name = doc.kind, doc.name
        if not kind or not name or kind == "Kustomization":
            continue
        api = doc.api_version
        key = (api.rpartition("/")[0], kind, _namespace(doc, api), name)
        first = seen.setdefault(key, doc)
        if first is not doc:
            line, _ = first.locate(())
            where = f' in namespace "{key[2]}"' if key[2] else ""
            yield doc.finding(
                ("metadata", "name"),
                f"{doc.describe()}{where} is also defined at {first.file}:{line}; "
                "applying both keeps only one",
                severity,
                id="duplicate-object",
            )
