"""The benchmark harness (benchmarks/), so that it cannot rot and its numbers mean what they say.

No time is asserted: only that every scenario ran and exited as it should, that each edit is a
real one-change edit, that the floor writes the same files as ``gen render``, that the Kapitan
template writes the same Applications, and that the targets are judged as the table says.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


class Harness:
    """The harness's modules, imported the way run.py imports them (by bare name)."""

    def __init__(self) -> None:
        self.measure = importlib.import_module("measure")
        self.synth = importlib.import_module("synth")
        self.scenarios = importlib.import_module("scenarios")
        self.peer = importlib.import_module("peer")
        self.report = importlib.import_module("report")
        self.run = importlib.import_module("run")


@pytest.fixture
def harness(monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        loaded = Harness()
        # Waiting for a quiet disk matters for timings, not for what these tests check.
        monkeypatch.setattr(loaded.measure, "MIN_SETTLE_SECONDS", 0.0)
        monkeypatch.setattr(loaded.measure, "SETTLE_LIMIT_SECONDS", 0.01)
        yield loaded
    finally:
        sys.path.remove(str(BENCHMARKS))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_small_size_runs_every_scenario_and_the_floor(harness: Harness, tmp_path: Path) -> None:
    ws = harness.scenarios.Workspace(harness.synth.SIZES["small"], tmp_path / "small")
    result = harness.scenarios.measure_size(ws, 1)
    assert [m.key for m in result.measurements] == [
        "help",
        "check-clean",
        "check-flag",
        "check-group",
        "render-cold",
        "render-clean",
        "render-app",
        "render-group",
        "render-flag",
        "validate",
        "floor",
    ]
    assert {m.key: m.exit_codes for m in result.measurements if not m.ok} == {}
    assert result.get("check-flag").exit_codes == "1"
    assert result.applications > 40
    for m in result.measurements:
        (sample,) = m.samples
        assert sample.user > 0 and sample.wall > 0
        assert sample.peak_mib > 5  # the child's resident set, not zero
    (floor,) = tmp_path.glob("small/floor-*")
    assert _tree(floor) == _tree(ws.rendered)
    assert result.files == len(_tree(ws.rendered))

    machine = harness.report.Machine("2026-01-01 00:00 UTC", "a test machine", "0 / 0 / 0")
    text = harness.report.report([result], machine, 1)
    assert "| small | " in text and "| gen check (one group edited) | " in text
    assert f"floor: plain Python writes the same {result.files:,} files (fresh folder)" in text
    assert (
        "| Cold render, 1 environment x 1,000 Applications: at most 0.1x Kapitan's wall time "
        "| not measured (needs --size medium --peer kapitan) | not measured |"
    ) in text


def _check(harness: Harness, root: Path) -> int:
    command = [*harness.scenarios.gen_command(), "check"]
    env = harness.measure.user_environment(root.parent / "run-cache")
    return subprocess.run(command, cwd=root, env=env, capture_output=True, check=False).returncode


@pytest.mark.parametrize(
    ("size", "edits"),
    [
        ("small", [("flag_flip", range(5)), ("group_edit", [0]), ("app_change", [0])]),
        ("tiny", [("flag_flip", [0, 1]), ("group_edit", [0, 1]), ("app_change", [0, 1])]),
    ],
)
def test_every_edit_is_a_valid_change(
    harness: Harness, tmp_path: Path, size: str, edits: list[tuple[str, range | list[int]]]
) -> None:
    """Each run's edit applies, keeps the inputs valid and changes the output (check says 1)."""
    ws = harness.scenarios.Workspace(harness.synth.SIZES[size], tmp_path / size)
    ws.baseline()
    seen = set()
    for name, runs in edits:
        for run in runs:
            edit = getattr(harness.synth, name)(ws.size, run)
            ws.apply(edit)
            assert _check(harness, ws.root) == 1, (name, run)
            seen.add((edit.path, (ws.root / edit.path).read_text()))
            (ws.root / edit.path).write_text(ws.originals[edit.path])
    assert len(seen) == sum(len(runs) for _, runs in edits)  # no run repeats another's inputs
    assert _check(harness, ws.root) == 0


def _merge(into: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Reclass's merge, as far as the benchmark's inventory needs: maps merge, lists extend."""
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        else:
            into[key] = value
    return into


def test_kapitan_template_writes_the_same_applications(harness: Harness, tmp_path: Path) -> None:
    """The peer's template, rendered as Kapitan's jinja2 input renders it (trim_blocks,
    lstrip_blocks, StrictUndefined), gives the same documents as ``gen render``."""
    size = harness.synth.SIZES["tiny"]
    ws = harness.scenarios.Workspace(size, tmp_path / "tiny")
    ws.baseline()
    template = jinja2.Environment(
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    ).from_string(harness.peer.TEMPLATE.read_text())
    compared = 0
    for e in range(size.environments):
        target = harness.peer.target(size, e)
        parameters: dict[str, Any] = {}
        for g in range(size.groups):
            _merge(parameters, harness.peer.group_class(size, g)["parameters"])
        _merge(parameters, target["parameters"])
        for entry in parameters["kapitan"]["compile"]:
            params = entry["input_params"]
            text = template.render(inventory={"parameters": parameters}, input_params=params)
            ours = ws.rendered / harness.synth.environment(e) / f"{entry['output_path']}.yaml"
            assert yaml.safe_load(text) == yaml.safe_load(ours.read_text()), ours
            compared += 1
    assert compared == size.environments * size.groups * size.apps == 120


def _kapitan_installed(peer: ModuleType) -> bool:
    return bool((peer.cache_folder() / f"kapitan-{peer.KAPITAN_VERSION}" / ".installed").exists())


def test_kapitan_compiles_the_same_applications(harness: Harness, tmp_path: Path) -> None:
    """With Kapitan installed by the harness (``--peer kapitan``), the real ``kapitan compile``
    writes one file per app with the same documents. Skipped where it was never installed:
    the harness installs it only on request, and this test does not download it."""
    if not _kapitan_installed(harness.peer):
        pytest.skip("Kapitan not installed (python benchmarks/run.py --peer kapitan installs it)")
    size = harness.synth.SIZES["tiny"]
    ws = harness.scenarios.Workspace(size, tmp_path / "tiny")
    ws.baseline()
    measured = harness.peer.measure_peer(harness.peer.install_kapitan(), ws, 1, 120)
    assert measured.ok, measured.note
    runs = sorted(tmp_path.glob("tiny/kapitan-out-*"), key=lambda p: int(p.name.split("-")[-1]))
    timed = runs[-1]  # the first is the untimed warm-up
    compiled = timed / "compiled"
    outputs = sorted(compiled.rglob("app.yaml"))
    assert len(outputs) == 120
    for output in outputs:
        env, _, group, app = output.relative_to(compiled).parts[:4]
        ours = ws.rendered / env / "groups" / group / f"{app}.yaml"
        assert yaml.safe_load(output.read_text()) == yaml.safe_load(ours.read_text()), output


def _measurement(harness: Harness, key: str, wall: float, cpu: float, code: int = 0) -> Any:
    sample = harness.measure.Sample(wall=wall, user=cpu, sys=0.0, peak_mib=100.0, exit_code=code)
    expected = 1 if key.startswith("check-") and key != "check-clean" else 0
    return harness.measure.Measurement(key, key, (sample,), expected_exit=expected)


def test_targets_are_judged_on_the_medians(harness: Harness) -> None:
    sizes = harness.synth.SIZES

    def m(key: str, wall: float, cpu: float, code: int = 0) -> Any:
        return _measurement(harness, key, wall, cpu, code)

    result = harness.scenarios.SizeResult
    small = result(sizes["small"], 44, 88, (m("help", 0.05, 0.04), m("check-clean", 0.2, 0.1)))
    medium = result(sizes["medium"], 1000, 1022, (m("render-cold", 0.5, 1.0), m("peer", 10.0, 9.0)))
    large = result(
        sizes["large"],
        10000,
        10220,
        (
            m("render-cold", 3.0, 12.0),
            m("check-flag", 0.4, 0.3, 3),
            m("check-group", 0.4, 0.3, 1),
            m("check-clean", 0.25, 0.2),
        ),
    )
    got = [(v.measured, v.met) for v in harness.report.verdicts([small, medium, large])]
    assert got == [
        ("0.050 x", "yes"),
        ("12.000 s", "no"),
        ("0.400 s, exit 3", "no (wrong exit code)"),
        ("0.400 s", "yes"),
        ("0.250 s", "yes"),
        ("0.200 s", "no"),
        ("0.050 s", "yes"),
        ("100 MiB (render-cold)", "yes"),
        ("1.000 ms to 1.200 ms (1.20x)", "no"),
    ]


def test_peer_that_could_not_be_installed_is_reported(harness: Harness) -> None:
    sizes = harness.synth.SIZES
    cold = _measurement(harness, "render-cold", 0.5, 1.0)
    peer = harness.measure.Measurement("peer", "peer", (), "not measured: pip failed")
    medium = harness.scenarios.SizeResult(sizes["medium"], 1000, 1022, (cold, peer))
    (first, *_) = harness.report.verdicts([medium])
    assert (first.measured, first.met) == ("not measured: pip failed", "not measured")
    assert "| medium | 1,000 | peer | not measured: pip failed |" in "\n".join(
        harness.report.results_table([medium])
    )


def test_write_replaces_only_the_results_block(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- results:begin -->\nold\n<!-- results:end -->\nafter\n")
    monkeypatch.setattr(harness.report, "README", readme)
    harness.report.write_readme("new\n")
    assert readme.read_text() == "intro\n<!-- results:begin -->\nnew\n<!-- results:end -->\nafter\n"


def test_default_repository_is_always_measured(harness: Harness) -> None:
    assert harness.run._sizes(["large", "medium"]) == ["small", "medium", "large"]
    assert harness.run._sizes(None) == ["small"]


def test_a_loaded_machine_is_called_noisy(harness: Harness) -> None:
    quiet = harness.report.Machine("2026-01-01 00:00 UTC", "a test machine", "0.00 / 0 / 0")
    loaded = harness.report.Machine("2026-01-01 00:00 UTC", "a test machine", "99.00 / 0 / 0")
    assert harness.report._noise_warning(loaded, 0, 10)[1].startswith("**Noisy run**")
    assert harness.report._noise_warning(quiet, 5, 10)[1].startswith("**Noisy run**")
