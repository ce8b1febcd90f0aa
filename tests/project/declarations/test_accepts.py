"""``accept: [{id, reason}]`` on an app, a group or a catalog AppProject: the warning is not
printed again by render, check and validate; ``gen validate --show-accepted`` lists it; an
unknown id is an error with a suggestion; an entry that accepts nothing is a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

BASE = Path(__file__).parents[2] / "corpus" / "_base"

#: A long-form app that ignores replicas without RespectIgnoreDifferences: one warning, at its
#: syncPolicy (line 14).
GROUP = """\
name: batch
layer: apps
description: Batch jobs.
default: true
apps:
  - name: batch
    project: default
    destination: {server: https://kubernetes.default.svc, namespace: batch}
    source:
      repoURL: https://github.com/example/batch.git
      targetRevision: v1
      path: deploy
    syncPolicy:
      syncOptions: [CreateNamespace=true]
    ignoreDifferences:
      - group: apps
        kind: Deployment
        jsonPointers: [/spec/replicas]
"""
WARNING = (
    "catalog/apps/batch.yaml:13:5: warning: apps[0].syncPolicy.syncOptions: ignoreDifferences "
    "without RespectIgnoreDifferences=true: a sync still overwrites the ignored fields; add it "
    "to syncPolicy.syncOptions if they must be kept [respect-ignore-differences]"
)
APP_ACCEPT = """\
    accept:
      - id: respect-ignore-differences
        reason: scaled by hand on purpose
"""
GROUP_ACCEPT = """\
accept:
  - id: respect-ignore-differences
    reason: every batch app is scaled by hand
"""


def _project(tmp_path: Path, group: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "catalog" / "apps" / "batch.yaml").write_text(group)
    return root


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--root", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_the_warning_without_accept(tmp_path: Path) -> None:
    code, _, err = _run(_project(tmp_path, GROUP), "render")
    assert code == 0
    assert err.splitlines() == [WARNING]


@pytest.mark.parametrize(
    "group",
    [GROUP + APP_ACCEPT, GROUP_ACCEPT + GROUP],
    ids=["on the app", "on the group"],
)
def test_accepted_warnings_are_not_printed_again(tmp_path: Path, group: str) -> None:
    root = _project(tmp_path, group)
    for command in (["render"], ["check"], ["validate"]):
        code, _, err = _run(root, *command)
        assert code == 0, err
        assert err == "", command


def test_show_accepted_lists_them_with_the_reason(tmp_path: Path) -> None:
    root = _project(tmp_path, GROUP + APP_ACCEPT)
    code, _, err = _run(root, "validate", "--show-accepted")
    assert code == 0
    assert err.splitlines() == [
        f"{WARNING} (accepted at catalog/apps/batch.yaml:20: scaled by hand on purpose)"
    ]
    code, out, _ = _run(root, "validate", "--show-accepted", "-o", "json")
    shown = json.loads(out)
    assert [item["accepted"] for item in shown] == [
        {"file": "catalog/apps/batch.yaml", "line": 20, "reason": "scaled by hand on purpose"}
    ]
    code, out, _ = _run(root, "validate", "--show-accepted", "-o", "sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"] == [
        {"kind": "inSource", "justification": "scaled by hand on purpose"}
    ]


def test_accept_on_an_app_covers_only_that_app(tmp_path: Path) -> None:
    second = GROUP.split("apps:\n", 1)[1].replace("name: batch", "name: batch-2")
    root = _project(tmp_path, GROUP + APP_ACCEPT + second)
    code, _, err = _run(root, "render")
    assert code == 0
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == ["catalog/apps/batch.yaml:29:5"]


def test_an_unknown_id_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    typo = APP_ACCEPT.replace("respect-ignore-differences", "respect-ignore-diferences")
    root = _project(tmp_path, GROUP + typo)
    code, _, err = _run(root, "render")
    assert code == 2
    assert (
        "catalog/apps/batch.yaml:20:9: apps[0].accept[0].id: unknown finding id "
        '"respect-ignore-diferences" (did you mean "respect-ignore-differences"?); the ids are '
        "listed in docs/validation.md [unknown-finding-id]"
    ) in err.splitlines()
    assert not (root / "rendered").exists()


def test_an_accept_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    fixed = GROUP.replace(
        "[CreateNamespace=true]", "[CreateNamespace=true, RespectIgnoreDifferences=true]"
    )
    root = _project(tmp_path, fixed + APP_ACCEPT)
    code, _, err = _run(root, "render")
    assert code == 0
    assert err.splitlines() == [
        "catalog/apps/batch.yaml:20:9: warning: apps[0].accept[0]: accepts "
        '"respect-ignore-differences", but nothing here has that warning any more; remove the '
        "entry [unused-accept]"
    ]
    # Rendering one environment cannot tell: another environment's output may have it.
    code, _, err = _run(root, "render", "--env", "dev")
    assert code == 0
    assert err == ""


def test_an_accept_on_a_catalog_project_covers_its_rendered_appproject(tmp_path: Path) -> None:
    root = _project(tmp_path, GROUP)
    (root / "catalog" / "projects").mkdir()
    project = """\
layer: apps
manifest:
  apiVersion: argoproj.io/v1alpha1
  kind: AppProject
  metadata: {name: batch, namespace: argocd}
  spec:
    sourceRepos: [https://github.com/example/batch.git]
    destinations: [{server: https://kubernetes.default.svc, namespace: "*"}]
"""
    (root / "catalog" / "projects" / "batch.yaml").write_text(project)
    batch = GROUP.replace("project: default", "project: batch") + APP_ACCEPT
    (root / "catalog" / "apps" / "batch.yaml").write_text(batch)
    code, _, err = _run(root, "render")
    assert code == 0
    assert [line.rsplit(" ", 1)[-1] for line in err.splitlines()] == ["[wildcard-destination]"] * 2
    accept = "accept:\n  - id: wildcard-destination\n    reason: one namespace per tenant\n"
    (root / "catalog" / "projects" / "batch.yaml").write_text(project + accept)
    code, _, err = _run(root, "render")
    assert code == 0
    assert err == ""
