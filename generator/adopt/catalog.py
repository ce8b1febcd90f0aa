"""The catalog files an import writes: one group file per imported group (in its layer's
folder, or where the group already lives) and one ``catalog/projects/<name>.yaml`` per
AppProject, each with a comment header saying where it came from."""

from __future__ import annotations

from dataclasses import dataclass

from generator.adopt.collect import Collection
from generator.core.errors import Problem
from generator.core.layout import CATALOG_DIR
from generator.core.model import Project
from generator.fs.inputs import Inputs
from generator.project.load import PROJECTS_DIR
from generator.yamlio.catalog_write import dump_document


@dataclass(frozen=True)
class Written:
    """One catalog file the import produced: a group or an AppProject."""

    kind: str
    name: str
    file: str
    items: tuple[str, ...]
    status: str


def _header(kind: str, name: str, origin: str) -> list[str]:
    if kind == "group":
        return [
            f'Group "{name}", imported by `gen import` from {origin}.',
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


def catalog_files(
    project: Project, found: Collection, layer: str, src_name: str
) -> dict[str, tuple[Written, str]]:
    """``{path relative to the root: (what it is, text)}`` for every file to write."""
    out: dict[str, tuple[Written, str]] = {}
    for name in sorted(found.groups):
        group = found.groups[name]
        if not group.apps:
            continue
        origin = f"{src_name}/{group.folder}/" if group.folder else f"{src_name}/"
        existing = project.groups.get(name)
        rel = existing.where.file if existing is not None else f"{CATALOG_DIR}/{layer}/{name}.yaml"
        data = {
            "name": name,
            "layer": layer,
            "description": f"Imported from {origin}",
            "default": True,
            "apps": [item.entry for item in group.apps],
        }
        comments = [f"from {item.where}" for item in group.apps]
        text = dump_document(data, _header("group", name, origin), {"apps": comments}, rel)
        items = tuple(item.name for item in group.apps)
        out[rel] = (Written("group", name, rel, items, ""), text)
    for name in sorted(found.projects):
        item = found.projects[name]
        rel = f"{CATALOG_DIR}/{PROJECTS_DIR}/{name}.yaml"
        data = {"layer": layer, "manifest": item.entry}
        text = dump_document(data, _header("project", name, item.where), None, rel)
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
