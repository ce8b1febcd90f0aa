"""Read config.yaml and the catalog into a validated :class:`~generator.core.model.Project`.

The steps: find the files, parse each (positions kept), check each against its JSON Schema,
build the typed model with field-level checks, then run the cross-file checks in
:mod:`generator.project.checks`. Every problem of every file is collected; if there is any, one
:class:`~generator.core.errors.InputError` carries them all.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.core.errors import InputError, Problem, key_path
from generator.core.layout import CATALOG_DIR, CONFIG_FILE, LAYERS_FILE, SETTINGS_FILE
from generator.core.model import (
    SOURCE_FORMS,
    App,
    CatalogProject,
    Config,
    Destination,
    DocPath,
    Environment,
    Group,
    Layers,
    Location,
    Project,
    Setting,
    SettingDeclaration,
    SyncMode,
    Want,
)
from generator.project.appofapps import layer_name, read_app_of_apps
from generator.project.checks import check_project
from generator.project.conditions import apply_settings, catalog_problems, environment_problems
from generator.project.cost_actions import build_cost_actions
from generator.project.hydrator import hydrator_problems
from generator.project.overrides import apply_overrides
from generator.project.paths import relative_path_problem as _relative_path
from generator.project.schema import SchemaChecker
from generator.project.settings import build_declarations, config_values, value_problems
from generator.project.smoke import profile_smoke, read_smoke
from generator.project.waves import dependency_problems
from generator.yamlio.source import SourceDoc, YamlLoadError, load_yaml, parse_yaml

#: Folder of catalog/ holding AppProject files (``<name>.yaml``) instead of group files.
PROJECTS_DIR = "projects"
DEFAULT_REVISION = "HEAD"
DEFAULT_NAMESPACE = "argocd"
DEFAULT_RENDERED = "rendered"
#: The root Application's name (before an environment's namePrefix) unless config.yaml says.
DEFAULT_ROOT_NAME = "root"


class _Reader:
    """Parses and schema-checks files, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.schemas = SchemaChecker()

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self, path: Path, schema: str, text: str | None = None) -> SourceDoc | None:
        try:
            if text is None:
                doc = load_yaml(path, self.display(path))
            else:
                doc = parse_yaml(text, self.display(path))
        except YamlLoadError as exc:
            self.problems.append(exc.problem)
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(
                doc.problem((), "the file must be a mapping of keys to values", id="wrong-type")
            )
            return None
        found = self.schemas.check(doc, schema)
        self.problems.extend(found)
        return None if any(p.severity == "error" for p in found) else doc


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
            problems.append(
                doc.problem(
                    where, "a source has either a path or a chart, not both", id="path-and-chart"
                )
            )
        if "chart" in source:
            for key in ("repoURL", "targetRevision"):
                if key not in source:
                    problems.append(
                        doc.problem(where, f'a Helm chart source needs "{key}"', id="missing-field")
                    )
        elif "path" not in source and "ref" not in source:
            problems.append(
                doc.problem(
                    where, 'a source needs a "path", a "chart" or a "ref"', id="missing-field"
                )
            )
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
        problems.append(
            doc.problem(at, 'use either "source" or "sources", not both', id="one-of-fields")
        )
    elif len(forms) > 1:
        problems.append(
            doc.problem(
                at,
                '"sourceHydrator" replaces "source" and "sources": use one of the three',
                id="one-of-fields",
            )
        )
    elif not forms:
        problems.append(
            doc.problem(
                at, 'needs a "source", a "sources" list or a "sourceHydrator"', id="missing-field"
            )
        )
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
            problems.append(
                doc.problem(at, 'needs a "namespace" (or a "destination")', id="missing-field")
            )
        return None, namespace
    named = [key for key in ("server", "name") if dest.get(key)]
    if len(named) != 1:
        problems.append(
            doc.problem(
                (*at, "destination"),
                'a destination names its cluster by "server" or by "name" (exactly one of them)',
                id="one-of-fields",
            )
        )
    if "namespace" in dest:
        if namespace is not None:
            problems.append(
                doc.problem(
                    (*at, "namespace"),
                    'give the namespace once: here or as "destination.namespace"',
                    id="one-of-fields",
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
                doc.problem(
                    at,
                    'a manual-sync app needs a "reason" (why it is cost-gated)',
                    id="missing-reason",
                )
            )
        if sync == "auto" and "reason" in raw:
            problems.append(
                doc.problem(
                    (*at, "reason"),
                    'only manual-sync apps take a "reason"',
                    id="reason-on-auto-app",
                )
            )
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
                id="long-form-conflict",
            )
        )
    if "sync" in raw and raw["sync"] != derived:
        problems.append(
            doc.problem(
                (*at, "sync"),
                f'"sync: {raw["sync"]}" disagrees with "syncPolicy" (which makes the app '
                f"{derived}-sync); drop one of them",
                id="long-form-conflict",
            )
        )
    if derived == "auto" and "reason" in raw:
        problems.append(
            doc.problem(
                (*at, "reason"), 'only manual-sync apps take a "reason"', id="reason-on-auto-app"
            )
        )
    return derived


def build_group(doc: SourceDoc, problems: list[Problem]) -> Group:
    """The typed group from a schema-valid group file, with field-level checks."""
    data = doc.data
    core = bool(data.get("core", False))
    if core:
        for key in ("feature", "default"):
            if key in data:
                problems.append(
                    doc.problem(
                        (key,), "a core group is always on: drop this key", id="feature-core-group"
                    )
                )
    apps = []
    for index, raw in enumerate(data["apps"]):
        at: tuple[str | int, ...] = ("apps", index)
        if not _source_form(doc, at, raw, problems):
            continue
        sync = _sync_mode(doc, at, raw, problems)
        if "wave" in raw and raw["wave"] is None and raw.get("dependsOn"):
            problems.append(
                doc.problem(
                    (*at, "wave"),
                    '"wave: null" means no sync-wave annotation (Argo CD\'s wave 0), so the app '
                    'cannot come after its "dependsOn"; drop one of them',
                    id="wave-order",
                )
            )
        destination, namespace = _destination(doc, at, raw, problems)
        cost_actions = build_cost_actions(doc, at, raw, namespace, problems)
        finalizers = raw.get("finalizers")
        info = raw.get("info")
        apps.append(
            App(
                name=raw["name"],
                group=data["name"],
                namespace=namespace,
                sources=tuple(raw["sources"] if "sources" in raw else [raw.get("source")])
                if "sourceHydrator" not in raw
                else (),
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
        )
    return Group(
        name=data["name"],
        layer=data["layer"],
        description=data["description"],
        core=core,
        feature=None if core else data.get("feature", data["name"]),
        default=bool(data.get("default", False)),
        requires=tuple(data.get("requires", ())),
        cluster_resources=tuple(data.get("clusterResources", ())),
        apps=tuple(apps),
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


def group_files(catalog: Path) -> Iterator[Path]:
    """Every group file under ``catalog/`` (sub-folders included; ``projects/``, layers.yaml
    and settings.yaml excluded), in a stable order."""
    projects = catalog / PROJECTS_DIR
    found = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in catalog.rglob(pattern)
        if path not in (catalog / LAYERS_FILE, catalog / SETTINGS_FILE)
        and path.is_file()
        and projects not in path.parents
    ]
    yield from sorted(found)


def project_files(catalog: Path) -> list[Path]:
    """The AppProject files under ``catalog/projects/``, in a stable order."""
    folder = catalog / PROJECTS_DIR
    return sorted(
        path for pattern in ("*.yaml", "*.yml") for path in folder.rglob(pattern) if path.is_file()
    )


def build_project(doc: SourceDoc, stem: str, problems: list[Problem]) -> CatalogProject:
    """A catalog AppProject from a schema-valid ``catalog/projects/<name>.yaml``."""
    manifest = doc.data["manifest"]
    name = manifest["metadata"]["name"]
    if name != stem:
        problems.append(
            doc.problem(
                ("manifest", "metadata", "name"),
                f'must equal the file name "{stem}"',
                id="name-mismatch",
            )
        )
    return CatalogProject(
        name=name, layer=doc.data["layer"], manifest=manifest, where=_loc(doc, "manifest")
    )


def load_project(root: Path, config_text: str | None = None) -> Project:
    """Load and validate everything under ``root``; raise InputError with every problem.

    ``config_text`` stands in for config.yaml's content (``gen enable`` validates an edit
    before writing it)."""
    reader = _Reader(root)
    config_doc = reader.read(root / CONFIG_FILE, "config", config_text)
    catalog = root / CATALOG_DIR
    layers_path = catalog / LAYERS_FILE
    if not layers_path.is_file():
        reader.problems.append(
            Problem(reader.display(layers_path), 0, 0, "", "file not found", id="file-missing")
        )
        layers_doc = None
    else:
        layers_doc = reader.read(layers_path, "layers")

    groups: dict[str, Group] = {}
    docs_by_group: dict[str, SourceDoc] = {}
    group_docs = [(path, reader.read(path, "group")) for path in group_files(catalog)]
    complete = all(doc is not None for _, doc in group_docs)
    for path, doc in group_docs:
        if doc is None:
            continue
        group = build_group(doc, reader.problems)
        if group.name != path.stem:
            reader.problems.append(
                doc.problem(
                    ("name",), f'must equal the file name "{path.stem}"', id="name-mismatch"
                )
            )
        if group.name in groups:
            first = groups[group.name].where
            reader.problems.append(
                doc.problem(
                    ("name",),
                    f'group "{group.name}" is already defined at {first}',
                    id="duplicate-name",
                )
            )
            continue
        groups[group.name] = group
        docs_by_group[group.name] = doc

    projects: dict[str, CatalogProject] = {}
    for path in project_files(catalog):
        doc = reader.read(path, "project")
        if doc is None:
            complete = False
            continue
        found = build_project(doc, path.stem, reader.problems)
        if found.name in projects:
            first = projects[found.name].where
            reader.problems.append(
                doc.problem(
                    ("manifest", "metadata", "name"),
                    f"already defined at {first}",
                    id="duplicate-name",
                )
            )
            continue
        projects[found.name] = found

    settings, declared = _declarations(reader, catalog)
    if config_doc is None or layers_doc is None:
        raise InputError(reader.problems)
    config = build_config(config_doc, reader.problems)
    env_groups = apply_overrides(
        config,
        config_doc,
        groups,
        docs_by_group,
        build_group,
        reader.schemas,
        reader.problems,
        complete,
    )
    project = Project(
        root=root,
        config=config,
        layers=build_layers(layers_doc, reader.problems),
        groups=groups,
        env_groups=env_groups,
        projects=projects,
        settings=settings,
    )
    problems = reader.problems + check_project(project, complete)
    problems += dependency_problems(project, complete)
    problems += value_problems(config, settings, declared)
    problems += catalog_problems(project, declared, complete)
    if not any(p.severity == "error" for p in problems):
        problems += environment_problems(project)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return Project(
        root=root,
        config=config,
        layers=project.layers,
        groups=groups,
        warnings=tuple(sorted(set(problems))),
        env_groups=apply_settings(project),
        projects=projects,
        settings=settings,
    )


def _declarations(reader: _Reader, catalog: Path) -> tuple[dict[str, SettingDeclaration], bool]:
    """catalog/settings.yaml's declarations (none without the file), and whether it loaded."""
    path = catalog / SETTINGS_FILE
    if not path.is_file():
        return {}, True
    doc = reader.read(path, "settings")
    if doc is None:
        return {}, False
    return build_declarations(doc, reader.problems), True
