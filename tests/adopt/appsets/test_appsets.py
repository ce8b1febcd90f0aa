"""ApplicationSets into layers (generator/adopt/appsets/convert.py, template.py): list generators,
selectors, what cannot be followed (refused with file:line, skipped with --allow-loss)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import gen_in as _gen

REPO = "https://github.com/example-org/gitops.git"

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example-org/gitops.git
    targetRevision: main
    path: deploy/{name}
  destination:
    server: https://kubernetes.default.svc
    namespace: {name}
  syncPolicy:
    automated: {{prune: true, selfHeal: true}}
"""

LIST_APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: {layer}
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - list:
        elements:
{elements}
{selector}
  template:
    metadata:
      name: "apps-{{{{.group}}}}"
    spec:
      project: default
      source:
        repoURL: https://github.com/example-org/gitops.git
        targetRevision: main
        path: "groups/{{{{.group}}}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: argocd
      syncPolicy:
        automated: {{prune: true, selfHeal: true}}
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "gitops"
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return repo


@pytest.fixture
def root(tmp_path: Path) -> Path:
    assert _gen("init", "project", "--repo-url", REPO, cwd=tmp_path).exit_code == 0
    return tmp_path / "project"


def _appset(layer: str, groups: dict[str, bool], selector: str = "") -> str:
    elements = "\n".join(
        f'          - {{group: {name}, enabled: "{str(on).lower()}"}}'
        for name, on in groups.items()
    )
    return LIST_APPSET.format(layer=layer, elements=elements, selector=selector)


def test_a_list_generator_with_a_selector(root: Path, tmp_path: Path) -> None:
    """The ApplicationSet's name is the layer (no layer- prefix); the template names groups by
    another key (``group``); ``enabled`` in the selector switches groups off."""
    selector = '      selector:\n        matchLabels: {enabled: "true"}'
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True, "jobs": False}, selector),
            "groups/web/web.yaml": APP.format(name="web"),
            "groups/jobs/jobs.yaml": APP.format(name="jobs"),
        },
    )
    result = _gen(
        "import", str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo), cwd=root
    )
    assert result.exit_code == 0, result.output
    assert "  layer core: 2 group(s), 1 on (from its ApplicationSet)\n" in result.output
    layers = (root / "catalog" / "layers.yaml").read_text()
    assert "appOfApps:\n  name: '{layer}'\n  appName: apps-{group}\n  project: default\n" in (
        layers
    )
    assert "default: false" in (root / "catalog" / "core" / "jobs.yaml").read_text()
    assert _gen("render", cwd=root).exit_code == 0
    assert (root / "rendered" / "dev" / "groups" / "web" / "web.yaml").is_file()
    assert not (root / "rendered" / "dev" / "groups" / "jobs").exists()
    appset = (root / "rendered" / "dev" / "layers" / "core" / "applicationset.yaml").read_text()
    assert "name: core\n" in appset and "- name: apps-web\n" in appset


def test_layers_of_different_shapes_get_their_own_app_of_apps(root: Path, tmp_path: Path) -> None:
    other = _appset("edge", {"proxy": True}).replace("apps-{{.group}}", "edge-{{.group}}")
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True}),
            "appsets/edge.yaml": other,
            "groups/web/web.yaml": APP.format(name="web"),
            "groups/proxy/proxy.yaml": APP.format(name="proxy"),
        },
    )
    result = _gen(
        "import", str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo), cwd=root
    )
    assert result.exit_code == 0, result.output
    layers = (root / "catalog" / "layers.yaml").read_text()
    assert (
        "  - name: core\n    appOfApps:\n      name: '{layer}'\n      appName: apps-{group}\n"
        in (layers)
    )
    assert (
        "  - name: edge\n    appOfApps:\n      name: '{layer}'\n      appName: edge-{group}\n"
        in (layers)
    )
    assert "\nappOfApps:" not in layers


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ("    - list:\n", "    - matrix:\n        generators: []\n      list:\n"),
            "appsets/core.yaml:9:7: spec.generators[0].matrix: a matrix generator cannot be "
            "followed: the import reads a git-files generator over a groups file, or a list "
            "generator [import-skipped]",
            id="matrix generator",
        ),
        pytest.param(
            ('path: "groups/{{.group}}"', 'path: "groups/{{.group | lower}}"'),
            "appsets/core.yaml:21:9: spec.template.spec.source.path: 'groups/{{.group | lower}}': "
            "the import follows a path made of the generator's parameters (like "
            "{{.catalogPath}}) [import-skipped]",
            id="templated path it cannot follow",
        ),
        pytest.param(
            (
                "automated: {prune: true, selfHeal: true}\n",
                "automated: {prune: true}\n      retry: {limit: 2}\n",
            ),
            "appsets/core.yaml:26:9: spec.template.spec.syncPolicy.automated: group apps sync "
            "automatically with prune and selfHeal; other automated settings are not carried "
            "[import-cannot-carry]",
            id="other automated settings",
        ),
    ],
)
def test_what_cannot_be_followed_is_refused_then_skipped_with_allow_loss(
    root: Path, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True}).replace(*change),
            "groups/web/web.yaml": APP.format(name="web"),
        },
    )
    args = [str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo)]
    before = sorted(p for p in root.rglob("*"))
    refused = _gen("import", *args, cwd=root)
    assert refused.exit_code == 2
    assert expected in refused.output
    assert sorted(p for p in root.rglob("*")) == before
    allowed = _gen("import", *args, "--allow-loss", cwd=root)
    assert allowed.exit_code == 0, allowed.output
    assert "not carried (--allow-loss):\n  " + expected in allowed.output
    assert _gen("render", cwd=root).exit_code == 0


def test_a_group_whose_folder_is_not_imported_is_refused(root: Path, tmp_path: Path) -> None:
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True, "api": True}),
            "groups/web/web.yaml": APP.format(name="web"),
            "other/api/api.yaml": APP.format(name="api"),
        },
    )
    result = _gen(
        "import", str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo), cwd=root
    )
    assert result.exit_code == 2
    assert (
        'appsets/core.yaml:12: group "api": no Application of its folder groups/api is among the '
        "SRCs (give that folder too) [import-skipped]"
    ) in result.output


def test_two_layers_claiming_one_group_is_an_error(root: Path, tmp_path: Path) -> None:
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True}),
            "appsets/edge.yaml": _appset("edge", {"web": True}),
            "groups/web/web.yaml": APP.format(name="web"),
        },
    )
    result = _gen(
        "import", str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo), cwd=root
    )
    assert result.exit_code == 2
    assert (
        'appsets/edge.yaml:4:3: metadata.name: group "web" (at appsets/edge.yaml:11) is also made '
        'by the layer "core" at appsets/core.yaml:11 [import-conflict]'
    ) in result.output


def test_a_project_revision_chosen_on_purpose_is_kept_unless_force(
    root: Path, tmp_path: Path
) -> None:
    config = root / "config.yaml"
    config.write_text(config.read_text().replace("targetRevision: HEAD", "targetRevision: v2"))
    repo = _tree(
        tmp_path,
        {
            "appsets/core.yaml": _appset("core", {"web": True}),
            "groups/web/web.yaml": APP.format(name="web"),
        },
    )
    args = [str(repo / "appsets"), str(repo / "groups"), "--repo-root", str(repo)]
    refused = _gen("import", *args, cwd=root)
    assert refused.exit_code == 2
    assert (
        'config.yaml:13: targetRevision: "v2" here, but the ApplicationSets follow "main" '
        "(appsets/core.yaml:20); --force sets it to theirs [import-conflict]"
    ) in refused.output
    forced = _gen("import", *args, "--force", cwd=root)
    assert forced.exit_code == 0, forced.output
    assert "\ntargetRevision: main\n" in config.read_text()
