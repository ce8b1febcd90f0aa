"""``gen plan --since REV``: what pushing rendered/ does, against a git revision, offline.

Each test works in a temporary git repository holding a copy of the default project.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT, copy_project, gen_outcome, git

from generator.plan.changes import FieldChange, field_changes


def test_disabling_demos_prunes_its_apps_manual_ones_called_out(git_project: Path) -> None:
    """Acceptance: gen disable demos --env ai-dev, then gen plan --since HEAD (a real
    subprocess) lists the demos Applications as pruned, the manual-sync ones included."""
    code, _, err = gen_outcome(git_project, "disable", "demos", "--env", "ai-dev")
    assert code == 0, err
    command = ["plan", "--since", "HEAD", "--env", "ai-dev", "--profile", "full"]
    done = subprocess.run(
        [sys.executable, "-m", "generator", *command],
        cwd=git_project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    commit = git(git_project, "rev-parse", "HEAD").strip()[:12]
    assert done.stdout.splitlines() == [
        f"Changes for environment ai-dev, profile full: rendered/ on disk against HEAD ({commit})",
        "  pruned (3):",
        "    group-demos     group app of demos (layer demos)",
        "    inference-demo  group demos, layer demos, manual sync",
        "    kserve-demo     group demos, layer demos, manual sync",
        "  unchanged: 45 Applications",
        "  caution: manual-sync apps pruned while possibly deployed (someone may have run "
        "`argocd app sync`; their resources finalizer deletes what they deployed): "
        "inference-demo, kserve-demo",
    ]


def test_json_and_changed_fields(git_project: Path) -> None:
    config = git_project / "config.yaml"
    config.write_text(
        config.read_text().replace('targetRevision: "6.15.0"', 'targetRevision: "6.16.0"')
    )
    assert gen_outcome(git_project, "render")[0] == 0
    code, out, err = gen_outcome(
        git_project, "plan", "--since", "main", "--env", "prod", "-o", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["since"] == "main"
    [plan] = data["plans"]
    assert (plan["environment"], plan["profile"]) == ("prod", "full")
    assert plan["created"] == plan["pruned"] == []
    [changed] = plan["changed"]
    assert changed["name"] == "prod-open-webui"
    assert changed["fields"] == [
        {"path": "spec.source.targetRevision", "old": '"6.15.0"', "new": '"6.16.0"'}
    ]


def test_default_revision_is_the_upstream_else_head(git_project: Path, tmp_path: Path) -> None:
    code, out, _ = gen_outcome(git_project, "plan", "--since", "--env", "prod")
    assert code == 0
    assert "against HEAD (" in out and "no change: 30 Applications as they are" in out
    remote = tmp_path / "remote.git"
    git(git_project, "clone", "-q", "--bare", str(git_project), str(remote))
    git(git_project, "remote", "add", "origin", str(remote))
    git(git_project, "fetch", "-q", "origin")
    git(git_project, "branch", "-q", "--set-upstream-to=origin/main")
    code, out, _ = gen_outcome(git_project, "plan", "--since", "--env", "prod")
    assert "against origin/main (" in out


def test_a_revision_before_roots_existed_is_read_from_its_profiles(git_project: Path) -> None:
    import shutil

    shutil.rmtree(git_project / "rendered" / "ai-dev" / "roots")
    git(git_project, "add", "-A")
    git(git_project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "old")
    assert gen_outcome(git_project, "render")[0] == 0
    code, out, err = gen_outcome(
        git_project, "plan", "--since", "HEAD", "--env", "ai-dev", "--profile", "full"
    )
    assert code == 0, err
    assert out.splitlines()[1] == "  no change: 48 Applications as they are"


def test_bad_revision_and_no_repository(git_project: Path, tmp_path: Path) -> None:
    code, _, err = gen_outcome(git_project, "plan", "--since", "nope", "--env", "prod")
    assert (code, err) == (2, "error: --since nope: no such revision in this repository\n")
    plain = copy_project(REPO_ROOT, tmp_path / "plain")
    code, _, err = gen_outcome(plain, "plan", "--since", "HEAD")
    assert code == 2 and "is not in a git repository: --since needs one" in err


def test_field_changes_walk_maps_and_equal_length_lists() -> None:
    old = {"a": {"b": 1, "gone": [1]}, "l": [{"x": 1}, 2], "s": [1, 2]}
    new = {"a": {"b": 2, "new.key": "v"}, "l": [{"x": 3}, 2], "s": [1]}
    assert list(field_changes(old, new)) == [
        FieldChange("a.b", "1", "2"),
        FieldChange("a.gone", "[1]", "(absent)"),
        FieldChange("a[new.key]", "(absent)", '"v"'),
        FieldChange("l[0].x", "1", "3"),
        FieldChange("s", "[1, 2]", "[1]"),
    ]
