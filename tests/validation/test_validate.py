"""`gen validate`: the project (input + every rendered document, in memory) or any manifests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parents[1] / "corpus" / "_base"
WARNING = (
    'catalog/serving/coding-assistant.yaml:21:5: warning: wants[0]: profile "serving" '
    'includes layer "serving" of group "coding-assistant" but not layer "llm-gateway" of the '
    'group it wants, "litellm" (group on in: ai-dev): the IDE plugins reach the coding models '
    "only through LiteLLM virtual keys [profile-without-wanted-group]\n"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_the_default_project_is_valid() -> None:
    code, out, err = run("--root", str(ROOT))
    assert (code, out, err) == (0, "117 file(s) valid\n", WARNING)


def test_the_default_project_passes_the_official_crds_too(argo_crds_dir: Path) -> None:
    code, out, err = run("--root", str(ROOT), "--crds", str(argo_crds_dir))
    assert (code, out, err) == (0, "117 file(s) valid\n", WARNING)


def test_json_output_is_a_list_of_problems() -> None:
    code, out, _ = run("--root", str(ROOT), "--output", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "file": "catalog/serving/coding-assistant.yaml",
            "line": 21,
            "column": 5,
            "key": "wants[0]",
            "message": 'profile "serving" includes layer "serving" of group "coding-assistant" '
            'but not layer "llm-gateway" of the group it wants, "litellm" (group on in: '
            "ai-dev): the IDE plugins reach the coding models only through LiteLLM virtual keys",
            "severity": "warning",
            "id": "profile-without-wanted-group",
        }
    ]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    web = root / "catalog" / "apps" / "web.yaml"
    web.write_text(web.read_text().replace("tier: frontend", "tier: front end"))
    return root


def test_json_output_of_a_project_with_errors(broken: Path) -> None:
    code, out, err = run("--root", str(broken), "--output", "json")
    assert code == 2 and err == ""
    assert [(p["file"], p["line"], p["column"], p["key"]) for p in json.loads(out)] == [
        ("catalog/apps/web.yaml", 15, 7, "apps[0].labels.tier")
    ]


def test_json_output_of_invalid_input(broken: Path) -> None:
    (broken / "config.yaml").write_text("repoURL: 1\n")
    code, out, _ = run("--root", str(broken), "--output", "json")
    assert code == 2
    assert [p["message"] for p in json.loads(out)] == [
        'missing required field "environments"',
        "must be a string, got integer 1",
    ]


def test_validate_writes_nothing(broken: Path) -> None:
    web = broken / "catalog" / "apps" / "web.yaml"
    web.write_text(web.read_text().replace("tier: front end", "tier: frontend"))
    code, out, _ = run("--root", str(broken))
    assert (code, out) == (0, "33 file(s) valid\n")
    assert not (broken / "rendered").exists()


def test_render_and_check_validate_the_output_first(broken: Path) -> None:
    for command in ("render", "check"):
        result = CliRunner().invoke(main, [command, "--root", str(broken)])
        assert result.exit_code == 2
        assert result.stderr.startswith("catalog/apps/web.yaml:15:7: apps[0].labels.tier: ")
    assert not (broken / "rendered").exists()


BAD_APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  project: default
  source:
    repoURL: https://git.example.com/web.git
    path: web
  destination:
    server: https://kubernetes.default.svc
    namespace: web
  ignoreDifference:
    - kind: Deployment
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replica: 2
"""


def test_hand_written_files_get_file_line_column_messages(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "web.yaml").write_text(BAD_APP)
    (tmp_path / "apps" / "values.yaml").write_text("replicaCount: 2\n")
    code, out, err = run(str(tmp_path / "apps"))
    path = tmp_path / "apps"
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{path}/values.yaml:1:1: warning: not a Kubernetes object: no apiVersion or kind; not "
        "checked [not-an-object]",
        f'{path}/web.yaml:13:3: spec.ignoreDifference: unknown field "ignoreDifference" (did you '
        'mean "ignoreDifferences"?) [unknown-field]',
        f'{path}/web.yaml:20:1: spec.selector: missing required field "selector" [missing-field]',
        f'{path}/web.yaml:20:1: spec.template: missing required field "template" [missing-field]',
        f'{path}/web.yaml:21:3: spec.replica: unknown field "replica" (did you mean "replicas"?) '
        "[unknown-field]",
        "error: 4 problems in 2 file(s)",
    ]


def test_crds_flag_adds_the_real_crds(tmp_path: Path, argo_crds_dir: Path) -> None:
    target = tmp_path / "web.yaml"
    target.write_text(BAD_APP.split("---")[0])
    code, _, err = run(str(target), "--crds", str(argo_crds_dir))
    assert code == 2
    # The same unknown field, found by the project's schema; the CRD's repeat is dropped.
    assert len(err.splitlines()) == 2 and "(CRD)" not in err
    assert 'unknown field "ignoreDifference"' in err


def test_bad_crds_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "crds").mkdir()
    code, _, err = run("--root", str(ROOT), "--crds", str(tmp_path / "crds"))
    assert code == 2
    assert "no CRD files (*.yaml, *.yml, *.json) in this folder" in err


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope.yaml"))
    assert code == 2 and "does not exist" in err


# --- what other parts of the catalog bring: overrides, the long form, other AppProjects ------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_problem_an_environment_override_brings_is_reported_in_config_yaml(
    tmp_path: Path,
) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    _edit(
        root / "config.yaml",
        "      gpu: true\n",
        "      gpu: true\n    apps:\n      model:\n        ignoreDifferences:\n"
        "          - group: apps\n            kind: Deployment\n"
        "            jsonPointers: [/spec/replica]\n",
    )
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "config.yaml:18:28: environments.dev.apps.model.ignoreDifferences[0].jsonPointers[0]: "
        '"/spec/replica": Deployment has no field "replica" at /spec (did you mean "replicas"?)'
        " [json-pointer-no-such-field]"
    )


def test_a_long_form_app_is_rendered_as_written_with_warnings(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    _edit(
        root / "catalog" / "apps" / "model.yaml",
        "    syncOptions:\n      - RespectIgnoreDifferences=true\n",
        "    syncPolicy:\n      syncOptions:\n        - CreateNamespace=True\n",
    )
    _edit(
        root / "catalog" / "apps" / "model.yaml", "      - group: apps\n", "      - group: core\n"
    )
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "catalog/apps/model.yaml:14:5: warning: apps[0].syncPolicy.syncOptions: "
        "ignoreDifferences without RespectIgnoreDifferences=true: a sync still overwrites the "
        "ignored fields; add it to syncPolicy.syncOptions if they must be kept"
        " [respect-ignore-differences]",
        "catalog/apps/model.yaml:16:11: warning: apps[0].syncPolicy.syncOptions[0]: "
        '"CreateNamespace=True" is not a value Argo CD recognises ("CreateNamespace=true", '
        '"CreateNamespace=false"); it compares the text exactly [sync-option-value]',
        "catalog/apps/model.yaml:18:9: warning: apps[0].ignoreDifferences[0].group: the core "
        'API group is "" (or leave "group" out) [ignore-group-core]',
    ]


def test_external_and_catalog_projects_are_known(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    _edit(
        root / "config.yaml",
        "argocdNamespace: argocd\n",
        "argocdNamespace: argocd\nexternalProjects: [shared]\n",
    )
    _edit(
        root / "catalog" / "apps" / "web.yaml",
        "    wave: 1\n",
        "    wave: 1\n    project: shared\n",
    )
    _edit(
        root / "catalog" / "apps" / "model.yaml",
        "    sync: manual\n",
        "    sync: manual\n    project: team\n",
    )
    (root / "catalog" / "projects").mkdir()
    (root / "catalog" / "projects" / "team.yaml").write_text(
        "layer: apps\nmanifest:\n  apiVersion: argoproj.io/v1alpha1\n  kind: AppProject\n"
        "  metadata: {name: team, namespace: argocd}\n"
        "  spec:\n    sourceRepos: ['*']\n"
        "    destinations: [{server: '*', namespace: 'model*'}]\n"
    )
    code, _out, err = run("--root", str(root))
    assert code == 0, err
    assert err.splitlines() == [
        "rendered/dev/layers/apps/appproject-team.yaml:10:7: warning: spec.sourceRepos[0]: "
        'wildcard "*" allows more repositories than the apps use [wildcard-source-repos]',
        "rendered/dev/layers/apps/appproject-team.yaml:12:7: warning: spec.destinations[0]: "
        'wildcard server "*", namespace "model*" allows more destinations than the apps use '
        "[wildcard-destination]",
        "rendered/prod/layers/apps/appproject-team.yaml:10:7: warning: spec.sourceRepos[0]: "
        'wildcard "*" allows more repositories than the apps use [wildcard-source-repos]',
        "rendered/prod/layers/apps/appproject-team.yaml:12:7: warning: spec.destinations[0]: "
        'wildcard server "*", namespace "model*" allows more destinations than the apps use '
        "[wildcard-destination]",
    ]
