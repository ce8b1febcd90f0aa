"""``gen root``: the root's objects, what a change of profile does, and the kubectl it runs.

No cluster: the ``fake_kubectl`` fixture puts the recording kubectl (tests/kubectl_fake.py)
first on PATH, which logs every argv and answers ``get`` from the cluster the test describes
(a live root Application, or none). --dry-run tests run with no kubectl at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT, copy_project, gen_outcome
from kubectl_fake import root_application


def gen(*args: str, root: Path = REPO_ROOT) -> tuple[int, str, str]:
    return gen_outcome(root, "root", *args)


GET = "kubectl get applications.argoproj.io root -n argocd -o json"
APPLIED = ["appproject.argoproj.io/root configured", "application.argoproj.io/root configured"]


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


def test_first_bring_up_reads_the_live_root_then_applies(
    fake_kubectl: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubectl runs in the project's folder, wherever gen is started: `apply -k` reads the
    relative folder it prints."""
    fake_kubectl.cluster(applications=[])
    monkeypatch.chdir(tmp_path)
    code, out, err = gen("platform", "--env", "ai-dev")
    assert code == 0, err
    assert fake_kubectl.calls() == [GET, "kubectl apply -k rendered/ai-dev/roots/platform"]
    lines = out.splitlines()
    assert lines[0] == 'ai-dev has no root Application "root" yet: first bring-up'
    assert lines[1] == 'the root "root" will sync platform: layers added: platform'
    assert lines[2].startswith("Argo CD will create 18 Applications: group-cert-manager, ")
    assert lines[-3:-1] == APPLIED
    assert lines[-1].startswith("next: Argo CD syncs the layers of platform from git")
    assert err == "+ kubectl apply -k rendered/ai-dev/roots/platform\n"


def test_narrowing_is_refused_without_confirm(fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[root_application("full", env="ai-dev")])
    code, out, err = gen("serving", "--env", "ai-dev")
    assert code == 2  # a request refused for want of confirmation, like gen up/down's refusals
    assert fake_kubectl.calls() == [GET]
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
    assert fake_kubectl.calls()[-1] == "kubectl apply -k rendered/ai-dev/roots/serving"


def test_widening_and_same_profile(fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[root_application("serving", env="ai-dev")])
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
    assert code == 2
    assert "# would run" not in err  # refused: nothing would run
    assert "refused: platform is narrower than full" in err
    code, _, err = gen("platform", "--env", "ai-dev", "--dry-run", "--current", "fulll")
    assert code == 2
    assert "error: unknown profile 'fulll' (did you mean \"full\"?)" in err


def test_a_live_root_on_another_path_is_an_error(fake_kubectl: Any) -> None:
    live = root_application("full", env="ai-dev")
    live["spec"]["source"]["path"] = "clusters/ai-dev/appsets"
    fake_kubectl.cluster(applications=[live])
    code, _, err = gen("serving", "--env", "ai-dev")
    assert code == 2
    assert err.splitlines()[-1] == (
        'error: the live root Application "root" syncs "clusters/ai-dev/appsets", which is no '
        "profile folder of ai-dev; check it with `kubectl get applications.argoproj.io root -n "
        "argocd -o yaml`"
    )
    assert fake_kubectl.calls() == [GET]


def test_without_kubectl_a_real_run_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("KUBECTL", raising=False)
    code, _, err = gen("serving", "--env", "ai-dev")
    assert code == 2
    assert err == (
        "error: kubectl not found on PATH: install kubectl, or give its path (--kubectl PATH, or "
        "KUBECTL=PATH); --dry-run needs no kubectl\n"
    )


def test_kubectl_option_or_variable_and_a_failing_apply(
    fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kubectl is the one --kubectl names, else $KUBECTL's; a failing apply is kubectl's
    error, exit 2, like the other operator verbs'."""
    monkeypatch.setenv("PATH", "")
    fake_kubectl.cluster(fail={"apply": "error: the server has asked for the client to log in"})
    kubectl = str(fake_kubectl.executable)
    code, _, err = gen("platform", "--env", "prod", "--kubectl", kubectl)
    assert code == 2
    assert err == (
        f"error: `{kubectl} apply -k rendered/prod/roots/platform` failed (exit 1): "
        "error: the server has asked for the client to log in\n"
    )
    get = "get applications.argoproj.io prod-root -n argocd -o json"
    assert fake_kubectl.calls() == [
        f"kubectl {get}",
        "kubectl apply -k rendered/prod/roots/platform",
    ]
    monkeypatch.setenv("KUBECTL", kubectl)
    code, _, err = gen("platform", "--env", "prod", "--dry-run")
    assert code == 0, err
    assert err.splitlines()[-2] == f"# would run: {kubectl} {get}"


def test_kubectl_runs_where_argo_cd_runs(fake_kubectl: Any, tmp_path: Path) -> None:
    """The root Application lives where Argo CD runs: `argocdContext` when config.yaml sets it,
    else an in-cluster environment's own `kubeContext`; prod's `kubeContext` (its destination
    cluster) is not where its root lives."""
    root = copy_project(REPO_ROOT, tmp_path / "project")
    config = root / "config.yaml"
    text = config.read_text()
    text = text.replace("    # kubeContext: ai-dev\n", "    kubeContext: ai-dev-ctx\n")
    text = text.replace("    # kubeContext: prod-gke\n", "    kubeContext: prod-gke\n")
    config.write_text(text)
    fake_kubectl.cluster(applications=[])
    code, _, err = gen("platform", "--env", "ai-dev", root=root)
    assert code == 0, err
    code, _, err = gen("platform", "--env", "prod", root=root)
    assert code == 0, err
    config.write_text("argocdContext: argocd-ctx\n" + text)
    code, _, err = gen("platform", "--env", "prod", root=root)
    assert code == 0, err
    assert fake_kubectl.calls() == [
        "kubectl --context ai-dev-ctx get applications.argoproj.io root -n argocd -o json",
        "kubectl --context ai-dev-ctx apply -k rendered/ai-dev/roots/platform",
        "kubectl get applications.argoproj.io prod-root -n argocd -o json",
        "kubectl apply -k rendered/prod/roots/platform",
        "kubectl --context argocd-ctx get applications.argoproj.io prod-root -n argocd -o json",
        "kubectl --context argocd-ctx apply -k rendered/prod/roots/platform",
    ]
