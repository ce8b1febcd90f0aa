"""Collect what a source folder holds for ``gen import``: every document read, dispatched by
kind, converted, and sorted into groups (one per sub-folder), AppProjects, and findings.

Nothing is written here and nothing is raised for the user's input: losses, errors, warnings,
notes and skipped documents are collected (:class:`~generator.adopt.findings.Findings`) and the
command decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.adopt.appsets.convert import GroupPlan, LayerPlan
from generator.adopt.convert import Converter, project_manifest
from generator.adopt.findings import Findings, Imported, Loss, apply_losses, kind_of
from generator.adopt.read import SrcDoc, read_file, source_files
from generator.adopt.roundtrip import differences
from generator.core.constants import ARGO_API
from generator.core.errors import Problem

_KUSTOMIZE_LISTING = {"apiVersion", "kind", "resources"}


def dns_label(name: str) -> str:
    """``name`` made into a DNS-1123 label (lowercase, ``-`` for anything else, 63 at most)."""
    label = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return label[:63].rstrip("-")


@dataclass
class SourceGroup:
    """A group being imported: its name, the folder it comes from (as messages show it), its
    apps, and where its layer and on/off state come from (an ApplicationSet's groups file;
    None: the import's default layer, on)."""

    name: str
    folder: str
    apps: list[Imported] = field(default_factory=list)
    plan: GroupPlan | None = None


@dataclass(frozen=True)
class Source:
    """One SRC of an import: a folder (or a file), how messages name it (the folder's name, or
    a file's folder and name), and the group of the files directly in it."""

    path: Path
    display: str
    default_group: str
    #: Whether ``default_group`` was given (``--group``) rather than the folder's name.
    group_option: bool = False


@dataclass(frozen=True)
class _Place:
    """Where the documents of one file go: the file (absolute), the group its folder gives
    (and that folder as messages show it), what named that group (for a note when the name is
    not a DNS label), and how messages name the file."""

    file: Path
    folder_group: str
    folder: str
    named_by: str
    #: How messages name the file.
    display: str


@dataclass
class Collection:
    """Everything collected from the SRCs."""

    converter: Converter
    allow_loss: bool
    findings: Findings = field(default_factory=Findings)
    groups: dict[str, SourceGroup] = field(default_factory=dict)
    apps: dict[str, tuple[Imported, str]] = field(default_factory=dict)
    projects: dict[str, Imported] = field(default_factory=dict)
    #: ApplicationSets, read into layers by :mod:`generator.adopt.appsets.convert`.
    appsets: list[SrcDoc] = field(default_factory=list)
    #: What --allow-loss let go (reported).
    allowed: list[Problem] = field(default_factory=list)
    #: Every Application read, in reading order, with where its file is (grouped by
    #: :func:`place_groups`).
    read: list[tuple[Imported, _Place]] = field(default_factory=list)

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


def _application(found: Collection, src: SrcDoc, place: _Place) -> None:
    entry, losses, more = found.converter.application(src)
    found.findings.warnings.extend(more.warnings)
    found.findings.notes.extend(more.notes)
    if not found.losses(src, losses, entry) or entry is None:
        return
    item = Imported("Application", entry["name"], entry, src.doc.data, src, bool(losses))
    seen = found.apps.get(item.name)
    if seen is None:
        found.apps[item.name] = (item, place.folder_group)
        found.read.append((item, place))
        return
    first, first_group = seen
    if differences(first.original, item.original):
        found.findings.errors.append(
            src.doc.problem(
                ("metadata", "name"),
                f'Application "{item.name}" is also defined, differently, at {first.where}; '
                "keep one of them",
                id="import-conflict",
            )
        )
    else:
        found.findings.note(
            src.doc.file,
            src.line,
            f'Application "{item.name}" is identical to the one at {first.where}: kept '
            f'once (in group "{first_group}")',
        )


def _project(found: Collection, src: SrcDoc) -> None:
    manifest, losses, more = project_manifest(found.converter, src)
    found.findings.warnings.extend(more.warnings)
    if not found.losses(src, losses, manifest) or manifest is None:
        return
    name = manifest["metadata"]["name"]
    item = Imported("AppProject", name, manifest, src.doc.data, src, bool(losses))
    first = found.projects.get(name)
    if first is None:
        found.projects[name] = item
    elif differences(first.original, item.original):
        found.findings.errors.append(
            src.doc.problem(
                ("metadata", "name"),
                f'AppProject "{name}" is also defined, differently, at {first.where}',
                id="import-conflict",
            )
        )
    else:
        found.findings.note(
            src.doc.file,
            src.line,
            f'AppProject "{name}" is identical to the one at {first.where}: kept once',
        )


def _kustomization(found: Collection, src: SrcDoc, data: dict[str, Any]) -> None:
    found.findings.skip(src, "Kustomization: the files it lists are read directly")
    extra = sorted(set(data) - _KUSTOMIZE_LISTING)
    if extra:
        found.findings.warnings.append(
            src.doc.problem(
                (extra[0],),
                f"this kustomization also changes what it lists ({', '.join(extra)}); the "
                "import reads the files as written, without it: check the imported apps",
                "warning",
                id="import-kustomization",
            )
        )


def _document(found: Collection, src: SrcDoc, place: _Place) -> None:
    data = src.doc.data
    if data is None:  # the document could not be built (an unsupported tag)
        found.losses(src, [Loss(p, "skip") for p in src.losses], None)
        return
    if not isinstance(data, dict):
        found.findings.skip(src, "not a mapping: not a Kubernetes object")
        return
    api, kind = kind_of(data)
    argo = api.startswith("argoproj.io/")
    if argo and kind in ("Application", "AppProject") and api != ARGO_API:
        problem = src.doc.problem(
            ("apiVersion",), f'unknown apiVersion "{api}" (want {ARGO_API})', id="import-skipped"
        )
        found.losses(src, [Loss(problem, "skip")], None)
    elif argo and kind == "Application":
        _application(found, src, place)
    elif argo and kind == "AppProject":
        _project(found, src)
    elif argo and kind == "ApplicationSet":
        found.appsets.append(src)
    elif kind == "Kustomization":
        _kustomization(found, src, data)
    elif not kind:
        found.findings.skip(src, "no kind: not a Kubernetes object")
    else:
        found.findings.skip(src, f"{kind}: not an Application or AppProject")


def _file(found: Collection, path: Path, display: str, place: _Place) -> None:
    """Read one file of a SRC and collect its documents."""
    read = read_file(path, display)
    if read.unreadable is not None:
        if found.allow_loss:
            found.allowed.append(read.unreadable)
            found.findings.skipped.append(
                (display, "cannot be read (--allow-loss): " + read.unreadable.message)
            )
        else:
            found.findings.losses.append(read.unreadable)
        return
    for document in read.documents:
        _document(found, document, place)


def _files(source: Source) -> list[_Place]:
    """Where the documents of each file of one SRC go."""
    direct = f"--group {source.default_group}" if source.group_option else source.display
    if source.path.is_file():
        folder = source.display.rsplit("/", 1)[0] + "/"
        return [_Place(source.path, source.default_group, folder, direct, source.display)]
    out = []
    for path, rel in source_files(source.path):
        display = f"{source.display}/{rel}"
        sub = rel.split("/", 1)[0] if "/" in rel else ""
        if sub:
            folder = f"{source.display}/{sub}"
            out.append(_Place(path, sub, folder + "/", folder, display))
        else:
            out.append(_Place(path, source.default_group, f"{source.display}/", direct, display))
    return out


def collect(sources: list[Source], converter: Converter, allow_loss: bool) -> Collection:
    """Every YAML/JSON document of the SRCs, converted and sorted (nothing raised for it);
    a file given twice (a SRC inside another) is read once."""
    found = Collection(converter, allow_loss)
    seen: set[Path] = set()
    for source in sources:
        for place in _files(source):
            if place.file.resolve() in seen:
                continue
            seen.add(place.file.resolve())
            _file(found, place.file, place.display, place)
    return found


def place_groups(found: Collection, plan: LayerPlan, repo_root: Path | None) -> None:
    """Sort the Applications read into groups: the group of an ApplicationSet whose folder
    holds the file, else the group of the file's folder under its SRC (a note for a folder
    name that had to be made a DNS label)."""
    renamed: dict[str, str] = {}
    for item, place in found.read:
        chosen, folder = None, place.folder
        if repo_root is not None and place.file.resolve().is_relative_to(repo_root):
            rel = place.file.resolve().relative_to(repo_root).as_posix()
            chosen = plan.group_of(rel)
            if chosen is not None:  # the group's folder, as messages name the file
                inside = rel.removeprefix(chosen.folder + "/")
                folder = place.display.removesuffix(inside)
        name = chosen.name if chosen is not None else dns_label(place.folder_group)
        if chosen is None and name != place.folder_group:
            renamed[place.folder_group] = place.named_by
        group = found.groups.get(name)
        if group is None:
            group = found.groups[name] = SourceGroup(name, folder, plan=chosen)
        group.apps.append(item)
        found.apps[item.name] = (item, name)
    for raw, where in sorted(renamed.items()):
        message = f'"{raw}" is not a DNS label: group named "{dns_label(raw)}"'
        found.findings.note(where, 0, message)
