"""Render a validated project to ``{relative path: text}``: a pure function, no I/O but templates.

Python decides *what* each object says (labels, sync policy, the project's permissions); the
Jinja templates in ``templates/`` decide *how* it is laid out, and a project can override any of
them by putting a file of the same name in ``<root>/templates/``. Writing, diffing and validating
are separate steps over the returned mapping.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from generator.emit import block, dump, scalar
from generator.errors import UsageError
from generator.layout import GENERATED_MARKER, builtin_templates
from generator.loader import RESPECT_IGNORE
from generator.model import (
    GROUP_APP_PREFIX,
    IN_CLUSTER_SERVER,
    LABEL_PREFIX,
    App,
    CatalogProject,
    Environment,
    Group,
    Project,
)
from generator.resolve import enabled_groups, profile_layers
from generator.waves import app_waves

FINALIZER = "resources-finalizer.argocd.argoproj.io"
WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
#: ``(environment, done, total)`` after each rendered environment: for progress indicators.
Progress = Callable[[str, int, int], None]
TEMPLATES = (
    "application.yaml.j2",
    "applicationset.yaml.j2",
    "appproject.yaml.j2",
    "catalog-appproject.yaml.j2",
    "kustomization.yaml.j2",
)
#: Order in which source fields are written (the rest follow in the order they were given).
_SOURCE_ORDER = ("repoURL", "path", "chart", "targetRevision", "ref", "name")


def header(*sources: str, extra: Iterable[str] = ()) -> str:
    """The comment block that opens every generated file."""
    lines = [
        f"{GENERATED_MARKER} (stagegen) from {', '.join(sources)}. Do not edit:",
        "# change config.yaml or the catalog, then run `gen render`.",
    ]
    lines.extend("# " + " ".join(line.split()) for line in extra)
    return "\n".join(lines)


class Renderer:
    """Compiles the templates once; renders any number of environments with them."""

    def __init__(self, project: Project) -> None:
        import jinja2

        self.project = project
        search = [project.root / "templates", builtin_templates()]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["q"] = scalar
        self.env.filters["yaml"] = block
        self.env.filters["document"] = dump
        try:
            self.templates = {name: self.env.get_template(name) for name in TEMPLATES}
        except jinja2.TemplateError as exc:
            raise UsageError(f"template error: {exc}") from None

    def _render(self, name: str, **context: Any) -> str:
        import jinja2

        try:
            text = self.templates[name].render(**context)
        except jinja2.TemplateError as exc:
            raise UsageError(f"template {name}: {exc}") from None
        return text.rstrip("\n") + "\n"

    def render(
        self,
        environments: Sequence[str] | None = None,
        on_environment: Progress | None = None,
    ) -> dict[str, str]:
        """``{path relative to rendered/: text}`` for the chosen (default: all) environments.

        ``on_environment(name, done, total)`` is called after each environment (progress)."""
        config = self.project.config
        names = list(config.environments) if environments is None else list(environments)
        unknown = [n for n in names if n not in config.environments]
        if unknown:
            raise UsageError(
                f"unknown environment {unknown[0]!r}; choose from: {', '.join(config.environments)}"
            )
        files: dict[str, str] = {}
        for done, name in enumerate(names, 1):
            files.update(self._environment(config.environments[name]))
            if on_environment is not None:
                on_environment(name, done, len(names))
        return dict(sorted(files.items()))

    def _environment(self, env: Environment) -> dict[str, str]:
        project = self.project
        groups = enabled_groups(project, env)
        waves = app_waves(project, env.name)
        files: dict[str, str] = {}
        for group in groups:
            for app in group.apps:
                view = application_view(project, env, group, app, wave=waves[app.name].value)
                extra = []
                if app.sync == "manual" and app.reason:
                    extra = [
                        f"Manual sync (cost gate): {app.reason}",
                        "Created by `kubectl apply -k`; deployed only by: "
                        f"argocd app sync {env.object_name(app.name)}",
                    ]
                # An app an environment overrides also comes from config.yaml.
                overrides = sorted({f.file for f in app.fields.values()} - {group.where.file})
                text = self._render(
                    "application.yaml.j2",
                    header=header(group.where.file, *overrides, extra=extra),
                    app=view,
                )
                files[f"{env.name}/groups/{group.name}/{app.name}.yaml"] = text
        sources = ("catalog/layers.yaml", "config.yaml")
        for layer in project.layers.order:
            in_layer = [g for g in groups if g.layer == layer]
            base = f"{env.name}/layers/{layer}"
            files[f"{base}/appproject.yaml"] = self._render(
                "appproject.yaml.j2",
                header=header(*sources),
                project=project_view(project, env, layer, in_layer),
            )
            resources = ["appproject.yaml"]
            for extra_project in catalog_projects(project, layer):
                name = f"appproject-{extra_project.name}.yaml"
                files[f"{base}/{name}"] = self._render(
                    "catalog-appproject.yaml.j2",
                    header=header(extra_project.where.file),
                    manifest=extra_project.manifest,
                )
                resources.append(name)
            files[f"{base}/applicationset.yaml"] = self._render(
                "applicationset.yaml.j2",
                header=header(*sources),
                appset=appset_view(project, env, layer, in_layer),
            )
            files[f"{base}/kustomization.yaml"] = self._render(
                "kustomization.yaml.j2",
                header=header(*sources),
                resources=[*resources, "applicationset.yaml"],
            )
        for profile in project.layers.profiles:
            files[f"{env.name}/profiles/{profile}/kustomization.yaml"] = self._render(
                "kustomization.yaml.j2",
                header=header(*sources, extra=[f"`kubectl apply -k` here brings up: {profile}"]),
                resources=[f"../../layers/{layer}" for layer in profile_layers(project, profile)],
            )
        return files


def render_project(
    project: Project,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> dict[str, str]:
    """Render ``project``: ``{path relative to the rendered folder: file text}``."""
    return Renderer(project).render(environments, on_environment)


def _labels(env: Environment, group: Group, **extra: str) -> dict[str, str]:
    return {
        f"{LABEL_PREFIX}env": env.name,
        f"{LABEL_PREFIX}layer": group.layer,
        f"{LABEL_PREFIX}group": group.name,
        **{f"{LABEL_PREFIX}{key}": value for key, value in extra.items()},
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
    ordered = {key: out[key] for key in _SOURCE_ORDER if key in out}
    ordered.update((key, value) for key, value in out.items() if key not in ordered)
    return ordered


def sync_options(app: App) -> list[str]:
    """The app's sync options, plus RespectIgnoreDifferences when it ignores differences."""
    options = list(app.sync_options)
    if app.ignore_differences and RESPECT_IGNORE not in options:
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


def application_view(
    project: Project, env: Environment, group: Group, app: App, wave: int | None = None
) -> dict[str, Any]:
    """What the Application template lays out for one app in one environment. ``wave`` is the
    app's wave from the dependency graph (generator/waves.py); default: its explicit one.
    ``wave: null`` in the catalog (an imported Application without one) means no sync-wave
    annotation at all.

    Optional fields are None when the Application has no such field, so that an explicitly
    empty value written in the catalog (``annotations: {}``) is emitted as written."""
    labels = {**_labels(env, group, sync=app.sync, role="workload"), **app.labels}
    annotations = dict(app.annotations)
    wave = app.wave if wave is None else wave
    if wave is not None and not ("wave" in app.written and app.wave is None):
        annotations[WAVE_ANNOTATION] = str(wave)
    if app.sync == "manual" and app.reason:
        annotations[f"{LABEL_PREFIX}manual-reason"] = " ".join(app.reason.split())
    sources = [full_source(project, env, s) for s in app.sources]
    if "finalizers" in app.written:
        finalizers = None if app.finalizers is None else list(app.finalizers)
    else:
        finalizers = [FINALIZER]
    ignored = [dict(rule) for rule in app.ignore_differences]
    return {
        "name": env.object_name(app.name),
        "namespace": project.config.argocd_namespace,
        "labels": labels,
        "annotations": annotations if annotations or "annotations" in app.written else None,
        "finalizers": finalizers,
        # A project the catalog names is used as written; the layer's own carries the prefix.
        "project": app.project or env.object_name(group.layer),
        "sources": sources if app.multi_source else None,
        "source": None if app.multi_source else sources[0],
        "destination": destination(env, app),
        "sync_policy": sync_policy(app),
        "ignore_differences": ignored if ignored or "ignoreDifferences" in app.written else None,
        "info": None if app.info is None else [dict(item) for item in app.info],
        "revision_history_limit": app.revision_history_limit,
    }


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


def appset_view(
    project: Project, env: Environment, layer: str, groups: Sequence[Group]
) -> dict[str, Any]:
    """What the ApplicationSet template lays out for one layer in one environment."""
    ns = project.config.argocd_namespace
    layer_labels = {f"{LABEL_PREFIX}env": env.name, f"{LABEL_PREFIX}layer": layer}
    return {
        "name": env.object_name(layer),
        "namespace": ns,
        "labels": layer_labels,
        "elements": [
            {
                "name": env.object_name(GROUP_APP_PREFIX + g.name),
                "group": g.name,
                "path": _group_path(project, env, g.name),
            }
            for g in groups
        ],
        "template_name": "{{ .name }}",
        "template_path": "{{ .path }}",
        "template_labels": {
            **layer_labels,
            f"{LABEL_PREFIX}group": "{{ .group }}",
            f"{LABEL_PREFIX}sync": "auto",
            f"{LABEL_PREFIX}role": "group",
        },
        "project": env.object_name(layer),
        "repo_url": project.config.repo_url,
        "target_revision": env.target_revision,
        "destination": {"server": IN_CLUSTER_SERVER, "namespace": ns},
    }


def _destination_key(entry: Mapping[str, str]) -> tuple[str, str, str]:
    return (entry.get("namespace", ""), entry.get("server") or "", entry.get("name") or "")


def project_view(
    project: Project, env: Environment, layer: str, groups: Sequence[Group]
) -> dict[str, Any]:
    """What the AppProject template lays out: least privilege for the layer's enabled groups."""
    config = project.config
    repos = {config.repo_url}
    kinds: dict[tuple[str, str], dict[str, str]] = {}
    wanted: list[dict[str, str]] = []
    for group in groups:
        for app in group.apps:
            if not uses_layer_project(group, app):
                continue
            wanted.append(destination(env, app))
            repos.update(full_source(project, env, s)["repoURL"] for s in app.sources)
        for kind in group.cluster_resources:
            kinds[(kind["group"], kind["kind"])] = {"group": kind["group"], "kind": kind["kind"]}
    destinations = [{"server": IN_CLUSTER_SERVER, "namespace": config.argocd_namespace}]
    key = _destination_key
    for entry in sorted(wanted, key=key):
        cluster = {k: v for k, v in entry.items() if k in ("server", "name") and v}
        entry = {**cluster, "namespace": entry.get("namespace", "")}
        if entry not in destinations:
            destinations.append(entry)
    return {
        "name": env.object_name(layer),
        "namespace": config.argocd_namespace,
        "labels": {f"{LABEL_PREFIX}env": env.name, f"{LABEL_PREFIX}layer": layer},
        "description": f"Layer {layer} of environment {env.name} (generated by stagegen)",
        "source_repos": sorted(repos),
        "destinations": destinations,
        "cluster_resources": [kinds[key] for key in sorted(kinds)],
    }
