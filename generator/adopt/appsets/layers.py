"""What an import changes besides the catalog's group and AppProject files: catalog/layers.yaml
(the ApplicationSets' layers, their order and ``appOfApps``, profiles) and config.yaml (the
revision the ApplicationSets follow; a root name no imported object has).

Decisions (docs/import.md says them to the user):

* Layers an ApplicationSet stands for are added in the groups file's order. A layer the project
  already has keeps its place and its profiles. When layers are added, a layer that holds
  nothing after the import (no group, no AppProject: the ``apps`` layer ``gen init`` writes) is
  dropped, and left out of the profiles.
* Profiles cannot be read from ApplicationSets (the owner's live in a Makefile ``PROFILE``
  case, a script or a runbook): when layers are added, one cumulative profile per added layer
  is written (``serving: [platform, serving]``) with a note asking the owner to check them.
* ``appOfApps`` is written once at the top when every layer has the same, else per layer.
* The ApplicationSets' ``targetRevision`` becomes config.yaml's when config.yaml has none or
  the default ``HEAD``; a revision chosen on purpose is kept unless ``--force``.
* When an imported Application or AppProject has the name of the root Application
  (``rootName``, default ``root``), config.yaml's ``rootName`` becomes a free name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.adopt.appsets.convert import LayerPlan
from generator.adopt.findings import Findings
from generator.core.errors import Problem
from generator.core.layout import CATALOG_DIR, CONFIG_FILE, LAYERS_FILE
from generator.core.model import Project
from generator.project.declarations.appofapps import layer_name, pattern_problem
from generator.project.typed import DEFAULT_REVISION
from generator.yamlio.source import parse_yaml

LAYERS_PATH = f"{CATALOG_DIR}/{LAYERS_FILE}"
#: The root names tried, in order, when an imported object has the root's name.
_ROOT_NAMES = ("stagegen-root", *(f"stagegen-root-{n}" for n in range(2, 100)))


@dataclass
class LayersEdit:
    """The layers after the import, the new text of layers.yaml and config.yaml (None: not
    changed), the layer of groups no ApplicationSet places, and what to tell the user."""

    order: list[str]
    default_layer: str
    project_layer: str
    texts: dict[str, str] = field(default_factory=dict)
    notes: Findings = field(default_factory=Findings)
    conflicts: list[Problem] = field(default_factory=list)


def _order(project: Project, plan: LayerPlan, used: set[str], chosen: str | None) -> list[str]:
    existing = list(project.layers.order)
    if all(layer in existing for layer in plan.layers):
        return existing
    kept = [layer for layer in existing if layer in plan.layers or layer in used or layer == chosen]
    return [*kept, *(layer for layer in plan.layers if layer not in kept)]


def _profiles(
    project: Project, order: list[str], added: list[str], edit: LayersEdit
) -> dict[str, list[str]]:
    profiles = {
        name: [layer for layer in members if layer in order]
        for name, members in project.layers.profiles.items()
    }
    profiles = {name: members for name, members in profiles.items() if members}
    if not added:
        return profiles
    for layer in added:
        if layer not in profiles:
            profiles[layer] = order[: order.index(layer) + 1]
    edit.notes.note(
        LAYERS_PATH,
        0,
        "profiles: how the owner brings the layers up cannot be read from the ApplicationSets "
        "(a Makefile PROFILE case, a script): wrote one cumulative profile per layer in the "
        f"groups file's order ({', '.join(added)}); edit `profiles:` to match yours",
    )
    return profiles


def _app_of_apps(
    raw: Mapping[str, Any],
    plan: LayerPlan,
    order: list[str],
    used: set[str],
    edit: LayersEdit,
    force: bool,
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    """The top-level ``appOfApps`` and each layer's own after the import; ``raw`` is
    layers.yaml as it is, ``used`` the layers holding something besides the ApplicationSets'
    groups. Top-level when every layer that holds a group is an ApplicationSet's, all alike
    (an empty layer renders no group app: its ApplicationSet is named like the others)."""
    common = raw.get("appOfApps")
    own = {
        str(item["name"]): dict(item["appOfApps"])
        for item in raw.get("layers", ())
        if isinstance(item, dict) and isinstance(item.get("appOfApps"), dict)
    }
    per_layer = {layer: keys for layer, keys in own.items() if layer in order}
    shapes = [plan.app_of_apps[layer] for layer in order if layer in plan.app_of_apps]
    everywhere = all(layer in plan.app_of_apps for layer in order if layer in used)
    if shapes and everywhere and all(shape == shapes[0] for shape in shapes):
        new_common: dict[str, Any] | None = shapes[0]
        per_layer = {}
    else:
        new_common = dict(common) if isinstance(common, dict) else None
        per_layer.update({layer: plan.app_of_apps[layer] for layer in plan.app_of_apps})
    names = [layer_name(item) for item in raw.get("layers", ())]
    for layer, wanted in plan.app_of_apps.items():
        before = {**(common or {}), **own.get(layer, {})} if layer in names else {}
        if before and before != wanted and not force:
            edit.conflicts.append(
                Problem(
                    LAYERS_PATH,
                    0,
                    0,
                    "appOfApps",
                    f'layer "{layer}" has other appOfApps settings than its ApplicationSet\'s '
                    f"({before} here, {wanted} there); --force writes the ApplicationSet's",
                    id="import-conflict",
                )
            )
    return new_common, per_layer


def _pattern_problems(plan: LayerPlan, edit: LayersEdit) -> None:
    for layer, keys in plan.app_of_apps.items():
        for key in ("name", "appName"):
            bad = pattern_problem(keys[key], key, shared=True) if key in keys else None
            if bad:
                edit.conflicts.append(
                    Problem(
                        LAYERS_PATH,
                        0,
                        0,
                        f"appOfApps.{key}",
                        f'layer "{layer}": {bad}',
                        id="app-of-apps",
                    )
                )


def plan_layers(
    project: Project,
    plan: LayerPlan,
    layers_text: str,
    used: set[str],
    chosen: str | None,
    force: bool,
) -> LayersEdit:
    """The layers after the import. ``used``: the layers that hold a group or AppProject after
    it (besides the ApplicationSets' own); ``chosen``: ``--layer``."""
    from generator.yamlio.layers_edit import edit_layers

    if not plan.layers:
        first = chosen or project.layers.order[0]
        return LayersEdit(
            list(project.layers.order),
            first,
            _project_layer(project.layers.profiles, list(project.layers.order)),
        )
    order = _order(project, plan, used, chosen)
    added = [layer for layer in order if layer not in project.layers.order]
    dropped = [layer for layer in project.layers.order if layer not in order]
    default = chosen or order[0]
    edit = LayersEdit(order, default, default)
    profiles = _profiles(project, order, added, edit)
    edit.project_layer = _project_layer(profiles, order)
    if dropped:
        edit.notes.note(
            LAYERS_PATH,
            0,
            f"layer(s) {', '.join(dropped)} held no group or AppProject: left out of layers.yaml "
            "(the ApplicationSets' layers replace them)",
        )
    _pattern_problems(plan, edit)
    raw = parse_yaml(layers_text, LAYERS_PATH).data
    common, per_layer = _app_of_apps(raw, plan, order, used, edit, force)
    comment = (
        "The app-of-apps of each layer, from the ApplicationSets `gen import` adopted (their\n"
        "names, project, sync options and directory); docs/configuration.md."
    )
    text = edit_layers(layers_text, order, profiles, common, per_layer, comment)
    if text != layers_text:
        edit.texts[LAYERS_PATH] = text
    return edit


def _project_layer(profiles: Mapping[str, Iterable[str]], order: list[str]) -> str:
    """The first layer every profile brings up (an owner's AppProject goes there), else the
    first layer."""
    for layer in order:
        if all(layer in members for members in profiles.values()):
            return layer
    return order[0]


def config_edits(
    project: Project,
    config_text: str,
    plan: LayerPlan,
    taken: set[str],
    force: bool,
    edit: LayersEdit,
) -> None:
    """config.yaml's targetRevision (the ApplicationSets') and rootName (a free one), as
    decided in the module's docstring; the new text goes to ``edit.texts``."""
    from generator.yamlio.config_top import set_top_level

    text = config_text
    config = project.config
    if plan.revision is not None and plan.revision[0] != config.target_revision:
        revision, where = plan.revision
        written = ("targetRevision",) in config.positions
        if written and config.target_revision != DEFAULT_REVISION and not force:
            line = config.locate("targetRevision").line
            edit.conflicts.append(
                Problem(
                    CONFIG_FILE,
                    line,
                    0,
                    "targetRevision",
                    f'"{config.target_revision}" here, but the ApplicationSets follow "{revision}" '
                    f"({where}); --force sets it to theirs",
                    id="import-conflict",
                )
            )
        else:
            text = set_top_level(text, "targetRevision", revision).text
            edit.notes.note(
                CONFIG_FILE,
                0,
                f'targetRevision: "{config.target_revision}" -> "{revision}", the revision the '
                f"ApplicationSets' group apps follow ({where})",
            )
    clashing = [
        env
        for env in config.environments.values()
        if env.root_name in taken and ("environments", env.name, "rootName") not in config.positions
    ]
    if clashing:
        free = next(
            name
            for name in _ROOT_NAMES
            if all(env.name_prefix + name not in taken for env in config.environments.values())
        )
        old = clashing[0].root_name
        comment = f"The root Application's name: \"{old}\" is an imported object's (gen import)."
        text = set_top_level(text, "rootName", free, comment).text
        edit.notes.note(
            CONFIG_FILE,
            0,
            f'rootName: "{old}" is the name of an imported Application or AppProject; the root '
            f'Application is named "{free}" instead',
        )
    if text != config_text:
        edit.texts[CONFIG_FILE] = text
