"""``gen import SRC...``: adopt folders (or files) of hand-written Argo CD Applications,
AppProjects and the ApplicationSets that stage them, as one transaction.

The command only orchestrates (the domain is in :mod:`generator.adopt`): read every SRC
(:func:`~generator.adopt.collect.collect`), read the ApplicationSets into layers
(:mod:`generator.adopt.appsets.convert`), sort the Applications into groups, plan layers.yaml and
config.yaml (:mod:`generator.adopt.appsets.layers`) and the catalog files
(:mod:`generator.adopt.catalog`), build the project with them in memory (the snapshot plus the
new files: loaded, rendered and validated like ``gen render`` would; no copy of the project is
made), accept the owner's deliberate choices that build warns about
(:mod:`generator.adopt.staging`), build again, verify that every imported object renders
exactly as written (:mod:`generator.adopt.verify`), and only then write the files, staged and
moved into place: all of them, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.adopt.appsets.convert import LayerPlan, read_appsets
from generator.adopt.appsets.layers import LAYERS_PATH, LayersEdit, config_edits, plan_layers
from generator.adopt.catalog import Accepts, Written, catalog_files, clashes
from generator.adopt.collect import Collection, Source, collect, dns_label, place_groups
from generator.adopt.convert import Converter
from generator.adopt.sources import repo_root_of, sources_of
from generator.adopt.staging import accepts_for, at_sources
from generator.adopt.verify import round_trip, switched_off
from generator.core.errors import GenError, InputError, Problem, UsageError
from generator.core.layout import CONFIG_FILE
from generator.fs.inputs import Inputs, read_inputs
from generator.fs.staged import write_files
from generator.render.build import Build, build

__all__ = ["ImportFailed", "ImportResult", "Written", "dns_label", "run"]


@dataclass(frozen=True)
class ImportResult:
    """What ``gen import`` did and found."""

    srcs: list[str]
    layer: str
    files: list[Written]
    skipped: list[tuple[str, str]]
    warnings: list[Problem]
    notes: list[Problem]
    allowed_losses: list[Problem]
    written: list[str]
    #: The layers read from ApplicationSets, in order: (layer, groups, groups on).
    layers: list[tuple[str, int, int]] = field(default_factory=list)
    #: catalog/layers.yaml and config.yaml: "written" or "unchanged" each, when edited.
    edits: dict[str, str] = field(default_factory=dict)
    #: The warnings about imported objects the import accepted (``accept:`` entries written).
    accepted: list[Problem] = field(default_factory=list)

    @property
    def apps(self) -> int:
        """How many Applications were imported."""
        return sum(len(f.items) for f in self.files if f.kind == "group")


class ImportFailed(GenError):
    """The import cannot be done without losing something (or is invalid); nothing written."""


def _refuse_losses(found: Collection, names: str) -> None:
    findings = found.findings
    if findings.errors or findings.losses:
        hint = "; --allow-loss imports without what cannot be carried" if findings.losses else ""
        count = len(findings.errors) + len(findings.losses)
        raise ImportFailed(
            f"{count} problem(s) in {names}: nothing written{hint}",
            [*findings.errors, *findings.losses],
        )


def _staged(
    inputs: Inputs,
    texts: dict[str, str],
    planned: dict[str, tuple[Written, str]],
    found: Collection,
) -> Build:
    """The build of the project with the new files, in memory; its errors raised, said at the
    owner's files."""
    try:
        staged = build(inputs.replace({rel: text.encode("utf-8") for rel, text in texts.items()}))
    except InputError as exc:
        raise ImportFailed(
            f"the imported catalog would not load ({exc.message}); nothing written",
            at_sources(exc.problems, planned, found),
        ) from None
    if staged.errors:
        raise ImportFailed(
            "the imported catalog would not render valid output "
            f"({len(staged.errors)} problem(s)); nothing written",
            at_sources(staged.problems, planned, found, staged.project.config.rendered_dir),
        )
    return staged


def _appsets(found: Collection, plan: LayerPlan) -> None:
    """The ApplicationSets' losses and errors into the import's findings (with --allow-loss:
    what was left out, and the ApplicationSets skipped whole)."""
    found.findings.errors.extend(plan.errors)
    losses = [loss.problem for loss in plan.losses]
    if not found.allow_loss:
        found.findings.losses.extend(losses)
        return
    found.allowed.extend(losses)
    for src in found.appsets:
        skipped = [
            loss
            for loss in plan.losses
            if loss.action == "skip" and loss.problem.file == src.doc.file
        ]
        if skipped:
            found.findings.skip(
                src, "cannot be carried (--allow-loss): " + skipped[0].problem.message
            )


def _empty_groups(found: Collection, plan: LayerPlan) -> None:
    """A loss for each group an ApplicationSet makes whose folder gave no Application."""
    for group in plan.groups:
        if group.name in found.groups:
            continue
        file, _, line = group.where.rpartition(":")
        problem = Problem(
            file,
            int(line),
            0,
            "",
            f'group "{group.name}": no Application of its folder {group.folder} is among the SRCs '
            "(give that folder too)",
            id="import-skipped",
        )
        (found.allowed if found.allow_loss else found.findings.losses).append(problem)


def _taken(current: Build, found: Collection, order: Sequence[str]) -> set[str]:
    """The Application and AppProject names after the import (the root's must be free)."""
    project = current.project
    names = {app.name for group in project.groups.values() for app in group.apps}
    names |= set(found.apps) | set(found.projects) | set(project.projects) | set(order)
    return names | set(project.config.external_projects)


def _plan(
    current: Build, found: Collection, plan: LayerPlan, layer: str | None, force: bool
) -> LayersEdit:
    inputs = current.inputs
    used = {g.layer for g in current.project.groups.values() if g.name not in found.groups}
    used |= {p.layer for p in current.project.projects.values() if p.name not in found.projects}
    if layer is not None and any(g.plan is None and g.apps for g in found.groups.values()):
        used.add(layer)
    layers_text = inputs.files[LAYERS_PATH].decode("utf-8")
    edit = plan_layers(current.project, plan, layers_text, used, layer, force)
    if layer is not None and layer not in edit.order:
        raise UsageError(f"unknown layer {layer!r}; choose from: {', '.join(edit.order)}")
    config_text = inputs.files[CONFIG_FILE].decode("utf-8")
    config_edits(
        current.project, config_text, plan, _taken(current, found, edit.order), force, edit
    )
    if edit.conflicts:
        raise ImportFailed("the import disagrees with the project: nothing written", edit.conflicts)
    return edit


def _texts(
    current: Build, found: Collection, edit: LayersEdit, accepts: Accepts
) -> tuple[dict[str, tuple[Written, str]], dict[str, str]]:
    planned = catalog_files(current.project, found, edit.default_layer, edit.project_layer, accepts)
    texts = {rel: text for rel, (_, text) in planned.items()}
    texts.update(edit.texts)
    return planned, texts


def run(
    root: Path,
    srcs: Sequence[Path],
    layer: str | None = None,
    group: str | None = None,
    force: bool = False,
    allow_loss: bool = False,
    before_commit: Callable[[], None] | None = None,
    repo_root: Path | None = None,
) -> ImportResult:
    """Import the SRCs into the project at ``root``; write nothing unless all of it can be."""
    inputs = read_inputs(root)
    current = build(inputs)
    sources = sources_of(srcs, group)
    found = collect(sources, Converter(current.project.config.argocd_namespace), allow_loss)
    repo = repo_root_of(sources, repo_root) if found.appsets else None
    plan = read_appsets(found.appsets, repo, current.project.config.argocd_namespace)
    _appsets(found, plan)
    place_groups(found, plan, repo)
    _empty_groups(found, plan)
    _refuse_losses(found, ", ".join(s.display + ("/" if s.path.is_dir() else "") for s in sources))
    edit = _plan(current, found, plan, layer, force)
    planned, texts = _texts(current, found, edit, {})
    first = _staged(inputs, texts, planned, found)
    accepts = accepts_for(first.project, first.problems, found)
    if accepts:
        planned, texts = _texts(current, found, edit, accepts)
    clashing = clashes(inputs, planned, force)
    if clashing:
        raise ImportFailed("existing catalog files differ: nothing written", clashing)
    staged = _staged(inputs, texts, planned, found) if accepts else first
    mismatches = round_trip(staged, found)
    if mismatches:  # pragma: no cover - a gap in the catalog's long form, not user input
        raise ImportFailed(
            "the rendered Applications would differ from the originals: nothing written",
            mismatches,
        )
    written = write_files(root, texts, before_commit)
    return _result(sources, found, plan, edit, planned, texts, staged, written)


def _result(
    sources: Sequence[Source],
    found: Collection,
    plan: LayerPlan,
    edit: LayersEdit,
    planned: dict[str, tuple[Written, str]],
    texts: dict[str, str],
    staged: Build,
    written: list[str],
) -> ImportResult:
    warnings = [w for w in staged.problems if w.file in texts and w.severity == "warning"]
    off, off_notes = switched_off(staged.project, found)
    layers = []
    for name in plan.layers:
        groups = [g for g in plan.groups if g.layer == name]
        layers.append((name, len(groups), sum(1 for g in groups if g.enabled)))
    return ImportResult(
        srcs=[source.display for source in sources],
        layer=edit.default_layer,
        files=[
            Written(
                what.kind,
                what.name,
                what.file,
                what.items,
                "written" if rel in written else "unchanged",
            )
            for rel, (what, _) in planned.items()
        ],
        skipped=found.findings.skipped,
        warnings=sorted({*found.findings.warnings, *warnings, *off}),
        notes=sorted([*found.findings.notes, *edit.notes.notes, *off_notes]),
        allowed_losses=sorted(found.allowed),
        written=written,
        layers=layers,
        edits={rel: "written" if rel in written else "unchanged" for rel in edit.texts},
        accepted=sorted(i.problem for i in staged.accepted if i.acceptance.where.file in texts),
    )
