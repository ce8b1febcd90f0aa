"""AppProject references over the typed model: the catalog's own AppProjects fit the layers
and config.yaml, and every app's ``project`` is one it may use (its layer's generated project,
Argo CD's ``default``, a catalog project brought up with it, or an external one)."""

from __future__ import annotations

from collections.abc import Iterable

from generator.core.constants import BUILTIN_PROJECT
from generator.core.errors import Problem
from generator.core.k8s_names import dns_label_problem
from generator.core.model import App, Group, Location, Project
from generator.project.declarations.appofapps import owned_project
from generator.project.schema import suggest


def _catalog_projects(project: Project) -> Iterable[Problem]:
    """Each catalog AppProject: a DNS name, no clash with an external project, a known layer."""
    layers = project.layers
    external = set(project.config.external_projects)
    for found in project.projects.values():
        bad = dns_label_problem(found.name)
        if bad:
            yield found.where.problem(bad, id="invalid-name", key="metadata.name")
        if found.name in external:
            yield found.where.problem(
                f'"{found.name}" is also listed in config.yaml externalProjects; drop it there',
                id="name-conflict",
                key="metadata.name",
            )
        if found.layer not in layers.order:
            yield found.where.problem(
                f'unknown layer "{found.layer}"' + suggest(found.layer, layers.order),
                id="unknown-layer",
                key="layer",
            )


def _app_project(
    project: Project, group: Group, app: App, catalog_complete: bool
) -> Iterable[Problem]:
    """One app's ``project``: its layer's (generated or the owner's), or one that exists."""
    layers, catalog = project.layers, project.projects
    known = {BUILTIN_PROJECT, *catalog, *project.config.external_projects}
    name = app.project
    at = app.where_of("project")
    key = at.key or "project"
    owned = owned_project(project, group.layer)
    if name is None or (name == group.layer and owned in (None, name)):
        if owned is None and not app.namespace:
            dest = app.where_of("destination")
            yield dest.problem(
                f'apps in the layer\'s generated AppProject "{group.layer}" need a '
                "destination namespace (or name their own project)",
                id="missing-namespace",
                key=dest.key or "destination",
            )
    elif name == group.layer:
        yield at.problem(
            f'layer "{name}" uses AppProject "{owned}" (appOfApps.project), not one '
            f'named "{name}"; write "project: {owned}" or leave project out',
            id="layer-project",
            key=key,
        )
    elif name in layers.order and name not in catalog:
        yield at.problem(
            f'"{name}" is the AppProject of layer "{name}"; an app of layer '
            f'"{group.layer}" uses its own layer\'s project, "default", a catalog '
            "project or one in config.yaml externalProjects",
            id="layer-project",
            key=key,
        )
    elif name not in known and catalog_complete:
        yield at.problem(
            f'unknown AppProject "{name}": define it in catalog/projects/{name}.yaml or '
            "list it in config.yaml externalProjects" + suggest(name, known),
            id="unknown-project",
            key=key,
        )
    elif name in catalog:
        yield from _brought_up(project, group, name, at, key)


def _brought_up(
    project: Project, group: Group, name: str, at: Location, key: str
) -> Iterable[Problem]:
    """A catalog AppProject is rendered in its own layer: every profile bringing up the app's
    layer must bring that one up too."""
    home = project.projects[name].layer
    for profile, members in project.layers.profiles.items():
        if group.layer in members and home not in members:
            yield at.problem(
                f'profile "{profile}" brings up layer "{group.layer}" but not layer '
                f'"{home}", which renders AppProject "{name}"',
                id="profile-missing-dependency",
                key=key,
            )


def appproject_problems(project: Project, catalog_complete: bool) -> Iterable[Problem]:
    """Every AppProject reference problem (``catalog_complete``: see check_project)."""
    yield from _catalog_projects(project)
    for group in project.groups.values():
        for app in group.apps:
            yield from _app_project(project, group, app, catalog_complete)
