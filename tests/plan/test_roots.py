"""Everything reachable from each root is built and permitted, and a push is the only lever.

- each ``rendered/<env>/roots/<profile>/`` builds with the real ``kubectl kustomize`` (where it
  is installed) into exactly the bootstrap AppProject and the root Application, the same
  objects the plan readers find;
- the tree from each root (root -> profile -> layers -> ApplicationSets -> group apps ->
  Applications) holds nothing its AppProjects do not permit, and a narrowed AppProject is
  caught (the check can fail);
- disabling or enabling any non-core group, globally or per environment, changes no file of
  any root: every such change reaches the cluster by a push alone.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, copy_project, snapshot

from generator.commands.edit import toggle
from generator.core.errors import GenError
from generator.plan.permits import tree_problems
from generator.plan.tree import TreeReader
from generator.project.load import load_project

PROJECT = load_project(REPO_ROOT)
CASES = [
    (env, profile) for env in PROJECT.config.environments for profile in PROJECT.layers.profiles
]


@pytest.mark.parametrize(("env", "profile"), CASES)
def test_every_root_is_permitted_all_the_way_down(env: str, profile: str) -> None:
    tree = TreeReader(REPO_ROOT, PROJECT.config).expand(env, profile)
    assert tree.root is not None and tree.root_project is not None
    assert tree.root.data["spec"]["source"]["path"] == f"rendered/{env}/profiles/{profile}"
    assert tree.layers == PROJECT.layers.profiles[profile]
    assert tree.groups and tree.applications
    assert tree_problems(tree) == []
    spec = tree.root_project.data["spec"]
    assert spec["namespaceResourceWhitelist"] == [
        {"group": "argoproj.io", "kind": kind} for kind in ("AppProject", "ApplicationSet")
    ]
    assert {d.kind for d in tree.deployed} == {"AppProject", "ApplicationSet"}
    assert "clusterResourceWhitelist" not in spec


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize(("env", "profile"), CASES)
def test_kubectl_kustomize_builds_each_root_and_its_profile(env: str, profile: str) -> None:
    def build(folder: str) -> list[tuple[str, str]]:
        out = subprocess.run(
            ["kubectl", "kustomize", str(REPO_ROOT / "rendered" / env / folder / profile)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted((d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(out) if d)

    tree = TreeReader(REPO_ROOT, PROJECT.config).expand(env, profile)
    name = PROJECT.config.environments[env].root_name
    assert build("roots") == [("AppProject", name), ("Application", name)]
    assert build("profiles") == sorted((d.kind, d.name) for d in tree.deployed)


def test_a_narrowed_project_is_caught(tmp_path: Path) -> None:
    root = copy_project(REPO_ROOT, tmp_path / "project")
    bootstrap = root / "rendered/ai-dev/roots/full/appproject.yaml"
    bootstrap.write_text(
        bootstrap.read_text().replace("      kind: ApplicationSet\n", "      kind: Secret\n")
    )
    serving = root / "rendered/ai-dev/layers/serving/appproject.yaml"
    serving.write_text(
        serving.read_text().replace("      namespace: vllm\n", "      namespace: vllm-x\n")
    )
    tree = TreeReader(root, PROJECT.config).expand("ai-dev", "full")
    messages = [p.message for p in tree_problems(tree)]
    assert (
        'root Application "root" deploys argoproj.io/ApplicationSet, which AppProject "root" '
        "does not permit" in messages
    )
    assert (
        'Application "raw-vllm": destination server=https://kubernetes.default.svc, '
        'namespace=vllm is not allowed by AppProject "serving"'
    ) in messages


def test_a_missing_root_is_an_error_unless_reading_an_older_tree(tmp_path: Path) -> None:
    root = copy_project(REPO_ROOT, tmp_path / "project")
    shutil.rmtree(root / "rendered/ai-dev/roots")
    reader = TreeReader(root, PROJECT.config)
    with pytest.raises(GenError) as caught:
        reader.expand("ai-dev", "serving")
    assert [str(p) for p in caught.value.problems] == [
        "rendered/ai-dev/roots/serving/kustomization.yaml: not found; run `gen render` "
        "[not-rendered]"
    ]
    older = reader.expand("ai-dev", "serving", fallback=True)
    assert older.root is None and older.layers == ("platform", "serving")
    shutil.rmtree(root / "rendered/ai-dev/profiles")
    assert reader.expand("ai-dev", "serving", fallback=True).groups == ()


def _flags() -> list[tuple[str, str | None]]:
    """Every non-core group, with each scope it can be switched in: globally and per
    environment."""
    groups = [g.name for g in PROJECT.groups.values() if not g.core and g.feature is not None]
    scopes: list[str | None] = [None, *PROJECT.config.environments]
    return [(group, scope) for group in sorted(groups) for scope in scopes]


def test_enable_and_disable_never_touch_a_root(tmp_path: Path) -> None:
    """Acceptance: for every non-core group of the default and both environments, gen
    disable/enable change no file under rendered/*/roots/ (toggles that config.yaml refuses,
    such as a group another one requires, are counted apart: they change nothing at all)."""
    root = copy_project(REPO_ROOT, tmp_path / "project")
    roots = {
        env: snapshot(root / "rendered" / env / "roots") for env in PROJECT.config.environments
    }
    assert all(roots.values())
    done = refused = 0
    for group, scope in _flags():
        for enabled in (False, True):
            try:
                result = toggle.run(root, group, enabled, scope)
            except GenError:
                refused += 1
                continue
            done += 1 if result.edit is not None and result.edit.changed else 0
            for env, before in roots.items():
                assert snapshot(root / "rendered" / env / "roots") == before, (group, scope)
    assert done >= 20, (done, refused)
