"""``gen import SRC``: adopt a folder of hand-written Argo CD Applications into the catalog.

Each sub-folder of SRC becomes a group (files directly in SRC go to ``--group``), every group
goes to one layer, AppProjects go to ``catalog/projects/``. The import is all or nothing: the
new catalog is checked (loaded like ``gen render`` would), rendered in memory and every
imported Application compared with its original before a single file is written, then the
files are staged and moved into place.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.adopt.convert import ARGO_API, Converter
from generator.adopt.convert import project_manifest as convert_project
from generator.adopt.findings import Findings, Imported, Loss, apply_losses, kind_of
from generator.adopt.read import SrcDoc, read_file, source_files
from generator.adopt.roundtrip import comparable, differences
from generator.core.errors import GenError, InputError, Problem, UsageError
from generator.core.layout import CATALOG_DIR, CONFIG_FILE
from generator.core.model import Project
from generator.fs.staged import write_files
from generator.project.load import PROJECTS_DIR, load_project
from generator.yamlio.catalog_write import dump_document
from generator.yamlio.source import parse_yaml

_KUSTOMIZE_LISTING = {"apiVersion", "kind", "resources"}


@dataclass(frozen=True)
class Written:
    """One catalog file the import produced: a group or an AppProject."""

    kind: str
    name: str
    file: str
    items: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class ImportResult:
    """What ``gen import`` did and found."""

    src: Path
    layer: str
    files: list[Written]
    skipped: list[tuple[str, str]]
    warnings: list[Problem]
    notes: list[Problem]
    allowed_losses: list[Problem]
    written: list[str]

    @property
    def apps(self) -> int:
        """How many Applications were imported."""
        return sum(len(f.items) for f in self.files if f.kind == "group")


class ImportFailed(GenError):
    """The import cannot be done without losing something (or is invalid); nothing written."""


def dns_label(name: str) -> str:
    """``name`` made into a DNS-1123 label (lowercase, ``-`` for anything else, 63 at most)."""
    label = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return label[:63].rstrip("-")


@dataclass
class _Group:
    name: str
    folder: str
    apps: list[Imported] = field(default_factory=list)


@dataclass
class _State:
    converter: Converter
    allow_loss: bool
    findings: Findings = field(default_factory=Findings)
    groups: dict[str, _Group] = field(default_factory=dict)
    apps: dict[str, tuple[Imported, str]] = field(default_factory=dict)
    projects: dict[str, Imported] = field(default_factory=dict)
    allowed: list[Problem] = field(default_factory=list)

    def losses(self, src: SrcDoc, losses: list[Loss], entry: dict[str, Any] | None) -> bool:
        """Record losses; whether the document is still imported (with --allow-loss)."""
        problems = [loss.problem for loss in losses]
        if not problems:
            return True
        if not self.allow_loss:
            self.findings.losses.extend(problems)
            return False
        self.allowed.extend(problems)
        if entry is None or not apply_losses(entry, losses):
            self.findings.skip(src, "cannot be carried (--allow-loss): " + problems[0].message)
            return False
        return True


def _group_for(state: _State, rel: str, default_group: str) -> _Group:
    folder = rel.split("/", 1)[0] if "/" in rel else ""
    raw = folder or default_group
    name = dns_label(raw)
    group = state.groups.get(name)
    if group is None:
        group = state.groups[name] = _Group(name, folder)
    return group


def _application(state: _State, src: SrcDoc, group: _Group) -> None:
    entry, losses, found = state.converter.application(src)
    state.findings.warnings.extend(found.warnings)
    state.findings.notes.extend(found.notes)
    if not state.losses(src, losses, entry) or entry is None:
        return
    item = Imported("Application", entry["name"], entry, src.doc.data, src, bool(losses))
    seen = state.apps.get(item.name)
    if seen is not None:
        first, first_group = seen
        if differences(first.original, item.original):
            state.findings.errors.append(
                src.doc.problem(
                    ("metadata", "name"),
                    f'Application "{item.name}" is also defined, differently, at {first.where}; '
                    "keep one of them",
                    id="import-conflict",
                )
            )
        else:
            state.findings.note(
                src.doc.file,
                src.line,
                f'Application "{item.name}" is identical to the one at {first.where}: kept '
                f'once (in group "{first_group}")',
            )
        return
    state.apps[item.name] = (item, group.name)
    group.apps.append(item)


def _project(state: _State, src: SrcDoc) -> None:
    manifest, losses, found = convert_project(state.converter, src)
    state.findings.warnings.extend(found.warnings)
    if not state.losses(src, losses, manifest) or manifest is None:
        return
    name = manifest["metadata"]["name"]
    item = Imported("AppProject", name, manifest, src.doc.data, src, bool(losses))
    first = state.projects.get(name)
    if first is not None:
        if differences(first.original, item.original):
            state.findings.errors.append(
                src.doc.problem(
                    ("metadata", "name"),
                    f'AppProject "{name}" is also defined, differently, at {first.where}',
                    id="import-conflict",
                )
            )
        else:
            state.findings.note(
                src.doc.file,
                src.line,
                f'AppProject "{name}" is identical to the one at {first.where}: kept once',
            )
        return
    state.projects[name] = item


def _document(state: _State, src: SrcDoc, group: _Group) -> None:
    data = src.doc.data
    if data is None:  # the document could not be built (an unsupported tag)
        state.losses(src, [Loss(p, "skip") for p in src.losses], None)
        return
    if not isinstance(data, dict):
        state.findings.skip(src, "not a mapping: not a Kubernetes object")
        return
    api, kind = kind_of(data)
    argo = api.startswith("argoproj.io/")
    if argo and kind in ("Application", "AppProject") and api != ARGO_API:
        problem = src.doc.problem(
            ("apiVersion",), f'unknown apiVersion "{api}" (want {ARGO_API})', id="import-skipped"
        )
        state.losses(src, [Loss(problem, "skip")], None)
    elif argo and kind == "Application":
        _application(state, src, group)
    elif argo and kind == "AppProject":
        _project(state, src)
    elif argo and kind == "ApplicationSet":
        state.findings.skip(
            src,
            "ApplicationSet: not imported (gen renders one per layer; import the Applications "
            "it generates instead)",
        )
    elif kind == "Kustomization":
        state.findings.skip(src, "Kustomization: the files it lists are read directly")
        extra = sorted(set(data) - _KUSTOMIZE_LISTING)
        if extra:
            state.findings.warnings.append(
                src.doc.problem(
                    (extra[0],),
                    f"this kustomization also changes what it lists ({', '.join(extra)}); the "
                    "import reads the files as written, without it: check the imported apps",
                    "warning",
                    id="import-kustomization",
                )
            )
    elif not kind:
        state.findings.skip(src, "no kind: not a Kubernetes object")
    else:
        state.findings.skip(src, f"{kind}: not an Application or AppProject")


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


def _catalog_files(
    project: Project, state: _State, layer: str, src_name: str
) -> dict[str, tuple[Written, str]]:
    """``{path relative to the root: (what it is, text)}`` for every file to write."""
    out: dict[str, tuple[Written, str]] = {}
    for name in sorted(state.groups):
        group = state.groups[name]
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
    for name in sorted(state.projects):
        item = state.projects[name]
        rel = f"{CATALOG_DIR}/{PROJECTS_DIR}/{name}.yaml"
        data = {"layer": layer, "manifest": item.entry}
        text = dump_document(data, _header("project", name, item.where), None, rel)
        out[rel] = (Written("project", name, rel, (), ""), text)
    return out


def _existing(root: Path, files: dict[str, tuple[Written, str]], force: bool) -> list[Problem]:
    problems = []
    for rel, (what, text) in files.items():
        path = root / rel
        if path.is_file() and path.read_text("utf-8", "replace") != text and not force:
            problems.append(
                Problem(
                    rel,
                    0,
                    0,
                    "",
                    f'{"group" if what.kind == "group" else "AppProject"} "{what.name}" already '
                    "exists and differs from the import; --force overwrites it",
                    id="import-conflict",
                )
            )
    return problems


def _stage_project(root: Path, files: dict[str, str], folder: Path) -> Project:
    """Load the project as it would be after the import, from a copy under ``folder``."""
    shutil.copy2(root / CONFIG_FILE, folder / CONFIG_FILE)
    shutil.copytree(root / CATALOG_DIR, folder / CATALOG_DIR, symlinks=True)
    if (root / "templates").is_dir():
        shutil.copytree(root / "templates", folder / "templates", symlinks=True)
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    try:
        return load_project(folder)
    except InputError as exc:
        raise ImportFailed(
            f"the imported catalog would not load ({exc.message}); nothing written",
            exc.problems,
        ) from None


def _verify(staged: Project, state: _State) -> list[Problem]:
    """Render the staged project in memory; every imported object must equal its original."""
    from generator.render.templates import render_project

    rendered = render_project(staged)
    problems: list[Problem] = []
    namespace = staged.config.argocd_namespace

    def compare(item: Imported, rel: str, exceptions: bool) -> None:
        text = rendered.get(rel)
        if text is None:
            return
        back = parse_yaml(text, rel).data
        if exceptions:
            found = differences(comparable(item.original, namespace), comparable(back, namespace))
        else:
            found = differences(item.original, back)
        for line in found:
            problems.append(
                Problem(
                    item.src.doc.file,
                    item.src.line,
                    0,
                    "",
                    f"round trip: {rel}: {line}",
                    id="import-round-trip",
                )
            )

    for env in staged.config.environments:
        for item, group in state.apps.values():
            if not item.lossy:
                compare(item, f"{env}/groups/{group}/{item.name}.yaml", True)
        for item in state.projects.values():
            layer = staged.projects[item.name].layer
            if not item.lossy:
                compare(item, f"{env}/layers/{layer}/appproject-{item.name}.yaml", False)
    return problems


def _switched_off(staged: Project, state: _State) -> list[Problem]:
    """A warning for each imported group that no environment renders (a feature flag)."""
    from generator.project.resolve import decide

    found = []
    for name, group in sorted(state.groups.items()):
        if not group.apps:
            continue
        decisions = [
            d
            for env in staged.config.environments.values()
            for d in decide(staged, env)
            if d.group.name == name
        ]
        if decisions and not any(d.enabled for d in decisions):
            where = staged.groups[name].where
            found.append(
                Problem(
                    where.file,
                    where.line,
                    where.column,
                    "name",
                    f'group "{name}" is off in every environment ({decisions[0].why} at '
                    f"{decisions[0].where}): its apps are not rendered",
                    "warning",
                    id="import-group-off",
                )
            )
    return found


def run(
    root: Path,
    src: Path,
    layer: str | None = None,
    group: str | None = None,
    force: bool = False,
    allow_loss: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> ImportResult:
    """Import ``src`` into the project at ``root``; write nothing unless all of it can be."""
    project = load_project(root)
    src = src.resolve()
    if not src.is_dir():
        raise UsageError(f"{src} is not a folder")
    if layer is None:
        layer = project.layers.order[0]
    elif layer not in project.layers.order:
        raise UsageError(f"unknown layer {layer!r}; choose from: {', '.join(project.layers.order)}")
    default_group = group if group is not None else src.name
    if not dns_label(default_group):
        raise UsageError(f"{default_group!r} cannot be made into a group name; pass --group NAME")
    state = _State(Converter(project.config.argocd_namespace), allow_loss)
    for path, rel in source_files(src):
        display = f"{src.name}/{rel}"
        found = read_file(path, display)
        if found.unreadable is not None:
            if allow_loss:
                state.allowed.append(found.unreadable)
                state.findings.skipped.append(
                    (display, "cannot be read (--allow-loss): " + found.unreadable.message)
                )
            else:
                state.findings.losses.append(found.unreadable)
            continue
        target = _group_for(state, rel, default_group)
        carried = len(state.apps) + len(state.projects)
        for document in found.documents:
            _document(state, document, target)
        if found.comments and len(state.apps) + len(state.projects) > carried:
            state.findings.note(
                display,
                found.comments[0],
                f"{len(found.comments)} comment line(s) not carried (comments are not part of "
                "the Application; the catalog notes where each app came from)",
            )
    for name, entry in sorted(state.groups.items()):
        raw = entry.folder or default_group
        if entry.apps and raw != name:
            where = f"{src.name}/{entry.folder}" if entry.folder else f"--group {raw}"
            state.findings.note(where, 0, f'"{raw}" is not a DNS label: group named "{name}"')
    findings = state.findings
    if findings.errors or findings.losses:
        hint = ""
        if findings.losses:
            hint = "; --allow-loss imports without what cannot be carried"
        count = len(findings.errors) + len(findings.losses)
        raise ImportFailed(
            f"{count} problem(s) in {src.name}/: nothing written{hint}",
            [*findings.errors, *findings.losses],
        )

    planned = _catalog_files(project, state, layer, src.name)
    clashes = _existing(root, planned, force)
    if clashes:
        raise ImportFailed("existing catalog files differ: nothing written", clashes)
    texts = {rel: text for rel, (_, text) in planned.items()}
    with tempfile.TemporaryDirectory(prefix="gen-import-") as folder:
        staged = _stage_project(root, texts, Path(folder))
        mismatches = _verify(staged, state)
        if mismatches:  # pragma: no cover - a gap in the catalog's long form, not user input
            raise ImportFailed(
                "the rendered Applications would differ from the originals: nothing written",
                mismatches,
            )
        ours = set(texts)
        warnings = [w for w in staged.warnings if w.file in ours]
        warnings.extend(_switched_off(staged, state))
    written = write_files(root, texts, before_commit)
    files = [
        Written(
            what.kind,
            what.name,
            what.file,
            what.items,
            "written" if rel in written else "unchanged",
        )
        for rel, (what, _) in planned.items()
    ]
    return ImportResult(
        src=src,
        layer=layer,
        files=files,
        skipped=findings.skipped,
        warnings=sorted([*findings.warnings, *warnings]),
        notes=sorted(findings.notes),
        allowed_losses=sorted(state.allowed),
        written=written,
    )
