"""Golden-file tests: each case under fixtures/golden/ is a small project plus the exact tree
the generator must render for it (``expected/``).

To regenerate after an intended change, run ``UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py`` and review the diff of ``tests/fixtures/golden/*/expected`` before
committing: goldens are produced by the code, never edited by hand.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.project.load import load_project
from generator.render.templates import render_project

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "config.yaml").is_file())


def _expected(case: Path) -> dict[str, str]:
    folder = case / "expected"
    return {
        p.relative_to(folder).as_posix(): p.read_text("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    rendered = render_project(load_project(case))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(case / "expected", ignore_errors=True)
        for rel, text in rendered.items():
            target = case / "expected" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    expected = _expected(case)
    assert sorted(rendered) == sorted(expected), "the set of rendered files differs"
    for rel, text in expected.items():
        assert rendered[rel] == text, f"{name}/expected/{rel} differs"


def test_there_are_golden_cases() -> None:
    assert {"minimal", "cost-gate", "template-override"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_builtin_templates_write_exactly_their_documents(name: str) -> None:
    """Validation checks the objects the built-in templates emit instead of parsing their text
    back; that is sound only because the text reads back (as Kubernetes reads YAML) as exactly
    the object. Files of an overridden template have no object and are parsed instead."""
    import yaml

    from generator.render.templates import render_output

    output = render_output(load_project(GOLDEN / name))
    assert output.documents, "no file came from a built-in template"
    for rel, document in output.documents.items():
        assert yaml.safe_load(output.files[rel]) == document, rel
    overridden = set(output.files) - set(output.documents)
    expected = (
        {p for p in output.files if "/groups/" in p} if name == "template-override" else set()
    )
    assert overridden == expected
