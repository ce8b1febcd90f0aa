"""Cost actions as kubectl commands (generator/ops/actions.py)."""

from __future__ import annotations

from generator.core.model import CostAction, Location
from generator.ops.actions import action_args, live_state, read_args, resource_ref

HERE = Location("catalog/apps/model.yaml", 9)


def scale(kind: str = "Deployment", group: str = "apps") -> CostAction:
    return CostAction("scale", group, kind, "model", "models", HERE, up=2, down=0)


PAUSE = CostAction(
    "pause", "serving.kserve.io", "InferenceService", "isvc", "demo", HERE,
    annotation="serving.kserve.io/stop",
)  # fmt: skip


def test_resource_refs() -> None:
    assert resource_ref(scale()) == "deployment/model"
    assert resource_ref(scale("StatefulSet")) == "statefulset/model"
    assert resource_ref(scale("ReplicationController", "")) == "replicationcontroller/model"
    assert resource_ref(PAUSE) == "inferenceservice.serving.kserve.io/isvc"
    # A custom resource with a Kind that is also built in keeps its group.
    assert resource_ref(scale("Deployment", "example.com")) == "deployment.example.com/model"


def test_scale_and_pause_commands() -> None:
    assert action_args(scale(), "up") == [
        "scale",
        "deployment/model",
        "--replicas=2",
        "-n",
        "models",
    ]
    assert action_args(scale(), "up", 5)[2] == "--replicas=5"
    assert action_args(scale(), "down") == [
        "scale", "deployment/model", "--replicas=0", "-n", "models",
    ]  # fmt: skip
    assert action_args(PAUSE, "down") == [
        "annotate", "inferenceservice.serving.kserve.io/isvc", "serving.kserve.io/stop=true",
        "--overwrite", "-n", "demo",
    ]  # fmt: skip
    assert action_args(PAUSE, "up")[2] == "serving.kserve.io/stop=false"
    assert read_args(PAUSE) == [
        "get", "inferenceservice.serving.kserve.io/isvc", "-n", "demo", "-o", "json",
    ]  # fmt: skip


def test_live_state() -> None:
    assert live_state(scale(), None) == "Deployment model not found"
    deployment = {"spec": {"replicas": 1}, "status": {}}
    assert live_state(scale(), deployment) == "Deployment model replicas 1 (0 ready)"
    running = {"metadata": {"annotations": {"serving.kserve.io/stop": "False"}}}
    assert live_state(PAUSE, running) == (
        "InferenceService isvc running (serving.kserve.io/stop=False)"
    )
    paused = {"metadata": {"annotations": {"serving.kserve.io/stop": "TRUE"}}}
    assert live_state(PAUSE, paused) == "InferenceService isvc paused (serving.kserve.io/stop=TRUE)"
    assert live_state(PAUSE, {"metadata": {}}) == (
        "InferenceService isvc running (no serving.kserve.io/stop)"
    )
