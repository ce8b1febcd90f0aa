"""Cost actions in the catalog (generator/project/declarations/cost_actions.py): the
ignoreDifferences derived from them, duplicates of hand-written rules, long-form apps, environment
overrides."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.errors import InputError
from generator.core.model import App
from generator.project.declarations.cost_actions import ignore_differences
from generator.project.load import load_project
from generator.render.templates import render_project

BASE = Path(__file__).parents[2] / "corpus" / "_base"
MODEL = "catalog/apps/model.yaml"
HAND_WRITTEN = """    syncOptions:
      - RespectIgnoreDifferences=true
    ignoreDifferences:
      - group: apps
        kind: Deployment
        jsonPointers:
          - /spec/replicas
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def set_model_tail(root: Path, tail: str) -> None:
    """Replace the model app's sync options and hand-written rule with ``tail``."""
    path = root / MODEL
    text = path.read_text()
    assert HAND_WRITTEN in text
    path.write_text(text.replace(HAND_WRITTEN, tail))


def model(root: Path, env: str = "dev") -> App:
    return load_project(root).apps_for(env)["model"]


def rendered_spec(root: Path, env: str = "dev") -> dict[str, object]:
    text = render_project(load_project(root), [env])[f"{env}/groups/model/model.yaml"]
    spec: dict[str, object] = yaml.safe_load(text)["spec"]
    return spec


def test_scale_derives_the_replicas_rule_and_respect(base: Path) -> None:
    set_model_tail(
        base, "    costActions:\n      scale: {kind: Deployment, name: model, up: 1, down: 0}\n"
    )
    spec = rendered_spec(base)
    assert spec["ignoreDifferences"] == [
        {"group": "apps", "kind": "Deployment", "name": "model", "jsonPointers": ["/spec/replicas"]}
    ]
    assert spec["syncPolicy"] == {"syncOptions": ["RespectIgnoreDifferences=true"]}
    assert load_project(base).warnings == ()


def test_pause_pointer_is_escaped_per_rfc_6901(base: Path) -> None:
    set_model_tail(
        base,
        "    costActions:\n"
        "      pause: {group: example.com, kind: Model, name: m, namespace: other,\n"
        "              annotation: example.com/pause}\n",
    )
    assert ignore_differences(model(base)) == [
        {
            "group": "example.com",
            "kind": "Model",
            "name": "m",
            "namespace": "other",
            "jsonPointers": ["/metadata/annotations/example.com~1pause"],
        }
    ]
    # "~" cannot be in an annotation key, but the pointer would escape it first ("~0").
    action = dataclasses.replace(model(base).cost_actions[0], annotation="a~b/c")
    assert action.pointer == "/metadata/annotations/a~0b~1c"


def test_a_hand_written_rule_covering_a_derived_one_is_reported_and_kept_once(
    base: Path,
) -> None:
    set_model_tail(
        base,
        HAND_WRITTEN
        + "    costActions:\n      scale: {kind: Deployment, name: model, up: 1, down: 0}\n",
    )
    project = load_project(base)
    assert [(str(w), w.id) for w in project.warnings] == [
        (
            "catalog/apps/model.yaml:20:13: warning: apps[0].ignoreDifferences[0].jsonPointers[0]:"
            " Deployment model /spec/replicas is already ignored by the rule derived from "
            "costActions.scale; drop it here [duplicate-ignore-rule]",
            "duplicate-ignore-rule",
        )
    ]
    # The output is the hand-written rule alone: never the same rule twice.
    assert rendered_spec(base)["ignoreDifferences"] == [
        {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
    ]


def test_a_rule_for_another_object_is_no_duplicate(base: Path) -> None:
    other = HAND_WRITTEN.replace(
        "        kind: Deployment\n", "        kind: Deployment\n        name: sidecar\n"
    )
    set_model_tail(
        base,
        other + "    costActions:\n      scale: {kind: Deployment, name: model, up: 1, down: 0}\n",
    )
    assert load_project(base).warnings == ()
    assert [r.get("name") for r in ignore_differences(model(base))] == ["sidecar", "model"]


def test_a_long_form_sync_policy_needs_respect_ignore_differences(base: Path) -> None:
    set_model_tail(
        base,
        "    syncPolicy:\n      syncOptions: [CreateNamespace=true]\n"
        "    costActions:\n      scale: {kind: Deployment, name: model, up: 1, down: 0}\n",
    )
    path = base / MODEL
    path.write_text(path.read_text().replace("    sync: manual\n    reason: GPU cost\n", ""))
    with pytest.raises(InputError) as caught:
        load_project(base)
    assert [(str(p), p.id) for p in caught.value.problems] == [
        (
            "catalog/apps/model.yaml:12:5: apps[0].syncPolicy: costActions need "
            "RespectIgnoreDifferences=true in syncPolicy.syncOptions (this app's syncPolicy is "
            "rendered as written), or a sync reverts them [cost-action-respect]",
            "cost-action-respect",
        )
    ]


def test_an_environment_may_override_a_cost_action(base: Path) -> None:
    set_model_tail(
        base, "    costActions:\n      scale: {kind: Deployment, name: model, up: 1, down: 0}\n"
    )
    config = base / "config.yaml"
    config.write_text(
        config.read_text().replace(
            "    targetRevision: v1.0.0\n",
            "    targetRevision: v1.0.0\n    features: {gpu: true}\n"
            "    apps:\n      model:\n        costActions: {scale: {up: 4}}\n",
        )
    )
    assert model(base, "dev").cost_actions[0].up == 1
    assert model(base, "prod").cost_actions[0].up == 4
    config.write_text(config.read_text().replace("{up: 4}", "{down: 4}"))
    with pytest.raises(InputError) as caught:
        load_project(base)
    assert [str(p) for p in caught.value.problems] == [
        "config.yaml:20:31: environments.prod.apps.model.costActions.scale.down: down (4) must "
        "be below up (1) [cost-action-replicas]"
    ]


def test_the_default_catalog_derives_its_cost_gate_rules() -> None:
    """raw-vllm and kserve-demo declare costActions and no hand-written rule; the rendered
    Applications still ignore the replicas and the stop annotation, and respect that."""
    from conftest import REPO_ROOT

    project = load_project(REPO_ROOT)
    rendered = render_project(project, ["ai-dev"])
    expected = {
        "raw-vllm": ("vllm", ["apps", "Deployment", "raw-vllm", "/spec/replicas"]),
        "kserve-demo": (
            "demos",
            [
                "serving.kserve.io",
                "InferenceService",
                "kserve-demo",
                "/metadata/annotations/serving.kserve.io~1stop",
            ],
        ),
    }
    for name, (group, (api_group, kind, target, pointer)) in expected.items():
        app = project.apps_for("ai-dev")[name]
        assert app.ignore_differences == () and len(app.cost_actions) == 1, name
        doc = yaml.safe_load(rendered[f"ai-dev/groups/{group}/{name}.yaml"])
        assert doc["spec"]["ignoreDifferences"] == [
            {"group": api_group, "kind": kind, "name": target, "jsonPointers": [pointer]}
        ]
        assert "RespectIgnoreDifferences=true" in doc["spec"]["syncPolicy"]["syncOptions"]
