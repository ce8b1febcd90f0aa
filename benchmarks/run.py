"""Benchmark harness: whole ``gen`` processes timed on synthetic repositories, beside the floor
(plain Python writing the same files) and, on request, a peer (Kapitan).

    python benchmarks/run.py [--size medium] [--size large] [--runs N] [--peer kapitan] [--write]

The default repository (``small``) is always measured: two targets are read off it. Prints a
Markdown report (wall, user and sys CPU and peak RSS of each child from ``wait4``, medians and
spread over N runs; the floor; the peer as a ratio; the targets of issue 15 and whether each is
met); ``--write`` also records it in benchmarks/README.md. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Measurement
from peer import Peer, install_kapitan, measure_peer
from report import Machine, report, write_readme
from scenarios import SizeResult, Workspace, measure_size
from synth import SIZES

ORDER = ["small", "tiny", "medium", "large"]


def _sizes(requested: list[str] | None) -> list[str]:
    wanted = {"small", *(requested or [])}
    return [name for name in ORDER if name in wanted]


def run(sizes: list[str], runs: int, peer: Peer | None, workdir: Path) -> list[SizeResult]:
    """Measure every size in order; the peer only at synthetic sizes."""
    results = []
    for name in sizes:
        size = SIZES[name]
        print(f"benchmark: {name}", file=sys.stderr)

        def extra(ws: Workspace, applications: int) -> list[Measurement]:
            if peer is None or not ws.size.synthetic:
                return []
            return [measure_peer(peer, ws, runs, applications)]

        results.append(measure_size(Workspace(size, workdir / name), runs, extra))
    return results


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the sizes, print (and optionally record) the report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--size",
        action="append",
        choices=[n for n in ORDER if n != "small"],
        help="a synthetic size to measure besides the default repository (repeatable)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario (default 5)")
    parser.add_argument(
        "--peer",
        choices=["kapitan"],
        help="also time Kapitan (installed on first use into ~/.cache/stagegen-bench)",
    )
    parser.add_argument("--write", action="store_true", help="record in benchmarks/README.md")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    machine = Machine.now()
    peer = install_kapitan() if args.peer == "kapitan" else None
    if peer is not None and peer.problem:
        print(f"peer: Kapitan is not available: {peer.problem}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="stagegen-bench-") as tmp:
        results = run(_sizes(args.size), args.runs, peer, Path(tmp))
        text = report(results, machine, args.runs)
        print("benchmark: deleting the scratch folders", file=sys.stderr)
    print(text, end="")
    if args.write:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
