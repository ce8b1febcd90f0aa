"""``gen smoke`` (commands/smoke.py): the doctor, then the catalog's smoke checks.

No Kubernetes API server or Argo CD runs here: the ``fake_kubectl`` fixture puts a recording
``kubectl`` first on PATH (tests/kubectl_fake.py) that answers the doctor's read. The checks
themselves are real commands (``sh -c ...`` from tests/fixtures/ops/catalog), driven through
environment variables.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import REPO_ROOT
from kubectl_fake import application
from ops_cluster import LIST, ROOT_GET, cluster

from generator.cli.main import main
from generator.commands.cluster.smoke import checks_for, expand
from generator.project.load import load_project


def smoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["smoke", "--root", str(root), "--env", "dev", *args])


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SMOKE_SLEEP", "SMOKE_EXIT", "SMOKE_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def check_lines(result: Result) -> list[str]:
    """The check lines, with the measured duration replaced by ``D``."""
    out = []
    for line in result.stdout.splitlines():
        if line.startswith(("  PASS", "  FAIL", "  skip")):
            head, _, rest = line.partition(")  ")
            out.append(f"{head})  D s  {rest.split(' s  ', 1)[1]}")
    return out


def test_the_checks_of_a_profile_include_narrower_profiles_and_enabled_groups(
    ops_project: Path,
) -> None:
    project = load_project(ops_project)

    def names(env: str, profile: str) -> list[tuple[str, str]]:
        return [(origin, check.name) for origin, check in checks_for(project, env, profile)]

    assert names("dev", "base") == [("profile base", "ping")]
    assert names("dev", "all") == [("profile base", "ping"), ("group demo", "token")]
    assert names("prod", "all") == [("profile base", "ping")]  # demo is off in prod


def test_a_skipped_check_is_not_a_pass(ops_project: Path, fake_kubectl: Any) -> None:
    """A gate that did not send its request has tested nothing: a check skipped for want of its
    variables fails the smoke, unless --allow-skipped says that is fine."""
    fake_kubectl.cluster(applications=cluster())
    result = smoke(ops_project)
    assert result.exit_code == 1, result.output
    assert check_lines(result) == [
        "  PASS  ping (profile base)  D s  exit 0",
        "  skip  token (group demo)  D s  skipped: set SMOKE_TOKEN to run it",
    ]
    assert result.stdout.splitlines()[-1] == (
        "smoke FAILED: doctor healthy; checks: 1 passed, 0 failed, 1 skipped (a skipped check "
        "is not a pass: set its variables, or pass --allow-skipped)"
    )
    result = smoke(ops_project, "--allow-skipped")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "smoke passed: doctor healthy; checks: 1 passed, 0 failed, 1 skipped"
    )


def test_every_check_run_and_passed(
    ops_project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_kubectl.cluster(applications=cluster())
    monkeypatch.setenv("SMOKE_TOKEN", "expected")
    result = smoke(ops_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "smoke passed: doctor healthy; checks: 2 passed, 0 failed, 0 skipped"
    )


def test_a_failing_check_fails_the_smoke(
    ops_project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_kubectl.cluster(applications=cluster())
    monkeypatch.setenv("SMOKE_EXIT", "22")
    monkeypatch.setenv("SMOKE_TOKEN", "wrong-token-value")
    result = smoke(ops_project)
    assert result.exit_code == 1
    assert check_lines(result) == [
        "  FAIL  ping (profile base)  D s  exit 22",
        "  FAIL  token (group demo)  D s  exit 1",
    ]
    assert result.stdout.splitlines()[-1] == (
        "smoke FAILED: doctor healthy; checks: 0 passed, 2 failed, 0 skipped"
    )


def test_a_slow_check_times_out(
    ops_project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_kubectl.cluster(applications=cluster())
    monkeypatch.setenv("SMOKE_SLEEP", "30")  # the check's timeout is 5 s
    result = smoke(ops_project, "--profile", "base")
    assert result.exit_code == 1
    assert check_lines(result) == ["  FAIL  ping (profile base)  D s  timed out after 5 s"]


def test_an_unhealthy_doctor_fails_the_smoke(ops_project: Path, fake_kubectl: Any) -> None:
    fake_kubectl.cluster(applications=cluster(certs=application("certs", health="Degraded")))
    result = smoke(ops_project, "--profile", "base")
    assert result.exit_code == 1
    assert "  FAIL      certs       auto    Synced, Degraded" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == (
        "smoke FAILED: doctor UNHEALTHY; checks: 1 passed, 0 failed, 0 skipped"
    )


def test_secrets_are_masked_in_what_is_reported(
    ops_project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    layers = ops_project / "catalog" / "layers.yaml"
    layers.write_text(
        layers.read_text()
        + "    - name: echo-key\n"
        + '      run: [sh, -c, \'echo "denied for $0" >&2; exit 3\', "${SMOKE_API_KEY}"]\n'
    )
    monkeypatch.setenv("SMOKE_API_KEY", "sk-very-secret")
    fake_kubectl.cluster(applications=cluster())
    result = smoke(ops_project, "--profile", "base", "-o", "json")
    assert result.exit_code == 1
    checks = json.loads(result.stdout)["checks"]
    assert checks[1]["detail"] == "exit 3: denied for ${SMOKE_API_KEY}"
    assert checks[1]["command"] == ("sh -c 'echo \"denied for $0\" >&2; exit 3' '${SMOKE_API_KEY}'")
    assert "sk-very-secret" not in result.output


def test_stdin_reaches_the_command_and_never_its_argv(
    ops_project: Path, fake_kubectl: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    layers = ops_project / "catalog" / "layers.yaml"
    layers.write_text(
        layers.read_text()
        + "    - name: header\n"
        + '      run: [sh, -c, \'read line; test "$line" = "Authorization: Bearer sk-1"\']\n'
        + '      stdin: "Authorization: Bearer ${SMOKE_API_KEY}"\n'
    )
    monkeypatch.setenv("SMOKE_API_KEY", "sk-1")
    fake_kubectl.cluster(applications=cluster())
    result = smoke(ops_project, "--profile", "base", "-o", "json")
    assert result.exit_code == 0, result.output
    assert [c["outcome"] for c in json.loads(result.stdout)["checks"]] == ["pass", "pass"]
    monkeypatch.setenv("SMOKE_API_KEY", "sk-2")  # the command sees what stdin says
    result = smoke(ops_project, "--profile", "base", "-o", "json")
    assert result.exit_code == 1
    monkeypatch.delenv("SMOKE_API_KEY")
    result = smoke(ops_project, "--profile", "base")
    assert "  skip  header (profile base)" in result.stdout
    assert "skipped: set SMOKE_API_KEY to run it" in result.stdout


def test_dry_run_prints_the_commands_and_runs_nothing(ops_project: Path, fake_kubectl: Any) -> None:
    result = smoke(ops_project, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        LIST,
        ROOT_GET,
        "kubectl get inferenceservice.serving.kserve.io/isvc -n demo -o json",
        "kubectl get deployment/model -n models -o json",
        "sh -c 'sleep ${SMOKE_SLEEP:-0}; exit ${SMOKE_EXIT:-0}'",
        "sh -c 'test \"$0\" = expected' '${SMOKE_TOKEN}'",
    ]
    assert fake_kubectl.calls() == []


def test_the_default_serving_check_is_skipped_without_its_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = load_project(REPO_ROOT)
    [(origin, check)] = checks_for(project, "ai-dev", "serving")
    assert (origin, check.name) == ("profile serving", "chat-completions")
    for name in ("SMOKE_GATEWAY_URL", "SMOKE_API_KEY", "SMOKE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    argv, stdin, unset = expand(check, {})
    assert unset == ["SMOKE_API_KEY", "SMOKE_GATEWAY_URL"]
    argv, stdin, unset = expand(
        check, {"SMOKE_GATEWAY_URL": "https://gw", "SMOKE_API_KEY": "sk-key"}
    )
    assert unset == []
    assert argv[-1] == "https://gw/v1/chat/completions"
    # The key reaches curl on its standard input (--header @-), never in its argv.
    assert stdin == "Authorization: Bearer sk-key"
    assert argv[argv.index("@-") - 1] == "--header"
    assert not any("sk-key" in argument for argument in argv)
    assert '"model": "qwen2.5-0.5b-instruct"' in argv[-2]
    # full includes serving's layers: it runs serving's check too.
    assert [c.name for _, c in checks_for(project, "ai-dev", "full")] == ["chat-completions"]
