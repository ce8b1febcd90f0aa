"""Render a validated project to ``{relative path: text}``: a pure function, no I/O but templates.

Python builds each object as data (the Application, ApplicationSet, AppProject or Kustomization,
exactly as Argo CD and kustomize will read it); a Jinja template in ``templates/`` turns it into
the file, and a project can override any template by putting a file of the same name in
``<root>/templates/``. The built-in templates emit the object with the ``document`` filter, so
their text reads back as exactly that object: validation can then check the objects themselves
instead of parsing 10,000 files back (see :class:`Output`). Writing, diffing and validating are
separate steps over the result.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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

ARGO_API = "argoproj.io/v1alpha1"
KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1"
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


def _defined(emit: Callable[..., str]) -> Callable[..., str]:
    """A filter that reports a template's undefined name as Jinja does (``'dict object' has no
    attribute 'x'``) instead of trying to emit it."""
    import jinja2

    def wrapped(value: Any, *args: Any) -> str:
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return emit(value, *args)

    return wrapped


@dataclass(frozen=True)
class Output:
    """What a render produced: ``files`` (path under the rendered folder -> text), and for each
    file a built-in template wrote, the object its text holds (``documents``; a file from an
    overridden template is absent there, and validation parses its text instead)."""

    files: dict[str, str]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


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
        own, builtin = project.root / "templates", builtin_templates()
        search = [own, builtin]
        #: Templates the project overrides: their output is parsed back to be validated.
        self.overridden = (
            set()
            if not own.is_dir() or own.resolve() == builtin.resolve()
            else {name for name in TEMPLATES if (own / name).is_file()}
        )
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["q"] = _defined(scalar)
        self.env.filters["yaml"] = _defined(block)
        self.env.filters["document"] = _defined(dump)
        try:
            self.templates = {name: self.env.get_template(name) for name in TEMPLATES}
        except jinja2.TemplateError as exc:
            raise UsageError(f"template error: {exc}") from None

    def _render(
        self, out: Output, path: str, name: str, document: dict[str, Any], **context: Any
    ) -> None:
        import jinja2

        try:
            text = self.templates[name].render(document=document, **context)
        except (jinja2.TemplateError, TypeError) as exc:
            raise UsageError(f"template {name}: {exc}") from None
        out.files[path] = text.rstrip("\n") + "\n"
        if name not in self.overridden:
            out.documents[path] = document

    def render(
        self,
        environments: Sequence[str] | None = None,
        on_environment: Progress | None = None,
    ) -> Output:
        """The files (and objects) of the chosen (default: all) environments.

        ``on_environment(name, done, total)`` is called after each environment (progress)."""
        config = self.project.config
        names = list(config.environments) if environments is None else list(environments)
        unknown = [n for n in names if n not in config.environments]
        if unknown:
            raise UsageError(
                f"unknown environment {unknown[0]!r}; choose from: {', '.join(config.environments)}"
            )
        out = Output({})
        for done, name in enumerate(names, 1):
            self._environment(out, config.environments[name])
            if on_environment is not None:
                on_environment(name, done, len(names))
        return Output(dict(sorted(out.files.items())), out.documents)

    def _environment(self, out: Output, env: Environment) -> None:
        project = self.project
        groups = enabled_groups(project, env)
        waves = app_waves(project, env.name)
        for group in groups:
            for app in group.apps:
                document = application_document(
                    project, env, group, app, wave=waves[app.name].value
                )
                extra = []
                if app.sync == "manual" and app.reason:
                    extra = [
                        f"Manual sync (cost gate): {app.reason}",
                        "Created by `kubectl apply -k`; deployed only by: "
                        f"argocd app sync {env.object_name(app.name)}",
                    ]
                # An app an environment overrides also comes from config.yaml.
                overrides = sorted({f.file for f in app.fields.values()} - {group.where.file})
                self._render(
                    out,
                    f"{env.name}/groups/{group.name}/{app.name}.yaml",
                    "application.yaml.j2",
                    document,
                    header=header(group.where.file, *overrides, extra=extra),
                    app=app,
                    group=group,
                    env=env,
                )
        sources = ("catalog/layers.yaml", "config.yaml")
        for layer in project.layers.order:
            in_layer = [g for g in groups if g.layer == layer]
            base = f"{env.name}/layers/{layer}"
            context = {"layer": layer, "groups": in_layer, "env": env}
            self._render(
                out,
                f"{base}/appproject.yaml",
                "appproject.yaml.j2",
                project_document(project, env, layer, in_layer),
                header=header(*sources),
                **context,
            )
            resources = ["appproject.yaml"]
            for extra_project in catalog_projects(project, layer):
                name = f"appproject-{extra_project.name}.yaml"
                self._render(
                    out,
                    f"{base}/{name}",
                    "catalog-appproject.yaml.j2",
                    dict(extra_project.manifest),
                    header=header(extra_project.where.file),
                    **context,
                )
                resources.append(name)
            self._render(
                out,
                f"{base}/applicationset.yaml",
                "applicationset.yaml.j2",
                appset_document(project, env, layer, in_layer),
                header=header(*sources),
                **context,
            )
            self._render(
                out,
                f"{base}/kustomization.yaml",
                "kustomization.yaml.j2",
                kustomization([*resources, "applicationset.yaml"]),
                header=header(*sources),
                **context,
            )
        for profile in project.layers.profiles:
            layers = profile_layers(project, profile)
            self._render(
                out,
                f"{env.name}/profiles/{profile}/kustomization.yaml",
                "kustomization.yaml.j2",
                kustomization([f"../../layers/{layer}" for layer in layers]),
                header=header(*sources, extra=[f"`kubectl apply -k` here brings up: {profile}"]),
                profile=profile,
                layers=layers,
                env=env,
            )


def render_output(
    project: Project,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> Output:
    """Render ``project``: the files and the objects the built-in templates wrote."""
    return Renderer(project).render(environments, on_environment)


def render_project(
    project: Project,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
) -> dict[str, str]:
    """Render ``project``: ``{path relative to the rendered folder: file text}``."""
    return render_output(project, environments, on_environment).files


def kustomization(resources: list[str]) -> dict[str, Any]:
    """A Kustomization listing files (a layer's) or folders (a profile's layers)."""
    return {"apiVersion": KUSTOMIZE_API, "kind": "Kustomization", "resources": resources}


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


def application_document(
    project: Project, env: Environment, group: Group, app: App, wave: int | None = None
) -> dict[str, Any]:
    """The Application of one app in one environment. ``wave`` is the app's wave from the
    dependency graph (generator/waves.py); default: its explicit one. ``wave: null`` in the
    catalog (an imported Application without one) means no sync-wave annotation at all.

    An optional field is absent when the Application has no such field, and present when the
    catalog writes it, even empty (``annotations: {}``), so that imports round-trip."""
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
    metadata: dict[str, Any] = {
        "name": env.object_name(app.name),
        "namespace": project.config.argocd_namespace,
        "labels": labels,
    }
    if annotations or "annotations" in app.written:
        metadata["annotations"] = annotations
    if finalizers is not None:
        metadata["finalizers"] = finalizers
    # A project the catalog names is used as written; the layer's own carries the prefix.
    spec: dict[str, Any] = {"project": app.project or env.object_name(group.layer)}
    if app.multi_source:
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


def appset_document(
    project: Project, env: Environment, layer: str, groups: Sequence[Group]
) -> dict[str, Any]:
    """A layer's ApplicationSet: one app-of-apps Application per enabled group, over
    rendered/<env>/groups/<group>/. Argo's own Go-template expressions (``{{ .group }}``) are
    plain data here, so Jinja never evaluates them."""
    ns = project.config.argocd_namespace
    layer_labels = {f"{LABEL_PREFIX}env": env.name, f"{LABEL_PREFIX}layer": layer}
    elements = [
        {
            "name": env.object_name(GROUP_APP_PREFIX + g.name),
            "group": g.name,
            "path": _group_path(project, env, g.name),
        }
        for g in groups
    ]
    template = {
        "metadata": {
            "name": "{{ .name }}",
            "namespace": ns,
            "labels": {
                **layer_labels,
                f"{LABEL_PREFIX}group": "{{ .group }}",
                f"{LABEL_PREFIX}sync": "auto",
                f"{LABEL_PREFIX}role": "group",
            },
            "finalizers": [FINALIZER],
        },
        "spec": {
            "project": env.object_name(layer),
            "source": {
                "repoURL": project.config.repo_url,
                "targetRevision": env.target_revision,
                "path": "{{ .path }}",
            },
            "destination": {"server": IN_CLUSTER_SERVER, "namespace": ns},
            "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
        },
    }
    return {
        "apiVersion": ARGO_API,
        "kind": "ApplicationSet",
        "metadata": {"name": env.object_name(layer), "namespace": ns, "labels": layer_labels},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{"list": {"elements": elements}}],
            "template": template,
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
            "labels": {f"{LABEL_PREFIX}env": env.name, f"{LABEL_PREFIX}layer": layer},
        },
        "spec": spec,
    }
