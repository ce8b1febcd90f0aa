"""Shared fixtures for the test suite."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def argo_crds_dir() -> Path:
    """The official Argo CD CRDs, kept in the workplace's shared/reference (never copied here).

    Outside the workplace the folder does not exist and tests needing it skip; under ``CI=true``
    a missing folder means CI lost its reference data, which must fail rather than pass quietly.
    """
    root = Path(__file__).resolve().parents[1]
    path = (root / ".." / "shared" / "reference" / "argo-cd-crds").resolve()
    # A git worktree of the project may sit deeper than the checkout (wt/<branch>/): look in
    # the folders above for the workplace's shared/reference too.
    for folder in root.parents:
        candidate = folder / "shared" / "reference" / "argo-cd-crds"
        if not path.is_dir() and candidate.is_dir():
            path = candidate
    if not path.is_dir():
        reason = (
            f"official Argo CD CRDs not found at {path}: "
            "they live in the workplace's shared/reference"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """This repository's root: the embedded default config.yaml, catalog/ and rendered/."""
    return REPO_ROOT


def copy_project(source: Path, target: Path, with_rendered: bool = True) -> Path:
    """Copy a project's inputs (config.yaml, catalog/, templates/ if any) and rendered/."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "config.yaml", target / "config.yaml")
    shutil.copytree(source / "catalog", target / "catalog")
    if (source / "templates").is_dir() and source != REPO_ROOT:
        shutil.copytree(source / "templates", target / "templates")
    if with_rendered and (source / "rendered").is_dir():
        shutil.copytree(source / "rendered", target / "rendered")
    return target


@pytest.fixture
def default_project(tmp_path: Path) -> Path:
    """A private copy of the embedded default (inputs and committed rendered/)."""
    return copy_project(REPO_ROOT, tmp_path / "project")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, for "nothing changed" assertions."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


MINI_CONFIG = """\
repoURL: https://example.com/gitops.git
environments:
  dev:
    destination:
      server: https://kubernetes.default.svc
"""
MINI_LAYERS = """\
layers: [base, apps]
profiles:
  base: [base]
  all: [base, apps]
"""


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a small project under tmp_path: ``make_project({"base/core.yaml": text})``.

    Group files go under catalog/ (by their path), config.yaml and catalog/layers.yaml default
    to a one-environment (``dev``), two-layer (``base``, ``apps``) project."""

    def make(groups: dict[str, str], config: str = MINI_CONFIG, layers: str = MINI_LAYERS) -> Path:
        root = tmp_path / "project"
        (root / "catalog").mkdir(parents=True, exist_ok=True)
        (root / "config.yaml").write_text(config, encoding="utf-8")
        (root / "catalog" / "layers.yaml").write_text(layers, encoding="utf-8")
        for name, text in groups.items():
            path = root / "catalog" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own, empty run cache (generator/fs/cache.py), never ~/.cache."""
    folder = tmp_path_factory.mktemp("stagegen-cache")
    monkeypatch.setenv("STAGEGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("STAGEGEN_NO_CACHE", raising=False)
    return folder


def gen_in(*args: str, cwd: Path) -> Any:
    """Run ``gen ARGS`` through click's CliRunner from the folder ``cwd`` (as a user would)."""
    from click.testing import CliRunner

    from generator.cli.main import main

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def gen_at(root: Path | None, *args: str) -> Any:
    """Run ``gen ARGS --root ROOT`` (no ``--root`` when ROOT is None) through click's
    CliRunner; its click.testing.Result. A traceback in the output fails the test."""
    from click.testing import CliRunner

    from generator.cli.main import main

    where = ["--root", str(root)] if root is not None else []
    result = CliRunner().invoke(main, [*args, *where], prog_name="gen")
    assert "Traceback" not in result.output
    return result


def gen_outcome(root: Path | None, *args: str) -> tuple[int, str, str]:
    """:func:`gen_at`'s exit code, stdout and stderr."""
    result = gen_at(root, *args)
    return result.exit_code, result.stdout, result.stderr


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based number of the first line of ``text`` holding ``needle`` (at or after the
    first line holding ``after``)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def git(root: Path, *args: str) -> str:
    """Run ``git -C ROOT ARGS``; its standard output (a failure fails the test)."""
    import subprocess

    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    """A copy of the default project in a git repository, all of it committed on ``main``."""
    root = copy_project(REPO_ROOT, tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    return root


@pytest.fixture
def fake_kubectl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A recording ``kubectl`` first on PATH (tests/kubectl_fake.py): no API server runs here,
    so this stands in for one. Returns its :class:`kubectl_fake.FakeKubectl` handle."""
    import shlex
    import sys

    from kubectl_fake import FakeKubectl

    folder = tmp_path / "fake-kubectl"
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "kubectl"
    fake = Path(__file__).with_name("kubectl_fake.py")
    script.write_text(
        f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(fake))} "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_KUBECTL_DIR", str(folder))
    monkeypatch.delenv("KUBECTL", raising=False)
    return FakeKubectl(folder)


OPS_PROJECT = REPO_ROOT / "tests" / "fixtures" / "ops"


@pytest.fixture
def ops_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/ops (the operator verbs' small project), rendered."""
    import shutil

    from click.testing import CliRunner

    from generator.cli.main import main

    root = tmp_path / "ops"
    shutil.copytree(OPS_PROJECT, root)
    result = CliRunner().invoke(main, ["render", "--root", str(root), "--quiet"])
    assert result.exit_code == 0, result.output
    return root
