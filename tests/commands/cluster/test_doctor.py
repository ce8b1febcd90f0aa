"""``gen doctor`` (commands/doctor.py) against a described cluster.

No Kubernetes API server or Argo CD runs here: the ``fake_kubectl`` fixture puts a recording
``kubectl`` first on PATH (tests/kubectl_fake.py) that logs every argv and answers ``get`` with
the Application objects (and scaled objects) each scenario describes: healthy, degraded,
missing, deployed. The tests assert the exact report and the exact kubectl command lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from kubectl_fake import application, resource, root_application
from ops_cluster import LIST, ROOT_GET, cluster

from generator.cli.main import main

HEADER = [
    "doctor: environment dev, profile all (layers: base, apps)",
    f"read: {LIST}",
]
#: The reads of the manual apps' cost-action objects, after the list.
READS = [
    "kubectl get inferenceservice.serving.kserve.io/isvc -n demo -o json",
    "kubectl get deployment/model -n models -o json",
]


def doctor(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["doctor", "--root", str(root), "--env", "dev", *args])


def rows(**status: str) -> list[str]:
    """The report's app lines, healthy unless ``status`` says otherwise."""
    lines = {
        "root": "  ok        root         auto    Synced, Healthy; syncs profile all",
        "group-core": "  ok        group-core   auto    Synced, Healthy",
        "group-demo": "  ok        group-demo   auto    Synced, Healthy",
        "group-model": "  ok        group-model  auto    Synced, Healthy",
        "group-web": "  ok        group-web    auto    Synced, Healthy",
        "certs": "  ok        certs        auto    Synced, Healthy",
        "isvc": "  gated     isvc         manual  cost-gated, not deployed "
        "(`make sync APP=isvc` deploys it)",
        "model": "  gated     model        manual  cost-gated, not deployed "
        "(`make sync APP=model` deploys it)",
        "web": "  ok        web          auto    Synced, Healthy",
    }
    lines.update({k.replace("_", "-"): v for k, v in status.items()})
    return list(lines.values())


def test_healthy(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=cluster())
    result = doctor(ops_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *HEADER,
        *rows(),
        "healthy: 7 auto-sync apps Synced and Healthy; manual: 2 cost-gated, 0 deployed",
    ]
    assert fake_kubectl.calls() == [LIST, ROOT_GET, *READS]


def test_degraded_auto_app_fails_naming_it(ops_project: Path, fake_kubectl: Any) -> None:
    web = application(
        "web", layer="apps", group="web", sync="Synced", health="Degraded",
        message="Deployment web: 0/2 ready",
    )  # fmt: skip
    fake_kubectl.cluster(applications=cluster(web=web))
    result = doctor(ops_project)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *HEADER,
        *rows(web="  FAIL      web          auto    Synced, Degraded: Deployment web: 0/2 ready"),
        "unhealthy: 1 not Synced/Healthy (web); manual: 2 cost-gated, 0 deployed",
    ]


def test_missing_app_fails_naming_it(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=cluster(group_web=None, web=None))
    result = doctor(ops_project)
    assert result.exit_code == 1
    missing = (
        "expected by rendered/, not in the cluster: run `make root PROFILE=all ENV=dev`, "
        "or wait for Argo CD to sync the last push"
    )
    assert result.stdout.splitlines() == [
        *HEADER,
        *rows(
            group_web=f"  MISSING   group-web    auto    {missing}",
            web=f"  MISSING   web          auto    {missing}",
        ),
        "unhealthy: 2 missing (group-web, web); manual: 2 cost-gated, 0 deployed",
    ]


def test_deployed_manual_apps_show_live_state_and_never_fail(
    ops_project: Path, fake_kubectl: Any
) -> None:
    # The model is scaled up but Degraded (this Argo CD persists resource health); the
    # InferenceService is deployed and paused, so it costs nothing.
    deployment = resource("Deployment", "model", "models", group="apps", health="Degraded")
    model = application(
        "model", layer="apps", group="model", sync_mode="manual", sync="Synced",
        health="Degraded", resources=[deployment],
    )  # fmt: skip
    isvc_resource = resource("InferenceService", "isvc", "demo", group="serving.kserve.io")
    isvc = application(
        "isvc", layer="apps", group="demo", sync_mode="manual", resources=[isvc_resource]
    )
    objects = {
        "deployment/model@models": {"spec": {"replicas": 2}, "status": {"readyReplicas": 1}},
        "inferenceservice.serving.kserve.io/isvc@demo": {
            "metadata": {"annotations": {"serving.kserve.io/stop": "true"}}
        },
    }
    fake_kubectl.cluster(applications=cluster(model=model, isvc=isvc), objects=objects)
    result = doctor(ops_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *HEADER,
        *rows(
            isvc="  deployed  isvc         manual  deployed, idle: InferenceService isvc paused "
            "(serving.kserve.io/stop=true); Synced, Healthy",
            model="  deployed  model        manual  deployed (costs money): Deployment model "
            "replicas 2 (1 ready); Synced, Degraded",
        ),
        "healthy: 7 auto-sync apps Synced and Healthy; manual: 0 cost-gated, 2 deployed",
    ]
    assert fake_kubectl.calls() == [LIST, ROOT_GET, *READS]


def test_a_manual_app_scaled_down_is_deployed_and_idle(
    ops_project: Path, fake_kubectl: Any
) -> None:
    model = application("model", layer="apps", group="model", sync_mode="manual")
    objects = {"deployment/model@models": {"spec": {"replicas": 0}, "status": {}}}
    fake_kubectl.cluster(applications=cluster(model=model), objects=objects)
    result = doctor(ops_project)
    assert result.exit_code == 0, result.output
    assert (
        "  deployed  model        manual  deployed, idle: Deployment model replicas 0 (0 ready); "
        "Synced, Healthy"
    ) in result.stdout.splitlines()


def test_extra_applications_are_listed_without_failing(
    ops_project: Path, fake_kubectl: Any
) -> None:
    old = application("old-app", layer="apps", group="web")
    fake_kubectl.cluster(applications=[*cluster(), old])
    result = doctor(ops_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        "  extra     old-app      auto    in the cluster, not in rendered/: Argo CD prunes it "
        "once the change is synced",
        "healthy: 7 auto-sync apps Synced and Healthy; manual: 2 cost-gated, 0 deployed",
    ]


def test_json_output(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=cluster(web=None))
    result = doctor(ops_project, "-o", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {
        "environment", "profile", "layers", "healthy", "stale", "commands", "applications",
    }  # fmt: skip
    assert (data["healthy"], data["stale"], data["commands"]) == (
        False,
        False,
        [LIST, ROOT_GET, *READS],
    )
    by_name = {app["name"]: app for app in data["applications"]}
    assert by_name["web"] == {
        "name": "web",
        "role": "workload",
        "syncMode": "auto",
        "status": "missing",
        "sync": None,
        "health": None,
        "detail": "expected by rendered/, not in the cluster: run `make root PROFILE=all "
        "ENV=dev`, or wait for Argo CD to sync the last push",
    }
    assert by_name["group-core"]["status"] == "ok"
    assert by_name["model"]["status"] == "gated"


def test_dry_run_prints_the_reads_and_runs_nothing(ops_project: Path, fake_kubectl: Any) -> None:
    result = doctor(ops_project, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [LIST, ROOT_GET, *READS]
    assert fake_kubectl.calls() == []


def test_prod_reads_argo_from_the_current_context_and_objects_from_its_own(
    ops_project: Path, fake_kubectl: Any
) -> None:
    result = CliRunner().invoke(
        main,
        ["doctor", "--root", str(ops_project), "--env", "prod", "--profile", "all", "--dry-run"],
    )
    assert result.stdout.splitlines() == [
        "kubectl get applications.argoproj.io -n argocd -l "
        "'stagegen.dev/env=prod,stagegen.dev/layer in (base,apps)' -o json",
        "kubectl get applications.argoproj.io prod-root -n argocd -o json",
        "kubectl --context prod-ctx get deployment/model -n models -o json",
    ]


def test_missing_kubectl_is_a_clear_error(ops_project: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("PATH", str(ops_project / "no-such-bin"))
    monkeypatch.delenv("KUBECTL", raising=False)
    result = doctor(ops_project)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: kubectl not found on PATH: install kubectl, or give its path (--kubectl PATH, "
        "or KUBECTL=PATH); --dry-run needs no kubectl\n"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the fake kubectl is a shell script")
def test_the_real_gen_as_a_subprocess(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=cluster(certs=application("certs", sync="OutOfSync")))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "doctor", "--env", "dev", "--profile", "all"],
        cwd=ops_project,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "  FAIL      certs        auto    OutOfSync, Healthy" in done.stdout.splitlines()
    assert done.stdout.splitlines()[-1] == (
        "unhealthy: 1 not Synced/Healthy (certs); manual: 2 cost-gated, 0 deployed"
    )
    assert fake_kubectl.calls() == [LIST, ROOT_GET, *READS]


def test_the_root_must_exist_and_sync_this_profile_or_a_wider_one(
    ops_project: Path, fake_kubectl: Any
) -> None:
    fake_kubectl.cluster(applications=cluster(root=None))
    result = doctor(ops_project)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2] == (
        "  MISSING   root         auto    the root Application is not in the cluster: run "
        "`make root PROFILE=all ENV=dev`"
    )
    fake_kubectl.cluster(applications=cluster(root=root_application("base")))
    result = doctor(ops_project)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2] == (
        "  FAIL      root         auto    syncs profile base, not all: run "
        "`make root PROFILE=all ENV=dev`"
    )
    fake_kubectl.cluster(applications=cluster(root=root_application("all")))
    result = doctor(ops_project, "--profile", "base")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "  ok        root        auto    Synced, Healthy; syncs profile all, which includes base"
    )
