"""Golden files: the default catalog's graphs, byte for byte (acceptance 3).

The files under golden/ are written by the code and reviewed, never edited by hand. After an
intended change (of the catalog, config.yaml or the graph code), regenerate them with
``UPDATE_GOLDEN=1 python3 dev.py test tests/graph/test_graph_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator.commands.graph import render_graph, run

GOLDEN = Path(__file__).parent / "golden"
#: golden file -> (environment, profile, level, output)
CASES = {
    "ai-dev-full-groups.mmd": ("ai-dev", "full", "groups", "mermaid"),
    "ai-dev-full-apps.mmd": ("ai-dev", "full", "apps", "mermaid"),
    "ai-dev-full-layers.mmd": ("ai-dev", "full", "layers", "mermaid"),
    "ai-dev-full-apps.dot": ("ai-dev", "full", "apps", "dot"),
    "ai-dev-full-apps.json": ("ai-dev", "full", "apps", "json"),
    "prod-full-groups.mmd": ("prod", "full", "groups", "mermaid"),
    "prod-serving-apps.mmd": ("prod", "serving", "apps", "mermaid"),
}
REFRESH = "UPDATE_GOLDEN=1 python3 dev.py test tests/graph/test_graph_golden.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    env, profile, level, output = CASES[name]
    text = render_graph(run(REPO_ROOT, env, profile, level).graph, output)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
    assert path.is_file(), f"{path} is missing: run {REFRESH}"
    assert text == path.read_text("utf-8"), f"{name} differs: review, then run {REFRESH}"


def test_every_golden_file_is_a_case() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(CASES)
