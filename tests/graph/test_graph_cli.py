"""``gen graph`` on the command line: the acceptance of issue #17 on the default catalog, names
checked like every other command, warnings apart from the graph, and the same bytes every run
(also across interpreters with different hash seeds, as real subprocesses)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT, gen_outcome

from generator.cli.main import main
from generator.project.load import load_project
from generator.project.resolve import decide
from generator.project.waves import group_dependencies

SMALL = Path(__file__).parent / "cases" / "small"
#: A Mermaid link line: ``group_a --> group_b``, ``a -.-> b``, ``a -.->|"wants"| b``.
NODE = re.compile(r"^\s+(group_\w+)[(\[]")
LINK = re.compile(r"^\s+(\w+) (?:-->|-\.->|-\.->\|\"wants\"\|) (\w+)$")


def gen(*args: str, root: Path = REPO_ROOT) -> tuple[int, str, str]:
    return gen_outcome(root, "graph", *args)


def mermaid_id(kind: str, name: str) -> str:
    return f"{kind}_{name.replace('-', '_')}"


def test_acceptance_a_subgraph_per_layer_every_enabled_group_and_its_dependencies() -> None:
    """Acceptance 1: a Mermaid flowchart, one subgraph per layer of profile full in order,
    every group enabled in ai-dev and each of its dependencies (as ``gen explain`` computes
    them) with a link between the two."""
    code, out, err = gen("--env", "ai-dev", "--profile", "full")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["---", 'title: "ai-dev, profile full (groups)"', "---"]
    assert "flowchart LR" in lines
    subgraphs = [line.strip() for line in lines if line.strip().startswith("subgraph ")]
    assert subgraphs == [
        'subgraph layer_platform["platform"]',
        'subgraph layer_serving["serving"]',
        'subgraph layer_routing["routing"]',
        'subgraph layer_llm_gateway["llm-gateway"]',
        'subgraph layer_experience["experience"]',
        'subgraph layer_demos["demos"]',
    ]
    nodes = {match[1] for line in lines if (match := NODE.match(line))}
    links = {match.groups() for line in lines if (match := LINK.match(line))}
    project = load_project(REPO_ROOT)
    enabled = [d.group for d in decide(project, project.config.environments["ai-dev"]) if d.enabled]
    groups = project.groups_for("ai-dev")
    assert len(enabled) == 18
    for group in enabled:
        assert mermaid_id("group", group.name) in nodes
        for dependency in group_dependencies(group, groups):
            assert mermaid_id("group", dependency) in nodes
            pair = (mermaid_id("group", dependency), mermaid_id("group", group.name))
            assert pair in links, f"{group.name} needs {dependency}: no link"
    # The group that is off is drawn greyed, with why.
    assert (
        '        group_gpu_node("gpu-node<br>off: gpu_stack is gke-managed, not<br>operator")'
        in (lines)
    )
    assert "    class group_gpu_node disabled" in lines


def test_acceptance_the_manual_sync_apps_are_marked_at_the_apps_level() -> None:
    """Acceptance 1 says seven manual-sync apps: the seed document's raw-vllm, coder-chat,
    coder-fim, coder-agent, kserve-demo, inference-demo and n8n. The default catalog has eight
    in ai-dev since the settings work added llm-d (two GPUs, cost-gated); the dormant apps that
    are manual too (identity, dns, public-edge while ``domain`` is empty) are none in ai-dev,
    which sets its domain. So: eight, each drawn with the double-edged shape and the manual
    class, and the same set ``gen profile full --print manual-apps`` prints."""
    code, out, _ = gen("--env", "ai-dev", "--profile", "full", "--level", "apps")
    assert code == 0
    double_edged = sorted(
        line.strip().split("[[", 1)[0] for line in out.splitlines() if '[["' in line
    )
    manual_class = next(line for line in out.splitlines() if line.startswith("    class app_"))
    expected = [
        "app_coder_agent",
        "app_coder_chat",
        "app_coder_fim",
        "app_inference_demo",
        "app_kserve_demo",
        "app_llm_d",
        "app_n8n",
        "app_raw_vllm",
    ]
    assert double_edged == expected
    assert sorted(manual_class.split()[1].split(",")) == expected
    assert manual_class.split()[2] == "manual"
    profile = CliRunner().invoke(
        main,
        ["profile", "full", "--env", "ai-dev", "--print", "manual-apps", "--root", str(REPO_ROOT)],
    )
    assert sorted(mermaid_id("app", a) for a in profile.stdout.split()) == expected
    raw_vllm = next(line.strip() for line in out.splitlines() if "app_raw_vllm[[" in line)
    assert raw_vllm == (
        'app_raw_vllm[["raw-vllm<br>wave 2<br>manual: GPU cost; #96;make up/down<br>'
        "APP=raw-vllm#96; owns replicas<br>cost action: scale Deployment raw-vllm,<br>"
        'up 1 / down 0"]]'
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--env", "nope"), "error: unknown environment 'nope'; choose from: ai-dev, prod\n"),
        (
            ("--env", "ai-dv"),
            "error: unknown environment 'ai-dv' (did you mean \"ai-dev\"?); "
            "choose from: ai-dev, prod\n",
        ),
        (
            ("--profile", "nope"),
            "error: unknown profile 'nope'; choose from: platform, serving, llm-gateway, full\n",
        ),
        (
            ("--level", "nope"),
            "Usage: gen graph [OPTIONS]\nTry 'gen graph --help' for help.\n\n"
            "Error: Invalid value for '--level': 'nope' is not one of 'layers', 'groups', "
            "'apps'.\n",
        ),
        (
            ("-o", "svg"),
            "Usage: gen graph [OPTIONS]\nTry 'gen graph --help' for help.\n\n"
            "Error: Invalid value for '--output' / '-o': 'svg' is not one of 'mermaid', 'dot', "
            "'json'.\n",
        ),
    ],
)
def test_unknown_names_exit_2_with_the_valid_ones(args: tuple[str, ...], message: str) -> None:
    """Acceptance 4."""
    code, out, err = gen(*args)
    assert (code, out, err) == (2, "", message)


def test_warnings_go_to_stderr_and_stdout_is_the_graph_alone() -> None:
    """So that ``gen graph > bring-up.md`` writes nothing but the diagram."""
    code, out, err = gen("--env", "dev", "--profile", "serving", root=SMALL)
    assert code == 0
    assert out.startswith('---\ntitle: "dev, profile serving (groups)"\n---\n')
    assert err.splitlines() == [
        'catalog/serving/model.yaml:7:5: warning: wants[0]: profile "serving" includes layer '
        '"serving" of group "model" but not layer "edge" of the group it wants, "gateway" '
        "(group on in: dev, prod): clients reach the model through the gateway "
        "[profile-without-wanted-group]",
        'catalog/settings.yaml:9:5: warning: settings.domain.default: environment "dev": group '
        '"dns" is on but setting "domain" is empty: its apps stay dormant (no automated sync) '
        "until it is set [dormant-group]",
    ]


def test_defaults_are_the_first_environment_and_the_widest_profile() -> None:
    assert gen()[1] == gen("--env", "ai-dev", "--profile", "full", "--level", "groups")[1]


def test_enabled_only_and_the_other_formats() -> None:
    code, out, _ = gen("--env", "ai-dev", "--enabled-only")
    assert code == 0 and "gpu_node" not in out
    assert "%% gen graph --env ai-dev --profile full --enabled-only: generated" in out
    code, out, _ = gen("--env", "prod", "-o", "dot", "--level", "layers")
    assert code == 0
    assert out.startswith("// gen graph --env prod --profile full --level layers -o dot:")
    code, out, _ = gen("--env", "prod", "-o", "json")
    assert code == 0 and out.startswith('{\n  "environment": "prod",\n  "profile": "full",')


def test_the_same_bytes_in_every_run_and_interpreter(tmp_path: Path) -> None:
    """Acceptance 3: two runs give identical bytes, in every format and level, here as real
    subprocesses with different hash seeds (set and dict ordering cannot leak into the text)."""
    outputs: dict[str, list[bytes]] = {}
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for output in ("mermaid", "dot", "json"):
            for level in ("layers", "groups", "apps"):
                done = subprocess.run(
                    [sys.executable, "-m", "generator", "graph", "-o", output, "--level", level],
                    cwd=REPO_ROOT,
                    env=env,
                    capture_output=True,
                    check=True,
                )
                outputs.setdefault(f"{output} {level}", []).append(done.stdout)
    for key, (first, second) in outputs.items():
        assert first == second, key
        assert first.endswith(b"\n") and not first.endswith(b"\n\n"), key
    assert outputs["mermaid groups"][0] == gen()[1].encode()
