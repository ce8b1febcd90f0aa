#!/usr/bin/env python3
"""Bootstrap and run stagegen from a fresh clone with nothing but Python 3.11 and git.

    python3 dev.py render     # = gen render (creates .venv and installs on first use)
    python3 dev.py test       # the test suite (pytest)
    python3 dev.py lint       # ruff + mypy
    python3 dev.py <gen args> # any gen command, e.g. `python3 dev.py check`

The virtual environment lives in .venv/ and is reinstalled when pyproject.toml changes.
Standard library only: this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".stagegen-installed"


def _ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.create(VENV, with_pip=True)
    print("dev.py: installing stagegen and its test tools into .venv", file=sys.stderr)
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", ".[test]"],
        cwd=ROOT,
        check=True,
    )
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    """Run one verb; returns the exit code of what it ran."""
    _ensure_venv()
    python = str(BIN / "python")
    if argv[:1] == ["test"]:
        command = [python, "-m", "pytest", *argv[1:]]
    elif argv[:1] == ["lint"]:
        for step in ([python, "-m", "ruff", "check", "."], [python, "-m", "mypy"]):
            code = subprocess.run(step, cwd=ROOT, check=False).returncode
            if code:
                return code
        return 0
    else:
        command = [str(BIN / "gen"), *argv]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
