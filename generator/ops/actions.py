"""A catalog cost action as kubectl commands: the one that performs it, and the one that reads
the object back.

``up`` scales to the action's ``up`` replicas (or ``--replicas N``), or sets the pause
annotation to "false"; ``down`` scales to ``down``, or sets it to "true". KServe stops an
InferenceService only while ``serving.kserve.io/stop`` is "true" (case-insensitive), and an
absent or "false" value runs it (kserve/kserve pkg/utils/utils.go, GetForceStopRuntime; stop and
resume in kserve/kserve#4337 and #4455). Resuming writes "false" rather than removing the
annotation: the value stays explicit in the live object, the same ``annotate --overwrite`` does
both directions, and with RespectIgnoreDifferences a sync keeps the live value even if the
manifest in git ever states one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.core.model import App, CostAction, Environment

Direction = Literal["up", "down"]
#: Annotation values of a pause action: paused, and running.
PAUSED, RUNNING = "true", "false"


def resource_ref(action: CostAction) -> str:
    """The ``TYPE/NAME`` kubectl takes: ``deployment/raw-vllm`` for a built-in kind of a single
    API group, else qualified by its group (``inferenceservice.serving.kserve.io/kserve-demo``)."""
    from generator.validation.core_kinds import core_groups_of

    kind = action.kind.lower()
    if action.group and core_groups_of(action.kind) != [action.group]:
        kind = f"{kind}.{action.group}"
    return f"{kind}/{action.name}"


def replicas_for(action: CostAction, direction: Direction, replicas: int | None = None) -> int:
    """The replica count ``direction`` scales to (``replicas`` overrides ``up``)."""
    if direction == "down":
        return action.down
    return action.up if replicas is None else replicas


def action_args(action: CostAction, direction: Direction, replicas: int | None = None) -> list[str]:
    """The kubectl arguments (after ``kubectl [--context C]``) that perform ``action``."""
    ref = resource_ref(action)
    if action.action == "scale":
        count = replicas_for(action, direction, replicas)
        return ["scale", ref, f"--replicas={count}", "-n", action.namespace]
    value = PAUSED if direction == "down" else RUNNING
    return ["annotate", ref, f"{action.annotation}={value}", "--overwrite", "-n", action.namespace]


def read_args(action: CostAction) -> list[str]:
    """The kubectl arguments that read the action's object (``get ... -o json``)."""
    return ["get", resource_ref(action), "-n", action.namespace, "-o", "json"]


def describe(action: CostAction) -> str:
    """``scale Deployment raw-vllm (vllm): up 1, down 0`` / ``pause InferenceService ... with
    serving.kserve.io/stop``."""
    target = f"{action.kind} {action.name} ({action.namespace})"
    if action.action == "scale":
        return f"scale {target}: up {action.up}, down {action.down}"
    return f'pause {target}: down sets {action.annotation}="true", up "false"'


def done(action: CostAction, direction: Direction, replicas: int | None = None) -> str:
    """What ``direction`` does, in words, for the summary line."""
    target = f"{action.kind} {action.name}"
    if action.action == "scale":
        return f"scaled {target} to {replicas_for(action, direction, replicas)}"
    state = "paused" if direction == "down" else "resumed"
    value = PAUSED if direction == "down" else RUNNING
    return f"{state} {target} ({action.annotation}={value})"


def at_down(action: CostAction, obj: Mapping[str, Any] | None) -> bool:
    """Whether the action's object is absent or in its ``down`` state (scaled to ``down``, or
    paused): it costs nothing the action could save."""
    if obj is None:
        return True
    if action.action == "scale":
        replicas = (obj.get("spec") or {}).get("replicas", 1)
        return bool(replicas == action.down)
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(action.annotation)
    return isinstance(value, str) and value.lower() == PAUSED


def live_state(action: CostAction, obj: Mapping[str, Any] | None) -> str:
    """The action's object as read back: its replicas, or whether it is paused."""
    target = f"{action.kind} {action.name}"
    if obj is None:
        return f"{target} not found"
    if action.action == "scale":
        spec = obj.get("spec") or {}
        status = obj.get("status") or {}
        wanted = spec.get("replicas", 1)
        ready = status.get("readyReplicas", 0)
        return f"{target} replicas {wanted} ({ready} ready)"
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    value = annotations.get(action.annotation)
    paused = isinstance(value, str) and value.lower() == PAUSED
    shown = f"{action.annotation}={value}" if value is not None else f"no {action.annotation}"
    return f"{target} {'paused' if paused else 'running'} ({shown})"


@dataclass(frozen=True)
class ActionCommands:
    """A cost action of an app in one environment, and the commands that run it."""

    description: str
    #: ``gen up APP --env ENV`` and ``gen down ...``.
    up: str
    down: str
    #: The kubectl command lines those run.
    kubectl_up: str
    kubectl_down: str

    def to_json(self) -> dict[str, str]:
        """The documented JSON shape (docs/output.md)."""
        return {
            "action": self.description,
            "up": self.up,
            "down": self.down,
            "kubectlUp": self.kubectl_up,
            "kubectlDown": self.kubectl_down,
        }


def action_commands(app: App, env: Environment) -> list[ActionCommands]:
    """Each of ``app``'s cost actions in ``env``, with its gen and kubectl commands."""
    from generator.ops.kubectl import Kubectl

    kubectl = Kubectl(env.kube_context, executable="kubectl")
    return [
        ActionCommands(
            description=describe(action),
            up=f"gen up {app.name} --env {env.name}",
            down=f"gen down {app.name} --env {env.name}",
            kubectl_up=kubectl.line(action_args(action, "up")),
            kubectl_down=kubectl.line(action_args(action, "down")),
        )
        for action in app.cost_actions
    ]


def cost_action_lines(apps: list[tuple[str, list[ActionCommands]]]) -> list[str]:
    """``gen plan``'s section on cost actions: per app, each action and its commands."""
    if not apps:
        return []
    lines = ["Cost actions (run live; their ignoreDifferences keep a sync from reverting them):"]
    for app, actions in apps:
        for action in actions:
            width = max(len(action.up), len(action.down))
            lines += [
                f"  {app}: {action.description}",
                f"    {action.up.ljust(width)}  # {action.kubectl_up}",
                f"    {action.down.ljust(width)}  # {action.kubectl_down}",
            ]
    return lines
