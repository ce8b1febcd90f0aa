"""JSON output: valid against the JSON Schema documented in docs/output.md, at every level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT
from jsonschema import Draft202012Validator

from generator.commands.graph import render_graph
from generator.graph.assemble import bringup_graph
from generator.graph.highlight import highlight
from generator.graph.model import LEVELS, MARKS, Cluster, Graph, Node
from generator.plan.changes import AppState, Changes
from generator.project.load import load_project

SMALL = Path(__file__).parent / "cases" / "small"


def documented_schema() -> dict[str, Any]:
    """The ```json block of docs/output.md titled "gen graph -o json"."""
    text = (REPO_ROOT / "docs" / "output.md").read_text()
    blocks = [block.split("```", 1)[0] for block in text.split("```json\n")[1:]]
    [schema] = [block for block in blocks if '"title": "gen graph -o json"' in block]
    data: dict[str, Any] = json.loads(schema)
    return data


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = documented_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(validator: Draft202012Validator, graph: Graph) -> list[str]:
    document = json.loads(render_graph(graph, "json"))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_schema_names_every_mark() -> None:
    marks = documented_schema()["$defs"]["marks"]["items"]["enum"]
    assert marks == list(MARKS)


@pytest.mark.parametrize("level", LEVELS)
def test_every_graph_is_valid(validator: Draft202012Validator, level: str) -> None:
    small, default = load_project(SMALL), load_project(REPO_ROOT)
    for project, env, profile in (
        (small, "dev", "serving"),
        (small, "prod", "all"),
        (default, "ai-dev", "full"),
        (default, "prod", "platform"),
    ):
        for enabled_only in (False, True):
            graph = bringup_graph(project, env, profile, level, enabled_only)  # type: ignore[arg-type]
            assert errors(validator, graph) == [], graph.command("json")


def _state(name: str, role: str, layer: str, group: str, sync: str = "auto") -> AppState:
    return AppState(name, role, layer, group, sync, {}, f"rendered/dev/{name}.yaml")  # type: ignore[arg-type]


def test_a_highlighted_graph_is_valid_and_draws_back_what_is_removed(
    validator: Draft202012Validator,
) -> None:
    """A push that creates model-ui, prunes model-v1, and prunes group legacy with the layer it
    was in: what the catalog no longer has is drawn back where it was, marked removed."""
    graph = bringup_graph(load_project(SMALL), "dev", "all", "apps")
    changes = Changes(
        environment="dev",
        profile="all",
        layers_before=("base", "serving", "edge", "old"),
        layers_after=("base", "serving", "edge"),
        created=(_state("model-ui", "workload", "serving", "model"),),
        pruned=(
            _state("group-legacy", "group", "old", "legacy"),
            _state("legacy-app", "workload", "old", "legacy", "manual"),
            _state("model-v1", "workload", "serving", "model"),
        ),
        changed=(),
        unchanged=9,
    )
    marked = highlight(graph, changes, "HEAD", "0" * 40, "")
    assert errors(validator, marked) == []
    items: list[Cluster | Node] = [*marked.clusters, *marked.nodes]
    summary = {item.id: (item.label[-1], item.marks) for item in items}
    assert summary["app:model-ui"] == ("added by the push", ("added",))
    assert summary["group:model"] == ("changed by the push", ("changed",))
    assert summary["layer:serving"] == ("changed by the push", ("changed",))
    assert summary["layer:old"] == ("removed by the push", ("removed",))
    assert summary["group:legacy"] == ("removed by the push", ("removed",))
    assert summary["app:legacy-app"] == ("removed by the push", ("removed",))
    assert summary["app:model-v1"] == ("removed by the push", ("removed",))
    restored = {n.id: n.cluster for n in marked.nodes if "removed" in n.marks}
    # model-v1 goes back in its group's box; legacy's group is no box: its app sits in the layer.
    assert restored == {
        "group:legacy": "layer:old",
        "app:legacy-app": "layer:old",
        "app:model-v1": "group:model",
    }
    assert marked.since is not None
    assert marked.since.to_json() == {
        "revision": "HEAD",
        "commit": "0" * 40,
        "added": ["model-ui"],
        "removed": ["group-legacy", "legacy-app", "model-v1"],
        "changed": [],
        "layersAdded": [],
        "layersRemoved": ["old"],
    }
    assert marked.title == "dev, profile all (apps), changes since HEAD"
