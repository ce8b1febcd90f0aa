"""``gen graph --since REV``: what a push adds, removes and changes, marked on the graph.

Each test works in a temporary git repository holding a copy of the default project, and
changes it the way people do: ``gen enable``/``gen disable`` (which re-render), or an edit of
config.yaml followed by ``gen render``.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import gen_outcome, git


def graph_json(root: Path, *args: str) -> dict[str, object]:
    code, out, err = gen_outcome(root, "graph", "-o", "json", *args)
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def nodes(data: dict[str, object]) -> dict[str, dict[str, object]]:
    items = [*data["clusters"], *data["nodes"]]  # type: ignore[misc]
    return {item["id"]: item for item in items}


def test_disabling_demos_marks_it_removed_and_draws_its_apps_back(git_project: Path) -> None:
    assert gen_outcome(git_project, "disable", "demos", "--env", "ai-dev")[0] == 0
    code, out, err = gen_outcome(
        git_project, "graph", "--since", "HEAD", "--env", "ai-dev", "--profile", "full"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1] == 'title: "ai-dev, profile full (groups), changes since HEAD"'
    assert lines[3] == (
        "%% gen graph --env ai-dev --profile full --since HEAD: generated, do not edit."
    )
    assert (
        '        group_demos("demos<br>off: environments.ai-dev.features.demos<br>= false<br>'
        'removed by the push")'
    ) in lines
    assert '    subgraph layer_demos["demos<br>changed by the push"]' in lines
    assert "    class group_demos removed" in lines
    assert "    class layer_demos changed" in lines

    data = graph_json(git_project, "--since", "HEAD", "--env", "ai-dev", "--level", "apps")
    items = nodes(data)
    commit = git(git_project, "rev-parse", "HEAD").strip()
    assert data["since"] == {
        "revision": "HEAD",
        "commit": commit,
        "added": [],
        "removed": ["group-demos", "inference-demo", "kserve-demo"],
        "changed": [],
        "layersAdded": [],
        "layersRemoved": [],
    }
    for app in ("app:kserve-demo", "app:inference-demo"):
        assert items[app]["cluster"] == "layer:demos"
        assert items[app]["marks"] == ["removed"]
        assert items[app]["label"] == [app.split(":")[1], "removed by the push"]
    assert items["group:demos"]["marks"] == ["disabled", "removed"]


def test_enabled_only_draws_back_the_group_in_a_layer_box(git_project: Path) -> None:
    """With --enabled-only the disabled demos group is not drawn, and its layer has nothing
    else: the removed group is drawn back in a box of its layer."""
    assert gen_outcome(git_project, "disable", "demos", "--env", "ai-dev")[0] == 0
    data = graph_json(git_project, "--since", "HEAD", "--env", "ai-dev", "--enabled-only")
    items = nodes(data)
    assert items["layer:demos"]["kind"] == "layer"
    assert "cluster" not in items["layer:demos"]  # a box now, no longer a plain node
    assert items["group:demos"]["cluster"] == "layer:demos"
    assert items["group:demos"]["marks"] == ["removed"]


def test_enabling_a_group_marks_it_and_its_apps_added(git_project: Path) -> None:
    assert gen_outcome(git_project, "enable", "demos", "--env", "prod")[0] == 0
    data = graph_json(git_project, "--since", "HEAD", "--env", "prod", "--level", "apps")
    items = nodes(data)
    assert data["since"]["added"] == [  # type: ignore[index]
        "prod-group-demos",
        "prod-inference-demo",
        "prod-kserve-demo",
    ]
    assert items["group:demos"]["marks"] == ["added"]
    assert items["app:kserve-demo"]["marks"] == ["manual", "added"]
    assert items["app:kserve-demo"]["label"][-1] == "added by the push"  # type: ignore[index]
    assert items["app:kserve"]["marks"] == []


def test_a_changed_app_says_which_fields(git_project: Path) -> None:
    config = git_project / "config.yaml"
    config.write_text(
        config.read_text().replace('targetRevision: "6.15.0"', 'targetRevision: "6.16.0"')
    )
    assert gen_outcome(git_project, "render")[0] == 0
    data = graph_json(git_project, "--since", "main", "--env", "prod", "--level", "apps")
    items = nodes(data)
    webui = items["app:open-webui"]
    assert webui["marks"] == ["changed"]
    assert str(webui["tooltip"]).endswith("changed: spec.source.targetRevision")
    assert items["group:open-webui"]["marks"] == ["changed"]
    assert items["layer:experience"]["marks"] == ["changed"]
    assert items["layer:platform"]["marks"] == []


def test_a_stale_rendered_folder_is_a_warning(git_project: Path) -> None:
    config = git_project / "config.yaml"
    config.write_text(config.read_text().replace("      demos: true", "      demos: false"))
    code, out, err = gen_outcome(git_project, "graph", "--since", "HEAD", "--env", "ai-dev")
    assert code == 0
    assert err.splitlines()[-1] == (
        "warning: rendered/ai-dev/ is stale: the marks compare the files as they are; run "
        "`gen render` to compare what the catalog says now"
    )
    assert "removed by the push" not in out  # nothing rendered, nothing pushed


def test_an_unknown_revision_exits_2(git_project: Path) -> None:
    code, out, err = gen_outcome(git_project, "graph", "--since", "nope", "--env", "ai-dev")
    assert (code, out, err) == (2, "", "error: --since nope: no such revision in this repository\n")
