"""What an Application spec (as parsed data) reads: its repositories, whatever its source form.

An Application names its manifests in one of three ways: ``source``, ``sources``, or (Argo CD
3.x) ``sourceHydrator``, whose ``drySource`` Argo CD renders and whose ``syncSource`` it syncs
from (the dry source's repository unless ``syncSource.repoURL`` names another). Argo CD checks
the dry source's repository against the AppProject's ``sourceRepos`` (util/argo/argo.go,
ValidatePermissions). Used by the output checks and by ``gen plan``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.core.model import DocPath


def spec_repositories(
    at: DocPath, spec: dict[str, Any], sync_source: bool = False
) -> Iterator[tuple[DocPath, str]]:
    """``(path of repoURL, repoURL)`` of every repository ``spec`` (at ``at``) reads: its
    ``sources``, else its ``source``, else its hydrator's dry source (and, with
    ``sync_source``, a sync source naming its own repository)."""
    hydrator = spec.get("sourceHydrator")
    if isinstance(spec.get("sources"), list):
        for index, source in enumerate(spec["sources"]):
            if isinstance(source, dict) and isinstance(source.get("repoURL"), str):
                yield (*at, "sources", index, "repoURL"), source["repoURL"]
    elif isinstance(spec.get("source"), dict):
        if isinstance(spec["source"].get("repoURL"), str):
            yield (*at, "source", "repoURL"), spec["source"]["repoURL"]
    elif isinstance(hydrator, dict):
        for part in ("drySource", "syncSource") if sync_source else ("drySource",):
            found = hydrator.get(part)
            if isinstance(found, dict) and isinstance(found.get("repoURL"), str):
                yield (*at, "sourceHydrator", part, "repoURL"), found["repoURL"]


def spec_repository_urls(spec: dict[str, Any], sync_source: bool = False) -> tuple[str, ...]:
    """The URLs of :func:`spec_repositories`, in order. The checks across documents read them
    for every Application of an environment: the common form (one ``source`` naming its
    repository) is answered without a generator."""
    source = spec.get("source")
    if type(source) is dict and not isinstance(spec.get("sources"), list):
        url = source.get("repoURL")
        return (url,) if isinstance(url, str) else ()
    return tuple(url for _, url in spec_repositories((), spec, sync_source))
