"""The typed model from schema-valid documents: config.yaml, layers.yaml, group files and
AppProject files become :mod:`generator.core.model` values, each part remembering where it is
written, with the field-level checks a schema cannot express (collected, never raised).
"""

from __future__ import annotations

import posixpath
from typing import Any

from generator.core.constants import SOURCE_FORMS
from generator.core.errors import Problem, key_path
from generator.core.model import (
    App,
    CatalogProject,
    Config,
    Destination,
    DocPath,
    Environment,
    Group,
    Layers,
    Location,
    Setting,
    SyncMode,
    Want,
)
from generator.project.appofapps import layer_name, read_app_of_apps
from generator.project.cost_actions import build_cost_actions
from generator.project.hydrator import hydrator_problems
from generator.project.paths import relative_path_problem as _relative_path
from generator.project.settings import config_values
from generator.project.smoke import profile_smoke, read_smoke
from generator.yamlio.source import SourceDoc

DEFAULT_REVISION = "HEAD"
DEFAULT_NAMESPACE = "argocd"
DEFAULT_RENDERED = "rendered"
#: The root Application's name (before an environment's namePrefix) unless config.yaml says.
DEFAULT_ROOT_NAME = "root"


def _loc(doc: SourceDoc, *path: str | int) -> Location:
    line, column = doc.locate(path)
    return Location(doc.file, line, column)


def _positions(doc: SourceDoc, at: tuple[str | int, ...] = ()) -> dict[DocPath, Location]:
    """Where every key and item below ``at`` is written, by path relative to ``at``."""
    size = len(at)
    return {
        path[size:]: Location(doc.file, line, column, key_path(path))
        for path, (line, column) in doc.positions.items()
        if path[:size] == at
    }


def _fields(doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any]) -> dict[str, Location]:
    """Where each key of a mapping was written, plus each item of its reference lists."""
    out: dict[str, Location] = {}
    for key, value in raw.items():
        line, column = doc.locate((*at, key))
        out[key] = Location(doc.file, line, column, key_path((*at, key)))
        if key in ("dependsOn", "requires") and isinstance(value, list):
            for index in range(len(value)):
                line, column = doc.locate((*at, key, index))
                out[f"{key}[{index}]"] = Location(
                    doc.file, line, column, key_path((*at, key, index))
                )
    return out


def _settings(doc: SourceDoc, base: tuple[str, ...], flags: dict[str, bool]) -> dict[str, Setting]:
    prefix = ".".join(base)
    return {
        name: Setting(value, f"{prefix}.{name}", _loc(doc, *base, name))
        for name, value in flags.items()
    }


def build_config(doc: SourceDoc, problems: list[Problem]) -> Config:
    """The typed config from a schema-valid config.yaml document."""
    data = doc.data
    revision = data.get("targetRevision", DEFAULT_REVISION)
    rendered = data.get("renderedDir", DEFAULT_RENDERED)
    repo_path = data.get("repoPath", ".")
    for key, value in (("renderedDir", rendered), ("repoPath", repo_path)):
        bad = _relative_path(doc, (key,), value)
        if bad is not None:
            problems.append(bad)
    root_name = data.get("rootName", DEFAULT_ROOT_NAME)
    environments = {}
    for name, env in data["environments"].items():
        dest = env["destination"]
        prefix = env.get("namePrefix", "")
        environments[name] = Environment(
            name=name,
            destination=Destination(server=dest.get("server"), name=dest.get("name")),
            target_revision=env.get("targetRevision", revision),
            features=_settings(doc, ("environments", name, "features"), env.get("features", {})),
            where=_loc(doc, "environments", name),
            app_overrides=dict(env.get("apps", {})),
            name_prefix=prefix,
            root_name=env.get("rootName", prefix + root_name),
            setting_values=config_values(
                doc, ("environments", name, "settings"), env.get("settings", {})
            ),
            kube_context=env.get("kubeContext"),
        )
    return Config(
        repo_url=data["repoURL"],
        target_revision=revision,
        argocd_namespace=data.get("argocdNamespace", DEFAULT_NAMESPACE),
        rendered_dir=posixpath.normpath(rendered),
        repo_path=posixpath.normpath(repo_path),
        features=_settings(doc, ("features",), data.get("features", {})),
        environments=environments,
        where=_loc(doc),
        external_projects=tuple(data.get("externalProjects", ())),
        positions=_positions(doc),
        setting_values=config_values(doc, ("settings",), data.get("settings", {})),
        root_name=root_name,
        argocd_context=data.get("argocdContext"),
    )


def build_layers(doc: SourceDoc, problems: list[Problem] | None = None) -> Layers:
    """The typed layer list, profiles and profile smoke checks from a schema-valid layers.yaml
    document (problems of the smoke checks go to ``problems``)."""
    profiles = {name: tuple(layers) for name, layers in doc.data["profiles"].items()}
    return Layers(
        order=tuple(layer_name(item) for item in doc.data["layers"]),
        profiles=profiles,
        where=_loc(doc),
        positions=_positions(doc),
        smoke=profile_smoke(doc, profiles, [] if problems is None else problems),
        app_of_apps=read_app_of_apps(doc),
    )


def _sources(doc: SourceDoc, at: tuple[str | int, ...], app: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    multi = "sources" in app
    entries = app["sources"] if multi else [app["source"]]
    for index, source in enumerate(entries):
        where = (*at, "sources", index) if multi else (*at, "source")
        if "path" in source and "chart" in source:
            problems.append(doc.problem(where, "a source has either a path or a chart, not both"))
        if "chart" in source:
            for key in ("repoURL", "targetRevision"):
                if key not in source:
                    problems.append(doc.problem(where, f'a Helm chart source needs "{key}"'))
        elif "path" not in source and "ref" not in source:
            problems.append(doc.problem(where, 'a source needs a "path", a "chart" or a "ref"'))
        if "path" in source:
            value = source["path"]
            bad = _relative_path(doc, (*where, "path"), value)
            # A source naming its repository is carried as written ("./app" included); only
            # a path that is absolute or leaves the repository is refused there.
            escapes = value.startswith("/") or ".." in value.split("/")
            if bad is not None and ("repoURL" not in source or escapes):
                problems.append(bad)
    return problems


def _source_form(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> bool:
    """Check the one of ``source``, ``sources`` and ``sourceHydrator`` an app has; False (with
    a problem) when it has none or several."""
    forms = [key for key in SOURCE_FORMS if key in raw]
    if forms == ["source", "sources"]:
        problems.append(doc.problem(at, 'use either "source" or "sources", not both'))
    elif len(forms) > 1:
        problems.append(
            doc.problem(
                at, '"sourceHydrator" replaces "source" and "sources": use one of the three'
            )
        )
    elif not forms:
        problems.append(doc.problem(at, 'needs a "source", a "sources" list or a "sourceHydrator"'))
    elif forms == ["sourceHydrator"]:
        problems.extend(hydrator_problems(doc, (*at, "sourceHydrator"), raw["sourceHydrator"]))
    else:
        problems.extend(_sources(doc, at, raw))
    return len(forms) == 1


def _destination(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> tuple[dict[str, str] | None, str | None]:
    """The app's own destination (as written) and its namespace, from either spelling."""
    namespace = raw.get("namespace")
    dest = raw.get("destination")
    if dest is None:
        if namespace is None:
            problems.append(doc.problem(at, 'needs a "namespace" (or a "destination")'))
        return None, namespace
    named = [key for key in ("server", "name") if dest.get(key)]
    if len(named) != 1:
        problems.append(
            doc.problem(
                (*at, "destination"),
                'a destination names its cluster by "server" or by "name" (exactly one of them)',
            )
        )
    if "namespace" in dest:
        if namespace is not None:
            problems.append(
                doc.problem(
                    (*at, "namespace"),
                    'give the namespace once: here or as "destination.namespace"',
                )
            )
        namespace = dest["namespace"]
    return dict(dest), namespace


def _sync_mode(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> SyncMode:
    """``auto`` or ``manual``: the short form's ``sync``, or what ``syncPolicy`` says."""
    if "syncPolicy" not in raw:
        sync: SyncMode = raw.get("sync", "auto")
        if sync == "manual" and "reason" not in raw:
            problems.append(
                doc.problem(at, 'a manual-sync app needs a "reason" (why it is cost-gated)')
            )
        if sync == "auto" and "reason" in raw:
            problems.append(doc.problem((*at, "reason"), 'only manual-sync apps take a "reason"'))
        return sync
    policy = raw["syncPolicy"] or {}
    automated = policy.get("automated")
    derived: SyncMode = (
        "auto" if automated is not None and automated.get("enabled", True) else "manual"
    )
    if "syncOptions" in raw:
        problems.append(
            doc.problem(
                (*at, "syncOptions"),
                'with "syncPolicy", write the sync options as "syncPolicy.syncOptions"',
            )
        )
    if "sync" in raw and raw["sync"] != derived:
        problems.append(
            doc.problem(
                (*at, "sync"),
                f'"sync: {raw["sync"]}" disagrees with "syncPolicy" (which makes the app '
                f"{derived}-sync); drop one of them",
            )
        )
    if derived == "auto" and "reason" in raw:
        problems.append(doc.problem((*at, "reason"), 'only manual-sync apps take a "reason"'))
    return derived


def _app(
    doc: SourceDoc, index: int, raw: dict[str, Any], group: str, problems: list[Problem]
) -> App | None:
    """One app of a group file (None when its sources cannot be told)."""
    at: tuple[str | int, ...] = ("apps", index)
    if not _source_form(doc, at, raw, problems):
        return None
    sync = _sync_mode(doc, at, raw, problems)
    if "wave" in raw and raw["wave"] is None and raw.get("dependsOn"):
        problems.append(
            doc.problem(
                (*at, "wave"),
                '"wave: null" means no sync-wave annotation (Argo CD\'s wave 0), so the app '
                'cannot come after its "dependsOn"; drop one of them',
            )
        )
    destination, namespace = _destination(doc, at, raw, problems)
    cost_actions = build_cost_actions(doc, at, raw, namespace, problems)
    finalizers = raw.get("finalizers")
    info = raw.get("info")
    return App(
        name=raw["name"],
        group=group,
        namespace=namespace,
        # One source form, checked above: sources, source, or sourceHydrator (then none).
        sources=()
        if "sourceHydrator" in raw
        else tuple(raw["sources"] if "sources" in raw else [raw["source"]]),
        multi_source="sources" in raw,
        sync=sync,
        reason=raw.get("reason"),
        wave=raw.get("wave"),
        sync_options=tuple(raw.get("syncOptions", ())),
        ignore_differences=tuple(raw.get("ignoreDifferences", ())),
        labels=dict(raw.get("labels", {})),
        annotations=dict(raw.get("annotations", {})),
        where=_loc(doc, *at),
        depends_on=tuple(raw.get("dependsOn", ())),
        fields=_fields(doc, at, raw),
        project=raw.get("project"),
        destination=destination,
        sync_policy=raw.get("syncPolicy"),
        finalizers=None if finalizers is None else tuple(finalizers),
        info=None if info is None else tuple(info),
        revision_history_limit=raw.get("revisionHistoryLimit"),
        written=frozenset(raw),
        positions=_positions(doc, at),
        cost_actions=cost_actions,
        hydrator=raw.get("sourceHydrator"),
    )


def build_group(doc: SourceDoc, problems: list[Problem]) -> Group:
    """The typed group from a schema-valid group file, with field-level checks."""
    data = doc.data
    core = bool(data.get("core", False))
    if core:
        for key in ("feature", "default"):
            if key in data:
                problems.append(doc.problem((key,), "a core group is always on: drop this key"))
    apps = [_app(doc, index, raw, data["name"], problems) for index, raw in enumerate(data["apps"])]
    return Group(
        name=data["name"],
        layer=data["layer"],
        description=data["description"],
        core=core,
        feature=None if core else data.get("feature", data["name"]),
        default=bool(data.get("default", False)),
        requires=tuple(data.get("requires", ())),
        cluster_resources=tuple(data.get("clusterResources", ())),
        apps=tuple(app for app in apps if app is not None),
        where=_loc(doc, "name"),
        fields=_fields(doc, (), {k: v for k, v in data.items() if k != "apps"}),
        positions=_positions(doc),
        when={
            name: tuple(value) if isinstance(value, list) else (value,)
            for name, value in data.get("when", {}).items()
        },
        needs=tuple(data.get("needs", ())),
        wants=tuple(_want(doc, index, item) for index, item in enumerate(data.get("wants", ()))),
        smoke=read_smoke(doc, ("smoke",), data.get("smoke"), problems),
    )


def _want(doc: SourceDoc, index: int, item: str | dict[str, str]) -> Want:
    """One ``wants`` entry: a group name, or ``{group, reason}``."""
    line, column = doc.locate(("wants", index))
    where = Location(doc.file, line, column, key_path(("wants", index)))
    if isinstance(item, str):
        return Want(item, "", where)
    return Want(item["group"], item.get("reason", ""), where)


def build_project(doc: SourceDoc, stem: str, problems: list[Problem]) -> CatalogProject:
    """A catalog AppProject from a schema-valid ``catalog/projects/<name>.yaml``."""
    manifest = doc.data["manifest"]
    name = manifest["metadata"]["name"]
    if name != stem:
        problems.append(
            doc.problem(("manifest", "metadata", "name"), f'must equal the file name "{stem}"')
        )
    return CatalogProject(
        name=name, layer=doc.data["layer"], manifest=manifest, where=_loc(doc, "manifest")
    )
