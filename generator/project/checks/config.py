"""Checks of config.yaml's own values against the rest of the project: nothing that reaches an
ApplicationSet template may hold Go-template delimiters, destination servers are URLs, and each
environment's root name is a DNS label no other object of the environment has."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.core.errors import Problem, key_path
from generator.core.k8s_names import dns_label_problem
from generator.core.model import Location, Project
from generator.project.declarations.appofapps import group_app_name, owned_project

#: Go-template delimiters: the ApplicationSet template evaluates them (``goTemplate: true``).
_GO_TEMPLATE = re.compile(r"\{\{|\}\}")


def _config(project: Project) -> Iterable[Problem]:
    """Values that reach an ApplicationSet template must not contain Go-template delimiters
    (Argo would evaluate them), and destination servers are URLs."""
    config = project.config
    values = [
        (config.locate("repoURL"), "repoURL", config.repo_url),
        (config.locate("targetRevision"), "targetRevision", config.target_revision),
    ]
    for env in config.environments.values():
        at = ("environments", env.name)
        if (*at, "targetRevision") in config.positions:
            values.append(
                (
                    config.locate(*at, "targetRevision"),
                    key_path((*at, "targetRevision")),
                    env.target_revision,
                )
            )
        server = env.destination.server
        if server is not None and not server.startswith(("https://", "http://")):
            yield config.locate(*at, "destination", "server").problem(
                f'"{server}" is not a cluster API URL (like https://kubernetes.default.svc); '
                'use "name:" for a cluster registered in Argo CD by name',
                id="server-not-url",
                key=key_path((*at, "destination", "server")),
            )
    for where, key, value in values:
        if _GO_TEMPLATE.search(value):
            yield where.problem(
                f'"{value}" contains "{{{{" or "}}}}", which the ApplicationSet\'s Go template '
                "would evaluate",
                id="go-template-delimiters",
                key=key,
            )


def _root_where(project: Project, env: str) -> tuple[Location, str]:
    """Where an environment's root name comes from: its own ``rootName``, the global one, or
    (the default) the environment itself."""
    config = project.config
    for path in (("environments", env, "rootName"), ("rootName",)):
        if path in config.positions:
            return config.locate(*path), key_path(path)
    return config.environments[env].where, f"environments.{env}"


def _roots(project: Project) -> Iterable[Problem]:
    """An environment's root Application and its bootstrap AppProject share one name, which no
    other Application or AppProject of the environment may have (one Argo CD namespace)."""
    config = project.config
    invalid = set()
    for env in config.environments.values():
        name = env.root_name
        where, key = _root_where(project, env.name)
        bad = dns_label_problem(name)
        if bad:
            origin = f' (environment "{env.name}"\'s root name)' if name != config.root_name else ""
            invalid.add(where.problem(f"{bad}{origin}", id="root-name", key=key))
            continue
        taken: dict[str, str] = {}
        for group in project.groups_for(env.name).values():
            taken[group_app_name(project, env, group)] = f'group app of "{group.name}"'
            for app in group.apps:
                taken[env.object_name(app.name)] = f'app "{app.name}" ({app.where})'
        for layer in project.layers.order:
            if owned_project(project, layer) is None:
                taken[env.object_name(layer)] = f'the AppProject of layer "{layer}"'
        for other in (*project.projects, *config.external_projects):
            taken.setdefault(other, f'AppProject "{other}"')
        if name in taken:
            yield where.problem(
                f'root name "{name}" of environment "{env.name}" is also the name of '
                f"{taken[name]}; set rootName to another name",
                id="root-name",
                key=key,
            )
    yield from sorted(invalid)


def config_problems(project: Project) -> Iterable[Problem]:
    """Every problem of config.yaml's values (see the module docstring)."""
    yield from _config(project)
    yield from _roots(project)
