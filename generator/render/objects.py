"""The Argo CD and kustomize objects the generator renders, built as plain data.

Each function returns one object exactly as Argo CD or kustomize will read it: an app's
Application, a layer's AppProject and ApplicationSet, a Kustomization. Templates
(:mod:`generator.render.templates`) only turn these objects into text.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import Any

from generator.core.constants import (
    ARGO_API,
    DORMANT_ANNOTATION,
    ENV_LABEL,
    FINALIZER,
    GROUP_LABEL,
    IN_CLUSTER_SERVER,
    KUSTOMIZE_API,
    LAYER_LABEL,
    MANUAL_REASON,
    RESPECT_IGNORE,
    ROLE_LABEL,
    SYNC_LABEL,
    WAVE_ANNOTATION,
)
from generator.core.model import (
    App,
    CatalogProject,
    Environment,
    Group,
    Project,
)
from generator.project.declarations.appofapps import appset_name, group_app_name, layer_project
from generator.project.declarations.cost_actions import ignore_differences

#: Sync waves inside the root's sync: a layer's AppProject before the ApplicationSet whose
#: Applications use it. Catalog AppProjects carry no wave, which is Argo CD's 0, so they also
#: come before the ApplicationSets.
PROJECT_WAVE = "0"
APPSET_WAVE = "1"
#: Order in which source fields are written (the rest follow in the order they were given).
_SOURCE_ORDER = ("repoURL", "path", "chart", "targetRevision", "ref", "name")


def kustomization(resources: list[str]) -> dict[str, Any]:
    """A Kustomization listing files (a layer's) or folders (a profile's layers)."""
    return {"apiVersion": KUSTOMIZE_API, "kind": "Kustomization", "resources": resources}


def _labels(env: Environment, group: Group, sync: str) -> dict[str, str]:
    """An app's Application labels set by the generator (before the catalog's own)."""
    return {
        ENV_LABEL: env.name,
        LAYER_LABEL: group.layer,
        GROUP_LABEL: group.name,
        SYNC_LABEL: sync,
        ROLE_LABEL: "workload",
    }


def full_source(project: Project, env: Environment, source: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog source with the defaults filled in. A source without ``repoURL`` is in this
    repository: it gets the config's repoURL and the environment's revision. A source that
    names its repository is emitted as written."""
    out = dict(source)
    if "repoURL" not in out:
        out["repoURL"] = project.config.repo_url
        if "chart" not in out:
            out.setdefault("targetRevision", env.target_revision)
    return _ordered(out)


def _ordered(source: Mapping[str, Any]) -> dict[str, Any]:
    """A source's fields in the usual order (the rest follow as given)."""
    ordered = {key: source[key] for key in _SOURCE_ORDER if key in source}
    ordered.update((key, value) for key, value in source.items() if key not in ordered)
    return ordered


def hydrator(project: Project, env: Environment, app: App) -> dict[str, Any]:
    """An app's ``sourceHydrator`` as Argo CD reads it. A drySource without ``repoURL`` is in
    this repository, like a short-form source: it gets config.yaml's repoURL and (unless it
    names one) the environment's revision. The rest is emitted as written."""
    written = app.hydrator or {}
    dry = dict(written["drySource"])
    if "repoURL" not in dry:
        dry["repoURL"] = project.config.repo_url
        dry.setdefault("targetRevision", env.target_revision)
    out: dict[str, Any] = {"drySource": _ordered(dry), "syncSource": dict(written["syncSource"])}
    if "hydrateTo" in written:
        out["hydrateTo"] = dict(written["hydrateTo"])
    return out


def app_repositories(project: Project, env: Environment, app: App) -> list[str]:
    """Every repository an app's Application reads: its sources', or its hydrator's dry source
    and (when it names another) sync source."""
    if app.hydrator is None:
        # full_source(...)["repoURL"], without making the source.
        return [s.get("repoURL", project.config.repo_url) for s in app.sources]
    found = hydrator(project, env, app)
    repos = [found["drySource"]["repoURL"]]
    if "repoURL" in found["syncSource"]:
        repos.append(found["syncSource"]["repoURL"])
    return repos


def sync_options(app: App) -> list[str]:
    """The app's sync options, plus RespectIgnoreDifferences when it ignores differences."""
    options = list(app.sync_options)
    if ignore_differences(app) and RESPECT_IGNORE not in options:
        options.append(RESPECT_IGNORE)
    return options


def sync_policy(app: App) -> Mapping[str, Any] | None:
    """The Application's syncPolicy (None: no syncPolicy field).

    A long-form app's ``syncPolicy`` is emitted exactly as written; a short-form app gets the
    generator's defaults: ``automated: {prune, selfHeal}`` when auto-sync, and the sync options
    (with RespectIgnoreDifferences when it ignores differences)."""
    if app.long_sync:
        return app.sync_policy
    policy: dict[str, Any] = {}
    if app.sync == "auto":
        policy["automated"] = {"prune": True, "selfHeal": True}
    options = sync_options(app)
    if options:
        policy["syncOptions"] = options
    return policy or None


def destination(env: Environment, app: App) -> dict[str, str]:
    """The app's own destination as written, or the environment's; plus the namespace."""
    out = dict(app.destination) if app.destination is not None else env.destination.as_dict()
    if app.namespace is not None:
        out["namespace"] = app.namespace
    return out


def application_document(
    project: Project, env: Environment, group: Group, app: App, wave: int | None = None
) -> dict[str, Any]:
    """The Application of one app in one environment. ``wave`` is the app's wave from the
    dependency graph (generator/project/waves.py); default: its explicit one. ``wave: null`` in the
    catalog (an imported Application without one) means no sync-wave annotation at all.

    An optional field is absent when the Application has no such field, and present when the
    catalog writes it, even empty (``annotations: {}``), so that imports round-trip."""
    labels = {**_labels(env, group, app.sync), **app.labels}
    annotations = dict(app.annotations)
    wave = app.wave if wave is None else wave
    if wave is not None and not ("wave" in app.written and app.wave is None):
        annotations[WAVE_ANNOTATION] = str(wave)
    if app.sync == "manual" and app.reason:
        annotations[MANUAL_REASON] = " ".join(app.reason.split())
    if app.dormant:
        # Settings its group needs are empty here (generator/project/settings/conditions.py).
        annotations[DORMANT_ANNOTATION] = ",".join(app.dormant)
    sources = [full_source(project, env, s) for s in app.sources]
    if "finalizers" in app.written:
        finalizers = None if app.finalizers is None else list(app.finalizers)
    else:
        finalizers = [FINALIZER]
    ignored = ignore_differences(app)
    metadata: dict[str, Any] = {
        "name": env.object_name(app.name),
        "namespace": project.config.argocd_namespace,
        "labels": labels,
    }
    if annotations or "annotations" in app.written:
        metadata["annotations"] = annotations
    if finalizers is not None:
        metadata["finalizers"] = finalizers
    # A project the catalog names is used as written; the layer's own (generated, with the
    # environment's namePrefix, or the owner's: generator/project/declarations/appofapps.py)
    # otherwise.
    spec: dict[str, Any] = {"project": app.project or layer_project(project, env, group.layer)}
    if app.hydrator is not None:
        spec["sourceHydrator"] = hydrator(project, env, app)
    elif app.multi_source:
        spec["sources"] = sources
    else:
        spec["source"] = sources[0]
    spec["destination"] = destination(env, app)
    policy = sync_policy(app)
    if policy is not None:
        spec["syncPolicy"] = policy
    if ignored or "ignoreDifferences" in app.written:
        spec["ignoreDifferences"] = ignored
    if app.info is not None:
        spec["info"] = [dict(item) for item in app.info]
    if app.revision_history_limit is not None:
        spec["revisionHistoryLimit"] = app.revision_history_limit
    return {"apiVersion": ARGO_API, "kind": "Application", "metadata": metadata, "spec": spec}


def uses_layer_project(group: Group, app: App) -> bool:
    """Whether ``app`` runs in its layer's generated AppProject."""
    return app.project is None or app.project == group.layer


def catalog_projects(project: Project, layer: str) -> list[CatalogProject]:
    """The catalog's AppProjects rendered in ``layer``'s folder, by name."""
    return sorted((p for p in project.projects.values() if p.layer == layer), key=lambda p: p.name)


def _group_path(project: Project, env: Environment, group: str) -> str:
    config = project.config
    return posixpath.normpath(
        posixpath.join(config.repo_path, config.rendered_dir, env.name, "groups", group)
    )


def _group_app_template(project: Project, env: Environment, layer: str) -> dict[str, Any]:
    """The app-of-apps Application an ApplicationSet generates per group (``{{ .name }}``,
    ``{{ .group }}`` and ``{{ .path }}`` are its list element's), with layers.yaml's
    ``appOfApps`` options (generator/project/declarations/appofapps.py)."""
    ns = project.config.argocd_namespace
    configured = project.layers.app_of_apps_for(layer)
    source: dict[str, Any] = {
        "repoURL": project.config.repo_url,
        "targetRevision": env.target_revision,
        "path": "{{ .path }}",
    }
    if configured.directory is not None:
        source["directory"] = dict(configured.directory)
    policy: dict[str, Any] = {"automated": {"prune": True, "selfHeal": True}}
    if configured.sync_options:
        policy["syncOptions"] = list(configured.sync_options)
    return {
        "metadata": {
            "name": "{{ .name }}",
            "namespace": ns,
            "labels": {
                ENV_LABEL: env.name,
                LAYER_LABEL: layer,
                GROUP_LABEL: "{{ .group }}",
                SYNC_LABEL: "auto",
                ROLE_LABEL: "group",
            },
            "finalizers": [FINALIZER],
        },
        "spec": {
            "project": layer_project(project, env, layer),
            "source": source,
            "destination": {"server": IN_CLUSTER_SERVER, "namespace": ns},
            "syncPolicy": policy,
        },
    }


def appset_document(
    project: Project, env: Environment, layer: str, groups: Sequence[Group]
) -> dict[str, Any]:
    """A layer's ApplicationSet: one app-of-apps Application per enabled group, over
    rendered/<env>/groups/<group>/. Argo's own Go-template expressions (``{{ .group }}``) are
    plain data here, so Jinja never evaluates them."""
    elements = [
        {
            "name": group_app_name(project, env, g),
            "group": g.name,
            "path": _group_path(project, env, g.name),
        }
        for g in groups
    ]
    return {
        "apiVersion": ARGO_API,
        "kind": "ApplicationSet",
        "metadata": {
            "name": appset_name(project, env, layer),
            "namespace": project.config.argocd_namespace,
            "labels": {ENV_LABEL: env.name, LAYER_LABEL: layer},
            "annotations": {WAVE_ANNOTATION: APPSET_WAVE},
        },
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}],
            "template": _group_app_template(project, env, layer),
        },
    }


def _destination_key(entry: Mapping[str, str]) -> tuple[str, str, str]:
    return (entry.get("namespace", ""), entry.get("server") or "", entry.get("name") or "")


def project_document(
    project: Project, env: Environment, layer: str, groups: Sequence[Group]
) -> dict[str, Any]:
    """A layer's AppProject, computed from its enabled groups (least privilege): exactly the
    repositories and destination namespaces they use, and only the cluster-scoped kinds they
    declare."""
    config = project.config
    repos = {config.repo_url}
    kinds: dict[tuple[str, str], dict[str, str]] = {}
    wanted: list[dict[str, str]] = []
    # An app without a destination of its own uses the environment's, with its namespace:
    # one entry per namespace is enough (equal entries are dropped below anyway).
    by_namespace: set[str | None] = set()
    for group in groups:
        for app in group.apps:
            if not uses_layer_project(group, app):
                continue
            if app.destination is not None:
                wanted.append(destination(env, app))
            elif app.namespace not in by_namespace:
                by_namespace.add(app.namespace)
                wanted.append(destination(env, app))
            repos.update(app_repositories(project, env, app))
        for kind in group.cluster_resources:
            kinds[(kind["group"], kind["kind"])] = {"group": kind["group"], "kind": kind["kind"]}
    destinations = [{"server": IN_CLUSTER_SERVER, "namespace": config.argocd_namespace}]
    # Each destination once (a layer's thousands of Applications share a few of them).
    seen = {frozenset(destinations[0].items())}
    for entry in sorted(wanted, key=_destination_key):
        cluster = {k: v for k, v in entry.items() if k in ("server", "name") and v}
        entry = {**cluster, "namespace": entry.get("namespace", "")}
        try:
            identity = frozenset(entry.items())
        except TypeError:  # a value that is not a string: compared the slow way
            if entry not in destinations:
                destinations.append(entry)
            continue
        if identity not in seen:
            seen.add(identity)
            destinations.append(entry)
    spec: dict[str, Any] = {
        "description": f"Layer {layer} of environment {env.name} (generated by stagegen)",
        "sourceRepos": sorted(repos),
        "destinations": destinations,
    }
    if kinds:
        spec["clusterResourceWhitelist"] = [kinds[key] for key in sorted(kinds)]
    return {
        "apiVersion": ARGO_API,
        "kind": "AppProject",
        "metadata": {
            "name": env.object_name(layer),
            "namespace": config.argocd_namespace,
            "labels": {ENV_LABEL: env.name, LAYER_LABEL: layer},
            "annotations": {WAVE_ANNOTATION: PROJECT_WAVE},
            "finalizers": [FINALIZER],
        },
        "spec": spec,
    }
