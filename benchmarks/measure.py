"""Timing one child process: wall time from the harness, CPU and peak memory from the kernel.

``os.wait4`` returns the resource usage of the child that was waited for, the way the kernel
accounts it: its own user and system CPU time plus that of every descendant it waited for (so
Kapitan's worker processes count towards Kapitan), and the largest resident set of any of them.
The harness's own work (set-up, parsing, sleeping) is never in these figures.

Standard library only: the harness runs under whatever ``python`` the reader has.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Set-up before a timed run (writing inputs, renaming rendered/ aside) and the previous run leave
# dirty pages and, on a filesystem mounted with ``discard``, pending discards of deleted blocks;
# file creation while the disk works through them is many times slower. Before each timed run the
# harness flushes and waits until the disk has completed no write or discard for QUIET_SECONDS
# (at most SETTLE_LIMIT_SECONDS: other programs may keep it busy), at least MIN_SETTLE_SECONDS.
QUIET_SECONDS = 0.3
MIN_SETTLE_SECONDS = 0.5
SETTLE_LIMIT_SECONDS = 5.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Sample:
    """One run of one child process."""

    wall: float  # seconds, from just before the fork to just after wait4 returned
    user: float  # seconds of user CPU (child plus the descendants it waited for)
    sys: float  # seconds of system CPU (same accounting)
    peak_mib: float  # largest resident set, MiB (ru_maxrss is in KiB on Linux)
    exit_code: int
    settled: float = 0.0  # seconds the harness waited for a quiet disk before the run

    @property
    def cpu(self) -> float:
        """User plus system CPU seconds."""
        return self.user + self.sys

    @property
    def disk_was_busy(self) -> bool:
        """The disk was still busy (with other programs' work) when the wait gave up."""
        return self.settled >= SETTLE_LIMIT_SECONDS


@dataclass(frozen=True)
class Measurement:
    """Repeated runs of one scenario: ``key`` is stable (targets refer to it), ``label`` is
    what the table shows."""

    key: str
    label: str
    samples: tuple[Sample, ...]
    note: str = ""  # why there are no samples, when there are none
    expected_exit: int = 0

    @property
    def ok(self) -> bool:
        """Measured, and every run exited as the scenario expects."""
        return bool(self.samples) and all(s.exit_code == self.expected_exit for s in self.samples)

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.wall for s in self.samples)

    @property
    def spread(self) -> float:
        """Largest minus smallest wall time in seconds: how noisy the runs were."""
        walls = [s.wall for s in self.samples]
        return max(walls) - min(walls)

    @property
    def user(self) -> float:
        """Median user CPU seconds."""
        return statistics.median(s.user for s in self.samples)

    @property
    def sys(self) -> float:
        """Median system CPU seconds."""
        return statistics.median(s.sys for s in self.samples)

    @property
    def cpu(self) -> float:
        """Median of user plus system CPU seconds."""
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mib(self) -> float:
        """Largest peak resident set over the runs, MiB."""
        return max(s.peak_mib for s in self.samples)

    @property
    def busy_runs(self) -> int:
        """Runs that started while the disk was still busy."""
        return sum(s.disk_was_busy for s in self.samples)

    @property
    def exit_codes(self) -> str:
        """The exit codes seen, e.g. ``0`` or ``0/1`` when the runs disagreed."""
        return "/".join(str(c) for c in sorted({s.exit_code for s in self.samples}))


def _disk_activity(device: int) -> tuple[int, ...] | None:
    """Completed writes and discards of the block device ``device`` (``st_dev``), from
    /proc/diskstats; None where that cannot be read."""
    try:
        lines = Path("/proc/diskstats").read_text().splitlines()
    except OSError:
        return None
    wanted = (str(os.major(device)), str(os.minor(device)))
    for line in lines:
        fields = line.split()
        if tuple(fields[:2]) == wanted:
            # fields[3:] are the counters: [4] writes completed, [11] discards completed
            counters = fields[3:]
            return (int(counters[4]), int(counters[11]) if len(counters) > 11 else 0)
    return None


def settle(folder: Path) -> float:
    """Flush dirty data and wait for the disk holding ``folder`` to go quiet; returns the
    seconds waited."""
    start = time.perf_counter()
    os.sync()
    device = folder.stat().st_dev
    last, quiet_since = _disk_activity(device), time.perf_counter()
    while True:
        time.sleep(POLL_SECONDS)
        now, current = time.perf_counter(), _disk_activity(device)
        if current != last:
            last, quiet_since = current, now
        waited = now - start
        if waited >= SETTLE_LIMIT_SECONDS:
            return waited
        if waited >= MIN_SETTLE_SECONDS and (current is None or now - quiet_since >= QUIET_SECONDS):
            return waited


def run_child(
    command: Sequence[str], cwd: Path, env: Mapping[str, str], settled: float = 0.0
) -> Sample:
    """Run ``command`` once with its output discarded; time it and read its rusage."""
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(
        wall=wall,
        user=usage.ru_utime,
        sys=usage.ru_stime,
        peak_mib=usage.ru_maxrss / 1024,
        exit_code=process.returncode,
        settled=settled,
    )


def user_environment(cache: Path) -> dict[str, str]:
    """The environment of a process as on a user's machine, with a private ``gen`` run cache.

    Some sandboxes set ``PYTHONDONTWRITEBYTECODE``, which would time the bytecode compiler on
    every run instead of the program; a user's Python writes its bytecode cache once.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("STAGEGEN_NO_CACHE", None)
    env["STAGEGEN_CACHE_DIR"] = str(cache)
    return env


# The floor: the least any Python program must spend to put these files on this disk. It starts
# an interpreter (as gen does), loads the bytes from one file, creates each folder once and writes
# each file with one call, into a folder that does not exist yet.
FLOOR_PROGRAM = """\
import marshal, os, sys
with open(sys.argv[1], "rb") as blob:
    files = marshal.load(blob)
root = sys.argv[2]
made = set()
for relative, data in files:
    folder = os.path.join(root, os.path.dirname(relative))
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    with open(os.path.join(root, relative), "wb") as out:
        out.write(data)
"""


def snapshot_tree(tree: Path, blob: Path) -> int:
    """Store every file under ``tree`` (relative path, bytes) in ``blob`` for the floor
    program; returns the number of files."""
    import marshal  # only the floor needs it

    files = sorted(
        (str(p.relative_to(tree)), p.read_bytes()) for p in tree.rglob("*") if p.is_file()
    )
    blob.write_bytes(marshal.dumps(files))
    return len(files)


def floor_command(python: str, blob: Path, target: Path) -> list[str]:
    """The command line of one floor run writing ``blob``'s files under ``target``."""
    return [python, "-I", "-c", FLOOR_PROGRAM, str(blob), str(target)]
