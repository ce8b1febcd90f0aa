"""The app-of-apps of each layer: its ApplicationSet's name, its group apps' names and project.

catalog/layers.yaml may configure them with ``appOfApps``, for every layer (top level) and per
layer (``layers: [{name: platform, appOfApps: {...}}]``; per-layer keys replace the top-level
ones key by key)::

    appOfApps:
      name: "layer-{layer}"          # the ApplicationSet (default "{layer}")
      appName: "group-{group}"       # each group's app-of-apps Application (the default)
      project: platform              # their AppProject (default: see below)
      syncOptions: [ServerSideApply=true]
      directory: {recurse: true}     # also include / exclude (Argo CD globs)

The placeholders are the generator's own (``{layer}``; ``{group}`` and ``{layer}`` in
``appName``), not Jinja; an environment's ``namePrefix`` is put before the result, as before
every object name. A layer's AppProject is, in this order: ``appOfApps.project`` when set; a
catalog AppProject named like the layer (``catalog/projects/<layer>.yaml``: the owner's
project, rendered as written); else the layer's generated, least-privilege AppProject. Only the
last renders ``layers/<layer>/appproject.yaml``.

This module reads the ``appOfApps`` keys into the model, answers the naming questions for
rendering, and checks everything about them (each problem at its file:line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from generator.core.constants import BUILTIN_PROJECT
from generator.core.errors import Problem, key_path
from generator.core.model import (
    GROUP_PLACEHOLDER,
    LAYER_PLACEHOLDER,
    AppOfApps,
    Environment,
    Group,
    Location,
    Project,
)
from generator.project.schema import suggest
from generator.yamlio.source import SourceDoc

#: The catalog key of each field of :class:`AppOfApps`.
_KEYS = {
    "name": "name",
    "appName": "app_name",
    "project": "project",
    "syncOptions": "sync_options",
    "directory": "directory",
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: Which placeholders each pattern takes, and the one it must contain to give distinct names.
_PATTERNS = {
    "name": ((LAYER_PLACEHOLDER,), LAYER_PLACEHOLDER),
    "appName": ((GROUP_PLACEHOLDER, LAYER_PLACEHOLDER), GROUP_PLACEHOLDER),
}


# -- reading ----------------------------------------------------------------------------------


def _located(doc: SourceDoc, at: tuple[str | int, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: (value, Location)}`` of one ``appOfApps`` mapping at ``at``."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        line, column = doc.locate((*at, key))
        out[key] = (value, Location(doc.file, line, column, key_path((*at, key))))
        for index, item in enumerate(value if key == "syncOptions" else ()):
            line, column = doc.locate((*at, key, index))
            where = Location(doc.file, line, column, key_path((*at, key, index)))
            out[f"{key}[{index}]"] = (item, where)
    return out


def _build(merged: Mapping[str, tuple[Any, Location]]) -> AppOfApps:
    values: dict[str, Any] = {}
    for key, (value, _) in merged.items():
        if key not in _KEYS:
            continue  # a list item's place (syncOptions[0])
        if key == "syncOptions":
            value = tuple(value)
        elif key == "directory":
            value = dict(value)
        values[_KEYS[key]] = value
    fields = {key: where for key, (_, where) in merged.items()}
    return AppOfApps(**values, fields=fields)


def read_app_of_apps(doc: SourceDoc) -> dict[str, AppOfApps]:
    """Each layer's ``appOfApps`` from a schema-valid layers.yaml (layers without any: left
    out, they have the defaults)."""
    data = doc.data
    common = _located(doc, ("appOfApps",), data.get("appOfApps") or {})
    out: dict[str, AppOfApps] = {}
    for index, item in enumerate(data["layers"]):
        own: dict[str, Any] = {}
        if isinstance(item, dict):
            own = _located(doc, ("layers", index, "appOfApps"), item.get("appOfApps") or {})
        if common or own:
            # Per-layer keys replace the top-level ones whole (a list with its items).
            kept = {k: v for k, v in common.items() if k.split("[", 1)[0] not in own}
            out[layer_name(item)] = _build({**kept, **own})
    return out


def layer_name(item: Any) -> str:
    """The name of an entry of ``layers:`` (a name, or a mapping with ``name``)."""
    return str(item["name"]) if isinstance(item, dict) else str(item)


# -- naming -----------------------------------------------------------------------------------


def owned_project(project: Project, layer: str) -> str | None:
    """The AppProject ``layer`` uses instead of a generated one, as written (no namePrefix):
    ``appOfApps.project``, else a catalog AppProject named like the layer; None: the layer's
    own generated AppProject."""
    chosen = project.layers.app_of_apps_for(layer).project
    if chosen is not None and (chosen != layer or chosen in project.projects):
        return chosen
    return layer if layer in project.projects else None


def layer_project(project: Project, env: Environment, layer: str) -> str:
    """The AppProject name of ``layer``'s group apps (and of its apps that name none)."""
    owned = owned_project(project, layer)
    return owned if owned is not None else env.object_name(layer)


def appset_name(project: Project, env: Environment, layer: str) -> str:
    """The name of ``layer``'s ApplicationSet in ``env``."""
    return env.object_name(project.layers.app_of_apps_for(layer).appset_name(layer))


def group_app_name(project: Project, env: Environment, group: Group) -> str:
    """The name of ``group``'s app-of-apps Application in ``env``."""
    pattern = project.layers.app_of_apps_for(group.layer)
    return env.object_name(pattern.group_app_name(group.name, group.layer))


def group_app_patterns(project: Project, layers: Iterable[str]) -> tuple[str, ...]:
    """The distinct ``appName`` patterns of ``layers``, for people (``group-<name>``)."""
    found: list[str] = []
    for layer in layers:
        pattern = project.layers.app_of_apps_for(layer).app_name
        shown = pattern.replace(GROUP_PLACEHOLDER, "<name>").replace(LAYER_PLACEHOLDER, "<layer>")
        if shown not in found:
            found.append(shown)
    return tuple(found)


# -- checks -----------------------------------------------------------------------------------


def pattern_problem(pattern: str, key: str, shared: bool = True) -> str | None:
    """Why ``pattern`` is not a valid ``appOfApps`` name pattern for ``key``, or None.
    ``shared``: the top-level pattern, which every layer uses (one layer's own ``name`` needs
    no ``{layer}``)."""
    allowed, required = _PATTERNS[key]
    if "{{" in pattern or "}}" in pattern:
        return (
            f'"{pattern}": placeholders are written {required} (the generator\'s own), not as '
            "Jinja or Go templates"
        )
    rest = _PLACEHOLDER.sub("", pattern)
    if "{" in rest or "}" in rest:
        return f'"{pattern}": a "{{" or "}}" that is not part of a placeholder like {required}'
    choices = ", ".join(allowed)
    for name in _PLACEHOLDER.findall(pattern):
        if f"{{{name}}}" not in allowed:
            hint = suggest(f"{{{name}}}", allowed)
            return f'unknown placeholder "{{{name}}}"{hint}; {key} takes {choices}'
    if required not in pattern and (shared or key != "name"):
        return (
            f'"{pattern}" has no {required}: every '
            + ("layer" if required == LAYER_PLACEHOLDER else "group")
            + " would get the same name"
        )
    return None


def _sync_option_problem(option: str) -> str | None:
    from generator.validation.argo import SYNC_OPTIONS

    key, equals, value = option.partition("=")
    if not equals:
        return f'"{option}" is not "Key=value" (like "ServerSideApply=true")'
    if key not in SYNC_OPTIONS:
        return f'unknown sync option "{key}"{suggest(key, SYNC_OPTIONS)}; Argo CD ignores it'
    if value not in SYNC_OPTIONS[key]:
        allowed = ", ".join(f'"{key}={v}"' for v in SYNC_OPTIONS[key])
        return f'"{option}" is not a value Argo CD recognises ({allowed})'
    return None


def _glob_problems(config: AppOfApps) -> Iterator[Problem]:
    from generator.core.globs import GlobError, compile_glob

    for key in ("include", "exclude"):
        value = (config.directory or {}).get(key)
        if isinstance(value, str):
            try:
                compile_glob(value)
            except GlobError as error:
                where = config.fields["directory"]
                at = Location(where.file, where.line, where.column, f"{where.key}.{key}")
                yield at.problem(
                    f'"{value}" is not a glob Argo CD can match: {error}', id="app-of-apps"
                )


def _layer_entries(project: Project) -> Iterator[tuple[str, AppOfApps]]:
    """Each layer with its own ``appOfApps`` (deduplicated by where its keys were written)."""
    for layer in project.layers.order:
        if layer in project.layers.app_of_apps:
            yield layer, project.layers.app_of_apps[layer]


def _field_problems(project: Project) -> Iterator[Problem]:
    """Each written key once (a top-level key is shared by every layer)."""
    reported: set[tuple[str, int, int]] = set()
    for _, config in _layer_entries(project):
        for key, where in config.fields.items():
            mark = (where.file, where.line, where.column)
            if mark in reported:
                continue
            reported.add(mark)
            if key in _PATTERNS:
                pattern = config.name if key == "name" else config.app_name
                bad = pattern_problem(pattern, key, shared=not where.key.startswith("layers["))
                if bad:
                    yield where.problem(bad, id="app-of-apps")
            elif key.startswith("syncOptions["):
                bad = _sync_option_problem(config.sync_options[int(key[12:-1])])
                if bad:
                    yield where.problem(bad, id="app-of-apps")
            elif key == "directory":
                yield from _glob_problems(config)


def _name_problems(project: Project, bad_patterns: set[str]) -> Iterator[Problem]:
    """Every name the patterns give is a DNS-1123 label (with each environment's namePrefix),
    and no two objects of one kind share a name."""
    from generator.core.k8s_names import dns_label_problem

    layers = project.layers
    appsets: dict[str, str] = {}
    group_apps: dict[str, str] = {}
    reported: set[tuple[str, str]] = set()

    def check(name: str, where: Location, what: str) -> Iterator[Problem]:
        if (where.key, "label") in reported:
            return
        bad = dns_label_problem(name)
        if bad:
            reported.add((where.key, "label"))
            yield where.problem(f"{bad} ({what})", id="invalid-name")

    def claim(
        taken: dict[str, str], full: str, owner: str, where: Location, owners: str, kind: str
    ) -> Iterator[Problem]:
        """``full`` taken for ``owner``; a problem (once per key and first owner) when another
        of ``owners`` has it already."""
        first = taken.setdefault(full, owner)
        if first != owner and (where.key, first) not in reported:
            reported.add((where.key, first))
            message = f'{owners} "{first}" and "{owner}" would both have the {kind} "{full}"'
            yield where.problem(message, id="duplicate-name")

    for layer in layers.order:
        config = layers.app_of_apps_for(layer)
        name_at = config.fields.get("name")
        if name_at is not None and "name" not in bad_patterns:
            for env in project.config.environments.values():
                full = env.object_name(config.appset_name(layer))
                yield from check(full, name_at, f'the ApplicationSet of layer "{layer}"')
                yield from claim(appsets, full, layer, name_at, "layers", "ApplicationSet")
        app_at = config.fields.get("appName")
        if app_at is None or "appName" in bad_patterns:
            continue
        for group in sorted(project.groups.values(), key=lambda g: g.name):
            if group.layer != layer:
                continue
            for env in project.config.environments.values():
                full = env.object_name(config.group_app_name(group.name, layer))
                yield from check(full, app_at, f'the app-of-apps of group "{group.name}"')
                kind = "app-of-apps Application"
                yield from claim(group_apps, full, group.name, app_at, "groups", kind)


def _app_collisions(project: Project) -> Iterator[Problem]:
    """A workload app may not have the name of a group's app-of-apps Application (the default
    pattern's names are reserved by the "group-" rule of project/checks.py already)."""
    reported: set[Location] = set()
    for env in project.config.environments.values():
        taken = {
            group_app_name(project, env, group): group.name
            for group in project.groups_for(env.name).values()
        }
        for group in project.groups_for(env.name).values():
            for app in group.apps:
                owner = taken.get(env.object_name(app.name))
                if owner is None or app.name.startswith("group-"):
                    continue
                where = app.locate("name")
                if where in reported:
                    continue
                reported.add(where)
                config = project.layers.app_of_apps_for(project.groups[owner].layer)
                origin = config.fields.get("appName")
                yield where.problem(
                    f'app "{app.name}" has the name of group "{owner}"\'s app-of-apps '
                    f"Application" + (f" (appOfApps.appName at {origin})" if origin else ""),
                    id="app-of-apps",
                )


def _project_problems(project: Project, catalog_complete: bool) -> Iterator[Problem]:
    """``appOfApps.project`` names an AppProject that exists, and every profile that brings up
    the layer also brings up the layer that renders it."""
    layers = project.layers
    external = set(project.config.external_projects)
    for layer in layers.order:
        config = layers.app_of_apps_for(layer)
        where = config.fields.get("project")
        chosen = config.project
        if where is None or chosen is None or chosen == layer:
            continue
        if chosen in project.projects or chosen in external or chosen == BUILTIN_PROJECT:
            continue
        if chosen in layers.order:
            yield where.problem(
                f'"{chosen}" is the generated AppProject of layer "{chosen}"; to share one '
                f"AppProject across layers, keep it in catalog/projects/{chosen}.yaml",
                id="layer-project",
            )
        elif catalog_complete:
            known = [*project.projects, *external, BUILTIN_PROJECT]
            yield where.problem(
                f'unknown AppProject "{chosen}": define it in catalog/projects/{chosen}.yaml or '
                "list it in config.yaml externalProjects" + suggest(chosen, known),
                id="unknown-project",
            )
    yield from _profile_problems(project)


def _profile_problems(project: Project) -> Iterator[Problem]:
    layers = project.layers
    for layer in layers.order:
        owned = owned_project(project, layer)
        found = project.projects.get(owned) if owned is not None else None
        if found is None:
            continue
        config = layers.app_of_apps_for(layer)
        where = config.fields.get("project") or found.where
        for profile, members in layers.profiles.items():
            if layer in members and found.layer not in members:
                yield where.problem(
                    f'profile "{profile}" brings up layer "{layer}" but not layer '
                    f'"{found.layer}", which renders its AppProject "{found.name}"',
                    id="profile-missing-dependency",
                )


def app_of_apps_problems(project: Project, catalog_complete: bool = True) -> list[Problem]:
    """Every problem of the ``appOfApps`` configuration and of the names it gives."""
    problems = list(_field_problems(project))
    bad = {p.key.rsplit(".", 1)[-1] for p in problems if p.key.endswith(("name", "appName"))}
    problems += _name_problems(project, bad)
    problems += _app_collisions(project)
    problems += _project_problems(project, catalog_complete)
    # A top-level key is every layer's: report what it causes once.
    return list(dict.fromkeys(problems))
