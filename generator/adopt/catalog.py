"""The catalog files an import writes: one group file per imported group (in its layer's
folder, or where the group already lives) and one ``catalog/projects/<name>.yaml`` per
AppProject, each with a comment header saying where it came from, the owner's comments where
they were (:mod:`generator.adopt.comments`), a manual-sync app's ``reason`` and the ``accept``
entries for the owner's deliberate choices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.adopt.appsets.convert import GroupPlan
from generator.adopt.collect import Collection, SourceGroup
from generator.adopt.comments import app_placements, is_manual, manual_reason, project_placements
from generator.adopt.findings import Imported
from generator.core.errors import Problem
from generator.core.layout import CATALOG_DIR
from generator.core.model import Project
from generator.fs.inputs import Inputs
from generator.project.load import PROJECTS_DIR
from generator.yamlio.catalog_write import dump_document
from generator.yamlio.comments import place_comments


@dataclass(frozen=True)
class Written:
    """One catalog file the import produced: a group or an AppProject."""

    kind: str
    name: str
    file: str
    items: tuple[str, ...]
    status: str


#: Accept entries the import writes, by (kind, name): ``("app", "raw-vllm")``.
Accepts = Mapping[tuple[str, str], Sequence[Mapping[str, str]]]


def _header(kind: str, name: str, origin: str, plan: GroupPlan | None = None) -> list[str]:
    if kind == "group":
        lines = [f'Group "{name}", imported by `gen import` from {origin}.']
        if plan is not None:
            state = "on" if plan.enabled else "off"
            lines.append(
                f'Layer "{plan.layer}" and `default: {str(plan.enabled).lower()}` ({state}) from '
                f"its ApplicationSet's groups at {plan.where}."
            )
        return [
            *lines,
            "Each app is its Argo CD Application in the catalog's long form, as written there:",
            "`gen render` adds no defaults to it (finalizer, automated sync, sync options, wave),",
            "only the stagegen.dev/* labels. `null` means the Application has no such field",
            "(`syncPolicy: null`, `finalizers: null`, `wave: null`). See docs/import.md.",
        ]
    return [
        f'AppProject "{name}", imported by `gen import` from {origin}.',
        "`manifest` is rendered exactly as written into rendered/<env>/layers/<layer>/. See",
        "docs/import.md.",
    ]


def _app_entry(item: Imported, accepts: Accepts) -> dict[str, Any]:
    """The app's catalog entry: as converted, with a reason from its comments when it syncs by
    hand, and the warnings the import accepts for it."""
    entry: dict[str, Any] = {}
    reason = manual_reason(item.src) if is_manual(item.entry) else None
    for key, value in item.entry.items():
        if key == "syncPolicy" and reason is not None:
            entry["reason"] = reason
        entry[key] = value
    if reason is not None and "reason" not in entry:
        entry["reason"] = reason
    accepted = accepts.get(("app", item.name))
    if accepted:
        entry["accept"] = [dict(a) for a in accepted]
    return entry


def _group_file(
    project: Project, group: SourceGroup, layer: str, accepts: Accepts
) -> tuple[str, Written, str]:
    existing = project.groups.get(group.name)
    layer = group.plan.layer if group.plan is not None else layer
    rel = (
        existing.where.file if existing is not None else f"{CATALOG_DIR}/{layer}/{group.name}.yaml"
    )
    entries = [_app_entry(item, accepts) for item in group.apps]
    data = {
        "name": group.name,
        "layer": layer,
        "description": f"Imported from {group.folder}",
        "default": group.plan.enabled if group.plan is not None else True,
        "apps": entries,
    }
    origins = [f"from {item.where}" for item in group.apps]
    header = _header("group", group.name, group.folder, group.plan)
    text = dump_document(data, header, {"apps": origins}, rel)
    placements = [
        placement
        for index, (item, entry) in enumerate(zip(group.apps, entries, strict=True))
        for placement in app_placements(item.src, entry, ("apps", index))
    ]
    text = place_comments(text, placements, rel)
    items = tuple(item.name for item in group.apps)
    return rel, Written("group", group.name, rel, items, ""), text


def catalog_files(
    project: Project, found: Collection, layer: str, project_layer: str, accepts: Accepts
) -> dict[str, tuple[Written, str]]:
    """``{path relative to the root: (what it is, text)}`` for every file to write: groups go
    to their ApplicationSet's layer (else ``layer``), AppProjects to ``project_layer``."""
    out: dict[str, tuple[Written, str]] = {}
    for name in sorted(found.groups):
        group = found.groups[name]
        if group.apps:
            rel, written, text = _group_file(project, group, layer, accepts)
            out[rel] = (written, text)
    for name in sorted(found.projects):
        item = found.projects[name]
        rel = f"{CATALOG_DIR}/{PROJECTS_DIR}/{name}.yaml"
        data: dict[str, Any] = {"layer": project_layer, "manifest": item.entry}
        accepted = accepts.get(("project", name))
        if accepted:
            data["accept"] = [dict(a) for a in accepted]
        text = dump_document(data, _header("project", name, item.where), None, rel)
        text = place_comments(text, project_placements(item.src, item.entry), rel)
        out[rel] = (Written("project", name, rel, (), ""), text)
    return out


def clashes(inputs: Inputs, files: dict[str, tuple[Written, str]], force: bool) -> list[Problem]:
    """A problem for each catalog file that exists and would change (unless ``force``)."""
    problems = []
    for rel, (what, text) in files.items():
        current = inputs.files.get(rel)
        if current is not None and current != text.encode("utf-8") and not force:
            kind = "group" if what.kind == "group" else "AppProject"
            message = f'{kind} "{what.name}" already exists and differs from the import; '
            problems.append(
                Problem(rel, 0, 0, "", message + "--force overwrites it", id="import-conflict")
            )
    return problems
