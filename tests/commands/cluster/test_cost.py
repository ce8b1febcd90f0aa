"""``gen up`` / ``gen down`` (commands/cost.py), run through the CLI.

No Kubernetes API server or Argo CD runs here: the ``fake_kubectl`` fixture puts a recording
``kubectl`` first on PATH (tests/kubectl_fake.py) that logs every argv and answers ``get`` from
a cluster the test describes. The tests assert the exact kubectl command lines and the exact
output, and that a refusal runs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import REPO_ROOT, gen_at
from kubectl_fake import application, resource


def line_of(file: str, needle: str, after: str) -> int:
    """1-based line of the first ``needle`` after the line holding ``after`` in ``file``."""
    lines = (REPO_ROOT / file).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def synced_model() -> dict[str, Any]:
    """The model Application after `argocd app sync`."""
    deployment = resource("Deployment", "model", "models", group="apps")
    return application(
        "model", layer="apps", group="model", sync_mode="manual", resources=[deployment]
    )


#: The model's Deployment once synced, at replicas 0.
DEPLOYMENT = {"deployment/model@models": {"spec": {"replicas": 0}, "status": {}}}


# -- acceptance 1: the exact commands, from the default catalog --------------------------------


def test_dry_run_prints_the_scale_command_and_runs_nothing(fake_kubectl: Any) -> None:
    up = gen_at(REPO_ROOT, "up", "raw-vllm", "--env", "ai-dev", "--dry-run")
    down = gen_at(REPO_ROOT, "down", "raw-vllm", "--env", "ai-dev", "--dry-run")
    assert (up.exit_code, down.exit_code) == (0, 0), up.output + down.output
    check = (
        "# would first check (read-only): "
        "kubectl get applications.argoproj.io raw-vllm -n argocd -o json\n"
        "# would first check (read-only): kubectl get deployment/raw-vllm -n vllm -o json\n"
    )
    assert up.stdout == check + "kubectl scale deployment/raw-vllm --replicas=1 -n vllm\n"
    assert down.stdout == check + "kubectl scale deployment/raw-vllm --replicas=0 -n vllm\n"
    assert fake_kubectl.calls() == []


def test_dry_run_of_a_pause_prints_the_annotate_command(fake_kubectl: Any) -> None:
    # kserve-demo is enabled in ai-dev only, so no --env is needed.
    result = gen_at(REPO_ROOT, "down", "kserve-demo", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "# would first check (read-only): "
        "kubectl get applications.argoproj.io kserve-demo -n argocd -o json\n"
        "# would first check (read-only): "
        "kubectl get inferenceservice.serving.kserve.io/kserve-demo -n kserve-demo -o json\n"
        "kubectl annotate inferenceservice.serving.kserve.io/kserve-demo "
        "serving.kserve.io/stop=true --overwrite -n kserve-demo\n"
    )
    up = gen_at(REPO_ROOT, "up", "kserve-demo", "--dry-run")
    assert "serving.kserve.io/stop=false --overwrite" in up.stdout
    assert fake_kubectl.calls() == []


def test_replicas_and_context_and_prefixed_names(ops_project: Path, fake_kubectl: Any) -> None:
    # prod-model is prod's Application: the environment follows, with prod's kubeContext.
    result = gen_at(ops_project, "up", "prod-model", "--replicas", "3", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "# would first check (read-only): "
        "kubectl get applications.argoproj.io prod-model -n argocd -o json\n"
        "# would first check (read-only): "
        "kubectl --context prod-ctx get deployment/model -n models -o json\n"
        "kubectl --context prod-ctx scale deployment/model --replicas=3 -n models\n"
    )


# -- acceptance 4: refusals, exit 2, nothing run -----------------------------------------------


def test_an_app_without_a_cost_action_is_refused(fake_kubectl: Any) -> None:
    result = gen_at(REPO_ROOT, "up", "litellm", "--env", "ai-dev")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: litellm declares no costActions (catalog/llm-gateway/litellm.yaml:"
        f"{line_of('catalog/llm-gateway/litellm.yaml', '- name: litellm', after='apps:')}); "
        "`gen up` has nothing to run\n"
    )
    assert fake_kubectl.calls() == []


def test_an_app_not_enabled_in_the_environment_is_refused(fake_kubectl: Any) -> None:
    result = gen_at(REPO_ROOT, "down", "kserve-demo", "--env", "prod")
    assert result.exit_code == 2
    line = line_of("config.yaml", "demos: false", after="  prod:")
    assert result.stderr == (
        "error: kserve-demo is not enabled in environment prod: group demos is off "
        f"(environments.prod.features.demos = false, config.yaml:{line}); nothing was run\n"
    )
    assert fake_kubectl.calls() == []


def test_ambiguous_environment_and_unknown_names(ops_project: Path, fake_kubectl: Any) -> None:
    result = gen_at(ops_project, "up", "model")
    assert result.exit_code == 2
    assert result.stderr == "error: model is enabled in dev and prod; choose one with --env\n"
    result = gen_at(ops_project, "up", "modle", "--env", "dev")
    assert result.stderr == 'error: unknown app "modle" (did you mean "model"?)\n'
    result = gen_at(ops_project, "up", "model", "--env", "prd")
    assert result.stderr == (
        "error: unknown environment 'prd' (did you mean \"prod\"?); choose from: dev, prod\n"
    )
    result = gen_at(ops_project, "up", "isvc", "--env", "dev", "--replicas", "2")
    assert result.stderr == "error: --replicas applies to a scale action; isvc has none\n"
    assert fake_kubectl.calls() == []


def test_an_application_not_in_the_cluster_is_refused(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[])
    result = gen_at(ops_project, "up", "model", "--env", "dev")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: Application model not found in namespace argocd: apply the profile first "
        "(`make root PROFILE=<profile> ENV=dev`), or push and let Argo CD create it; "
        "nothing was run\n"
    )
    assert fake_kubectl.calls() == ["kubectl get applications.argoproj.io model -n argocd -o json"]


def test_an_app_not_synced_yet_is_refused(ops_project: Path, fake_kubectl: Any) -> None:
    # Created by the ApplicationSet, never synced: its Deployment is not in the cluster.
    never = application("model", sync_mode="manual", sync="OutOfSync", health="Missing")
    fake_kubectl.cluster(applications=[never])
    result = gen_at(ops_project, "down", "model", "--env", "dev")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: model is not synced yet: Deployment model does not exist in namespace models "
        "(the Application is OutOfSync, Missing); deploy it first with `make sync APP=model`; "
        "nothing was run\n"
    )
    assert fake_kubectl.calls() == [
        "kubectl get applications.argoproj.io model -n argocd -o json",
        "kubectl get deployment/model -n models -o json",
    ]


# -- running ----------------------------------------------------------------------------------


def test_up_checks_then_scales(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[synced_model()], objects=DEPLOYMENT)
    result = gen_at(ops_project, "up", "model", "--env", "dev")
    assert result.exit_code == 0, result.output
    assert fake_kubectl.calls() == [
        "kubectl get applications.argoproj.io model -n argocd -o json",
        "kubectl get deployment/model -n models -o json",
        "kubectl scale deployment/model --replicas=2 -n models",
    ]
    assert result.stderr == "+ kubectl scale deployment/model --replicas=2 -n models\n"
    assert result.stdout == ("deployment/model scaled\nmodel (dev): scaled Deployment model to 2\n")


def test_down_pauses_with_the_annotation(ops_project: Path, fake_kubectl: Any) -> None:
    isvc = resource("InferenceService", "isvc", "demo", group="serving.kserve.io")
    fake_kubectl.cluster(
        applications=[application("isvc", sync_mode="manual", resources=[isvc])],
        objects={"inferenceservice.serving.kserve.io/isvc@demo": {"metadata": {}}},
    )
    result = gen_at(ops_project, "down", "isvc")
    assert result.exit_code == 0, result.output
    assert fake_kubectl.calls()[-1] == (
        "kubectl annotate inferenceservice.serving.kserve.io/isvc serving.kserve.io/stop=true "
        "--overwrite -n demo"
    )
    assert result.stdout.splitlines()[-1] == (
        "isvc (dev): paused InferenceService isvc (serving.kserve.io/stop=true)"
    )


def test_a_failing_kubectl_is_reported_with_its_message(
    ops_project: Path, fake_kubectl: Any
) -> None:
    fake_kubectl.cluster(
        applications=[synced_model()],
        objects=DEPLOYMENT,
        fail={"scale": 'Error from server (Forbidden): deployments.apps "model" is forbidden'},
    )
    result = gen_at(ops_project, "up", "model", "--env", "dev")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: `kubectl scale deployment/model --replicas=2 -n models` failed (exit 1): "
        'Error from server (Forbidden): deployments.apps "model" is forbidden\n'
    )
