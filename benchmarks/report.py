"""The benchmark's report: the machine, the results table, the cold render beside its floor and
the peer, and issue 15's targets with whether each is met. Markdown, for benchmarks/README.md."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from measure import Measurement
from scenarios import ROOT, SizeResult, gen_python

README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
# "Stays flat" allows this much growth of the cost per Application: run-to-run noise.
FLAT_TOLERANCE = 1.10


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _output(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Machine:
    """What a reader needs to judge the numbers: where, when, on what, and how busy."""

    started: str
    description: str
    load_at_start: str

    @classmethod
    def now(cls) -> Machine:
        """Describe this machine and its load as the benchmark starts."""
        python = _output([gen_python(), "-c", "import platform; print(platform.python_version())"])
        commit = _output(["git", "rev-parse", "--short", "HEAD"])
        dirty = " (with uncommitted changes)" if _output(["git", "status", "--porcelain"]) else ""
        description = (
            f"{_cpu_model()}, {os.cpu_count()} CPUs, {platform.machine()}, "
            f"{platform.system()} {platform.release()}; gen on Python {python}, "
            f"commit {commit}{dirty}"
        )
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return cls(started, description, _load())


def _seconds(m: Measurement | None, value: Callable[[Measurement], float]) -> str:
    return f"{value(m):.3f}" if m is not None and m.samples else "-"


def results_table(results: list[SizeResult]) -> list[str]:
    """One row per scenario, floor and peer at every size."""
    lines = [
        "| size | apps | scenario | wall (s) | spread (s) | user (s) | sys (s) "
        "| CPU per app (ms) | peak RSS (MiB) | exit |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for m in r.measurements:
            head = f"| {r.size.name} | {r.applications:,} | {m.label} |"
            if not m.samples:
                lines.append(f"{head} {m.note} | | | | | | |")
                continue
            per_app = m.cpu / r.applications * 1000
            lines.append(
                f"{head} {m.wall:.3f} | {m.spread:.3f} | {m.user:.3f} | {m.sys:.3f} "
                f"| {per_app:.3f} | {m.peak_mib:.0f} | {m.exit_codes} |"
            )
    return lines


def cold_table(results: list[SizeResult]) -> list[str]:
    """The cold render beside the floor (the disk's share) and the peer (as a ratio)."""
    lines = [
        "| size | apps | cold render wall (s) | floor wall (s) | render minus floor (s) "
        "| render CPU (s) | floor CPU (s) | Kapitan wall (s) | Kapitan CPU (s) "
        "| ratio, wall | ratio, CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cold, floor, peer = r.get("render-cold"), r.get("floor"), r.get("peer")
        if cold is None or floor is None or not cold.samples or not floor.samples:
            continue
        wall_ratio = cpu_ratio = "-"
        if peer is not None and peer.samples:
            wall_ratio = f"{cold.wall / peer.wall:.2f}x"
            cpu_ratio = f"{cold.cpu / peer.cpu:.2f}x"
        lines.append(
            f"| {r.size.name} | {r.applications:,} | {cold.wall:.3f} | {floor.wall:.3f} "
            f"| {cold.wall - floor.wall:.3f} | {cold.cpu:.3f} | {floor.cpu:.3f} "
            f"| {_seconds(peer, lambda m: m.wall)} | {_seconds(peer, lambda m: m.cpu)} "
            f"| {wall_ratio} | {cpu_ratio} |"
        )
    return lines


@dataclass(frozen=True)
class Verdict:
    """One target of issue 15 against what was measured."""

    target: str
    measured: str
    met: str  # yes, no, or why it could not be judged


def _by_size(results: list[SizeResult], name: str) -> SizeResult | None:
    return next((r for r in results if r.size.name == name), None)


def _at_most(target: str, m: Measurement | None, value: float, limit: float, unit: str) -> Verdict:
    if m is None or not m.samples:
        return Verdict(target, m.note if m is not None else "not measured", "not measured")
    if not m.ok:
        return Verdict(target, f"{value:.3f} {unit}, exit {m.exit_codes}", "no (wrong exit code)")
    return Verdict(target, f"{value:.3f} {unit}", "yes" if value <= limit else "no")


def _measured(m: Measurement | None) -> Measurement | None:
    return m if m is not None and m.samples else None


def _wall(r: SizeResult | None, key: str, limit: float, target: str) -> Verdict:
    m = r.get(key) if r else None
    return _at_most(target, m, m.wall if m and m.samples else 0.0, limit, "s")


def verdicts(results: list[SizeResult]) -> list[Verdict]:
    """Every target of issue 15, judged on this run's medians."""
    small, medium, large = (_by_size(results, n) for n in ("small", "medium", "large"))
    cold = large.get("render-cold") if large else None
    user = cold.user if cold and cold.samples else 0.0
    return [
        _peer_ratio(medium),
        _at_most("10 x 1,000: cold render, user CPU ≤ 1.0 s", cold, user, 1.0, "s"),
        _wall(large, "check-flag", 0.5, "10 x 1,000: `gen check` after one flag flip ≤ 0.5 s"),
        _wall(large, "check-group", 0.5, "10 x 1,000: `gen check` after one group edit ≤ 0.5 s"),
        _wall(large, "check-clean", 0.3, "10 x 1,000: `gen check`, nothing changed ≤ 0.3 s"),
        _wall(small, "check-clean", 0.1, "`gen check` on the default repository ≤ 0.1 s"),
        _wall(small, "help", 0.1, "`gen --help` ≤ 0.1 s"),
        _peak(large),
        _cost_per_app(medium, large),
    ]


def _peer_ratio(medium: SizeResult | None) -> Verdict:
    target = "Cold render, 1 environment x 1,000 Applications: at most 0.1x Kapitan's wall time"
    cold = medium.get("render-cold") if medium else None
    peer = medium.get("peer") if medium else None
    if cold is None or peer is None:
        return Verdict(target, "not measured (needs --size medium --peer kapitan)", "not measured")
    if not peer.samples:
        return Verdict(target, peer.note, "not measured")
    return _at_most(target, cold, cold.wall / peer.wall if cold.samples else 0.0, 0.1, "x")


def _peak(large: SizeResult | None) -> Verdict:
    target = "Peak memory at 10,000 Applications (any `gen` scenario) ≤ 200 MiB"
    gens = [m for m in (large.measurements if large else ()) if m.samples]
    gens = [m for m in gens if m.key not in ("floor", "peer")]
    if not gens:
        return Verdict(target, "not measured", "not measured")
    worst = max(gens, key=lambda m: m.peak_mib)
    measured = f"{worst.peak_mib:.0f} MiB ({worst.label})"
    return Verdict(target, measured, "yes" if worst.peak_mib <= 200 else "no")


def _cost_per_app(medium: SizeResult | None, large: SizeResult | None) -> Verdict:
    target = (
        "Cost per Application (cold render, user+sys CPU) flat or falling from 1,000 to "
        f"10,000 Applications (flat: at most {FLAT_TOLERANCE:.2f}x)"
    )
    a = _measured(medium.get("render-cold")) if medium else None
    b = _measured(large.get("render-cold")) if large else None
    if a is None or b is None or medium is None or large is None:
        return Verdict(target, "not measured (needs --size medium --size large)", "not measured")
    per_a = a.cpu / medium.applications * 1000
    per_b = b.cpu / large.applications * 1000
    measured = f"{per_a:.3f} ms to {per_b:.3f} ms ({per_b / per_a:.2f}x)"
    return Verdict(target, measured, "yes" if per_b <= per_a * FLAT_TOLERANCE else "no")


def _noise_warning(machine: Machine, busy: int, total: int) -> list[str]:
    """A warning when other work loaded the machine: the benchmark itself keeps about one CPU
    busy, so a 1-minute load average above the number of CPUs means someone else was running."""
    loads = [float(machine.load_at_start.split()[0]), os.getloadavg()[0]]
    if max(loads) <= (os.cpu_count() or 1) and busy * 10 <= total:
        return []
    return [
        "",
        "**Noisy run**: other work loaded this machine (see the load average and the busy-disk "
        "count). Wall times, and any verdict or ratio based on them, are not reliable; CPU times "
        "are less affected. Re-record on a quiet machine.",
    ]


def report(results: list[SizeResult], machine: Machine, runs: int) -> str:
    """The whole results block."""
    busy = sum(m.busy_runs for r in results for m in r.measurements)
    total = sum(len(m.samples) for r in results for m in r.measurements)
    lines = [
        f"Recorded {machine.started} on {machine.description}. Load average (1 / 5 / 15 min) "
        f"at start {machine.load_at_start}, at end {_load()}. {runs} runs per scenario; "
        f"{busy} of {total} timed runs started while the disk was still busy with other work.",
        *_noise_warning(machine, busy, total),
        "",
        *results_table(results),
        "",
        "Cold render, the disk's share and the peer (medians; CPU is user+sys):",
        "",
        *cold_table(results),
        "",
        "Against the targets of issue 15 (medians of this run):",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
        *(f"| {v.target} | {v.measured} | {v.met} |" for v in verdicts(results)),
    ]
    return "\n".join(lines) + "\n"


def write_readme(text: str) -> None:
    """Replace the results block of benchmarks/README.md with ``text``."""
    readme = README.read_text()
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")
