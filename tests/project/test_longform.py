"""The catalog's long form: an app says everything an Application can say and is rendered as
written, while short-form apps keep the generator's defaults (and the committed rendered/ of
this repository does not change)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.commands import check
from generator.core.errors import InputError
from generator.project.load import load_project
from generator.render.templates import render_project

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """\
repoURL: https://github.com/example-org/gitops.git
targetRevision: HEAD
environments:
  dev:
    destination:
      server: https://kubernetes.default.svc
    targetRevision: dev-branch
"""
LAYERS = "layers: [base, apps]\nprofiles:\n  base: [base]\n  all: [base, apps]\n"


def _project(tmp_path: Path, apps: str, extra: dict[str, str] | None = None) -> Path:
    (tmp_path / "catalog" / "apps").mkdir(parents=True)
    (tmp_path / "config.yaml").write_text(CONFIG)
    (tmp_path / "catalog" / "layers.yaml").write_text(LAYERS)
    group = "name: g\nlayer: apps\ndescription: test\ncore: true\napps:\n"
    (tmp_path / "catalog" / "apps" / "g.yaml").write_text(
        group + textwrap.indent(textwrap.dedent(apps), "  ")
    )
    for rel, text in (extra or {}).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def _app(tmp_path: Path, apps: str, name: str = "a", **extra: str) -> dict[str, Any]:
    root = _project(tmp_path, apps, extra or None)
    files = render_project(load_project(root))
    data: dict[str, Any] = yaml.safe_load(files[f"dev/groups/g/{name}.yaml"])
    return data


def _problems(tmp_path: Path, apps: str, extra: dict[str, str] | None = None) -> list[str]:
    root = _project(tmp_path, apps, extra)
    with pytest.raises(InputError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_committed_rendered_output_is_unchanged() -> None:
    """Short-form apps render exactly as before: the repository's rendered/ is up to date."""
    result = check.run(ROOT)
    assert result.diff.clean, result.patch


def test_short_form_keeps_the_generator_defaults(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        """\
        - name: a
          namespace: a
          source: {path: apps/a}
          ignoreDifferences: [{kind: Deployment, jsonPointers: [/spec/replicas]}]
        """,
    )
    assert app["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
    assert app["spec"]["project"] == "apps"
    assert app["spec"]["syncPolicy"] == {
        "automated": {"prune": True, "selfHeal": True},
        "syncOptions": ["RespectIgnoreDifferences=true"],
    }
    assert app["spec"]["source"] == {
        "repoURL": "https://github.com/example-org/gitops.git",
        "path": "apps/a",
        "targetRevision": "dev-branch",
    }
    assert app["spec"]["destination"] == {
        "server": "https://kubernetes.default.svc",
        "namespace": "a",
    }
    # No explicit wave and no dependencies: the computed wave 0 (generator/project/waves.py).
    assert app["metadata"]["annotations"] == {"argocd.argoproj.io/sync-wave": "0"}


def test_long_form_is_rendered_exactly_as_written(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        """\
        - name: a
          project: default
          destination: {name: other, namespace: a}
          source:
            repoURL: https://github.com/example-org/gitops.git
            path: ./apps/a
          syncPolicy:
            automated: {selfHeal: true}
            retry: {limit: 2}
          ignoreDifferences: [{kind: Deployment, jsonPointers: [/spec/replicas]}]
          info: [{name: Owner, value: me}]
          revisionHistoryLimit: 0
          finalizers: null
          annotations: {}
          wave: null
        """,
    )
    assert "finalizers" not in app["metadata"]
    # wave: null: no sync-wave annotation at all (not a computed one), and {} kept as written.
    assert app["metadata"]["annotations"] == {}
    spec = app["spec"]
    assert spec["project"] == "default"
    # A source naming its repository gets no default revision and keeps "./".
    assert spec["source"] == {
        "repoURL": "https://github.com/example-org/gitops.git",
        "path": "./apps/a",
    }
    assert spec["destination"] == {"name": "other", "namespace": "a"}
    assert spec["syncPolicy"] == {"automated": {"selfHeal": True}, "retry": {"limit": 2}}
    assert spec["info"] == [{"name": "Owner", "value": "me"}]
    assert spec["revisionHistoryLimit"] == 0
    assert app["metadata"]["labels"]["stagegen.dev/sync"] == "auto"


def test_no_sync_policy_and_empty_values(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        """\
        - name: a
          project: default
          destination: {server: https://kubernetes.default.svc}
          source: {repoURL: https://example.com/r.git, path: a}
          syncPolicy: null
          finalizers: []
          ignoreDifferences: []
        """,
    )
    assert "syncPolicy" not in app["spec"]
    assert app["spec"]["destination"] == {"server": "https://kubernetes.default.svc"}
    assert app["spec"]["ignoreDifferences"] == []
    assert app["metadata"]["finalizers"] == []
    assert app["metadata"]["labels"]["stagegen.dev/sync"] == "manual"


def test_automated_disabled_is_manual(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        """\
        - name: a
          namespace: a
          source: {path: a}
          syncPolicy: {automated: {enabled: false}}
        """,
    )
    assert app["metadata"]["labels"]["stagegen.dev/sync"] == "manual"


@pytest.mark.parametrize(
    ("apps", "expected"),
    [
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, syncPolicy: {}, sync: auto}",
            'catalog/apps/g.yaml:6:64: apps[0].sync: "sync: auto" disagrees with "syncPolicy" '
            "(which makes the app manual-sync); drop one of them",
            id="sync disagrees",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, syncPolicy: {}, syncOptions: [X=y]}",
            'catalog/apps/g.yaml:6:64: apps[0].syncOptions: with "syncPolicy", write the sync '
            'options as "syncPolicy.syncOptions"',
            id="syncOptions beside syncPolicy",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, destination: {name: x, namespace: b}}",
            "catalog/apps/g.yaml:6:15: apps[0].namespace: give the namespace once: here or as "
            '"destination.namespace"',
            id="namespace twice",
        ),
        pytest.param(
            "- {name: a, source: {path: a}, destination: {name: x, server: y, namespace: b}}",
            "catalog/apps/g.yaml:6:34: apps[0].destination: a destination names its cluster by "
            '"server" or by "name" (exactly one of them)',
            id="server and name",
        ),
        pytest.param(
            "- {name: a, source: {path: a}}",
            'catalog/apps/g.yaml:6:5: apps[0]: needs a "namespace" (or a "destination")',
            id="no namespace",
        ),
        pytest.param(
            "- {name: a, source: {path: a}, destination: {name: x}}",
            "catalog/apps/g.yaml:6:34: apps[0].destination: apps in the layer's generated "
            'AppProject "apps" need a destination namespace (or name their own project)',
            id="layer project without namespace",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, project: defualt}",
            'catalog/apps/g.yaml:6:48: apps[0].project: unknown AppProject "defualt": define it in '
            "catalog/projects/defualt.yaml or list it in config.yaml externalProjects "
            '(did you mean "default"?)',
            id="unknown project",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, project: base}",
            'catalog/apps/g.yaml:6:48: apps[0].project: "base" is the AppProject of layer "base"',
            id="another layer's project",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, wave: null, dependsOn: [b]}\n"
            "- {name: b, namespace: b, source: {path: b}}",
            'catalog/apps/g.yaml:6:48: apps[0].wave: "wave: null" means no sync-wave annotation '
            '(Argo CD\'s wave 0), so the app cannot come after its "dependsOn"; drop one of them',
            id="wave null with dependsOn",
        ),
        pytest.param(
            "- {name: a, namespace: a, source: {path: a}, syncPolicy: {automated: {prune: 1}}}",
            "catalog/apps/g.yaml:6:73: apps[0].syncPolicy.automated.prune: must be a boolean",
            id="syncPolicy type",
        ),
    ],
)
def test_long_form_mistakes_are_located(tmp_path: Path, apps: str, expected: str) -> None:
    problems = _problems(tmp_path, apps)
    assert any(p.startswith(expected) for p in problems), problems


PROJECT = """\
layer: {layer}
manifest:
  apiVersion: argoproj.io/v1alpha1
  kind: AppProject
  metadata: {{name: {name}, namespace: argocd}}
  spec:
    sourceRepos: ["*"]
    destinations: [{{server: "*", namespace: "*"}}]
"""


def test_catalog_projects_render_into_their_layer(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "- {name: a, namespace: a, source: {path: a}, project: team}",
        {"catalog/projects/team.yaml": PROJECT.format(layer="base", name="team")},
    )
    files = render_project(load_project(root))
    project = yaml.safe_load(files["dev/layers/base/appproject-team.yaml"])
    assert project == yaml.safe_load(PROJECT.format(layer="base", name="team"))["manifest"]
    kustomization = yaml.safe_load(files["dev/layers/base/kustomization.yaml"])
    assert kustomization["resources"] == [
        "appproject.yaml",
        "appproject-team.yaml",
        "applicationset.yaml",
    ]
    # The layer's own project is not widened for an app in another project.
    layer = yaml.safe_load(files["dev/layers/apps/appproject.yaml"])
    assert [d["namespace"] for d in layer["spec"]["destinations"]] == ["argocd"]


@pytest.mark.parametrize(
    ("layer", "name", "expected"),
    [
        ("nope", "team", 'catalog/projects/team.yaml:2:1: layer: unknown layer "nope"'),
        (
            "base",
            "other",
            "catalog/projects/team.yaml:5:14: manifest.metadata.name: must equal "
            'the file name "team"',
        ),
    ],
)
def test_catalog_project_mistakes(tmp_path: Path, layer: str, name: str, expected: str) -> None:
    problems = _problems(
        tmp_path,
        "- {name: a, namespace: a, source: {path: a}}",
        {"catalog/projects/team.yaml": PROJECT.format(layer=layer, name=name)},
    )
    assert any(p.startswith(expected) for p in problems), problems


def test_project_layer_must_be_in_every_profile_of_its_apps(tmp_path: Path) -> None:
    layers = "layers: [base, apps]\nprofiles:\n  only-apps: [apps]\n"
    problems = _problems(
        tmp_path,
        "- {name: a, namespace: a, source: {path: a}, project: team}",
        {
            "catalog/projects/team.yaml": PROJECT.format(layer="base", name="team"),
            "catalog/layers.yaml": layers,
        },
    )
    assert (
        'catalog/apps/g.yaml:6:48: apps[0].project: profile "only-apps" brings up layer "apps" '
        'but not layer "base", which renders AppProject "team" [profile-missing-dependency]'
        in problems
    )


def test_external_and_builtin_projects_validate(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        - {name: a, namespace: a, source: {path: a}, project: default}
        - {name: b, namespace: b, source: {path: b}, project: shared}
        """,
    )
    config = root / "config.yaml"
    config.write_text(config.read_text() + "externalProjects: [shared]\n")
    project = load_project(root)
    assert project.config.external_projects == ("shared",)


def test_risky_long_form_is_a_located_warning(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        - name: a
          namespace: a
          source: {path: a}
          syncPolicy: {automated: {}}
          ignoreDifferences: [{kind: Deployment, jsonPointers: [/spec/replicas]}]
        """,
    )
    warnings = [str(w) for w in load_project(root).warnings]
    assert warnings == [
        "catalog/apps/g.yaml:9:5: warning: apps[0].syncPolicy.syncOptions: ignoreDifferences "
        "without "
        "RespectIgnoreDifferences=true: a sync still overwrites the ignored fields; add it to "
        "syncPolicy.syncOptions if they must be kept [respect-ignore-differences]"
    ]


def test_layer_project_grants_an_apps_own_destination(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        """\
        - {name: a, namespace: a, source: {path: a}}
        - {name: b, destination: {name: other, namespace: b}, source: {path: b}}
        - {name: c, destination: {server: https://x, namespace: c}, source: {path: c},
           project: default}
        """,
    )
    files = render_project(load_project(root))
    layer = yaml.safe_load(files["dev/layers/apps/appproject.yaml"])
    assert layer["spec"]["destinations"] == [
        {"server": "https://kubernetes.default.svc", "namespace": "argocd"},
        {"server": "https://kubernetes.default.svc", "namespace": "a"},
        {"name": "other", "namespace": "b"},
    ]
