"""``gen init`` writes the bring-up Makefile and the pre-commit configuration, derived from this
repository's own Makefile and .pre-commit-hooks.yaml (generator/commands/edit/init.py), and both
work: the real ``make`` runs the verbs with the ``gen`` on PATH, the real ``pre-commit`` refuses a
commit whose rendered/ is stale. Both are refused, with everything else, when they exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO_ROOT
from conftest import gen_in as _gen

from generator.cli.main import main
from generator.commands.edit import init
from generator.core.layout import scaffold_source

URL = "https://github.com/example-org/gitops.git"
#: The Makefile targets a project gets: this repository's, less its own test and lint.
BRING_UP = [
    *("help", "render", "check", "resolve-groups", "root", "wait", "sync", "plan"),
    *("up", "down", "doctor", "smoke"),
]
#: A PATH on which `gen` is this checkout's (the venv the tests run in).
GEN_PATH = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    result = _gen("init", "repo", "--repo-url", URL, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "repo"


def _targets(makefile: str) -> list[str]:
    return re.findall(r"^([a-z-]+):.*## ", makefile, re.MULTILINE)


def test_the_makefile_is_this_repositorys_without_its_development_parts(project: Path) -> None:
    ours = (REPO_ROOT / "Makefile").read_text()
    written = (project / "Makefile").read_text()
    assert written == init.bring_up_makefile(ours)
    assert _targets(written) == BRING_UP
    assert _targets(ours) == [*BRING_UP[:3], "test", "lint", *BRING_UP[3:]]
    assert "development only" not in written and ".venv" not in written
    assert "\nGEN ?= gen\n" in written


def test_the_scaffold_sources_ship_with_the_package() -> None:
    """A wheel carries the Makefile and the hook manifest init derives from (hatch
    force-include); a checkout reads them in place."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["Makefile"] == "generator/_scaffold/Makefile"
    assert included[".pre-commit-hooks.yaml"] == "generator/_scaffold/pre-commit-hooks.yaml"
    assert scaffold_source("Makefile") == REPO_ROOT / "Makefile"
    assert scaffold_source(".pre-commit-hooks.yaml") == REPO_ROOT / ".pre-commit-hooks.yaml"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_runs_the_verbs_with_gen_on_path(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "ENV"}
    env["PATH"] = GEN_PATH

    def make(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    shown = make()
    assert shown.returncode == 0, shown.stderr
    assert [line.split()[0] for line in shown.stdout.splitlines() if line.startswith("  ")] == (
        BRING_UP
    )
    assert "now: GEN=gen PROFILE=platform" in shown.stdout
    assert make("render").returncode == 0
    checked = make("check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("rendered/ is up to date")
    dry = make("root", "PROFILE=all", "DRY_RUN=1")
    assert dry.returncode == 0, dry.stderr
    assert "kubectl apply -k rendered/dev/roots/all" in dry.stdout + dry.stderr


def test_the_pre_commit_hook_is_the_gen_check_hook(project: Path) -> None:
    manifest = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    ours = next(hook for hook in manifest if hook["id"] == "gen-check")
    [repo] = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook == {
        **{k: ours[k] for k in ("id", "name", "entry", "files", "pass_filenames")},
        "require_serial": ours["require_serial"],
        "language": "system",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_refuses_a_stale_commit_in_a_new_project(project: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PATH=GEN_PATH,
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(tmp_path / "home"),
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=project, env=env, capture_output=True, text=True, check=False
        )

    for step in (
        ("git", "init", "-q", "-b", "main"),
        ("git", "config", "user.name", "Test User"),
        ("git", "config", "user.email", "test@example.com"),
        ("git", "config", "commit.gpgsign", "false"),
        (sys.executable, "-m", "pre_commit", "install"),
        ("gen", "render"),
    ):
        assert run(*step).returncode == 0, step
    run("git", "add", "-A")
    first = run("git", "commit", "-q", "-m", "initial")
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stderr.rstrip().endswith("Passed")
    config = project / "config.yaml"
    config.write_text(config.read_text().replace("targetRevision: HEAD", "targetRevision: v1"))
    run("git", "add", "config.yaml")
    refused = run("git", "commit", "-q", "-m", "pin the revision")
    assert refused.returncode != 0
    assert "rendered/ is stale" in refused.stdout + refused.stderr


@pytest.mark.parametrize("existing", ["Makefile", ".pre-commit-config.yaml"])
def test_an_existing_file_refuses_everything(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("mine\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--repo-url", URL])
    assert result.exit_code == 2
    assert f"{tmp_path}/{existing}: already exists; gen init never overwrites" in result.output
    assert "error: refusing to overwrite 1 existing file(s): nothing written" in result.output
    assert [p.name for p in tmp_path.iterdir()] == [existing]
    assert (tmp_path / existing).read_text() == "mine\n"
