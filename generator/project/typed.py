"""The typed model from schema-valid documents: config.yaml, layers.yaml, group files and
AppProject files become :mod:`generator.core.model` values, each part remembering where it is
written, with the field-level checks a schema cannot express (collected, never raised).
"""

from __future__ import annotations

import posixpath

from generator.core.errors import Problem, key_path
from generator.core.model import (
    CatalogProject,
    Config,
    Destination,
    Environment,
    Group,
    Layers,
    Location,
    Setting,
    Want,
)
from generator.project.apps import build_app
from generator.project.checks.paths import relative_path_problem as _relative_path
from generator.project.declarations.accepts import read_accepts
from generator.project.declarations.appofapps import layer_name, read_app_of_apps
from generator.project.declarations.smoke import profile_smoke, read_smoke
from generator.project.located import fields_of, location, positions_of
from generator.project.settings.declared import config_values
from generator.yamlio.source import SourceDoc

DEFAULT_REVISION = "HEAD"
DEFAULT_NAMESPACE = "argocd"
DEFAULT_RENDERED = "rendered"
#: The root Application's name (before an environment's namePrefix) unless config.yaml says.
DEFAULT_ROOT_NAME = "root"


def _settings(doc: SourceDoc, base: tuple[str, ...], flags: dict[str, bool]) -> dict[str, Setting]:
    prefix = ".".join(base)
    return {
        name: Setting(value, f"{prefix}.{name}", location(doc, *base, name))
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
            where=location(doc, "environments", name),
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
        where=location(doc),
        external_projects=tuple(data.get("externalProjects", ())),
        positions=positions_of(doc),
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
        where=location(doc),
        positions=positions_of(doc),
        smoke=profile_smoke(doc, profiles, [] if problems is None else problems),
        app_of_apps=read_app_of_apps(doc),
    )


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
    apps = [
        build_app(doc, index, raw, data["name"], problems) for index, raw in enumerate(data["apps"])
    ]
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
        where=location(doc, "name"),
        fields=fields_of(doc, (), {k: v for k, v in data.items() if k != "apps"}),
        positions=positions_of(doc),
        when={
            name: tuple(value) if isinstance(value, list) else (value,)
            for name, value in data.get("when", {}).items()
        },
        needs=tuple(data.get("needs", ())),
        wants=tuple(_want(doc, index, item) for index, item in enumerate(data.get("wants", ()))),
        smoke=read_smoke(doc, ("smoke",), data.get("smoke"), problems),
        accept=read_accepts(doc, (), data),
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
            doc.problem(
                ("manifest", "metadata", "name"),
                f'must equal the file name "{stem}"',
                id="name-mismatch",
            )
        )
    return CatalogProject(
        name=name,
        layer=doc.data["layer"],
        manifest=manifest,
        where=location(doc, "manifest"),
        accept=read_accepts(doc, (), doc.data),
    )
