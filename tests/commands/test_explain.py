"""``gen explain NAME``: why a group or app is (not) rendered, its profiles, dependencies,
wave origin, sync mode and ignored fields (commands/explain.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import main

REPO = Path(__file__).resolve().parents[2]
MakeProject = Callable[..., Path]


def _line(file: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first ``needle`` in ``file`` (after the line holding ``after``)."""
    lines = (REPO / file).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _explain(*args: str, root: Path = REPO) -> str:
    result = CliRunner().invoke(main, ["explain", "--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_raw_vllm_names_feature_file_line_profiles_wave_origin_and_sync_reason() -> None:
    vllm = "catalog/serving/vllm.yaml"
    out = _explain("raw-vllm").splitlines()
    ai_dev = _line("config.yaml", "gpu: true", after="  ai-dev:")
    prod = _line("config.yaml", "gpu: true", after="  prod:")
    assert out == [
        f'raw-vllm: app of group "vllm" (layer serving), defined at {vllm}:'
        f"{_line(vllm, '- name: raw-vllm')}",
        "  rendered:",
        f"    ai-dev  yes: environments.ai-dev.features.gpu = true (config.yaml:{ai_dev})",
        f"    prod    yes: environments.prod.features.gpu = true (config.yaml:{prod})",
        f'    feature "gpu"; default false (set at {vllm}:{_line(vllm, "default: false")})',
        "  profiles: serving, llm-gateway, full (the profiles that include layer serving)",
        "  depends on: cluster-secret-store (group external-secrets, layer platform, wave 1)",
        "  dependants: none",
        "  across groups (not enforced: a sync wave orders apps only inside one group app's "
        "sync, and group apps sync independently, so an app may be synced before a dependency "
        "in another group is healthy):",
        "    raw-vllm (vllm) after cluster-secret-store (external-secrets)",
        "  namespace: vllm",
        '  wave: 2 (computed: one more than "cluster-secret-store" (wave 1))',
        "  sync (ai-dev): manual: GPU cost; `make up/down APP=raw-vllm` owns replicas "
        f"({vllm}:{_line(vllm, 'reason:')}); deploy with: argocd app sync raw-vllm",
        "  sync (prod): manual: GPU cost; `make up/down APP=raw-vllm` owns replicas "
        f"({vllm}:{_line(vllm, 'reason:')}); deploy with: argocd app sync prod-raw-vllm",
        "  ignored fields: Deployment/raw-vllm /spec/replicas (derived from costActions at "
        f"{vllm}:{_line(vllm, 'costActions:')})",
        "  cost actions: scale Deployment raw-vllm (vllm): up 1, down 0",
        "    ai-dev:  gen up raw-vllm --env ai-dev    # kubectl scale deployment/raw-vllm "
        "--replicas=1 -n vllm",
        "    ai-dev:  gen down raw-vllm --env ai-dev  # kubectl scale deployment/raw-vllm "
        "--replicas=0 -n vllm",
        "    prod:    gen up raw-vllm --env prod    # kubectl scale deployment/raw-vllm "
        "--replicas=1 -n vllm",
        "    prod:    gen down raw-vllm --env prod  # kubectl scale deployment/raw-vllm "
        "--replicas=0 -n vllm",
    ]


def test_env_option_limits_the_environments() -> None:
    out = _explain("raw-vllm", "--env", "prod")
    assert "    prod  yes: environments.prod.features.gpu = true" in out
    assert "ai-dev" not in out


def test_group_explanation_lists_dependencies_dependants_apps_and_profile_warning() -> None:
    out = _explain("coding-assistant", "--env", "ai-dev").splitlines()
    file = "catalog/serving/coding-assistant.yaml"
    line = _line(file, "name: coding-assistant")
    assert out[0] == f"coding-assistant: group in layer serving, defined at {file}:{line}"
    assert "  depends on groups: vllm (requires), litellm (wants)" in out
    assert "  needed by groups: none" in out
    assert any(line.startswith("    coder-chat   wave 0 (computed") for line in out)
    wants = _line(file, "- group: litellm")
    assert (
        "    wants group litellm: the IDE plugins reach the coding models only through LiteLLM "
        f"virtual keys ({file}:{wants})"
    ) in out
    assert out[-1].endswith(
        'warning: wants[0]: profile "serving" includes layer "serving" of group '
        '"coding-assistant" but not layer "llm-gateway" of the group it wants, "litellm" '
        "(group on in: ai-dev): the IDE plugins reach the coding models only through LiteLLM "
        "virtual keys [profile-without-wanted-group]"
    )


def test_not_rendered_and_overridden_per_environment() -> None:
    out = _explain("open-webui")
    assert "prod" in out
    lines = out.splitlines()
    assert any(
        line.startswith("  overridden by config.yaml (prod): source (config.yaml:")
        for line in lines
    )
    assert "  overridden by config.yaml (ai-dev): none" in lines
    n8n = _explain("n8n")
    assert "    prod    no: environments.prod.features.n8n = false (config.yaml:" in n8n


CORE = """\
name: core
layer: base
description: Core things.
core: true
apps:
  - name: crds
    namespace: crds
    wave: 2
    source: {path: crds}
  - name: operator
    namespace: op
    dependsOn: [crds]
    source: {path: op}
"""


def test_explicit_wave_origin_and_dependants(make_project: MakeProject) -> None:
    root = make_project({"base/core.yaml": CORE})
    assert _explain("crds", root=root).splitlines() == [
        'crds: app of group "core" (layer base), defined at catalog/base/core.yaml:6',
        "  rendered:",
        "    dev  yes: core group (catalog/base/core.yaml:1)",
        "    core group: always rendered, no feature flag",
        "  profiles: base, all (the profiles that include layer base)",
        "  depends on: nothing",
        "  dependants: operator (group core, layer base, wave 3)",
        "  namespace: crds",
        "  wave: 2 (explicit at catalog/base/core.yaml:8)",
        "  sync: auto (prune, selfHeal; the default)",
        "  ignored fields: none",
    ]


def test_unknown_name_is_exit_2_with_a_suggestion() -> None:
    result = CliRunner().invoke(main, ["explain", "--root", str(REPO), "raw-vlm"])
    assert result.exit_code == 2
    assert result.stderr == 'error: unknown group or app "raw-vlm" (did you mean "raw-vllm"?)\n'
