"""The scenarios timed at each size, and the floor: what runs, from which starting state.

Every timed run starts from the same baseline: the inputs as generated and ``rendered/`` rendered
from them (by an untimed ``gen render``, which also leaves ``gen``'s run cache as the everyday
loop does). A scenario then applies its one edit, or sets ``rendered/`` aside, and times one
``gen`` process. Edits differ from run to run (another flag, another namespace), so no timed run
sees inputs an earlier one has seen. Nothing is deleted until the whole benchmark is over:
deleting thousands of files keeps this kind of disk busy for seconds (see README.md).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import (
    Measurement,
    Sample,
    floor_command,
    run_child,
    settle,
    snapshot_tree,
    user_environment,
)
from synth import Edit, Size, app_change, flag_flip, group_edit, make_repository

ROOT = Path(__file__).resolve().parents[1]


def gen_command() -> list[str]:
    """How to start ``gen``: the project's .venv, else ``gen`` on PATH, else this Python."""
    venv = ROOT / ".venv" / "bin" / "gen"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("gen")
    return [found] if found else [sys.executable, "-m", "generator"]


def gen_python() -> str:
    """The interpreter ``gen`` runs on (the floor uses the same one)."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@dataclass(frozen=True)
class Scenario:
    """One timed ``gen`` invocation: its arguments, and what changes before it."""

    key: str
    label: str
    args: tuple[str, ...]
    edit: Callable[[Size, int], Edit] | None = None
    cold: bool = False  # rendered/ set aside and an empty run cache: a fresh clone's first render
    expected_exit: int = 0  # `gen check` after an edit must say "stale" (1)


SCENARIOS = (
    Scenario("check-clean", "gen check (nothing changed)", ("check",)),
    Scenario("check-flag", "gen check (one flag flipped)", ("check",), flag_flip, expected_exit=1),
    Scenario(
        "check-group", "gen check (one group edited)", ("check",), group_edit, expected_exit=1
    ),
    Scenario(
        "render-cold", "gen render (cold: no rendered/, no run cache)", ("render",), cold=True
    ),
    Scenario("render-clean", "gen render (nothing changed)", ("render",)),
    Scenario("render-app", "gen render (one app changed)", ("render",), app_change),
    Scenario("render-group", "gen render (one group edited)", ("render",), group_edit),
    Scenario("render-flag", "gen render (one flag flipped)", ("render",), flag_flip),
    Scenario("validate", "gen validate", ("validate",)),
)
HELP = Scenario("help", "gen --help", ("--help",))


@dataclass
class Workspace:
    """A synthetic repository and the scratch space of one size's benchmark."""

    size: Size
    work: Path  # everything of this size lives here; deleted with the whole benchmark
    root: Path = field(init=False)
    originals: dict[str, str] = field(init=False)
    _made: int = 0

    def __post_init__(self) -> None:
        self.root = make_repository(self.size, self.work / "repository", ROOT)
        edits = [make(self.size, 0) for make in (flag_flip, group_edit, app_change)]
        self.originals = {e.path: (self.root / e.path).read_text() for e in edits}

    @property
    def rendered(self) -> Path:
        """The repository's output folder."""
        return self.root / "rendered"

    def fresh_path(self, stem: str) -> Path:
        """A path under the scratch space that does not exist yet."""
        self._made += 1
        return self.work / f"{stem}-{self._made}"

    def environment(self, cache: Path | None = None) -> dict[str, str]:
        """A user's environment with the size's run cache (or ``cache``)."""
        return user_environment(cache or self.work / "run-cache")

    def baseline(self) -> None:
        """Put the inputs back as generated and render them (untimed)."""
        for relative, text in self.originals.items():
            path = self.root / relative
            if path.read_text() != text:
                path.write_text(text)
        subprocess.run(
            [*gen_command(), "render"],
            cwd=self.root,
            env=self.environment(),
            capture_output=True,
            check=True,
        )

    def apply(self, edit: Edit) -> None:
        """Apply one edit to the original text of its file."""
        (self.root / edit.path).write_text(edit.apply(self.originals[edit.path]))

    def set_aside(self, path: Path) -> None:
        """Move ``path`` out of the way without deleting it."""
        path.rename(self.fresh_path("set-aside"))


def run_scenario(ws: Workspace, scenario: Scenario, runs: int) -> Measurement:
    """Time ``runs`` runs of one scenario, each from the baseline."""
    samples: list[Sample] = []
    for run in range(runs):
        ws.baseline()
        env = ws.environment()
        if scenario.edit is not None:
            ws.apply(scenario.edit(ws.size, run))
        if scenario.cold:
            ws.set_aside(ws.rendered)
            env = ws.environment(ws.fresh_path("empty-run-cache"))
        settled = settle(ws.work)
        samples.append(run_child([*gen_command(), *scenario.args], ws.root, env, settled))
    ws.baseline()
    return Measurement(
        scenario.key, scenario.label, tuple(samples), expected_exit=scenario.expected_exit
    )


def run_floor(ws: Workspace, runs: int) -> Measurement:
    """Plain Python writing the baseline's files into a fresh folder, ``runs`` times."""
    ws.baseline()
    blob = ws.work / "floor.marshal"
    files = snapshot_tree(ws.rendered, blob)
    samples: list[Sample] = []
    for _ in range(runs):
        settled = settle(ws.work)
        target = ws.fresh_path("floor")
        command = floor_command(gen_python(), blob, target)
        samples.append(run_child(command, ws.work, ws.environment(), settled))
    label = f"floor: plain Python writes the same {files:,} files (fresh folder)"
    return Measurement("floor", label, tuple(samples))


def count_applications(rendered: Path) -> int:
    """Applications in ``rendered/``: one file per app under ``<env>/groups/<group>/``."""
    return sum(1 for _ in rendered.glob("*/groups/*/*.yaml"))


def count_files(tree: Path) -> int:
    """Files under ``tree``."""
    return sum(1 for p in tree.rglob("*") if p.is_file())


@dataclass(frozen=True)
class SizeResult:
    """Everything measured at one size."""

    size: Size
    applications: int
    files: int
    measurements: tuple[Measurement, ...]

    def get(self, key: str) -> Measurement | None:
        """The measurement with ``key``, if it was taken."""
        return next((m for m in self.measurements if m.key == key), None)


def measure_size(
    ws: Workspace,
    runs: int,
    extra: Callable[[Workspace, int], list[Measurement]] = lambda _ws, _apps: [],
) -> SizeResult:
    """All scenarios at one size, then the floor, then ``extra`` (the peer, when asked)."""
    ws.baseline()
    applications = count_applications(ws.rendered)
    files = count_files(ws.rendered)
    scenarios = SCENARIOS if ws.size.synthetic else (HELP, *SCENARIOS)
    measurements = [run_scenario(ws, s, runs) for s in scenarios]
    measurements.append(run_floor(ws, runs))
    measurements.extend(extra(ws, applications))
    return SizeResult(ws.size, applications, files, tuple(measurements))
