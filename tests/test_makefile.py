"""The Makefile's bring-up verbs, run with the real ``make`` in a copy of the project.

No cluster and no Argo CD run here. kubectl is the ``fake_kubectl`` fixture's recording
stand-in (tests/kubectl_fake.py), first on PATH: it logs every argv and answers from the
cluster the test describes. argocd (``make wait``/``make sync``) is a script that logs its
arguments and does nothing else.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT, copy_project
from kubectl_fake import application, root_application

from generator.cli.main import main

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

GEN = f"{shlex.quote(sys.executable)} -m generator"
MAKE = shutil.which("make") or "make"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(REPO_ROOT, tmp_path / "project")
    shutil.copy(REPO_ROOT / "Makefile", root / "Makefile")
    return root


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A stand-in argocd that appends its arguments to tools/log."""
    folder = tmp_path / "tools"
    folder.mkdir()
    script = folder / "argocd"
    script.write_text(f'#!/bin/sh\necho "argocd $*" >> "{folder}/log"\nexit 0\n')
    script.chmod(0o755)
    return folder


def make(
    root: Path,
    *args: str,
    gen: str | None = GEN,
    tools: Path | None = None,
    path: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run make in ``root``. ``path``: the only folder on PATH; ``tools``: the argocd's folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "ENV"}
    if path is not None:
        env["PATH"] = str(path)
    extra = [f"GEN={gen}"] if gen is not None else []
    if tools is not None:
        extra += [f"ARGOCD={tools / 'argocd'}"]
    return subprocess.run(
        [MAKE, "--no-print-directory", *args, *extra],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def calls(tools: Path) -> list[str]:
    """What the stand-in argocd logged."""
    log = tools / "log"
    return log.read_text().splitlines() if log.exists() else []


def test_help_is_the_default_and_lists_every_target(project: Path) -> None:
    result = make(project)
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert listed == [
        "help",
        "render",
        "check",
        "test",
        "lint",
        "resolve-groups",
        "root",
        "wait",
        "sync",
        "plan",
        "up",
        "down",
        "doctor",
        "smoke",
    ]


def test_check_and_render(project: Path) -> None:
    result = make(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rendered/ is up to date")

    config = project / "config.yaml"
    config.write_text(config.read_text().replace("      n8n: false\n", "      n8n: true\n"))
    result = make(project, "check")
    assert result.returncode != 0
    assert "+++ b/rendered/prod/groups/n8n/n8n.yaml" in result.stdout
    assert "rendered/ is stale" in result.stdout

    result = make(project, "render")
    assert result.returncode == 0, result.stderr
    assert "  written: rendered/prod/groups/n8n/n8n.yaml" in result.stdout
    assert make(project, "check").returncode == 0


def test_resolve_groups_shows_the_decisions_then_renders(project: Path) -> None:
    result = make(project, "resolve-groups")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ENV", "LAYER", "GROUP", "ENABLED", "WHY"]
    assert lines[-1] == "rendered/: 2 environment(s): 0 written, 117 unchanged, 0 removed"


def test_root_dry_run_prints_the_root_objects_without_kubectl(project: Path) -> None:
    """Acceptance: DRY_RUN=1 prints the bootstrap AppProject and the root Application, with no
    kubectl anywhere on PATH."""
    empty = project / "no-tools"
    empty.mkdir()
    result = make(project, "root", "PROFILE=serving", "ENV=ai-dev", "DRY_RUN=1", path=empty)
    assert result.returncode == 0, result.stderr
    printed = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert [(d["kind"], d["metadata"]["name"]) for d in printed] == [
        ("AppProject", "root"),
        ("Application", "root"),
    ]
    assert printed[1]["spec"]["source"]["path"] == "rendered/ai-dev/profiles/serving"
    assert "# would run: kubectl apply -k rendered/ai-dev/roots/serving" in result.stderr


def test_root_first_time_applies_the_root_folder(project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[])
    result = make(project, "root", "PROFILE=full", "ENV=prod")
    assert result.returncode == 0, result.stderr
    assert fake_kubectl.calls() == [
        "kubectl get applications.argoproj.io prod-root -n argocd -o json",
        "kubectl apply -k rendered/prod/roots/full",
    ]
    assert 'prod has no root Application "prod-root" yet: first bring-up' in result.stdout


def test_root_narrowing_needs_confirm(project: Path, fake_kubectl: Any) -> None:
    """Acceptance: from full to serving without CONFIRM=1 exits non-zero and lists what would
    be pruned; the recording kubectl answers `get` with a live root on full."""
    fake_kubectl.cluster(applications=[root_application("full", env="ai-dev")])
    result = make(project, "root", "PROFILE=serving", "ENV=ai-dev")
    assert result.returncode != 0
    assert "Error 2" in result.stderr  # gen root's own exit code: refused
    assert "layers pruned: routing, llm-gateway, experience, demos" in result.stdout
    assert "Argo CD will prune 19 Applications" in result.stdout
    assert "refused: serving is narrower than full" in result.stderr
    assert [c.split()[1] for c in fake_kubectl.calls()] == ["get"]
    result = make(project, "root", "PROFILE=serving", "ENV=ai-dev", "CONFIRM=1")
    assert result.returncode == 0, result.stderr
    assert fake_kubectl.calls()[-1] == "kubectl apply -k rendered/ai-dev/roots/serving"


def test_unknown_profile_or_environment_lists_the_valid_ones(
    project: Path, tools: Path, fake_kubectl: Any
) -> None:
    result = make(project, "root", "PROFILE=servng", "ENV=ai-dev", tools=tools)
    assert result.returncode != 0
    assert (
        "error: unknown profile 'servng' (did you mean \"serving\"?); "
        "choose from: platform, serving, llm-gateway, full" in result.stderr
    )
    result = make(project, "wait", "PROFILE=serving", "ENV=staging", tools=tools)
    assert result.returncode != 0
    assert "error: unknown environment 'staging'; choose from: ai-dev, prod" in result.stderr
    result = make(project, "root", "PROFILE=serving", tools=tools)
    assert "error: no environment given; choose from: ai-dev, prod" in result.stderr
    assert calls(tools) == []
    assert fake_kubectl.calls() == []


def test_root_refuses_a_stale_rendered_folder(
    project: Path, tools: Path, fake_kubectl: Any
) -> None:
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("      n8n: false\n", "      n8n: true\n"))
    result = make(project, "root", "PROFILE=full", "ENV=prod", tools=tools)
    assert result.returncode != 0
    assert "make root: rendered/ is stale" in result.stderr
    assert calls(tools) == []
    assert fake_kubectl.calls() == []


def test_root_with_an_invalid_config_shows_the_input_error_not_stale(
    project: Path, tools: Path, fake_kubectl: Any
) -> None:
    """Regression (#14): `gen check` exits 2 on bad input; `make root` said "rendered/ is
    stale" (exit 1) whatever the code. Now it shows the input error and fails with code 2."""
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("repoURL:", "repoURL: [", 1))
    result = make(project, "root", "PROFILE=full", "ENV=prod", tools=tools)
    assert "config.yaml:" in result.stderr
    assert "YAML syntax error" in result.stderr
    assert "stale" not in result.stderr
    assert "Error 2" in result.stderr  # make reports the recipe's own exit code
    assert result.returncode == 2
    assert calls(tools) == []
    assert fake_kubectl.calls() == []


def test_wait_selects_the_auto_sync_apps_of_the_profile_layers(project: Path, tools: Path) -> None:
    result = make(project, "wait", "PROFILE=serving", "ENV=ai-dev", tools=tools)
    assert result.returncode == 0, result.stderr
    assert calls(tools) == [
        "argocd app wait -l stagegen.dev/env=ai-dev,stagegen.dev/layer in (platform,serving),"
        "stagegen.dev/sync=auto --timeout 900"
    ]


def test_sync_needs_an_app_and_syncs_it(project: Path, tools: Path) -> None:
    result = make(project, "sync", tools=tools)
    assert result.returncode != 0
    assert "make sync: APP=<app> is required" in result.stderr
    result = make(project, "sync", "APP=raw-vllm", tools=tools)
    assert result.returncode == 0, result.stderr
    assert calls(tools) == ["argocd app sync raw-vllm"]


def test_plan_calls_gen_plan_or_says_it_does_not_exist_yet(project: Path) -> None:
    result = make(project, "plan", "PROFILE=serving", "ENV=ai-dev")
    if "plan" in main.commands:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert "make plan: this gen has no `plan` command yet" in result.stderr


def test_the_project_venv_gen_is_preferred(project: Path) -> None:
    fake = project / ".venv" / "bin" / "gen"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "venv gen $*"\n')
    fake.chmod(0o755)
    result = make(project, "render", gen=None)
    assert (result.returncode, result.stdout) == (0, "venv gen render\n")


def test_up_and_down_need_an_app_and_pass_env_replicas_and_dry_run(
    project: Path, fake_kubectl: Any
) -> None:
    result = make(project, "down")
    assert result.returncode != 0
    assert "make down: APP=<app> is required: an app with costActions" in result.stderr
    result = make(project, "up", "APP=raw-vllm", "ENV=ai-dev", "REPLICAS=2", "DRY_RUN=1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "# would first check (read-only): "
        "kubectl get applications.argoproj.io raw-vllm -n argocd -o json\n"
        "# would first check (read-only): kubectl get deployment/raw-vllm -n vllm -o json\n"
        "kubectl scale deployment/raw-vllm --replicas=2 -n vllm\n"
    )
    assert fake_kubectl.calls() == []


def test_up_refuses_an_app_not_synced_yet(project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[application("raw-vllm", sync="OutOfSync", health="Missing")])
    result = make(project, "up", "APP=raw-vllm", "ENV=ai-dev")
    assert result.returncode != 0
    assert "error: raw-vllm is not synced yet" in result.stderr
    assert fake_kubectl.calls() == [
        "kubectl get applications.argoproj.io raw-vllm -n argocd -o json",
        "kubectl get deployment/raw-vllm -n vllm -o json",
    ]


def test_doctor_and_smoke_read_the_profile(
    project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SMOKE_GATEWAY_URL", "SMOKE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    fake_kubectl.cluster(applications=[])
    listing = (
        "kubectl get applications.argoproj.io -n argocd -l "
        "'stagegen.dev/env=ai-dev,stagegen.dev/layer in (platform,serving)' -o json"
    )
    result = make(project, "doctor", "PROFILE=serving", "ENV=ai-dev")
    assert result.returncode != 0  # nothing is in the cluster: every app is missing
    assert result.stdout.splitlines()[-1].startswith("unhealthy: 30 missing (root, group-cert-")
    assert fake_kubectl.calls() == [
        listing,
        "kubectl get applications.argoproj.io root -n argocd -o json",
    ]
    result = make(project, "smoke", "PROFILE=serving", "ENV=ai-dev")
    assert result.returncode != 0
    assert (
        "  skip  chat-completions (profile serving)  0.0 s  "
        "skipped: set SMOKE_API_KEY, SMOKE_GATEWAY_URL to run it"
    ) in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == (
        "smoke FAILED: doctor UNHEALTHY; checks: 0 passed, 0 failed, 1 skipped (a skipped "
        "check is not a pass: set its variables, or pass --allow-skipped)"
    )
    result = make(project, "smoke", "PROFILE=serving", "ENV=ai-dev", "ALLOW_SKIPPED=1")
    assert result.returncode != 0  # the doctor still fails it
    assert result.stdout.splitlines()[-1] == (
        "smoke FAILED: doctor UNHEALTHY; checks: 0 passed, 0 failed, 1 skipped"
    )
