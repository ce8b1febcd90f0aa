"""DOT output: quoting, edges to clusters, and Graphviz's ``dot`` accepting every graph."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator.graph.assemble import bringup_graph
from generator.graph.dot import dot_string, to_dot
from generator.graph.model import LEVELS
from generator.project.load import load_project

SMALL = Path(__file__).parent / "cases" / "small"


def test_strings_escape_backslashes_quotes_and_line_breaks() -> None:
    assert dot_string('a "b" \\N\nc') == '"a \\"b\\" \\\\N\\nc"'


def test_nodes_edges_and_styles_of_the_small_project() -> None:
    text = to_dot(bringup_graph(load_project(SMALL), "dev", "all"))
    lines = [line.strip() for line in text.splitlines()]
    assert lines[:3] == [
        "// gen graph --env dev --profile all -o dot: generated, do not edit.",
        "// Arrows run in bring-up order: requires solid, dependsOn dotted, wants dashed.",
        "digraph bringup {",
    ]
    assert [line for line in lines if "->" in line and not line.startswith("//")] == [
        '"group:certs" -> "group:gateway" [style="dotted", tooltip="gateway -> cert-manager"];',
        '"group:certs" -> "group:model" [style="solid", tooltip="model -> issuers"];',
        '"group:gateway" -> "group:model" [style="dashed", label="wants", '
        'tooltip="clients reach the model through the gateway"];',
        '"group:model" -> "group:assistant" [style="solid", color="#bbbbbb"];',
        '"group:secrets" -> "group:dns" [style="dotted", tooltip="external-dns -> secret-store"];',
    ]
    assert (
        '"group:assistant" [label="assistant\\noff: features.assistant = false", '
        'tooltip="The coding assistant. (features.assistant = false (config.yaml:5))", '
        'style="rounded,filled,dashed", fillcolor="#f4f4f4", color="#aaaaaa", '
        'fontcolor="#888888"];'
    ) in lines


def test_an_edge_to_a_group_box_ends_at_its_border() -> None:
    """At the apps level an enabled group is a cluster: the edge is drawn to its first app,
    clipped at the cluster (``lhead``/``ltail``, which ``compound=true`` turns on)."""
    text = to_dot(bringup_graph(load_project(SMALL), "dev", "all", "apps"))
    assert 'compound="true"' in text
    wants = next(line.strip() for line in text.splitlines() if 'label="wants"' in line)
    assert wants == (
        '"app:gateway" -> "app:model" [style="dashed", label="wants", tooltip="clients reach '
        'the model through the gateway", ltail="cluster_group:gateway", '
        'lhead="cluster_group:model"];'
    )
    manual = next(
        line.strip() for line in text.splitlines() if line.strip().startswith('"app:model"')
    )
    assert 'peripheries="2"' in manual  # the cost gate: a double border


@pytest.mark.parametrize("level", LEVELS)
def test_graphviz_accepts_every_graph(level: str, tmp_path: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")
    small, default = load_project(SMALL), load_project(REPO_ROOT)
    cases = [
        (small, "dev", "serving"),
        (small, "prod", "all"),
        (default, "ai-dev", "full"),
        (default, "prod", "serving"),
    ]
    for project, env, profile in cases:
        for enabled_only in (False, True):
            graph = bringup_graph(project, env, profile, level, enabled_only)  # type: ignore[arg-type]
            done = subprocess.run(
                [dot, "-Tsvg", "-o", str(tmp_path / "out.svg")],
                input=to_dot(graph),
                capture_output=True,
                text=True,
                check=False,
            )
            assert (done.returncode, done.stderr) == (0, ""), graph.command("dot")
            assert (tmp_path / "out.svg").read_text().startswith("<?xml")
