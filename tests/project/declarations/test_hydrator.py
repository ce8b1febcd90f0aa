"""Argo CD 3.x's Source Hydrator in the catalog: ``sourceHydrator`` is a third source form,
validated (generator/project/declarations/hydrator.py), rendered (render/objects.py: a drySource
without repoURL is this repository), permitted by the layer's generated AppProject, overridable per
environment, and shown by ``gen explain`` and ``gen plan``."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import gen_in as _gen

from generator.core.errors import InputError
from generator.project.load import load_project
from generator.render.templates import render_project

CONFIG = """\
repoURL: https://example.com/gitops.git
targetRevision: main
environments:
  dev:
    destination: {server: https://kubernetes.default.svc}
  prod:
    destination: {name: prod}
    targetRevision: v2.0.0
"""
HYDRATOR = """\
sourceHydrator:
  drySource: {path: apps/web}
  syncSource: {targetBranch: environments/dev, path: web}
"""


def _group(app: str) -> str:
    body = textwrap.indent(textwrap.dedent(app), "    ")
    return (
        "name: web\nlayer: apps\ndescription: web\ncore: true\napps:\n"
        "  - name: web\n    namespace: web\n" + body
    )


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Callable[..., Path]:
    def make(app: str = HYDRATOR, config: str = CONFIG) -> Path:
        return make_project({"apps/web.yaml": _group(app)}, config=config)

    return make


def _problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def _rendered(root: Path, rel: str) -> Any:
    return yaml.safe_load(render_project(load_project(root))[rel])


def test_a_dry_source_without_repo_url_is_this_repository(project: Callable[..., Path]) -> None:
    root = project()
    dev = _rendered(root, "dev/groups/web/web.yaml")["spec"]
    assert dev["sourceHydrator"] == {
        "drySource": {
            "repoURL": "https://example.com/gitops.git",
            "path": "apps/web",
            "targetRevision": "main",
        },
        "syncSource": {"targetBranch": "environments/dev", "path": "web"},
    }
    assert "source" not in dev and "sources" not in dev
    prod = _rendered(root, "prod/groups/web/web.yaml")["spec"]["sourceHydrator"]
    assert prod["drySource"]["targetRevision"] == "v2.0.0"


def test_another_repository_is_carried_and_permitted(project: Callable[..., Path]) -> None:
    root = project(
        """\
        sourceHydrator:
          drySource:
            repoURL: https://example.com/charts.git
            targetRevision: v1.2.3
            path: web
            helm: {releaseName: web}
          syncSource: {targetBranch: env/dev, path: web, repoURL: https://example.com/hydrated.git}
          hydrateTo: {targetBranch: env/dev-next}
        """
    )
    spec = _rendered(root, "dev/groups/web/web.yaml")["spec"]
    assert spec["sourceHydrator"]["drySource"] == {
        "repoURL": "https://example.com/charts.git",
        "path": "web",
        "targetRevision": "v1.2.3",
        "helm": {"releaseName": "web"},
    }
    assert spec["sourceHydrator"]["hydrateTo"] == {"targetBranch": "env/dev-next"}
    layer = _rendered(root, "dev/layers/apps/appproject.yaml")["spec"]
    assert layer["sourceRepos"] == [
        "https://example.com/charts.git",
        "https://example.com/gitops.git",
        "https://example.com/hydrated.git",
    ]


@pytest.mark.parametrize(
    ("app", "expected"),
    [
        pytest.param(
            HYDRATOR + "source: {path: apps/web}\n",
            'catalog/apps/web.yaml:6:5: apps[0]: "sourceHydrator" replaces "source" and '
            '"sources": use one of the three',
            id="beside a source",
        ),
        pytest.param(
            "sync: auto\n",
            'catalog/apps/web.yaml:6:5: apps[0]: needs a "source", a "sources" list or a '
            '"sourceHydrator"',
            id="no source at all",
        ),
        pytest.param(
            HYDRATOR.replace("path: apps/web", "path: ../web"),
            'catalog/apps/web.yaml:9:19: apps[0].sourceHydrator.drySource.path: "../web" must '
            'stay inside the repository (no "..")',
            id="dry path leaves the repository",
        ),
        pytest.param(
            HYDRATOR.replace("{path: apps/web}", "{repoURL: https://example.com/c.git, path: w}"),
            "catalog/apps/web.yaml:9:7: apps[0].sourceHydrator.drySource: a drySource that names "
            'its repository needs "targetRevision" (Argo CD requires it; only a drySource in this '
            "repository gets the environment's revision)",
            id="another repository without a revision",
        ),
        pytest.param(
            HYDRATOR.replace("path: web}", "path: .}"),
            'catalog/apps/web.yaml:10:52: apps[0].sourceHydrator.syncSource.path: "." is the '
            "repository's root: Argo CD commits the hydrated manifests to a folder of the branch, "
            "never to its root",
            id="sync path is the root",
        ),
        pytest.param(
            HYDRATOR.replace("path: web}", "path: w//b}"),
            'catalog/apps/web.yaml:10:52: apps[0].sourceHydrator.syncSource.path: "w//b" is not '
            'normalised; write "w/b"',
            id="sync path not normalised",
        ),
        pytest.param(
            HYDRATOR.replace("targetBranch: environments/dev, ", ""),
            "catalog/apps/web.yaml:10:7: apps[0].sourceHydrator.syncSource.targetBranch: missing "
            'required field "targetBranch" [missing-field]',
            id="no target branch",
        ),
        pytest.param(
            HYDRATOR + "  hydrateTo: {branch: x}\n",
            "catalog/apps/web.yaml:11:19: apps[0].sourceHydrator.hydrateTo.branch: unknown field "
            '"branch"',
            id="hydrateTo typo",
        ),
    ],
)
def test_each_rule_with_its_text(project: Callable[..., Path], app: str, expected: str) -> None:
    problems = _problems(project(app))
    assert any(p.startswith(expected) for p in problems), problems


def test_an_environment_may_switch_an_app_to_the_hydrator(project: Callable[..., Path]) -> None:
    override = CONFIG + (
        "    apps:\n      web:\n        sourceHydrator:\n"
        "          drySource: {path: apps/web}\n"
        "          syncSource: {targetBranch: environments/prod, path: web}\n"
    )
    root = project("source: {path: apps/web}\n", override)
    files = render_project(load_project(root))
    assert "source" in yaml.safe_load(files["dev/groups/web/web.yaml"])["spec"]
    prod = yaml.safe_load(files["prod/groups/web/web.yaml"])["spec"]
    assert "source" not in prod
    assert prod["sourceHydrator"]["syncSource"]["targetBranch"] == "environments/prod"


def test_explain_and_plan_show_it(project: Callable[..., Path]) -> None:
    root = project()
    assert _gen("render", cwd=root).exit_code == 0
    explained = _gen("explain", "web", "--env", "dev", cwd=root)
    assert explained.exit_code == 0, explained.output
    assert (
        "  source hydrator: renders https://example.com/gitops.git apps/web at main, commits it "
        "to branch environments/dev at web, syncs from there (catalog/apps/web.yaml:8)"
    ) in explained.output.splitlines()
    planned = _gen("plan", "--env", "prod", cwd=root)
    assert planned.exit_code == 0, planned.output
    lines = planned.output.splitlines()
    start = lines.index("Source Hydrator (Argo CD renders the dry source and commits the result):")
    assert lines[start + 1] == (
        "  web  renders https://example.com/gitops.git apps/web at v2.0.0, commits it to branch "
        "environments/dev at web, syncs from there"
    )
    as_json = _gen("plan", "--env", "dev", "-o", "json", cwd=root)
    [app] = yaml.safe_load(as_json.output)["plans"][0]["applications"]
    assert app["sourceHydrator"]["drySource"]["repoURL"] == "https://example.com/gitops.git"
