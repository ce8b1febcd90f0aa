"""Checks across documents: does every Application's AppProject exist and permit it?

Argo CD only reports these when it syncs ("application repo ... is not permitted in project"),
in the UI. Here they are checked over a set of documents (one environment's rendered output, or
the files given to ``gen validate``):

- each Application's (and ApplicationSet template's) ``spec.project`` exists, or is Argo's
  built-in ``default``;
- its source repositories are allowed by the project's ``sourceRepos`` (URLs compared the way
  Argo compares them: case, a trailing ``/`` and ``.git`` do not matter; ``*`` globs and ``!``
  exclusions apply);
- its destination (server or name, and namespace) is allowed by ``destinations``, where
  ``in-cluster`` and ``https://kubernetes.default.svc`` are the same cluster;
- an app-of-apps (an ApplicationSet whose template is labelled ``stagegen.dev/role: group``)
  may create ``argoproj.io/Application`` objects in the Argo namespace;
- least privilege: a ``*`` in an AppProject is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from generator.core.appspec import spec_repositories
from generator.core.constants import (
    IN_CLUSTER_NAME,
    IN_CLUSTER_SERVER,
    LAYER_LABEL,
    ROLE_LABEL,
)
from generator.core.errors import Severity
from generator.core.model import DocPath
from generator.project.schema import suggest
from generator.validation.argo import templated
from generator.yamlio.manifests import Finding, Manifest, as_dict

_WILDCARD = ("*", "?", "[")


def normalize_repo(url: str) -> str:
    """A repository URL as Argo CD compares it: lower case, no trailing ``/`` or ``.git``."""
    url = url.strip().lower().rstrip("/")
    return url.removesuffix(".git").rstrip("/")


def _matches(pattern: str, value: str, normalize: bool = False) -> bool:
    if normalize:
        pattern, value = normalize_repo(pattern), normalize_repo(value)
    return pattern == value or fnmatchcase(value, pattern)


def _allowed(patterns: list[str], value: str, normalize: bool = False) -> bool:
    """Argo's rule: allowed when a pattern matches and no ``!pattern`` does."""
    positive = [p for p in patterns if not p.startswith("!")]
    negative = [p[1:] for p in patterns if p.startswith("!")]
    return any(_matches(p, value, normalize) for p in positive) and not any(
        _matches(p, value, normalize) for p in negative
    )


def _cluster(dest: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(server, name)`` of a destination, with the in-cluster alias filled in both ways."""
    server, name = dest.get("server"), dest.get("name")
    server = server.rstrip("/") if isinstance(server, str) else None
    name = name if isinstance(name, str) else None
    if server == IN_CLUSTER_SERVER and name is None:
        name = IN_CLUSTER_NAME
    if name == IN_CLUSTER_NAME and server is None:
        server = IN_CLUSTER_SERVER
    return server, name


def destination_allowed(entries: list[Any], dest: dict[str, Any]) -> bool | None:
    """Whether a project's ``destinations`` allow ``dest``; None when it cannot be decided
    offline (the app names a cluster by name and the project lists servers only, or the
    reverse). A ``!`` before a server, name or namespace pattern excludes what it matches."""
    server, name = _cluster(dest)
    namespace = str(dest.get("namespace") or "")
    decidable = allowed = denied = False
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        e_server, e_name = entry.get("server"), entry.get("name")
        if isinstance(e_server, str) and server is not None:
            pattern, value = e_server.rstrip("/"), server
        elif isinstance(e_name, str) and name is not None:
            pattern, value = e_name, name
        else:
            continue
        decidable = True
        e_namespace = str(entry.get("namespace") or "")
        negative = pattern.startswith("!") or e_namespace.startswith("!")
        if _matches(pattern.lstrip("!"), value) and _matches(e_namespace.lstrip("!"), namespace):
            denied = denied or negative
            allowed = allowed or not negative
    if not decidable:
        return None if entries else False  # no destinations at all: nothing is allowed
    return allowed and not denied


@dataclass(frozen=True)
class _Project:
    doc: Manifest
    spec: dict[str, Any]
    #: Destination verdicts already reached: a layer's thousands of Applications share a few
    #: destinations, and matching one against the project's patterns is not free.
    verdicts: dict[tuple[tuple[str, str], ...], bool | None] = field(
        default_factory=dict, compare=False
    )

    def allows(self, dest: dict[str, Any]) -> bool | None:
        """:func:`destination_allowed` for this project, remembered per destination."""
        key = tuple(sorted((str(k), str(v)) for k, v in dest.items()))
        if key not in self.verdicts:
            self.verdicts[key] = destination_allowed(_list(self.spec.get("destinations")), dest)
        return self.verdicts[key]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _app_specs(doc: Manifest) -> Iterator[tuple[DocPath, dict[str, Any], dict[str, Any]]]:
    """``(path of spec, spec, labels)`` of an Application, or of an ApplicationSet template."""
    data = as_dict(doc.data)
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if doc.kind == "Application":
        meta = as_dict(data.get("metadata"))
        yield ("spec",), spec, meta.get("labels") or {}
    elif doc.kind == "ApplicationSet" and isinstance(spec.get("template"), dict):
        template = spec["template"]
        meta = as_dict(template.get("metadata"))
        if isinstance(template.get("spec"), dict):
            yield ("spec", "template", "spec"), template["spec"], meta.get("labels") or {}


def _kind_allowed(spec: dict[str, Any], group: str, kind: str) -> bool:
    white = spec.get("namespaceResourceWhitelist")
    black = _list(spec.get("namespaceResourceBlacklist"))

    def hit(entries: list[Any]) -> bool:
        return any(
            isinstance(e, dict)
            and _matches(str(e.get("group", "")), group)
            and _matches(str(e.get("kind", "")), kind)
            for e in entries
        )

    if white is not None and not hit(_list(white)):
        return False
    return not hit(black)


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
    projects: dict[str, _Project] = {}
    for doc in docs:
        if doc.kind == "AppProject" and doc.api_version.startswith("argoproj.io/") and doc.name:
            spec = doc.data.get("spec")
            projects.setdefault(doc.name, _Project(doc, spec if isinstance(spec, dict) else {}))
    for doc in docs:
        if not doc.api_version.startswith("argoproj.io/"):
            continue
        for at, spec, labels in _app_specs(doc):
            name = spec.get("project")
            if not isinstance(name, str) or templated(doc, name):
                continue
            project = projects.get(name)
            if project is None:
                if name == "default" or name in elsewhere or not (complete or projects):
                    continue
                yield doc.finding(
                    (*at, "project"),
                    f'AppProject "{name}" is not defined'
                    + (" in the files given" if not complete else "")
                    + suggest(name, projects),
                    "error" if complete else "warning",
                )
                continue
            yield from _permits(doc, at, spec, project)
            if labels.get(ROLE_LABEL) == "group" and doc.kind == "ApplicationSet":
                namespace = argocd_namespace or _namespace(doc)
                yield from _app_of_apps(doc, at, spec, project, namespace)
    for project in projects.values():
        labels = as_dict(as_dict(project.doc.data.get("metadata")).get("labels"))
        generated = LAYER_LABEL in labels  # not an AppProject kept as written
        yield from _wildcards(
            project, strict=complete and argocd_namespace is not None and generated
        )


def _namespace(doc: Manifest) -> str:
    """The object's namespace; Argo CD's objects default to "argocd", others to "" (whatever
    namespace they are applied to)."""
    meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
    value = meta.get("namespace") if isinstance(meta, dict) else None
    if isinstance(value, str):
        return value
    return "argocd" if doc.api_version.startswith("argoproj.io/") else ""


def _sources(at: DocPath, spec: dict[str, Any]) -> Iterator[tuple[DocPath, str]]:
    # A hydrator's dry source is what Argo CD checks (generator/core/appspec.py).
    return spec_repositories(at, spec)


def _permits(
    doc: Manifest, at: DocPath, spec: dict[str, Any], project: _Project
) -> Iterator[Finding]:
    name = project.doc.name
    repos = [r for r in _list(project.spec.get("sourceRepos")) if isinstance(r, str)]
    for where, url in _sources(at, spec):
        if templated(doc, url):
            continue
        if not _allowed(repos, url, normalize=True):
            yield doc.finding(
                where,
                f'repository "{url}" is not allowed by AppProject "{name}" '
                f"(sourceRepos: {', '.join(repos) or 'none'})",
            )
    dest = spec.get("destination")
    if (
        isinstance(dest, dict)
        and not any(templated(doc, v) for v in dest.values())
        and project.allows(dest) is False
    ):
        shown = ", ".join(f"{k}={v}" for k, v in dest.items() if isinstance(v, str))
        yield doc.finding(
            (*at, "destination"),
            f'destination {shown} is not allowed by AppProject "{name}" destinations',
        )


def _app_of_apps(
    doc: Manifest, at: DocPath, spec: dict[str, Any], project: _Project, namespace: str
) -> Iterator[Finding]:
    """An app-of-apps creates Application objects in the Argo namespace: its project must
    allow that kind there."""
    dest = as_dict(spec.get("destination"))
    name = project.doc.name
    if dest.get("namespace") != namespace:
        yield doc.finding(
            (*at, "destination", "namespace"),
            "an app-of-apps creates Applications, which live in the Argo CD namespace "
            f'"{namespace}"; got {json.dumps(dest.get("namespace"))}',
        )
    if not _kind_allowed(project.spec, "argoproj.io", "Application"):
        yield doc.finding(
            (*at, "project"),
            f'AppProject "{name}" does not allow argoproj.io/Application (namespaceResource'
            "Whitelist/Blacklist), which this app-of-apps creates",
        )


def _wildcards(project: _Project, strict: bool) -> Iterator[Finding]:
    """Least privilege: report ``*`` grants, one finding per entry. ``strict`` (a rendered
    project): repositories and destinations are errors (the catalog cannot ask for a wildcard
    there), and cluster-scoped kinds are left to the catalog's own warning."""
    doc, spec = project.doc, project.spec
    severity: Severity = "error" if strict else "warning"
    # A "!" entry takes permission away (Argo's deny patterns): never a grant to report.
    for index, repo in enumerate(_list(spec.get("sourceRepos"))):
        if isinstance(repo, str) and _glob(repo) and not repo.startswith("!"):
            yield doc.finding(
                ("spec", "sourceRepos", index),
                f'wildcard "{repo}" allows more repositories than the apps use',
                severity,
            )
    for index, entry in enumerate(_list(spec.get("destinations"))):
        shown = _wild_fields(entry, ("server", "name", "namespace"))
        if shown and not _denies(entry, ("server", "name", "namespace")):
            yield doc.finding(
                ("spec", "destinations", index),
                f"wildcard {shown} allows more destinations than the apps use",
                severity,
            )
    if strict:
        return
    for index, entry in enumerate(_list(spec.get("clusterResourceWhitelist"))):
        shown = _wild_fields(entry, ("group", "kind"))
        if shown:
            yield doc.finding(
                ("spec", "clusterResourceWhitelist", index),
                f"wildcard {shown} allows every matching cluster-scoped kind",
                "warning",
            )


def _glob(value: str) -> bool:
    return any(c in value for c in _WILDCARD)


def _denies(entry: Any, keys: tuple[str, ...]) -> bool:
    """Whether a destination entry is a deny entry (a ``!`` pattern in one of ``keys``)."""
    return isinstance(entry, dict) and any(
        isinstance(entry.get(k), str) and entry[k].startswith("!") for k in keys
    )


def _wild_fields(entry: Any, keys: tuple[str, ...]) -> str:
    """``server "*", namespace "a-*"``: the fields of ``entry`` that hold a wildcard."""
    if not isinstance(entry, dict):
        return ""
    return ", ".join(
        f'{key} "{entry[key]}"'
        for key in keys
        if isinstance(entry.get(key), str) and _glob(entry[key])
    )


def check_duplicates(docs: Sequence[Manifest], severity: Severity = "error") -> Iterator[Finding]:
    """Two documents for the same object: applying both keeps only the last one."""
    seen: dict[tuple[str, str, str, str], Manifest] = {}
    for doc in docs:
        if not doc.kind or not doc.name or doc.kind == "Kustomization":
            continue
        key = (doc.api_version.rpartition("/")[0], doc.kind, _namespace(doc), doc.name)
        first = seen.setdefault(key, doc)
        if first is not doc:
            line, _ = first.locate(())
            where = f' in namespace "{key[2]}"' if key[2] else ""
            yield doc.finding(
                ("metadata", "name"),
                f"{doc.describe()}{where} is also defined at {first.file}:{line}; "
                "applying both keeps only one",
                severity,
            )
