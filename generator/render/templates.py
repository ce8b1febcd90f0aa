"""Render a validated project to ``{relative path: text}``: a pure function of the model and
the templates of a snapshot (:mod:`generator.fs.inputs`); it opens no file.

Python builds each object as data (the Application, ApplicationSet, AppProject or Kustomization,
exactly as Argo CD and kustomize will read it); a Jinja template turns it into the file, and a
project can override any template by putting a file of the same name in ``<root>/templates/``.
Jinja is served the snapshot's templates only (the project's over the built-in ones), so an
``{% include %}`` sees exactly the files the run cache digested. The generated-file header is
written by Python above whatever a template emits: a template needs no ``{{ header }}`` (one
left in renders as nothing), and no template can drop the marker ``gen render`` and ``gen check``
recognise their files by.

A template whose whole body is ``{{ document | document }}`` (all the built-in ones) is
recognised by its content, not by where it lives: its text is, provably, the emitted object, so
Python emits it directly and validation checks the object instead of parsing the text back (see
:class:`Output`). Any other template is rendered by Jinja and its text parsed back to be
validated, wherever it lives (a built-in template edited in a checkout included).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.core.errors import UsageError
from generator.core.layout import TEMPLATES_DIR
from generator.core.model import Environment, Group, Project
from generator.project.declarations.appofapps import owned_project
from generator.project.resolve import enabled_groups, profile_layers
from generator.project.waves import Wave, app_waves
from generator.render.apps import APPLICATION, unit_files
from generator.render.files import RenderedFiles, header
from generator.render.jinja import emits_document, environment, plainly_emits_document
from generator.render.objects import (
    appset_document,
    catalog_projects,
    kustomization,
    project_document,
)
from generator.render.roots import profile_path, root_application_document, root_project_document

if TYPE_CHECKING:
    import jinja2

    from generator.fs.inputs import Inputs
    from generator.fs.memo import Memo
    from generator.render.units import Units

#: What a layer's and a profile's files are made from (named in their header).
_LAYER_SOURCES = ("catalog/layers.yaml", "config.yaml")
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


@dataclass(frozen=True)
class Output:
    """What a render produced: ``files`` (path under the rendered folder -> text, emitted on
    first use: :class:`~generator.render.files.RenderedFiles`), and for each file whose
    template only emits the object, that object (``documents``; a file from any other template
    is absent there, and validation parses its text instead)."""

    files: RenderedFiles = field(default_factory=RenderedFiles)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Files of units the memo remembered (render/units.py): not built, their documents
    #: checked before; ``documents`` holds what the cross-object checks read of them.
    remembered: set[str] = field(default_factory=set)


def _decode(inputs: Inputs) -> dict[str, str]:
    """The snapshot's templates as text (the project's over the built-in ones)."""
    out = {}
    for name, raw in inputs.templates().items():
        try:
            out[name] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            where = f"{TEMPLATES_DIR}/{name}" if f"{TEMPLATES_DIR}/{name}" in inputs.files else name
            raise UsageError(f"template {where}: not valid UTF-8 (byte {exc.start})") from None
    return out


class Renderer:
    """Compiles the templates once; renders any number of environments with them."""

    def __init__(self, project: Project, inputs: Inputs, memo: Memo | None = None) -> None:
        self.project = project
        sources = _decode(inputs)
        missing = [name for name in TEMPLATES if name not in sources]
        if missing:
            raise UsageError(f"template error: {missing[0]} not found")
        #: Templates whose text is the emitted object: Python emits it, validation reads the
        #: object, and Jinja need not compile them (nor be imported, when that is plain from
        #: the text). The others are compiled once, rendered by Jinja and their text parsed.
        self.direct = {name for name in TEMPLATES if plainly_emits_document(sources[name])}
        self.templates: dict[str, jinja2.Template] = {}
        if len(self.direct) < len(TEMPLATES):
            self._compile(sources)
        #: The memo's units (render/units.py): only while the application template emits the
        #: object as is (a Jinja template may read any part of the model).
        self.units: Units | None = None
        if memo is not None and APPLICATION in self.direct:
            from generator.render.units import Units

            label = project.config.rendered_dir
            self.units = Units(memo, project, label, sources[APPLICATION])

    def _compile(self, sources: Mapping[str, str]) -> None:
        import jinja2

        env = environment(sources)
        try:
            self.direct |= {name for name in TEMPLATES if emits_document(sources[name], env)}
            self.templates = {
                name: env.get_template(name) for name in TEMPLATES if name not in self.direct
            }
        except jinja2.TemplateError as exc:
            raise UsageError(f"template error: {exc}") from None

    def _render(
        self, out: Output, path: str, name: str, document: dict[str, Any], **context: Any
    ) -> None:
        top = context.pop("header")
        if name in self.direct:
            # Emitted when its text is first needed (render/files.py).
            out.files.add_document(path, top, document, name)
            out.documents[path] = document
            return
        import jinja2

        try:
            body = self.templates[name].render(document=document, header="", **context)
        except (jinja2.TemplateError, TypeError) as exc:
            raise UsageError(f"template {name}: {exc}") from None
        body = body.lstrip("\n").rstrip("\n")
        out.files.add_text(path, f"{top}\n{body}\n")

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
        out = Output()
        for done, name in enumerate(names, 1):
            self._environment(out, config.environments[name])
            if on_environment is not None:
                on_environment(name, done, len(names))
        return out

    def _environment(self, out: Output, env: Environment) -> None:
        groups = enabled_groups(self.project, env)
        self._applications(out, env, groups)
        for layer in self.project.layers.order:
            self._layer(out, env, layer, [g for g in groups if g.layer == layer])
        for profile in self.project.layers.profiles:
            layers = profile_layers(self.project, profile)
            synced_by = (
                f"The root Application {env.root_name} syncs this folder while {env.name}'s "
                f"profile is {profile} (make root PROFILE={profile} ENV={env.name})."
            )
            self._render(
                out,
                f"{env.name}/profiles/{profile}/kustomization.yaml",
                "kustomization.yaml.j2",
                kustomization([f"../../layers/{layer}" for layer in layers]),
                header=header(*_LAYER_SOURCES, extra=[synced_by]),
                profile=profile,
                layers=layers,
                env=env,
            )
            self._root(out, env, profile, layers)

    def _applications(self, out: Output, env: Environment, groups: Sequence[Group]) -> None:
        """``<env>/groups/<group>/<app>.yaml``: one Application per app of the enabled groups
        (a unit the memo remembers is not built: render/units.py)."""
        waves = app_waves(self.project, env.name)
        for group in groups:
            values = [waves[app.name].value for app in group.apps]
            key = self.units.key(env, group, values) if self.units is not None else None
            found = self.units.find(key) if self.units is not None and key is not None else None
            if found is not None:
                builder = functools.partial(self._unit, env, group, waves)
                for rel, digest, extract in found[0]:
                    out.files.add_deferred(rel, digest, builder, APPLICATION)
                    out.documents[rel] = extract
                    out.remembered.add(rel)
                continue
            rels = []
            for rel, top, document, context in unit_files(self.project, env, group, waves):
                self._render(out, rel, APPLICATION, document, header=top, **context)
                rels.append(rel)
            if key is not None and self.units is not None:
                self.units.built[key] = rels

    def _unit(
        self, env: Environment, group: Group, waves: Mapping[str, Wave]
    ) -> list[tuple[str, str, Any]]:
        return [
            (rel, top, document)
            for rel, top, document, _ in unit_files(self.project, env, group, waves)
        ]

    def _layer(self, out: Output, env: Environment, layer: str, groups: list[Group]) -> None:
        """``<env>/layers/<layer>/``: the layer's AppProject(s), ApplicationSet, kustomization."""
        project = self.project
        base = f"{env.name}/layers/{layer}"
        context = {"layer": layer, "groups": groups, "env": env}
        resources = []
        # A layer whose project is the owner's (generator/project/declarations/appofapps.py) renders
        # no generated AppProject.
        if owned_project(project, layer) is None:
            document = project_document(project, env, layer, groups)
            self._render(
                out,
                f"{base}/appproject.yaml",
                "appproject.yaml.j2",
                document,
                header=header(*_LAYER_SOURCES),
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
        document = appset_document(project, env, layer, groups)
        self._render(
            out,
            f"{base}/applicationset.yaml",
            "applicationset.yaml.j2",
            document,
            header=header(*_LAYER_SOURCES),
            **context,
        )
        document = kustomization([*resources, "applicationset.yaml"])
        self._render(
            out,
            f"{base}/kustomization.yaml",
            "kustomization.yaml.j2",
            document,
            header=header(*_LAYER_SOURCES),
            **context,
        )

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
    inputs: Inputs | None = None,
) -> Output:
    """Render ``project`` with the templates of ``inputs`` (default: a snapshot of its root):
    the files and the objects emitted directly. Commands render through
    :func:`generator.render.build.build`, which validates too."""
    if inputs is None:
        from generator.fs.inputs import read_inputs

        inputs = read_inputs(project.root)
    return Renderer(project, inputs).render(environments, on_environment)


def render_project(
    project: Project,
    environments: Sequence[str] | None = None,
    on_environment: Progress | None = None,
    inputs: Inputs | None = None,
) -> dict[str, str]:
    """Render ``project``: ``{path relative to the rendered folder: file text}``."""
    return dict(render_output(project, environments, on_environment, inputs).files)
