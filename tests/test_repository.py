"""The embedded default (config.yaml, catalog/, rendered/ at the repository root).

These pin the issue's acceptance: both environments, every layer's ApplicationSet, the four
profiles building with kubectl kustomize, exactly the seed's manual-sync apps behind the cost
gate, and every Argo CD document accepted by the official CRDs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.fs.tree import diff_tree
from generator.project.load import load_project
from generator.render.templates import render_project
from generator.validation.crd import load_crd_schemas

MANUAL_APPS = {
    "raw-vllm": "serving",
    "coder-chat": "serving",
    "coder-fim": "serving",
    "coder-agent": "serving",
    "llm-d": "serving",
    "kserve-demo": "demos",
    "inference-demo": "demos",
    "n8n": "experience",
}
LAYERS = ["platform", "serving", "routing", "llm-gateway", "experience", "demos"]
PROFILES = ["platform", "serving", "llm-gateway", "full"]


@pytest.fixture(scope="module")
def rendered(repo_root: Path) -> dict[str, str]:
    return render_project(load_project(repo_root))


def _docs(rendered: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {path: yaml.safe_load(text) for path, text in rendered.items()}


def _applications(rendered: dict[str, str], env: str) -> dict[str, dict[str, Any]]:
    return {
        doc["metadata"]["name"]: doc
        for path, doc in _docs(rendered).items()
        if path.startswith(f"{env}/groups/")
    }


def test_committed_rendered_is_what_the_generator_renders(
    repo_root: Path, rendered: dict[str, str]
) -> None:
    diff = diff_tree(repo_root / "rendered", rendered)
    assert diff.clean, f"rendered/ is stale: {diff}; run `gen render`"


def test_both_environments_have_every_layer_and_profile(rendered: dict[str, str]) -> None:
    for env in ("ai-dev", "prod"):
        for layer in LAYERS:
            appset = yaml.safe_load(rendered[f"{env}/layers/{layer}/applicationset.yaml"])
            assert appset["kind"] == "ApplicationSet"
            assert appset["spec"]["goTemplate"] is True
            assert appset["spec"]["goTemplateOptions"] == ["missingkey=error"]
            project = yaml.safe_load(rendered[f"{env}/layers/{layer}/appproject.yaml"])
            assert project["kind"] == "AppProject"
        for profile in PROFILES:
            assert f"{env}/profiles/{profile}/kustomization.yaml" in rendered


def test_appset_elements_are_exactly_the_enabled_groups(
    repo_root: Path, rendered: dict[str, str]
) -> None:
    for env in ("ai-dev", "prod"):
        group_dirs = {p.split("/")[2] for p in rendered if p.startswith(f"{env}/groups/")}
        elements = set()
        for layer in LAYERS:
            appset = yaml.safe_load(rendered[f"{env}/layers/{layer}/applicationset.yaml"])
            for element in appset["spec"]["generators"][0]["list"]["elements"]:
                assert element["path"] == f"rendered/{env}/groups/{element['group']}"
                elements.add(element["group"])
        assert elements == group_dirs


def test_profiles_are_additive(rendered: dict[str, str]) -> None:
    previous: list[str] = []
    for profile in PROFILES:
        doc = yaml.safe_load(rendered[f"ai-dev/profiles/{profile}/kustomization.yaml"])
        layers = [r.rsplit("/", 1)[1] for r in doc["resources"]]
        assert layers[: len(previous)] == previous
        previous = layers
    assert previous == LAYERS


def test_manual_apps_are_exactly_the_seed_table(rendered: dict[str, str]) -> None:
    apps = _applications(rendered, "ai-dev")
    manual = {
        name: doc["metadata"]["labels"]["stagegen.dev/layer"]
        for name, doc in apps.items()
        if doc["metadata"]["labels"]["stagegen.dev/sync"] == "manual"
    }
    assert manual == MANUAL_APPS
    for name, doc in apps.items():
        policy = doc["spec"].get("syncPolicy", {})
        if name in MANUAL_APPS:
            assert "automated" not in policy, name
            assert doc["metadata"]["annotations"]["stagegen.dev/manual-reason"]
        else:
            assert policy["automated"] == {"prune": True, "selfHeal": True}, name
        if doc["spec"].get("ignoreDifferences"):
            assert "RespectIgnoreDifferences=true" in policy["syncOptions"], name


def test_cost_gate_ignore_rules(rendered: dict[str, str]) -> None:
    apps = _applications(rendered, "ai-dev")
    for name in ("raw-vllm", "coder-chat", "coder-fim", "coder-agent"):
        rules = apps[name]["spec"]["ignoreDifferences"]
        assert {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]} in [
            {k: r[k] for k in ("group", "kind", "jsonPointers") if k in r} for r in rules
        ], name
    (rule,) = apps["kserve-demo"]["spec"]["ignoreDifferences"]
    assert rule["kind"] == "InferenceService"
    assert rule["jsonPointers"] == ["/metadata/annotations/serving.kserve.io~1stop"]


def test_sync_waves_are_string_annotations(rendered: dict[str, str]) -> None:
    for doc in _applications(rendered, "ai-dev").values():
        wave = doc["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave")
        if wave is not None:
            assert isinstance(wave, str) and int(wave) >= 0


def test_prod_differs_from_ai_dev(rendered: dict[str, str]) -> None:
    dev, prod = _applications(rendered, "ai-dev"), _applications(rendered, "prod")
    # One Argo CD manages both: prod's objects carry its namePrefix so no name is shared.
    assert all(name.startswith("prod-") for name in prod)
    # The GPU stack differs by the gpu_stack setting: prod runs the NVIDIA GPU Operator, ai-dev
    # GKE's managed stack (and scrapes its DCGM exporter); everything else prod runs, ai-dev too.
    assert "prod-gpu-operator" in prod and "gpu-operator" not in dev
    assert "gke-dcgm-metrics" in dev and "prod-gke-dcgm-metrics" not in prod
    assert {name.removeprefix("prod-") for name in prod} - {"gpu-operator"} < set(dev)
    project = yaml.safe_load(rendered["prod/layers/serving/appproject.yaml"])
    assert project["metadata"]["name"] == "prod-serving"
    assert prod["prod-raw-vllm"]["spec"]["project"] == "prod-serving"
    appset = yaml.safe_load(rendered["prod/layers/platform/applicationset.yaml"])
    assert appset["spec"]["template"]["spec"]["source"]["targetRevision"] != "HEAD"
    assert all("name" in doc["spec"]["destination"] for doc in prod.values())


def test_every_document_is_accepted_by_the_official_crds(
    argo_crds_dir: Path, rendered: dict[str, str]
) -> None:
    crds = load_crd_schemas(argo_crds_dir)
    problems = []
    for path, doc in _docs(rendered).items():
        if doc["kind"] == "Kustomization":
            continue
        problems.extend(crds.validate(doc, file=path))
    assert problems == []


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("env", ["ai-dev", "prod"])
@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_builds_with_kubectl_kustomize(
    repo_root: Path, env: str, profile: str
) -> None:
    folder = repo_root / "rendered" / env / "profiles" / profile
    result = subprocess.run(
        ["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    kinds = [doc["kind"] for doc in yaml.safe_load_all(result.stdout)]
    layers = PROFILES.index(profile)
    expected_layers = [1, 2, 4, 6][layers]
    assert sorted(kinds) == sorted(["AppProject", "ApplicationSet"] * expected_layers)


def test_the_default_reads_back_as_the_objects_that_are_validated(repo_root: Path) -> None:
    from generator.render.templates import render_output

    output = render_output(load_project(repo_root))
    assert set(output.documents) == set(output.files)
    for rel, document in output.documents.items():
        assert yaml.safe_load(output.files[rel]) == document, rel


def test_settings_reach_the_apps_that_use_them(rendered: dict[str, str]) -> None:
    """ai-dev sets domain (so identity, dns and public-edge are live, their hosts under it) and
    takes dnsProvider from the global settings; no group is dormant in the default."""
    dev = _applications(rendered, "ai-dev")
    dex = dev["dex"]["spec"]["sources"][0]["helm"]["valuesObject"]
    assert dex["config"]["issuer"] == "https://auth.dev.ai.example.com/dex"
    assert dex["ingress"]["hosts"][0]["host"] == "auth.dev.ai.example.com"
    dns = dev["external-dns"]["spec"]["sources"][0]["helm"]
    assert dns["valueFiles"] == ["$values/platform/external-dns/clouddns.yaml"]
    patches = dev["public-edge"]["spec"]["source"]["kustomize"]["patches"]
    assert "[chat.dev.ai.example.com]" in patches[2]["patch"]
    for path, text in rendered.items():
        assert "${" not in text, path
        assert "stagegen.dev/dormant" not in text, path
