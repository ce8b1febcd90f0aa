"""``gen root``: the root's objects, what a change of profile does, and the kubectl it runs.

No cluster: kubectl is tests/tools/kubectl, a recording stand-in (first on PATH, or given with
--kubectl) that logs its arguments and answers ``get`` with canned JSON of a live root
Application. --dry-run tests run with no kubectl at all.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO_ROOT

from generator.cli.main import main

FAKE = REPO_ROOT / "tests" / "tools" / "kubectl"


@pytest.fixture
def kubectl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The recording kubectl, first on PATH; its log is tmp_path/kubectl.log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    shutil.copy(FAKE, folder / "kubectl")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_KUBECTL_LOG", str(tmp_path / "kubectl.log"))
    monkeypatch.delenv("FAKE_KUBECTL_GET", raising=False)
    return tmp_path / "kubectl.log"


def live_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str) -> None:
    """Make the recording kubectl answer `get` with a live root syncing ``profile``."""
    live = yaml.safe_load(
        (REPO_ROOT / f"rendered/ai-dev/roots/{profile}/application.yaml").read_text()
    )
    live["status"] = {"sync": {"status": "Synced"}, "health": {"status": "Healthy"}}
    live["metadata"]["uid"] = "0b6e4c1e-5d0c-4d7a-9d1e-000000000001"
    path = tmp_path / "live.json"
    path.write_text(json.dumps(live))
    monkeypatch.setenv("FAKE_KUBECTL_GET", str(path))


def gen(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["root", "--root", str(REPO_ROOT), *args])
    return result.exit_code, result.stdout, result.stderr


def calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


GET = "kubectl get applications.argoproj.io root -n argocd -o json --ignore-not-found"


def test_dry_run_prints_the_objects_and_runs_no_kubectl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    code, out, err = gen("serving", "--env", "ai-dev", "--dry-run")
    assert code == 0, err
    docs = [d for d in yaml.safe_load_all(out) if d]
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("AppProject", "root"),
        ("Application", "root"),
    ]
    assert docs[1]["spec"]["source"]["path"] == "rendered/ai-dev/profiles/serving"
    assert err.splitlines()[:3] == [
        "# DRY RUN: rendered/ai-dev/roots/serving, nothing applied",
        "# current profile of ai-dev: not read (dry run); pass CURRENT=<profile> (--current) to "
        "see what a change of profile prunes. If this is the first bring-up:",
        '# the root "root" will sync serving: layers added: platform, serving',
    ]
    assert err.splitlines()[-2:] == [f"# would run: {GET}", "# would run: kubectl apply -k "
                                     "rendered/ai-dev/roots/serving"]  # fmt: skip


def test_first_bring_up_reads_the_live_root_then_applies(kubectl: Path) -> None:
    code, out, err = gen("platform", "--env", "ai-dev")
    assert code == 0, err
    assert calls(kubectl) == [GET, "kubectl apply -k rendered/ai-dev/roots/platform"]
    lines = out.splitlines()
    assert lines[0] == 'ai-dev has no root Application "root" yet: first bring-up'
    assert lines[1] == 'the root "root" will sync platform: layers added: platform'
    assert lines[2].startswith("Argo CD will create 18 Applications: group-cert-manager, ")
    assert lines[-1].startswith("next: Argo CD syncs the layers of platform from git")


def test_narrowing_is_refused_without_confirm(
    kubectl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_root(tmp_path, monkeypatch, "full")
    code, out, err = gen("serving", "--env", "ai-dev")
    assert code == 1
    assert calls(kubectl) == [GET]
    lines = out.splitlines()
    assert lines[:2] == [
        'current profile of ai-dev: full (root "root")',
        'the root "root" will sync serving: layers added: none; layers pruned: routing, '
        "llm-gateway, experience, demos",
    ]
    assert lines[2].startswith("Argo CD will prune 19 Applications, and what they deployed: ")
    assert "group-demos" in lines[2] and "kserve-demo" in lines[2]
    assert lines[3] == (
        "caution: manual-sync apps pruned while possibly deployed: n8n, inference-demo, kserve-demo"
    )
    assert err == (
        "refused: serving is narrower than full; Argo CD would prune the above. Run again with "
        "CONFIRM=1 (gen root --confirm) to go ahead\n"
    )
    code, out, err = gen("serving", "--env", "ai-dev", "--confirm")
    assert code == 0, err
    assert calls(kubectl)[-1] == "kubectl apply -k rendered/ai-dev/roots/serving"


def test_widening_and_same_profile(
    kubectl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_root(tmp_path, monkeypatch, "serving")
    code, out, _ = gen("llm-gateway", "--env", "ai-dev")
    assert code == 0
    assert out.splitlines()[1] == (
        'the root "root" will sync llm-gateway: layers added: routing, llm-gateway'
    )
    code, out, _ = gen("serving", "--env", "ai-dev")
    assert code == 0
    assert out.splitlines()[1] == "profile serving unchanged: nothing to prune or create"


def test_current_option_replaces_the_kubectl_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    code, _, err = gen("platform", "--env", "ai-dev", "--dry-run", "--current", "full")
    assert code == 1
    assert "# would run" not in err  # refused: nothing would run
    assert "refused: platform is narrower than full" in err
    code, _, err = gen("platform", "--env", "ai-dev", "--dry-run", "--current", "fulll")
    assert code == 2
    assert "error: unknown profile 'fulll' (did you mean \"full\"?)" in err


def test_a_live_root_on_another_path_is_an_error(
    kubectl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "live.json"
    path.write_text(json.dumps({"spec": {"source": {"path": "clusters/ai-dev/appsets"}}}))
    monkeypatch.setenv("FAKE_KUBECTL_GET", str(path))
    code, _, err = gen("serving", "--env", "ai-dev")
    assert code == 2
    assert err.splitlines()[-1] == (
        'error: the live root Application "root" syncs "clusters/ai-dev/appsets", which is no '
        "profile folder of ai-dev; check it with `kubectl get applications.argoproj.io root -n "
        "argocd -o yaml`"
    )
    assert calls(kubectl) == [GET]


def test_without_kubectl_a_real_run_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    code, _, err = gen("serving", "--env", "ai-dev")
    assert code == 2
    assert err == (
        "error: kubectl not found on PATH (set KUBECTL=... for make, or --kubectl); --dry-run "
        "needs no kubectl\n"
    )


def test_kubectl_option_and_a_failing_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_KUBECTL_LOG", str(tmp_path / "log"))
    monkeypatch.setenv("FAKE_KUBECTL_EXIT", "3")
    code, _, err = gen("platform", "--env", "prod", "--kubectl", str(FAKE))
    assert code == 1
    assert err == "error: kubectl apply failed (exit 3)\n"
    assert calls(tmp_path / "log") == [
        "kubectl get applications.argoproj.io prod-root -n argocd -o json --ignore-not-found",
        "kubectl apply -k rendered/prod/roots/platform",
    ]
