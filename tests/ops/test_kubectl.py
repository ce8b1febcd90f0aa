"""The kubectl runner (generator/ops/kubectl.py): argv, command lines, failures.

No API server runs here; the ``fake_kubectl`` fixture puts the recording ``kubectl`` first on PATH
(tests/kubectl_fake.py); one test points the runner at a script that prints no JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kubectl_fake import application

from generator.ops.kubectl import Kubectl, KubectlError


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "kubectl-script"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


def test_argv_and_line() -> None:
    assert Kubectl(executable="kubectl").argv(["get", "ns"]) == ("kubectl", "get", "ns")
    with_context = Kubectl("gke_p_r_prod", executable="kubectl")
    assert with_context.argv(["get", "ns"]) == ("kubectl", "--context", "gke_p_r_prod", "get", "ns")
    label = ["get", "x", "-l", "a=b,c in (d,e)"]
    assert with_context.line(label) == "kubectl --context gke_p_r_prod get x -l 'a=b,c in (d,e)'"


def test_the_cli_takes_kubectl_from_the_option_or_the_environment(
    ops_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from generator.cli.main import main

    args = ["down", "model", "--env", "dev", "--dry-run", "--root", str(ops_project)]
    monkeypatch.setenv("KUBECTL", "/opt/bin/kubectl")
    result = CliRunner().invoke(main, args)
    assert result.stdout.splitlines()[-1].startswith("/opt/bin/kubectl scale deployment/model")
    result = CliRunner().invoke(main, [*args, "--kubectl", "kubectl-1.31"])
    assert result.stdout.splitlines()[-1].startswith("kubectl-1.31 scale deployment/model")


def test_get_json_and_not_found(fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=[application("web")])
    kubectl = Kubectl()
    found = kubectl.get_json(
        ["get", "applications.argoproj.io", "web", "-n", "argocd", "-o", "json"]
    )
    assert found is not None and found["metadata"]["name"] == "web"
    args = ["get", "applications.argoproj.io", "nope", "-n", "argocd", "-o", "json"]
    assert kubectl.get_json(args, missing_ok=True) is None
    with pytest.raises(KubectlError) as error:
        kubectl.get_json(args)
    assert error.value.message == (
        "`kubectl get applications.argoproj.io nope -n argocd -o json` failed (exit 1): "
        'Error from server (NotFound): applications.argoproj.io "nope" not found'
    )


def test_failures_name_the_command_and_kubectls_last_line(
    tmp_path: Path, fake_kubectl: Any
) -> None:
    fake_kubectl.cluster(fail={"get": "E1129 retrying\nThe connection to the server was refused"})
    with pytest.raises(KubectlError) as error:
        Kubectl().run(["get", "ns"])
    assert error.value.message == (
        "`kubectl get ns` failed (exit 1): The connection to the server was refused"
    )

    with pytest.raises(KubectlError) as error:
        Kubectl(executable=script(tmp_path, "echo not-json")).get_json(["get", "ns", "-o", "json"])
    assert error.value.message.endswith("get ns -o json` printed no JSON object")


def test_missing_kubectl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("KUBECTL", raising=False)
    with pytest.raises(KubectlError) as error:
        Kubectl().run(["get", "ns"])
    assert error.value.message == (
        "kubectl not found on PATH: install kubectl, or give its path (--kubectl PATH, or "
        "KUBECTL=PATH); --dry-run needs no kubectl"
    )
