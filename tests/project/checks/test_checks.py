"""generator.project.checks.references: cross-file input checks, each located at the
file:line:column it is about."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.core.errors import InputError, Problem
from generator.project.load import load_project

ROOT = Path(__file__).resolve().parents[3]
BASE = Path(__file__).parents[2] / "corpus" / "_base"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_the_default_project_loads_without_warnings() -> None:
    """The profile warning (coding-assistant in serving needs LiteLLM from llm-gateway) is for
    gen validate, plan and explain (tests/test_validate.py), not for every render."""
    assert load_project(ROOT).warnings == ()


def test_a_longer_requires_cycle_is_reported_once(base: Path) -> None:
    certs = base / "catalog" / "platform" / "certs.yaml"
    _edit(certs, "core: true\n", "core: true\nrequires:\n  - model\n")
    assert _problems(base) == [
        "catalog/apps/web.yaml:7:5: requires[0]: requires cycle: certs -> model -> web -> certs"
        " [dependency-cycle]",
        'catalog/platform/certs.yaml:6:5: requires[0]: environment "prod": group "certs" is on '
        'but it requires "model", which is off (features.gpu = false at config.yaml:6)'
        " [dependency-off]",
    ]


def test_wildcard_cluster_resources_are_a_warning_at_the_catalog(base: Path) -> None:
    _edit(
        base / "catalog" / "platform" / "certs.yaml",
        '  - {group: "", kind: Namespace}',
        '  - {group: "", kind: Namespace}\n  - {group: "*", kind: "*"}',
    )
    project = load_project(base)
    assert [str(w) for w in project.warnings] == [
        'catalog/platform/certs.yaml:7:6: warning: clusterResources[1].group: wildcard "*": the '
        "layer's AppProject will allow every matching cluster-scoped kind; list the kinds the "
        "group creates instead [wildcard-cluster-resources]",
        'catalog/platform/certs.yaml:7:18: warning: clusterResources[1].kind: wildcard "*": the '
        "layer's AppProject will allow every matching cluster-scoped kind; list the kinds the "
        "group creates instead [wildcard-cluster-resources]",
    ]


def test_apps_of_groups_never_on_together_may_share_a_name(base: Path) -> None:
    # model is on in dev only; a prod-only group may reuse its app name.
    (base / "catalog" / "apps" / "model-cpu.yaml").write_text(
        (base / "catalog" / "apps" / "model.yaml")
        .read_text()
        .replace("name: model\n", "name: model-cpu\n", 1)
        .replace("feature: gpu", "feature: cpu")
    )
    _edit(base / "config.yaml", "  gpu: false\n", "  gpu: false\n  cpu: true\n")
    _edit(base / "config.yaml", "      gpu: true\n", "      gpu: true\n      cpu: false\n")
    load_project(base)  # no error


def test_every_problem_is_reported_not_just_the_first(base: Path) -> None:
    _edit(base / "catalog" / "apps" / "web.yaml", "layer: apps", "layer: app")
    _edit(base / "catalog" / "apps" / "model.yaml", "  - web\n", "  - webb\n")
    _edit(base / "config.yaml", "  web: true", "  webb: true")
    assert _problems(base) == [
        'catalog/apps/model.yaml:6:5: requires[0]: unknown group "webb" (did you mean "web"?)'
        " [unknown-group]",
        'catalog/apps/web.yaml:2:1: layer: unknown layer "app" (did you mean "apps"?)'
        " [unknown-layer]",
        'config.yaml:5:3: features.webb: "webb" selects no group (did you mean "web"?)'
        " [unknown-feature]",
    ]


def test_problem_is_one_line_even_when_a_value_has_line_breaks() -> None:
    problem = Problem("f.yaml", 1, 2, "labels.a\u2028b", 'bad "x\ny"')
    assert str(problem) == 'f.yaml:1:2: labels.a\\u2028b: bad "x\\ny"'
    assert len(str(problem).splitlines()) == 1
