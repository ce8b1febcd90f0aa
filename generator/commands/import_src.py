"""``gen import SRC``: adopt a folder of hand-written Argo CD Applications into the catalog.

The command only orchestrates (the domain is in :mod:`generator.adopt`): read and convert SRC
(:func:`~generator.adopt.collect.collect`), plan the catalog files
(:mod:`generator.adopt.catalog`), build the project with them in memory (the snapshot plus the
new files: loaded, rendered and validated like ``gen render`` would; no copy of the project is
made), verify that every imported object renders exactly as written
(:mod:`generator.adopt.verify`), and only then write the files, staged and moved into place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.adopt.catalog import Written, catalog_files, clashes
from generator.adopt.collect import Collection, collect, dns_label
from generator.adopt.convert import Converter
from generator.adopt.verify import round_trip, switched_off
from generator.core.errors import GenError, InputError, Problem, UsageError
from generator.fs.inputs import Inputs, read_inputs
from generator.fs.staged import write_files
from generator.render.build import Build, build

__all__ = ["ImportFailed", "ImportResult", "Written", "dns_label", "run"]


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


def _refuse_losses(found: Collection, src: Path) -> None:
    findings = found.findings
    if findings.errors or findings.losses:
        hint = "; --allow-loss imports without what cannot be carried" if findings.losses else ""
        count = len(findings.errors) + len(findings.losses)
        raise ImportFailed(
            f"{count} problem(s) in {src.name}/: nothing written{hint}",
            [*findings.errors, *findings.losses],
        )


def _staged(inputs: Inputs, texts: dict[str, str]) -> Build:
    """The build of the project with the new files, in memory; its errors raised."""
    try:
        staged = build(inputs.replace({rel: text.encode("utf-8") for rel, text in texts.items()}))
    except InputError as exc:
        raise ImportFailed(
            f"the imported catalog would not load ({exc.message}); nothing written",
            exc.problems,
        ) from None
    if staged.errors:
        raise ImportFailed(
            "the imported catalog would not render valid output "
            f"({len(staged.errors)} problem(s)); nothing written",
            staged.problems,
        )
    return staged


def _arguments(
    current: Build, src: Path, layer: str | None, group: str | None
) -> tuple[Path, str, str]:
    """SRC (resolved), the layer and the default group, checked."""
    src = src.resolve()
    if not src.is_dir():
        raise UsageError(f"{src} is not a folder")
    order = current.project.layers.order
    if layer is None:
        layer = order[0]
    elif layer not in order:
        raise UsageError(f"unknown layer {layer!r}; choose from: {', '.join(order)}")
    default_group = group if group is not None else src.name
    if not dns_label(default_group):
        raise UsageError(f"{default_group!r} cannot be made into a group name; pass --group NAME")
    return src, layer, default_group


def _status(rel: str, written: list[str]) -> str:
    return "written" if rel in written else "unchanged"


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
    inputs = read_inputs(root)
    current = build(inputs)
    src, layer, default_group = _arguments(current, src, layer, group)
    converter = Converter(current.project.config.argocd_namespace)
    found = collect(src, default_group, converter, allow_loss)
    _refuse_losses(found, src)
    planned = catalog_files(current.project, found, layer, src.name)
    clashing = clashes(inputs, planned, force)
    if clashing:
        raise ImportFailed("existing catalog files differ: nothing written", clashing)
    texts = {rel: text for rel, (_, text) in planned.items()}
    staged = _staged(inputs, texts)
    mismatches = round_trip(staged, found)
    if mismatches:  # pragma: no cover - a gap in the catalog's long form, not user input
        raise ImportFailed(
            "the rendered Applications would differ from the originals: nothing written",
            mismatches,
        )
    warnings = [w for w in staged.project.warnings if w.file in texts]
    warnings.extend(switched_off(staged.project, found))
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
        skipped=found.findings.skipped,
        warnings=sorted([*found.findings.warnings, *warnings]),
        notes=sorted(found.findings.notes),
        allowed_losses=sorted(found.allowed),
        written=written,
    )
