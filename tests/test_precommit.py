"""The pre-commit hooks, driven by the real ``pre-commit`` package in a throw-away git repository
set up like a user's (config.yaml, catalog/, rendered/), offline.

The hooks are this repository's own ``.pre-commit-hooks.yaml`` entries (same id, name, files
pattern, pass_filenames), installed as ``repo: local`` with ``language: system`` and this
interpreter's ``gen`` as the entry, so pre-commit never downloads anything: PRE_COMMIT_HOME and
git's configuration point into the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT, copy_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PYTHON = shlex.quote(sys.executable)


def manifest_hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in hooks}


class UserRepo:
    """A git repository holding a stagegen project, with pre-commit installed."""

    def __init__(self, tmp_path: Path, hook_id: str) -> None:
        self.root = copy_project(REPO_ROOT, tmp_path / "repo")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
        self.env.update(
            PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_CONFIG_NOSYSTEM="1",
            HOME=str(tmp_path / "home"),
        )
        hook = dict(manifest_hooks()[hook_id])
        command = hook["entry"].split()
        assert command[0] == "gen"
        hook.update(language="system", entry=f"{PYTHON} -m generator {' '.join(command[1:])}")
        config = {"repos": [{"repo": "local", "hooks": [hook]}]}
        (self.root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
        (self.root / "README.md").write_text("platform\n")
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test User")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.run(sys.executable, "-m", "pre_commit", "install")
        assert (self.root / ".git" / "hooks" / "pre-commit").is_file()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=self.root, env=self.env, capture_output=True, text=True, check=False
        )

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run("git", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def commit(self, message: str, *paths: str) -> subprocess.CompletedProcess[str]:
        self.git("add", *(paths or ("-A",)))
        return self.run("git", "commit", "-q", "-m", message)

    def commits(self) -> int:
        result = self.run("git", "rev-list", "--count", "HEAD")
        return int(result.stdout) if result.returncode == 0 else 0

    def gen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "generator", *args)

    def set_prod_demos(self) -> None:
        config = self.root / "config.yaml"
        text = config.read_text()
        old = "      n8n: false\n      demos: false\n"
        assert text.count(old) == 1
        config.write_text(text.replace(old, "      n8n: false\n      demos: true\n"))


def test_the_manifests_are_valid_for_pre_commit() -> None:
    for command, file in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(REPO_ROOT / file)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    hooks = manifest_hooks()
    assert sorted(hooks) == ["gen-check", "gen-render"]
    for hook in hooks.values():
        assert hook["pass_filenames"] is False
        for path in ("config.yaml", "catalog/x.yaml", "templates/a.j2", "rendered/a/b.yaml"):
            assert re.search(hook["files"], path), (hook["id"], path)
        assert not re.search(hook["files"], "docs/config.yaml.md")


def test_a_stale_rendered_folder_is_refused_with_the_diff_then_accepted_after_render(
    tmp_path: Path,
) -> None:
    repo = UserRepo(tmp_path, "gen-check")
    first = repo.commit("initial")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "gen check (rendered/ matches config.yaml + catalog/)....." in first.stderr
    assert first.stderr.rstrip().endswith("Passed")

    # Only config.yaml changes: rendered/ is now stale and the commit is refused.
    repo.set_prod_demos()
    refused = repo.commit("demos in prod", "config.yaml")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Failed" in out
    assert "--- /dev/null\n+++ b/rendered/prod/groups/demos/kserve-demo.yaml" in out
    assert "+            group: demos" in out
    assert "rendered/ is stale: 2 changed, 2 missing, 0 extra; run `gen render`" in out
    assert repo.commits() == 1

    # After `gen render` the same change, with its rendered files, goes in.
    rendered = repo.gen("render")
    assert rendered.returncode == 0, rendered.stderr
    accepted = repo.commit("demos in prod")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert accepted.stderr.rstrip().endswith("Passed")
    assert repo.commits() == 2
    shown = repo.git("show", "--stat", "--format=", "HEAD").stdout
    assert "rendered/prod/groups/demos/kserve-demo.yaml" in shown

    # A commit touching none of the hook's files does not run it.
    (repo.root / "README.md").write_text("platform team\n")
    skipped = repo.commit("readme")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stderr


def test_the_render_hook_rewrites_rendered_and_reports_the_files(tmp_path: Path) -> None:
    repo = UserRepo(tmp_path, "gen-render")
    assert repo.commit("initial").returncode == 0

    repo.set_prod_demos()
    refused = repo.commit("demos in prod", "config.yaml")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "files were modified by this hook" in out
    assert "  written: rendered/prod/groups/demos/kserve-demo.yaml" in out
    assert repo.commits() == 1
    assert (repo.root / "rendered/prod/groups/demos/kserve-demo.yaml").is_file()

    accepted = repo.commit("demos in prod, rendered")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert repo.commits() == 2
    assert repo.gen("check").returncode == 0
