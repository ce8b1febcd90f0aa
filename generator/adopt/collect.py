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
    """A group being imported: its name, the sub-folder of SRC it comes from, its apps."""

    name: str
    folder: str
    apps: list[Imported] = field(default_factory=list)


@dataclass
class Collection:
    """Everything collected from SRC."""

    converter: Converter
    allow_loss: bool
    findings: Findings = field(default_factory=Findings)
    groups: dict[str, SourceGroup] = field(default_factory=dict)
    apps: dict[str, tuple[Imported, str]] = field(default_factory=dict)
    projects: dict[str, Imported] = field(default_factory=dict)
    #: What --allow-loss let go (reported).
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

    @property
    def carried(self) -> int:
        """How many documents are imported so far."""
        return len(self.apps) + len(self.projects)


def _group_for(found: Collection, rel: str, default_group: str) -> SourceGroup:
    folder = rel.split("/", 1)[0] if "/" in rel else ""
    name = dns_label(folder or default_group)
    group = found.groups.get(name)
    if group is None:
        group = found.groups[name] = SourceGroup(name, folder)
    return group


def _application(found: Collection, src: SrcDoc, group: SourceGroup) -> None:
    entry, losses, more = found.converter.application(src)
    found.findings.warnings.extend(more.warnings)
    found.findings.notes.extend(more.notes)
    if not found.losses(src, losses, entry) or entry is None:
        return
    item = Imported("Application", entry["name"], entry, src.doc.data, src, bool(losses))
    seen = found.apps.get(item.name)
    if seen is None:
        found.apps[item.name] = (item, group.name)
        group.apps.append(item)
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


def _document(found: Collection, src: SrcDoc, group: SourceGroup) -> None:
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
        _application(found, src, group)
    elif argo and kind == "AppProject":
        _project(found, src)
    elif argo and kind == "ApplicationSet":
        found.findings.skip(
            src,
            "ApplicationSet: not imported (gen renders one per layer; import the Applications "
            "it generates instead)",
        )
    elif kind == "Kustomization":
        _kustomization(found, src, data)
    elif not kind:
        found.findings.skip(src, "no kind: not a Kubernetes object")
    else:
        found.findings.skip(src, f"{kind}: not an Application or AppProject")


def _file(found: Collection, path: Path, rel: str, display: str, default_group: str) -> None:
    """Read one file of SRC and collect its documents."""
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
    target = _group_for(found, rel, default_group)
    carried = found.carried
    for document in read.documents:
        _document(found, document, target)
    if read.comments and found.carried > carried:
        found.findings.note(
            display,
            read.comments[0],
            f"{len(read.comments)} comment line(s) not carried (comments are not part of "
            "the Application; the catalog notes where each app came from)",
        )


def collect(src: Path, default_group: str, converter: Converter, allow_loss: bool) -> Collection:
    """Every YAML/JSON document under ``src``, converted and sorted (nothing raised for it)."""
    found = Collection(converter, allow_loss)
    for path, rel in source_files(src):
        _file(found, path, rel, f"{src.name}/{rel}", default_group)
    for name, group in sorted(found.groups.items()):
        raw = group.folder or default_group
        if group.apps and raw != name:
            where = f"{src.name}/{group.folder}" if group.folder else f"--group {raw}"
            found.findings.note(where, 0, f'"{raw}" is not a DNS label: group named "{name}"')
    return found
