"""Acceptance 3: with the repository checked out, an Application's missing path, near-miss
name and missing $values file are missing-path errors with suggestions; without --repo-root
and outside a git work tree, nothing is checked. Also the git-remote default, URL forms, and
gen render --check-sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import gen_outcome, git

from generator.validation.manifests.repository import near_path, repo_identity

FIXTURE = Path(__file__).parents[2] / "fixtures" / "repo-contents"
BASE = Path(__file__).parents[2] / "corpus" / "_base"
URL = "https://github.com/example-org/platform.git"


def gen(*args: str) -> tuple[int, str, str]:
    return gen_outcome(None, *args)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "repo")
    return tmp_path / "repo"


def expected(repo: Path) -> list[str]:
    apps, where = repo / "apps", str(repo)
    return [
        f'{apps}/cert-manager-issuers.yaml:11:5: spec.source.path: path "clusters/ai-dev/'
        f'cert-manager-issuers" does not exist in {URL} (checked in {where}) [missing-path]',
        f"{apps}/grafana.yaml:14:13: spec.sources[0].helm.valueFiles[0]: value file "
        f'"$values/values/grafana-prod.yaml" does not exist in {URL} (checked in {where}) '
        '(did you mean "$values/values/grafana-production.yaml"?) [missing-path]',
        f'{apps}/kube-vip.yaml:11:5: spec.source.path: path "clusters/ai-dev/kubevip" does not '
        f'exist in {URL} (checked in {where}) (did you mean "clusters/ai-dev/kube-vip"?) '
        "[missing-path]",
        "error: 3 problems in 5 file(s)",
    ]


def test_repo_root_finds_exactly_the_three_mistakes(repo: Path) -> None:
    code, out, err = gen("validate", str(repo / "apps"), "--repo-root", str(repo))
    assert (code, out) == (2, "")
    assert err.splitlines() == expected(repo)


def test_without_the_flag_outside_a_work_tree_nothing_is_checked(repo: Path) -> None:
    assert gen("validate", str(repo / "apps")) == (0, "5 file(s) valid\n", "")


def test_the_work_tree_whose_remote_matches_is_checked_by_default(repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "remote", "add", "origin", "git@github.com:Example-Org/platform")
    code, _, err = gen("validate", str(repo / "apps"))
    assert code == 2 and err.count("[missing-path]") == 3


def test_a_work_tree_of_another_repository_is_not_checked(repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "remote", "add", "origin", "https://github.com/example-org/other.git")
    assert gen("validate", str(repo / "apps"))[0] == 0
    assert gen("validate", str(repo / "apps"), "--repo-root", str(repo))[0] == 0


def test_repo_mapping(repo: Path) -> None:
    code, _, err = gen("validate", str(repo / "apps"), "--repo", f"{URL}={repo}")
    assert code == 2 and err.count("[missing-path]") == 3
    assert gen("validate", str(repo / "apps"), "--repo", f"https://x.example/y={repo}")[0] == 0


def test_globs_and_empty_folders(repo: Path) -> None:
    dashboards = repo / "apps" / "dashboards.yaml"
    dashboards.write_text(dashboards.read_text().replace("'{*.yml,*.yaml}'", "'*.json'"))
    (repo / "clusters" / "ai-dev" / "kube-vip" / "daemonset.yaml").rename(
        repo / "clusters" / "ai-dev" / "kube-vip" / "README"
    )
    code, _, err = gen("validate", str(repo / "apps"), "--repo-root", str(repo))
    assert code == 2
    assert 'include "*.json" matches no file in "clusters/ai-dev/dashboards" ' in err
    assert "[glob-matches-nothing]" in err


def test_repository_identity_and_near_names(tmp_path: Path) -> None:
    same = {
        repo_identity(url)
        for url in (
            "https://github.com/Org/Repo.git",
            "https://github.com/org/repo/",
            "git@github.com:org/repo.git",
            "ssh://git@github.com/org/repo",
        )
    }
    assert same == {"github.com/org/repo"}
    (tmp_path / "clusters" / "kube-vip").mkdir(parents=True)
    assert near_path(tmp_path, "clusters/kubevip") == "clusters/kube-vip"
    assert near_path(tmp_path, "clusters/zzz") is None


def test_render_check_sources(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    code, _, err = gen("render", "--root", str(root), "--check-sources")
    assert code == 2
    assert err.splitlines()[0].startswith(
        'catalog/apps/model.yaml:13:7: apps[0].source.path: path "apps/model" does not exist in '
        "https://github.com/example/gitops.git"
    )
    assert not (root / "rendered").exists()
    for app in ("model", "web", "cert-manager"):
        (root / "apps" / app).mkdir(parents=True)
        (root / "apps" / app / "kustomization.yaml").write_text("resources: []\n")
    code, _, err = gen("render", "--root", str(root), "--check-sources")
    assert code == 0, err
