"""What ``gen import`` finds besides what it imports: losses (and what ``--allow-loss`` does
about each), warnings, notes and skipped documents, and the imported objects themselves."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.adopt.read import SrcDoc
from generator.core.errors import Problem

Path_ = tuple[str | int, ...]
#: What ``--allow-loss`` does about a loss: keep the value as read, leave out the catalog field
#: at the path given, or skip the whole document.
Action = Literal["keep", "drop", "skip"]


@dataclass(frozen=True)
class Loss:
    """Something that cannot be carried exactly, and what ``--allow-loss`` does about it."""

    problem: Problem
    action: Action = "keep"
    drop: Path_ = ()

    def __post_init__(self) -> None:
        # Every loss is one of two findings; the id follows from what is done about it.
        if not self.problem.id:
            found = "import-skipped" if self.action == "skip" else "import-cannot-carry"
            object.__setattr__(self, "problem", dataclasses.replace(self.problem, id=found))


@dataclass
class Findings:
    """Everything an import reports besides what it imports."""

    errors: list[Problem] = field(default_factory=list)
    losses: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, src: SrcDoc, reason: str) -> None:
        """List a document as skipped: ``file:line`` and why."""
        self.skipped.append((f"{src.doc.file}:{src.line}", reason))

    def note(self, file: str, line: int, message: str, key: str = "") -> None:
        """An informational note (a rename, a duplicate kept once...)."""
        self.notes.append(Problem(file, line, 0, key, message, "warning", "import-note"))


@dataclass(frozen=True)
class Imported:
    """One Application or AppProject carried into the catalog."""

    kind: Literal["Application", "AppProject"]
    name: str
    #: The catalog entry: an app of a group file, or the ``manifest`` of a project file.
    entry: dict[str, Any]
    #: The document as read from SRC (what the rendered object must equal).
    original: dict[str, Any]
    src: SrcDoc
    #: Whether a loss was allowed on it (then it is not expected to round-trip exactly).
    lossy: bool

    @property
    def where(self) -> str:
        """``file:line`` of the document in SRC."""
        return f"{self.src.doc.file}:{self.src.line}"


def kind_of(data: Any) -> tuple[str, str]:
    """``(apiVersion, kind)`` of a parsed document ("" when missing or not text)."""
    if not isinstance(data, dict):
        return "", ""
    api, kind = data.get("apiVersion"), data.get("kind")
    return (api if isinstance(api, str) else "", kind if isinstance(kind, str) else "")


def apply_losses(entry: dict[str, Any], losses: list[Loss]) -> bool:
    """Leave out what ``--allow-loss`` drops; False when the document must be skipped."""
    if any(loss.action == "skip" for loss in losses):
        return False
    for loss in sorted(
        (loss for loss in losses if loss.action == "drop"), key=lambda x: x.drop, reverse=True
    ):
        _delete(entry, loss.drop)
    return True


def _delete(value: Any, path: Path_) -> None:
    *parents, last = path
    for part in parents:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(value, dict):
        value.pop(last, None)
    elif isinstance(value, list) and isinstance(last, int) and last < len(value):
        del value[last]
