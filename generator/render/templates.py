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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.core.errors import UsageError
from generator.core.layout import GENERATED_MARKER, builtin_templates
from generator.core.model import Environment, Project
from generator.project.appofapps import owned_project
from generator.project.conditions import is_dormant_reason
from generator.project.resolve import enabled_groups, profile_layers
from generator.project.waves import app_waves
from generator.render.objects import (
    application_document,
    appset_document,
    catalog_projects,
    kustomization,
    profile_path,
    project_document,
    root_application_document,
    root_project_document,
)
from generator.yamlio.emit import block, dump, scalar

#: ``(environment, done, total)`` after each rendered environment: for progress indicators.
Progress = Callable[[str, int, int], None]
TEMPLATES = (
    "application.yaml.j2",
    "applicationset.yaml.j2",
    "appproject.yaml.j2",
    "catalog-appproject.yaml.j2",
    "kustomization.yaml.j2",
    "root-appproject.yaml.j2",
    "root-application.yaml.j2",
)


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
                if app.dormant:
                    extra = [
                        f"Dormant: {', '.join(app.dormant)} empty in {env.name}; no automated "
                        "sync until set in config.yaml (then `gen render`)."
                    ]
                if app.sync == "manual" and app.reason and not is_dormant_reason(app):
                    extra += [
                        f"Manual sync (cost gate): {app.reason}",
                        "Created by Argo CD from git (its group's app); deployed only by: "
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
            resources = []
            # A layer whose project is the owner's (generator/project/appofapps.py) renders no
            # generated AppProject.
            if owned_project(project, layer) is None:
                self._render(
                    out,
                    f"{base}/appproject.yaml",
                    "appproject.yaml.j2",
                    project_document(project, env, layer, in_layer),
                    header=header(*sources),
                    **context,
                )
                resources.append("appproject.yaml")
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
            synced_by = (
                f"The root Application {env.root_name} syncs this folder while {env.name}'s "
                f"profile is {profile} (make root PROFILE={profile} ENV={env.name})."
            )
            self._render(
                out,
                f"{env.name}/profiles/{profile}/kustomization.yaml",
                "kustomization.yaml.j2",
                kustomization([f"../../layers/{layer}" for layer in layers]),
                header=header(*sources, extra=[synced_by]),
                profile=profile,
                layers=layers,
                env=env,
            )
            self._root(out, env, profile, layers)

    def _root(self, out: Output, env: Environment, profile: str, layers: Sequence[str]) -> None:
        """``<env>/roots/<profile>/``: what ``make root`` applies once; Argo CD then syncs the
        profile folder from git."""
        project = self.project
        base = f"{env.name}/roots/{profile}"
        context = {"profile": profile, "layers": layers, "env": env}
        sources = ("config.yaml",)
        self._render(
            out,
            f"{base}/appproject.yaml",
            "root-appproject.yaml.j2",
            root_project_document(project, env),
            header=header(*sources),
            **context,
        )
        self._render(
            out,
            f"{base}/application.yaml",
            "root-application.yaml.j2",
            root_application_document(project, env, profile),
            header=header(*sources, "catalog/layers.yaml"),
            **context,
        )
        applies = (
            f"`make root PROFILE={profile} ENV={env.name}` applies this folder once; then Argo CD "
            f"syncs {profile_path(project, env, profile)} from git."
        )
        self._render(
            out,
            f"{base}/kustomization.yaml",
            "kustomization.yaml.j2",
            kustomization(["appproject.yaml", "application.yaml"]),
            header=header(*sources, extra=[applies]),
            **context,
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
