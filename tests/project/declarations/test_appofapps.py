"""catalog/layers.yaml ``appOfApps``: the layers' ApplicationSets and group apps as the owner names
and configures them (generator/project/declarations/appofapps.py), and every rule about it, with its
text."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.commands import plan
from generator.core.errors import InputError
from generator.project.load import load_project
from generator.render.templates import render_project

GOLDEN = Path(__file__).parents[2] / "fixtures" / "golden"
OWNER = GOLDEN / "owner-layout"
CONFIG = """\
repoURL: https://example.com/gitops.git
environments:
  dev:
    destination: {server: https://kubernetes.default.svc}
  prod:
    destination: {name: prod}
    namePrefix: prod-
"""
GROUPS = {
    "base/core.yaml": """\
name: core
layer: base
description: core
core: true
apps:
  - {name: dns, namespace: dns, source: {path: dns}}
""",
    "apps/web.yaml": """\
name: web
layer: apps
description: web
core: true
apps:
  - {name: web, namespace: web, source: {path: web}}
""",
}
LAYERS = "layers: [base, apps]\nprofiles:\n  base: [base]\n  all: [base, apps]\n"


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Callable[..., Path]:
    def make(layers: str = LAYERS, **extra: str) -> Path:
        return make_project({**GROUPS, **extra}, config=CONFIG, layers=layers)

    return make


def _problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems if p.severity == "error"]


def _yaml(files: dict[str, str], rel: str) -> Any:
    return yaml.safe_load(files[rel])


def test_the_defaults_written_out_render_exactly_as_none(project: Callable[..., Path]) -> None:
    plain = render_project(load_project(project()))
    spelled = "appOfApps: {name: '{layer}', appName: 'group-{group}'}\n" + LAYERS
    assert render_project(load_project(project(spelled))) == plain


def test_owner_names_project_and_options(project: Callable[..., Path], tmp_path: Path) -> None:
    (tmp_path / "project" / "catalog" / "projects").mkdir(parents=True)
    (tmp_path / "project" / "catalog" / "projects" / "shared.yaml").write_text(
        "layer: base\nmanifest:\n  apiVersion: argoproj.io/v1alpha1\n  kind: AppProject\n"
        "  metadata: {name: shared, namespace: argocd}\n  spec:\n"
        "    sourceRepos: [https://example.com/gitops.git]\n"
        "    destinations: [{server: https://kubernetes.default.svc, namespace: '*'},"
        " {name: prod, namespace: '*'}]\n"
    )
    layers = (
        "appOfApps:\n  name: layer-{layer}\n  appName: '{layer}-{group}'\n  project: shared\n"
        "  syncOptions: [ServerSideApply=true]\n  directory: {recurse: true}\n"
        "layers:\n  - base\n  - name: apps\n    appOfApps: {syncOptions: [Validate=false]}\n"
        "profiles:\n  base: [base]\n  all: [base, apps]\n"
    )
    files = render_project(load_project(project(layers)))
    appset = _yaml(files, "prod/layers/apps/applicationset.yaml")
    assert appset["metadata"]["name"] == "prod-layer-apps"
    assert appset["spec"]["generators"][0]["list"]["elements"][0]["name"] == "prod-apps-web"
    template = appset["spec"]["template"]["spec"]
    assert template["project"] == "shared"
    assert template["source"]["directory"] == {"recurse": True}
    # A per-layer key replaces the top-level one whole.
    assert template["syncPolicy"]["syncOptions"] == ["Validate=false"]
    base = _yaml(files, "dev/layers/base/applicationset.yaml")["spec"]["template"]["spec"]
    assert base["syncPolicy"]["syncOptions"] == ["ServerSideApply=true"]
    # No layer renders a generated AppProject: the owner's serves both; apps naming none use it.
    assert not [rel for rel in files if rel.endswith("/appproject.yaml") and "/layers/" in rel]
    assert _yaml(files, "dev/groups/web/web.yaml")["spec"]["project"] == "shared"


def _copy_golden(tmp_path: Path) -> Path:
    root = tmp_path / "owner"
    shutil.copytree(OWNER, root, ignore=shutil.ignore_patterns("expected"))
    shutil.copytree(OWNER / "expected", root / "rendered")
    return root


def test_plan_expands_the_owner_layout_as_argo_cd_would(tmp_path: Path) -> None:
    """Acceptance 3 of the issue, on the golden case: the app-of-apps Applications gen plan
    expands carry project platform, ServerSideApply=true and directory.recurse, are named
    group-<group>, and come from ApplicationSets named layer-<layer>."""
    from generator.plan.tree import TreeReader

    root = _copy_golden(tmp_path)
    project = load_project(root)
    tree = TreeReader(root, project.config).expand("ai-dev", "serving")
    assert [doc.name for doc in tree.deployed if doc.kind == "ApplicationSet"] == [
        "layer-platform",
        "layer-serving",
    ]
    assert [node.name for node in tree.groups] == ["group-platform-core", "group-kserve"]
    for node in tree.groups:
        spec = node.generated.application["spec"]
        assert spec["project"] == "platform"
        assert "ServerSideApply=true" in spec["syncPolicy"]["syncOptions"]
        assert spec["source"]["directory"]["recurse"] is True
    result = plan.run(root, "staging", "serving")
    [staging] = result.plans
    assert [g.applicationset for g in staging.group_apps] == [
        "stg-layer-platform",
        "stg-layer-serving",
    ]
    assert [a.app for a in staging.apps] == ["stg-cert-manager", "stg-kserve", "stg-model-gateway"]
    assert staging.refused == ()


def test_the_owner_layout_is_valid_for_argo_cd(tmp_path: Path, argo_crds_dir: Path) -> None:
    expected = OWNER / "expected"
    result = CliRunner().invoke(main, ["validate", str(expected), "--crds", str(argo_crds_dir)])
    assert result.exit_code == 0, result.stderr
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")
    out = subprocess.run(
        ["kubectl", "kustomize", str(expected / "ai-dev" / "profiles" / "serving")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in yaml.safe_load_all(out) if d)
    assert kinds == [
        ("AppProject", "platform"),
        ("ApplicationSet", "layer-platform"),
        ("ApplicationSet", "layer-serving"),
    ]


def _layers(app_of_apps: str, per_layer: str = "") -> str:
    items = "  - base\n  - apps\n" if not per_layer else f"  - base\n  - name: apps\n{per_layer}"
    return (
        f"appOfApps:\n{app_of_apps}layers:\n{items}profiles:\n  base: [base]\n  all: [base, apps]\n"
    )


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        pytest.param(
            _layers("  name: 'layer-{layr}'\n"),
            'catalog/layers.yaml:2:3: appOfApps.name: unknown placeholder "{layr}" (did you mean '
            '"{layer}"?); name takes {layer} [app-of-apps]',
            id="unknown placeholder",
        ),
        pytest.param(
            _layers("  appName: 'group-{{ .group }}'\n"),
            'catalog/layers.yaml:2:3: appOfApps.appName: "group-{{ .group }}": placeholders are '
            "written {group} (the generator's own), not as Jinja or Go templates [app-of-apps]",
            id="jinja",
        ),
        pytest.param(
            _layers("  appName: 'group-{group'\n"),
            'catalog/layers.yaml:2:3: appOfApps.appName: "group-{group": a "{" or "}" that is not '
            "part of a placeholder like {group} [app-of-apps]",
            id="stray brace",
        ),
        pytest.param(
            _layers("  appName: 'apps-{layer}'\n"),
            'catalog/layers.yaml:2:3: appOfApps.appName: "apps-{layer}" has no {group}: every '
            "group would get the same name [app-of-apps]",
            id="no group placeholder",
        ),
        pytest.param(
            _layers("  name: layers\n"),
            'catalog/layers.yaml:2:3: appOfApps.name: "layers" has no {layer}: every layer would '
            "get the same name [app-of-apps]",
            id="no layer placeholder",
        ),
        pytest.param(
            _layers("  name: 'Layer-{layer}'\n"),
            'catalog/layers.yaml:2:3: appOfApps.name: "Layer-base" is not a DNS-1123 label '
            '(lowercase letters, digits and "-", starting and ending with a letter or digit) (the '
            'ApplicationSet of layer "base") [invalid-name]',
            id="not a DNS label",
        ),
        pytest.param(
            _layers("  appName: '{group}-" + "x" * 55 + "'\n"),
            'catalog/layers.yaml:2:3: appOfApps.appName: "prod-core-' + "x" * 55 + '" is 65 '
            'characters; a DNS-1123 label has at most 63 (the app-of-apps of group "core")'
            " [invalid-name]",
            id="too long with the namePrefix",
        ),
        pytest.param(
            _layers("  name: 'set-{layer}'\n", "    appOfApps: {name: set-base}\n"),
            'catalog/layers.yaml:6:17: layers[1].appOfApps.name: layers "base" and "apps" would '
            'both have the ApplicationSet "set-base" [duplicate-name]',
            id="two layers one ApplicationSet",
        ),
        pytest.param(
            _layers("  syncOptions: [ServerSideApply=true, ServerSideAply=true]\n"),
            "catalog/layers.yaml:2:39: appOfApps.syncOptions[1]: unknown sync option "
            '"ServerSideAply" (did you mean "ServerSideApply"?); Argo CD ignores it [app-of-apps]',
            id="sync option typo",
        ),
        pytest.param(
            _layers("  syncOptions: [ServerSideApply=True]\n"),
            'catalog/layers.yaml:2:17: appOfApps.syncOptions[0]: "ServerSideApply=True" is not a '
            'value Argo CD recognises ("ServerSideApply=true", "ServerSideApply=false")'
            " [app-of-apps]",
            id="sync option value",
        ),
        pytest.param(
            _layers("  directory: {recurse: true, include: '{*.yaml,*.yml'}\n"),
            'catalog/layers.yaml:2:3: appOfApps.directory.include: "{*.yaml,*.yml" is not a glob '
            'Argo CD can match: a "{" without its "}" [app-of-apps]',
            id="bad glob",
        ),
        pytest.param(
            _layers("  project: platfrom\n"),
            'catalog/layers.yaml:2:3: appOfApps.project: unknown AppProject "platfrom": define it '
            "in catalog/projects/platfrom.yaml or list it in config.yaml externalProjects "
            "[unknown-project]",
            id="unknown project",
        ),
        pytest.param(
            _layers("  project: base\n"),
            'catalog/layers.yaml:2:3: appOfApps.project: "base" is the generated AppProject of '
            'layer "base"; to share one AppProject across layers, keep it in '
            "catalog/projects/base.yaml [layer-project]",
            id="another layer's generated project",
        ),
        pytest.param(
            "layers: [base, apps, {name: base}]\nprofiles:\n  all: [base, apps]\n",
            'catalog/layers.yaml:1:22: layers[2]: layer "base" is already listed at '
            "catalog/layers.yaml:1 [duplicate-name]",
            id="layer listed twice",
        ),
        pytest.param(
            _layers("  nmae: x\n"),
            'catalog/layers.yaml:2:3: appOfApps.nmae: unknown field "nmae" (did you mean "name"?) '
            "[unknown-field]",
            id="unknown key",
        ),
        pytest.param(
            "layers:\n  - {name: base, appOfApp: {}}\nprofiles:\n  all: [base]\n",
            'catalog/layers.yaml:2:18: layers[0].appOfApp: unknown field "appOfApp" (did you mean '
            '"appOfApps"?) [unknown-field]',
            id="unknown key of a layer",
        ),
    ],
)
def test_each_rule_with_its_text(project: Callable[..., Path], layers: str, expected: str) -> None:
    problems = _problems(project(layers))
    assert expected in problems, problems


def test_group_app_names_collide_across_layers(project: Callable[..., Path]) -> None:
    layers = _layers("  appName: 'x-{group}'\n", "    appOfApps: {appName: 'x-x-{group}'}\n")
    extra = {
        "base/x-web.yaml": "name: x-web\nlayer: base\ndescription: d\ncore: true\n"
        "apps:\n  - {name: xw, namespace: xw, source: {path: xw}}\n"
    }
    problems = _problems(project(layers, **extra))
    assert problems == [
        'catalog/layers.yaml:6:17: layers[1].appOfApps.appName: groups "x-web" and "web" would '
        'both have the app-of-apps Application "x-x-web" [duplicate-name]'
    ]


def test_an_app_may_not_take_a_group_apps_name(project: Callable[..., Path]) -> None:
    extra = {
        "apps/more.yaml": "name: more\nlayer: apps\ndescription: d\ncore: true\n"
        "apps:\n  - {name: apps-web, namespace: w, source: {path: w}}\n"
    }
    problems = _problems(project(_layers("  appName: 'apps-{group}'\n"), **extra))
    assert (
        'catalog/apps/more.yaml:6:6: apps[0].name: app "apps-web" has the name of group "web"\'s '
        "app-of-apps Application (appOfApps.appName at catalog/layers.yaml:2) [app-of-apps]"
    ) in problems


def test_a_profile_must_bring_up_the_layer_that_renders_the_project(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "project" / "catalog" / "projects"
    folder.mkdir(parents=True)
    (folder / "shared.yaml").write_text(
        "layer: apps\nmanifest:\n  apiVersion: argoproj.io/v1alpha1\n  kind: AppProject\n"
        "  metadata: {name: shared, namespace: argocd}\n  spec:\n"
        "    sourceRepos: ['*']\n    destinations: [{server: '*', namespace: '*'}]\n"
    )
    problems = _problems(project(_layers("  project: shared\n")))
    assert (
        'catalog/layers.yaml:2:3: appOfApps.project: profile "base" brings up layer "base" but '
        'not layer "apps", which renders its AppProject "shared" [profile-missing-dependency]'
    ) in problems


def test_an_app_naming_its_layer_when_the_layer_uses_another_project(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "project" / "catalog" / "projects"
    folder.mkdir(parents=True)
    (folder / "shared.yaml").write_text(
        "layer: base\nmanifest:\n  apiVersion: argoproj.io/v1alpha1\n  kind: AppProject\n"
        "  metadata: {name: shared, namespace: argocd}\n  spec:\n"
        "    sourceRepos: ['*']\n    destinations: [{server: '*', namespace: '*'}]\n"
    )
    extra = {
        "apps/web.yaml": GROUPS["apps/web.yaml"].replace(
            "source: {path: web}", "source: {path: web}, project: apps"
        )
    }
    problems = _problems(project(_layers("  project: shared\n"), **extra))
    assert (
        'catalog/apps/web.yaml:6:54: apps[0].project: layer "apps" uses AppProject "shared" '
        '(appOfApps.project), not one named "apps"; write "project: shared" or leave project out'
        " [layer-project]"
    ) in problems
