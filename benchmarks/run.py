"""Benchmark harness: whole-process timings of ``gen`` on synthetic repositories.

    python benchmarks/run.py --size small|medium|large [--runs N] [--write]

Prints a Markdown table (median and spread of wall time, peak RSS from the OS, per-app cost);
``--write`` also records it in benchmarks/README.md. Nothing here asserts a time: the table is
the result, and the issue's targets are read off it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import SIZES, Size, change_one_app, flip_feature, make_repository

ROOT = Path(__file__).resolve().parents[1]
README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


@dataclass(frozen=True)
class Measurement:
    """Wall times (seconds) and peak RSS (MiB) of repeated runs of one scenario."""

    scenario: str
    times: list[float]
    peak_mib: float
    exit_code: int

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(self.times)

    @property
    def spread(self) -> float:
        """Max minus min wall time in seconds."""
        return max(self.times) - min(self.times)


def _gen() -> list[str]:
    found = shutil.which("gen")
    venv = ROOT / ".venv" / "bin" / "gen"
    if venv.exists():
        return [str(venv)]
    return [found] if found else [sys.executable, "-m", "generator"]


def _environment(cache: Path) -> dict[str, str]:
    """A user's environment: bytecode written as usual (some sandboxes turn it off, which
    would time the compiler instead of gen), and a private run cache for the benchmark."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("STAGEGEN_NO_CACHE", None)
    env["STAGEGEN_CACHE_DIR"] = str(cache)
    return env


def _timed(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run once; wall time, peak RSS in MiB (from wait4), exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(cwd.parent / "cache"),
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def _quiesce() -> None:
    """Let the disk finish what the set-up started (writes, and the discards of deleted files
    on a filesystem mounted with ``discard``) so it is not charged to the timed run."""
    os.sync()
    time.sleep(0.5)


def _scenario(
    name: str,
    args: list[str],
    root: Path,
    runs: int,
    before: Callable[[], None],
    after: Callable[[], None] = lambda: None,
) -> Measurement:
    times, peaks, code = [], [], 0
    for _ in range(runs):
        before()
        _quiesce()
        elapsed, peak, code = _timed([*_gen(), *args], root)
        after()
        times.append(elapsed)
        peaks.append(peak)
    return Measurement(name, times, max(peaks), code)


def measure(size: Size, runs: int, workdir: Path) -> tuple[int, list[Measurement]]:
    """All scenarios for one size; returns the number of Applications and the measurements."""
    root = make_repository(size, workdir / size.name, ROOT)
    rendered = root / "rendered"
    render = ["render"]

    def fresh() -> None:
        subprocess.run(
            [*_gen(), *render],
            cwd=root,
            capture_output=True,
            check=True,
            env=_environment(root.parent / "cache"),
        )

    trash = workdir / "trash"
    trash.mkdir(exist_ok=True)

    def cold() -> None:
        # Set rendered/ aside rather than deleting 10,000 files around the timed runs: mass
        # deletion keeps this machine's disk busy for seconds afterwards (see README).
        if rendered.exists():
            rendered.rename(trash / str(len(list(trash.iterdir()))))

    def one_app_changed() -> None:
        fresh()
        change_one_app(root, size)

    fresh()
    apps = sum(1 for p in rendered.glob("*/groups/*/*.yaml"))
    results = [
        _scenario("gen check (clean)", ["check"], root, runs, lambda: None),
        _scenario(
            "gen check (one feature flipped)",
            ["check"],
            root,
            runs,
            lambda: flip_feature(root, size),
            lambda: flip_feature(root, size),
        ),
        _scenario("gen render (cold, empty rendered/)", render, root, runs, cold),
        _scenario("gen render (nothing changed)", render, root, runs, fresh),
        _scenario(
            "gen render (one app changed)",
            render,
            root,
            runs,
            one_app_changed,
        ),
    ]
    results.append(_scenario("gen validate", ["validate"], root, runs, lambda: None))
    shutil.rmtree(trash, ignore_errors=True)
    return apps, results


def table(rows: list[tuple[Size, int, list[Measurement]]]) -> str:
    """The Markdown results table."""
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}; date {date.today().isoformat()}.",
        "",
        "| size | apps | scenario | median (s) | spread (s) | per app (ms) | peak RSS (MiB) "
        "| exit |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, apps, measurements in rows:
        for m in measurements:
            per_app = m.median / apps * 1000 if apps else 0.0
            lines.append(
                f"| {size.name} | {apps} | {m.scenario} | {m.median:.3f} | {m.spread:.3f} | "
                f"{per_app:.3f} | {m.peak_mib:.0f} | {m.exit_code} |"
            )
    return "\n".join(lines) + "\n"


def write_readme(text: str) -> None:
    """Replace the results block of benchmarks/README.md with ``text``."""
    readme = README.read_text()
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the sizes, print (and optionally record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES), required=True)
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    parser.add_argument("--write", action="store_true", help="record in benchmarks/README.md")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="stagegen-bench-") as tmp:
        for name in args.size:
            size = SIZES[name]
            apps, measurements = measure(size, args.runs, Path(tmp))
            rows.append((size, apps, measurements))
    text = table(rows)
    print(text, end="")
    if args.write:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
