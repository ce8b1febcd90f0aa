"""What an AppProject allows, and least privilege: every permission rule, in one place.

Argo CD refuses to sync an Application its AppProject does not permit ("application repo ... is
not permitted in project"), and says so only in the UI. The rules, as Argo CD applies them:

- repositories: ``sourceRepos`` patterns (``*`` globs; a ``!`` pattern excludes), URLs compared
  with case, a trailing ``/`` and ``.git`` ignored (:func:`normalize_repo`);
- destinations: ``server`` or ``name`` and ``namespace`` patterns, where ``in-cluster`` and
  ``https://kubernetes.default.svc`` are the same cluster (:func:`destination_allowed`);
- namespaced kinds: ``namespaceResourceWhitelist`` / ``Blacklist`` (:meth:`Grants.allows_kind`).

Least privilege is checked here too: a ``*`` grant is reported (:func:`wildcards`), and an
AppProject the generator renders grants exactly what its Applications use
(:func:`unused_grants`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from generator.core.appspec import spec_repositories, spec_repository_urls
from generator.core.constants import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from generator.core.errors import Severity
from generator.core.model import DocPath
from generator.yamlio.manifests import Finding, Manifest, as_dict

_DEST_KEYS = ("server", "name", "namespace")


@functools.lru_cache(maxsize=4096)
def normalize_repo(url: str) -> str:
    """A repository URL as Argo CD compares it: lower case, no trailing ``/`` or ``.git``."""
    url = url.strip().lower().rstrip("/")
    return url.removesuffix(".git").rstrip("/")


def _matches(pattern: str, value: str, normalize: bool = False) -> bool:
    if normalize:
        pattern, value = normalize_repo(pattern), normalize_repo(value)
    # A pattern without a wildcard matches only itself (fnmatch would say the same, slower).
    return pattern == value or (_glob(pattern) and fnmatchcase(value, pattern))


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


#: A destination entry as :func:`destination_allowed` reads it: its server pattern (no trailing
#: ``/``) or None, its name pattern or None, and its namespace pattern ("" when it has none).
_Rule = tuple[str | None, str | None, str]


def destination_rules(entries: list[Any]) -> list[_Rule]:
    """A project's ``destinations`` read once, for :func:`destination_allowed`."""
    rules: list[_Rule] = []
    for entry in entries:
        if isinstance(entry, dict):
            server, name = entry.get("server"), entry.get("name")
            rules.append(
                (
                    server.rstrip("/") if isinstance(server, str) else None,
                    name if isinstance(name, str) else None,
                    str(entry.get("namespace") or ""),
                )
            )
    return rules


def destination_allowed(
    entries: list[Any], dest: dict[str, Any], rules: list[_Rule] | None = None
) -> bool | None:
    """Whether a project's ``destinations`` allow ``dest``; None when it cannot be decided
    offline (the app names a cluster by name and the project lists servers only, or the
    reverse). A ``!`` before a server, name or namespace pattern excludes what it matches.
    ``rules``: :func:`destination_rules` of ``entries``, when already made."""
    server, name = _cluster(dest)
    namespace = str(dest.get("namespace") or "")
    decidable = allowed = denied = False
    for e_server, e_name, e_namespace in destination_rules(entries) if rules is None else rules:
        if e_server is not None and server is not None:
            pattern, value = e_server, server
        elif e_name is not None and name is not None:
            pattern, value = e_name, name
        else:
            continue
        decidable = True
        negative = pattern.startswith("!") or e_namespace.startswith("!")
        if _matches(pattern.lstrip("!"), value) and _matches(e_namespace.lstrip("!"), namespace):
            denied = denied or negative
            allowed = allowed or not negative
    if not decidable:
        return None if entries else False  # no destinations at all: nothing is allowed
    return allowed and not denied


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Grants:
    """One AppProject document and what it grants."""

    doc: Manifest
    spec: dict[str, Any]
    #: Destination verdicts already reached: a layer's thousands of Applications share a few
    #: destinations, and matching one against the project's patterns is not free.
    verdicts: dict[tuple[tuple[str, str], ...], bool | None] = field(
        default_factory=dict, compare=False
    )
    #: Repository verdicts already reached, by URL (for the same reason).
    repo_verdicts: dict[str, bool] = field(default_factory=dict, compare=False)
    #: The project's destinations read once (:func:`destination_rules`).
    rules: list[_Rule] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        rules = destination_rules(_list(self.spec.get("destinations")))
        object.__setattr__(self, "rules", rules)  # frozen: set once, here

    @property
    def repos(self) -> list[str]:
        """The ``sourceRepos`` patterns."""
        return [r for r in _list(self.spec.get("sourceRepos")) if isinstance(r, str)]

    def allows_repo(self, url: str) -> bool:
        """Whether ``sourceRepos`` allows the repository ``url`` (remembered per URL)."""
        found = self.repo_verdicts.get(url)
        if found is None:
            found = self.repo_verdicts[url] = repo_allowed(self.spec, url)
        return found

    def allows(self, dest: dict[str, Any]) -> bool | None:
        """:func:`destination_allowed` for this project, remembered per destination."""
        key = tuple(sorted((str(k), str(v)) for k, v in dest.items()))
        if key not in self.verdicts:
            entries = _list(self.spec.get("destinations"))
            self.verdicts[key] = destination_allowed(entries, dest, self.rules)
        return self.verdicts[key]

    def allows_kind(self, group: str, kind: str) -> bool:
        """Whether the namespaced kind ``group/kind`` may be deployed (white/blacklists)."""
        return kind_allowed(self.spec, group, kind, namespaced=True)


def repo_allowed(spec: dict[str, Any], url: str) -> bool:
    """Whether an AppProject ``spec``'s ``sourceRepos`` allows the repository ``url``."""
    repos = [r for r in _list(spec.get("sourceRepos")) if isinstance(r, str)]
    return _allowed(repos, url, normalize=True)


def kind_allowed(spec: dict[str, Any], group: str, kind: str, namespaced: bool) -> bool:
    """Argo CD's rule for kinds: a namespaced kind is allowed unless a whitelist (when there is
    one) misses it or the blacklist has it; a cluster-scoped kind only when
    ``clusterResourceWhitelist`` lists it and ``clusterResourceBlacklist`` does not."""

    def hit(entries: list[Any]) -> bool:
        return any(
            isinstance(e, dict)
            and _matches(str(e.get("group", "")), group)
            and _matches(str(e.get("kind", "")), kind)
            for e in entries
        )

    if namespaced:
        white = spec.get("namespaceResourceWhitelist")
        if white is not None and not hit(_list(white)):
            return False
        return not hit(_list(spec.get("namespaceResourceBlacklist")))
    return hit(_list(spec.get("clusterResourceWhitelist"))) and not hit(
        _list(spec.get("clusterResourceBlacklist"))
    )


def repo_urls(
    at: DocPath, spec: dict[str, Any], sync_source: bool = False
) -> Iterator[tuple[DocPath, str]]:
    """``(path, repoURL)`` of each repository an Application spec at ``at`` reads; a
    hydrator's dry source is what Argo CD checks (:mod:`generator.core.appspec`)."""
    return spec_repositories(at, spec, sync_source)


def permits(
    doc: Manifest,
    at: DocPath,
    spec: dict[str, Any],
    grants: Grants,
    templated: Callable[[Manifest, object], bool],
) -> Iterator[Finding]:
    """Whether ``grants`` permits the Application spec at ``at`` (its repositories and its
    destination). ``templated`` tells values Argo fills in later, which are not judged."""
    name = grants.doc.name
    for where, url in repo_urls(at, spec):
        if not templated(doc, url) and not grants.allows_repo(url):
            yield doc.finding(
                where,
                f'repository "{url}" is not allowed by AppProject "{name}" '
                f"(sourceRepos: {', '.join(grants.repos) or 'none'})",
                id="repo-not-permitted",
            )
    dest = spec.get("destination")
    if (
        isinstance(dest, dict)
        and not any(templated(doc, v) for v in dest.values())
        and grants.allows(dest) is False
    ):
        shown = ", ".join(f"{k}={v}" for k, v in dest.items() if isinstance(v, str))
        yield doc.finding(
            (*at, "destination"),
            f'destination {shown} is not allowed by AppProject "{name}" destinations',
            id="destination-not-permitted",
        )


def wildcards(grants: Grants, strict: bool) -> Iterator[Finding]:
    """Least privilege: report ``*`` grants, one finding per entry. ``strict`` (a rendered
    project): repositories and destinations are errors (the catalog cannot ask for a wildcard
    there), and cluster-scoped kinds are left to the catalog's own warning."""
    doc, spec = grants.doc, grants.spec
    severity: Severity = "error" if strict else "warning"
    # A "!" entry takes permission away (Argo's deny patterns): never a grant to report.
    for index, repo in enumerate(_list(spec.get("sourceRepos"))):
        if isinstance(repo, str) and _glob(repo) and not repo.startswith("!"):
            yield doc.finding(
                ("spec", "sourceRepos", index),
                f'wildcard "{repo}" allows more repositories than the apps use',
                severity,
                id="wildcard-source-repos",
            )
    for index, entry in enumerate(_list(spec.get("destinations"))):
        shown = _wild_fields(entry, _DEST_KEYS)
        if shown and not _denies(entry, _DEST_KEYS):
            yield doc.finding(
                ("spec", "destinations", index),
                f"wildcard {shown} allows more destinations than the apps use",
                severity,
                id="wildcard-destination",
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
                id="wildcard-cluster-resources",
            )


def _glob(value: str) -> bool:
    # Argo's wildcard characters, tested one by one (this runs for every destination of every
    # AppProject an environment's Applications are matched against).
    return "*" in value or "?" in value or "[" in value


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


# --- the AppProjects the generator renders: exactly what is used -----------------------------


class _Destinations:
    """The destinations a project's Applications use, looked up by their server, name and
    namespace (a layer has thousands of Applications and a few destinations)."""

    def __init__(self) -> None:
        self.keys: set[tuple[Any, ...]] = set()
        self.unhashable: list[dict[str, Any]] = []

    def add(self, dest: dict[str, Any]) -> None:
        key = tuple(map(dest.get, _DEST_KEYS))
        try:
            self.keys.add(key)
        except TypeError:  # a value that is a list or a map: compared the slow way
            self.unhashable.append(dest)

    def has(self, entry: dict[str, Any]) -> bool:
        """Whether some Application uses exactly ``entry``'s server, name and namespace."""
        key = tuple(map(entry.get, _DEST_KEYS))
        try:
            if key in self.keys:
                return True
        except TypeError:
            return any(_same_destination(entry, d) for d in self.unhashable) or any(
                _same_destination(entry, dict(zip(_DEST_KEYS, k, strict=True))) for k in self.keys
            )
        return any(_same_destination(entry, dest) for dest in self.unhashable)


def _used(docs: Sequence[Manifest]) -> dict[str, tuple[set[str], _Destinations]]:
    """Per project name: the repositories and destinations its Applications use."""
    used: dict[str, tuple[set[str], _Destinations]] = {}
    for doc in docs:
        spec = as_dict(doc.data).get("spec")
        kind = doc.kind
        if kind == "ApplicationSet":
            spec = as_dict(as_dict(spec).get("template")).get("spec")
        elif kind != "Application":
            continue
        spec = as_dict(spec)
        project = str(spec.get("project"))
        found = used.get(project)
        if found is None:
            found = used[project] = (set(), _Destinations())
        found[0].update(map(normalize_repo, spec_repository_urls(spec, True)))
        found[1].add(as_dict(spec.get("destination")))
    return used


def unused_grants(
    projects: Sequence[Manifest],
    docs: Sequence[Manifest],
    declared: Callable[[Manifest], tuple[str, set[tuple[Any, Any]]]],
) -> Iterator[Finding]:
    """Each rendered AppProject of ``projects`` grants exactly what the Applications among
    ``docs`` use: no repository, destination or cluster-scoped kind more (only a template
    override could add one). ``declared(project)`` gives its layer and the ``(group, kind)``
    pairs that layer's enabled groups declare as clusterResources."""
    used = _used(docs)
    for doc in projects:
        spec = as_dict(as_dict(doc.data).get("spec"))
        repos, dests = used.get(doc.name, (set(), _Destinations()))
        for index, repo in enumerate(_list(spec.get("sourceRepos"))):
            if isinstance(repo, str) and not _glob(repo) and normalize_repo(repo) not in repos:
                yield doc.finding(
                    ("spec", "sourceRepos", index),
                    f'"{repo}" is used by no Application of project "{doc.name}" '
                    "(least privilege: allow only what is used)",
                    id="unused-grant",
                )
        for index, entry in enumerate(_list(spec.get("destinations"))):
            if (
                isinstance(entry, dict)
                and not any(_glob(str(v)) for v in entry.values())
                and not dests.has(entry)
            ):
                yield doc.finding(
                    ("spec", "destinations", index),
                    f"destination {_show_dest(entry)} is used by no Application of project "
                    f'"{doc.name}" (least privilege: allow only what is used)',
                    id="unused-grant",
                )
        layer, allowed = declared(doc)
        for index, entry in enumerate(_list(spec.get("clusterResourceWhitelist"))):
            pair = (as_dict(entry).get("group"), as_dict(entry).get("kind"))
            if pair not in allowed:
                yield doc.finding(
                    ("spec", "clusterResourceWhitelist", index),
                    f"{pair[0] or 'core'}/{pair[1]} is declared by no enabled group of layer "
                    f'"{layer}" (clusterResources)',
                    id="undeclared-cluster-resource",
                )


def _same_destination(entry: dict[str, Any], dest: dict[str, Any]) -> bool:
    return all(entry.get(k) == dest.get(k) for k in _DEST_KEYS)


def _show_dest(entry: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in entry.items())
