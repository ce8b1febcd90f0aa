"""``gen plan``: the Applications Argo CD will create, read from rendered/ (commands/plan.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.commands import plan
from generator.project.load import load_project
from generator.project.resolve import enabled_groups, profile_layers

REPO = Path(__file__).resolve().parents[2]


def _copy_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    for folder in ("catalog", "rendered"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _load(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def _expected_by_hand(env: str, profile: str) -> dict[str, str]:
    """An independent reading: profile kustomization -> layer kustomizations -> ApplicationSet
    list elements -> their ``path`` (the template's path is ``{{ .path }}``) -> the Application
    files in those folders. ``{app: group}``."""
    base = REPO / "rendered" / env / "profiles" / profile
    found: dict[str, str] = {}
    for layer_dir in _load(base / "kustomization.yaml")[0]["resources"]:
        folder = (base / layer_dir).resolve()
        for resource in _load(folder / "kustomization.yaml")[0]["resources"]:
            for doc in _load(folder / resource):
                if doc["kind"] != "ApplicationSet":
                    continue
                assert doc["spec"]["template"]["spec"]["source"]["path"] == "{{ .path }}"
                for element in doc["spec"]["generators"][0]["list"]["elements"]:
                    for file in sorted((REPO / element["path"]).glob("*.yaml")):
                        app = _load(file)[0]
                        assert app["kind"] == "Application"
                        found[app["metadata"]["name"]] = element["group"]
    return found


def test_serving_profile_lists_exactly_its_applications() -> None:
    result = plan.run(REPO, "ai-dev", "serving")
    [env_plan] = result.plans
    listed = {row.app: row.group for row in env_plan.apps}
    assert len(listed) == len(env_plan.apps)
    assert listed == _expected_by_hand("ai-dev", "serving")
    # ... which is what the catalog says the serving profile brings in ai-dev.
    project = load_project(REPO)
    env = project.config.environments["ai-dev"]
    layers = profile_layers(project, "serving")
    model = {
        app.name: group.name
        for group in enabled_groups(project, env)
        if group.layer in layers
        for app in group.apps
    }
    assert listed == model
    assert "raw-vllm" in listed and "litellm" not in listed


def test_rows_are_in_bring_up_order() -> None:
    [env_plan] = plan.run(REPO, "ai-dev", "full").plans
    rank = {layer: i for i, layer in enumerate(env_plan.layers)}
    keys = [(rank[r.layer], r.wave, r.app) for r in env_plan.apps]
    assert keys == sorted(keys)
    assert env_plan.layers == (
        "platform",
        "serving",
        "routing",
        "llm-gateway",
        "experience",
        "demos",
    )


def test_cli_table_marks_manual_apps_with_their_sync_command() -> None:
    result = CliRunner().invoke(
        main, ["plan", "--root", str(REPO), "--env", "ai-dev", "--profile", "serving"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Plan for environment ai-dev, profile serving (layers: platform, serving)"
    assert lines[2] == (
        "Root Application root (rendered/ai-dev/roots/serving/application.yaml) syncs "
        "rendered/ai-dev/profiles/serving: the layers' AppProjects and ApplicationSets."
    )
    assert lines[4].split() == [
        "LAYER", "GROUP", "APP", "NAMESPACE", "WAVE", "SYNC", "REASON", "IGNORED",
    ]  # fmt: skip
    raw = next(line for line in lines if line.startswith("serving ") and " raw-vllm " in line)
    assert raw.split()[:6] == ["serving", "vllm", "raw-vllm", "vllm", "2", "manual"]
    assert "GPU cost; `make up/down APP=raw-vllm` owns replicas" in raw
    assert raw.endswith("Deployment/raw-vllm /spec/replicas")
    assert lines[len(lines) - 1 - lines[::-1].index("") :] == [
        "",
        "18 Applications: 13 auto-sync, 5 manual-sync; created by 11 group Applications "
        "(group-<name>) from 2 ApplicationSets.",
        "Manual sync (cost gate): created, but deployed only by:",
        "  argocd app sync coder-agent  # GPU cost; coding-assistant models, brought up with "
        "`argocd app sync`",
        "  argocd app sync coder-chat   # GPU cost; coding-assistant models, brought up with "
        "`argocd app sync`",
        "  argocd app sync coder-fim    # GPU cost; coding-assistant models, brought up with "
        "`argocd app sync`",
        "  argocd app sync llm-d        # GPU cost (a prefill and a decode GPU); brought up with "
        "`argocd app sync`",
        "  argocd app sync raw-vllm     # GPU cost; `make up/down APP=raw-vllm` owns replicas",
        "Cost actions (run live; their ignoreDifferences keep a sync from reverting them):",
        "  raw-vllm: scale Deployment raw-vllm (vllm): up 1, down 0",
        "    gen up raw-vllm --env ai-dev    # kubectl scale deployment/raw-vllm "
        "--replicas=1 -n vllm",
        "    gen down raw-vllm --env ai-dev  # kubectl scale deployment/raw-vllm "
        "--replicas=0 -n vllm",
        "Dependencies on apps of another group (not enforced: a sync wave orders apps only "
        "inside one group app's sync, and group apps sync independently, so an app may be "
        "synced before a dependency in another group is healthy):",
        "  dex (identity) after cluster-secret-store (external-secrets)",
        "  external-dns (dns) after cluster-secret-store (external-secrets)",
        "  gke-dcgm-metrics (gke-dcgm-metrics) after prometheus-operator-crds (observability)",
        "  kserve (kserve) after cert-manager (cert-manager)",
        "  raw-vllm (vllm) after cluster-secret-store (external-secrets)",
    ]
    # The serving profile brings coding-assistant up without the llm-gateway layer it wants.
    assert 'warning: wants[0]: profile "serving" includes layer "serving"' in result.stderr
    assert "stale" not in result.stdout


def test_warnings_of_other_profiles_are_left_out() -> None:
    result = plan.run(REPO, "ai-dev", "full")
    assert not [w for w in result.warnings if 'profile "serving"' in w.message]


def test_json_output_shape() -> None:
    result = CliRunner().invoke(
        main,
        [
            "plan",
            "--root",
            str(REPO),
            "--env",
            "ai-dev",
            "--profile",
            "serving",
            "--output",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"plans", "warnings"}
    [env_plan] = data["plans"]
    assert set(env_plan) == {
        "environment", "profile", "revision", "repoURL", "root", "rootFile", "profilePath",
        "layers", "stale", "staleFiles", "applications", "groupApplications",
        "crossGroupDependencies", "notPermitted", "counts", "dormantGroups",
    }  # fmt: skip
    assert (env_plan["root"], env_plan["profilePath"]) == (
        "root",
        "rendered/ai-dev/profiles/serving",
    )
    assert env_plan["notPermitted"] == []
    assert {
        "app": "raw-vllm",
        "group": "vllm",
        "dependsOn": "cluster-secret-store",
        "dependencyGroup": "external-secrets",
        "enforced": False,
    } in env_plan["crossGroupDependencies"]
    assert env_plan["counts"] == {"total": 18, "auto": 13, "manual": 5, "groupApplications": 11}
    assert env_plan["dormantGroups"] == {}
    raw = next(a for a in env_plan["applications"] if a["app"] == "raw-vllm")
    assert raw == {
        "layer": "serving",
        "group": "vllm",
        "app": "raw-vllm",
        "namespace": "vllm",
        "wave": 2,
        "sync": "manual",
        "reason": "GPU cost; `make up/down APP=raw-vllm` owns replicas",
        "ignored": ["Deployment/raw-vllm /spec/replicas"],
        "syncCommand": "argocd app sync raw-vllm",
        "file": "rendered/ai-dev/groups/vllm/raw-vllm.yaml",
        "costActions": [
            {
                "action": "scale Deployment raw-vllm (vllm): up 1, down 0",
                "up": "gen up raw-vllm --env ai-dev",
                "down": "gen down raw-vllm --env ai-dev",
                "kubectlUp": "kubectl scale deployment/raw-vllm --replicas=1 -n vllm",
                "kubectlDown": "kubectl scale deployment/raw-vllm --replicas=0 -n vllm",
            }
        ],
        "dormant": [],
        "sourceHydrator": None,
    }
    group = next(g for g in env_plan["groupApplications"] if g["group"] == "vllm")
    assert group == {
        "layer": "serving",
        "applicationSet": "serving",
        "name": "group-vllm",
        "group": "vllm",
        "path": "rendered/ai-dev/groups/vllm",
        "file": "rendered/ai-dev/layers/serving/applicationset.yaml",
    }
    assert data["warnings"][0]["severity"] == "warning"


def test_every_environment_by_default() -> None:
    result = plan.run(REPO)
    assert [(p.environment, p.profile) for p in result.plans] == [
        ("ai-dev", "full"),
        ("prod", "full"),
    ]
    prod = result.plans[1]
    assert prod.revision == "v1.4.0"
    names = {a.app for a in prod.apps}
    assert "prod-raw-vllm" in names  # prod's objects carry its namePrefix
    assert "prod-n8n" not in names


def test_missing_key_fails_like_argo(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    appset = root / "rendered/ai-dev/layers/serving/applicationset.yaml"
    appset.write_text(appset.read_text().replace('"{{ .group }}"', '"{{ .grup }}"'))
    result = CliRunner().invoke(main, ["plan", "--root", str(root), "--env", "ai-dev"])
    assert result.exit_code == 2
    message = (
        'failed to execute go template {{ .grup }}: template: base:1:3: executing "base" at '
        '<.grup>: map has no entry for key "grup"'
    )
    key = "spec.template.metadata.labels.stagegen.dev/group"
    where = "rendered/ai-dev/layers/serving/applicationset.yaml:39:9"
    assert result.stderr.splitlines()[-5:] == [
        f"{where}: {key}: {message} "
        "[element spec.generators[0].list.elements[0] (group-coding-assistant)] [template-error]",
        f"{where}: {key}: {message} [element spec.generators[0].list.elements[1] (group-kserve)] "
        "[template-error]",
        f"{where}: {key}: {message} [element spec.generators[0].list.elements[2] (group-llm-d)] "
        "[template-error]",
        f"{where}: {key}: {message} [element spec.generators[0].list.elements[3] (group-vllm)] "
        "[template-error]",
        "error: 4 problems in the rendered output",
    ]


def test_stale_rendered_is_said_and_the_files_on_disk_are_planned(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    app = root / "rendered/ai-dev/groups/vllm/raw-vllm.yaml"
    app.write_text(app.read_text().replace('sync-wave: "2"', 'sync-wave: "7"'))
    result = CliRunner().invoke(
        main, ["plan", "--root", str(root), "--env", "ai-dev", "--profile", "serving"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3] == (
        "warning: rendered/ai-dev/ is stale (1 changed, 0 missing, 0 extra): this plan shows the "
        "files as they are; run `gen render` and commit to plan what the catalog says now"
    )
    raw = next(line for line in result.stdout.splitlines() if " raw-vllm " in line)
    assert raw.split()[4] == "7"


def test_missing_group_folder_is_an_error(tmp_path: Path) -> None:
    root = _copy_repo(tmp_path)
    shutil.rmtree(root / "rendered/ai-dev/groups/vllm")
    result = CliRunner().invoke(main, ["plan", "--root", str(root), "--env", "ai-dev"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        "rendered/ai-dev/layers/serving/applicationset.yaml:49:9: spec.template.spec.source.path: "
        f"group-vllm: rendered/ai-dev/groups/vllm does not exist in {root.name}/; "
        "Argo CD would fail to generate its manifests [missing-path]",
        "error: 1 problem in the rendered output",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "serv"], "error: unknown profile 'serv' (did you mean \"serving\"?); "
         "choose from: platform, serving, llm-gateway, full"),
        (["--env", "dev"], "error: unknown environment 'dev' (did you mean \"ai-dev\"?); "
         "choose from: ai-dev, prod"),
    ],
)  # fmt: skip
def test_unknown_names_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["plan", "--root", str(REPO), *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
