"""Smoke test of the benchmark harness on the small size, so that it cannot rot.

No timing is asserted: only that every scenario ran and exited as it should.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def harness() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run

        yield run
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_small_size_runs_every_scenario(harness: ModuleType, tmp_path: Path) -> None:
    size = harness.SIZES["small"]
    apps, measurements = harness.measure(size, 1, tmp_path)
    assert apps > 40
    exits = {m.scenario: m.exit_code for m in measurements}
    assert exits["gen check (clean)"] == 0
    assert exits["gen check (one feature flipped)"] == 1
    assert exits["gen render (cold, empty rendered/)"] == 0
    assert exits["gen render (nothing changed)"] == 0
    assert exits["gen render (one app changed)"] == 0
    assert exits["gen validate"] == 0
    table = harness.table([(size, apps, measurements)])
    assert "| small |" in table
    assert "gen check (clean)" in table
