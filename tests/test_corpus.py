"""The bad-input corpus: every class of mistake is caught with exit 2, an exact file:line message,
no traceback, and ``rendered/`` left byte for byte as it was.

Each case is a folder under tests/corpus/ holding the files that replace the base project's
(tests/corpus/_base/) and ``expected.txt``, the exact stderr of ``gen render``. A file named
``<name>.delete`` removes ``<name>`` from the base instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
DELETE = ".delete"


def build_case(case: Path, root: Path) -> None:
    """The base project with ``case``'s files laid over it, at ``root``."""
    shutil.copytree(BASE, root)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if not path.is_file() or rel.as_posix() == "expected.txt":
            continue
        if path.name.endswith(DELETE):
            (root / rel).with_name(path.name.removesuffix(DELETE)).unlink()
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, root / rel)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def base_rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """rendered/ as the valid base project renders it (what a case starts from)."""
    root = tmp_path_factory.mktemp("base") / "project"
    shutil.copytree(BASE, root)
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root / "rendered"


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 40


def test_base_project_is_valid(base_rendered: Path) -> None:
    assert len(snapshot(base_rendered)) == 33


@pytest.mark.parametrize("name", CASES)
def test_case(name: str, tmp_path: Path, base_rendered: Path) -> None:
    root = tmp_path / "project"
    build_case(CORPUS / name, root)
    shutil.copytree(base_rendered, root / "rendered")
    # A file of the user's own that gen must never touch, not even on success.
    (root / "rendered" / "NOTES.md").write_text("mine\n")
    before = snapshot(root / "rendered")

    result = CliRunner().invoke(main, ["render", "--root", str(root)])

    expected = (CORPUS / name / "expected.txt").read_text("utf-8")
    assert result.exit_code == 2, result.output
    assert result.stderr == expected
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(root / "rendered") == before
