"""Output for people and for machines: JSON shapes, colour only on terminals (NO_COLOR),
--quiet, the progress bar on long runs, an example in every --help, shell completion."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli.display import ProgressBar
from generator.cli.main import main

ESC = "\x1b["


def invoke(
    *args: str, color: bool = False, env: dict[str, str] | None = None
) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), color=color, env=env)


def make_stale(project: Path) -> None:
    """ai-dev drops demos (its files become extra), prod gains it (missing files)."""
    config = project / "config.yaml"
    text = config.read_text()
    text = text.replace(
        "      n8n: true\n      demos: true\n", "      n8n: true\n      demos: false\n"
    )
    text = text.replace(
        "      n8n: false\n      demos: false\n", "      n8n: false\n      demos: true\n"
    )
    config.write_text(text)


def test_check_json_on_a_stale_tree_lists_changed_missing_and_extra(default_project: Path) -> None:
    make_stale(default_project)
    result = invoke("check", "--output", "json", "--root", str(default_project))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert list(report) == ["clean", "changed", "missing", "extra", "diff", "files", "warnings"]
    assert report["clean"] is False
    assert report["changed"] == [
        "rendered/ai-dev/layers/demos/applicationset.yaml",
        "rendered/ai-dev/layers/demos/appproject.yaml",
        "rendered/prod/layers/demos/applicationset.yaml",
        "rendered/prod/layers/demos/appproject.yaml",
    ]
    assert report["missing"] == [
        "rendered/prod/groups/demos/inference-demo.yaml",
        "rendered/prod/groups/demos/kserve-demo.yaml",
    ]
    assert report["extra"] == [
        "rendered/ai-dev/groups/demos/inference-demo.yaml",
        "rendered/ai-dev/groups/demos/kserve-demo.yaml",
    ]
    assert "--- a/rendered/ai-dev/groups/demos/kserve-demo.yaml\n+++ /dev/null\n" in report["diff"]
    assert "--- /dev/null\n+++ b/rendered/prod/groups/demos/kserve-demo.yaml\n" in report["diff"]
    assert report["files"] == 117
    assert report["warnings"] == []


def test_check_json_when_clean_and_on_errors(default_project: Path) -> None:
    result = invoke("check", "-o", "json", "--root", str(default_project))
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "clean": True,
        "changed": [],
        "missing": [],
        "extra": [],
        "diff": "",
        "files": 117,
        "warnings": [],
    }
    (default_project / "config.yaml").write_text("repoURL: [\n")
    result = invoke("check", "-o", "json", "--root", str(default_project))
    assert result.exit_code == 2
    assert result.output.startswith("config.yaml:2:1: YAML syntax error")


def test_resolve_groups_json_is_a_list_of_rows(default_project: Path) -> None:
    result = invoke(
        "resolve-groups", "--env", "prod", "--output", "json", "--root", str(default_project)
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 19
    vllm = next(row for row in rows if row["group"] == "vllm")
    lines = (default_project / "config.yaml").read_text().splitlines()
    gpu = lines.index("      gpu: true", lines.index("  prod:")) + 1
    assert vllm == {
        "environment": "prod",
        "layer": "serving",
        "group": "vllm",
        "enabled": True,
        "why": "environments.prod.features.gpu = true",
        "where": f"config.yaml:{gpu}",
        "apps": ["raw-vllm"],
        "conditions": [],
        "dormant": [],
    }
    stack = lines.index("      gpu_stack: operator", lines.index("  prod:")) + 1
    gpu_node = next(row for row in rows if row["group"] == "gpu-node")
    assert gpu_node["conditions"] == [
        {
            "setting": "gpu_stack",
            "allowed": ["operator"],
            "value": "operator",
            "holds": True,
            "key": "environments.prod.settings.gpu_stack",
            "where": f"config.yaml:{stack}",
        }
    ]


def test_colour_only_on_a_terminal_and_never_with_no_color(
    default_project: Path,
) -> None:
    make_stale(default_project)
    plain = invoke("check", "--root", str(default_project))
    assert ESC not in plain.output
    coloured = invoke("check", "--root", str(default_project), color=True)
    assert f"{ESC}32m+" in coloured.output  # an added line, green
    assert f"{ESC}31m-" in coloured.output  # a removed line, red
    assert click.unstyle(coloured.output) == plain.output
    no_color = invoke("check", "--root", str(default_project), color=True, env={"NO_COLOR": "1"})
    assert ESC not in no_color.output
    assert no_color.output == plain.output


def test_resolve_groups_colour_keeps_the_columns_aligned(default_project: Path) -> None:
    plain = invoke("resolve-groups", "--root", str(default_project))
    coloured = invoke("resolve-groups", "--root", str(default_project), color=True)
    assert ESC in coloured.output
    assert click.unstyle(coloured.output) == plain.output


def test_quiet_prints_nothing_and_keeps_the_exit_code(default_project: Path) -> None:
    assert (invoke("check", "-q", "--root", str(default_project)).output) == ""
    make_stale(default_project)
    result = invoke("check", "--quiet", "--root", str(default_project))
    assert (result.exit_code, result.output) == (1, "")
    result = invoke("render", "--quiet", "--root", str(default_project))
    assert (result.exit_code, result.output) == (0, "")
    (default_project / "config.yaml").write_text("repoURL: [\n")
    result = invoke("check", "--quiet", "--root", str(default_project))
    assert result.exit_code == 2
    assert "YAML syntax error" in result.output  # errors are still shown


def test_render_lists_what_it_wrote_and_removed(default_project: Path) -> None:
    make_stale(default_project)
    result = invoke("render", "--root", str(default_project))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "rendered/: 2 environment(s): 6 written, 111 unchanged, 2 removed",
        "  written: rendered/ai-dev/layers/demos/applicationset.yaml",
        "  written: rendered/ai-dev/layers/demos/appproject.yaml",
        "  written: rendered/prod/groups/demos/inference-demo.yaml",
        "  written: rendered/prod/groups/demos/kserve-demo.yaml",
        "  written: rendered/prod/layers/demos/applicationset.yaml",
        "  written: rendered/prod/layers/demos/appproject.yaml",
        "  removed: rendered/ai-dev/groups/demos/inference-demo.yaml",
        "  removed: rendered/ai-dev/groups/demos/kserve-demo.yaml",
    ]


class Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_bar_only_on_a_terminal_and_only_for_many_environments() -> None:
    names = [f"env-{i}" for i in range(8)]
    for tty, count, drawn in ((True, 8, True), (False, 8, False), (True, 3, False)):
        stream = Terminal(tty)
        bar = ProgressBar(stream)
        for done, name in enumerate(names[:count], 1):
            bar(name, done, count)
        assert ("rendering" in stream.getvalue()) is drawn, (tty, count)
        if drawn:
            assert stream.getvalue().endswith("\n")
            assert "env-7" in stream.getvalue()


def test_many_environments_render_with_the_progress_callback(default_project: Path) -> None:
    config = default_project / "config.yaml"
    extra = "".join(f"  env{i}:\n    destination:\n      name: cluster-{i}\n" for i in range(7))
    config.write_text(config.read_text() + extra)
    seen: list[tuple[str, int, int]] = []
    from generator.commands import render

    render.run(default_project, on_environment=lambda *step: seen.append(step))
    assert [step[1:] for step in seen] == [(i, 9) for i in range(1, 10)]
    assert seen[-1][0] == "env6"


def commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_help_has_an_example(name: str) -> None:
    result = invoke(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "  gen " in result.output.split("Example", 1)[1]


def test_top_level_help_documents_completion_and_no_color() -> None:
    result = invoke("--help")
    assert "_GEN_COMPLETE=bash_source gen" in result.output
    assert "NO_COLOR" in result.output


def test_shell_completion_offers_groups_environments_and_profiles(default_project: Path) -> None:
    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_GEN_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        out = subprocess.run(
            [sys.executable, "-c", "from generator.cli.main import main; main(prog_name='gen')"],
            cwd=default_project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [line.split(",", 1)[1] for line in out.splitlines()]

    assert complete("gen enable v") == ["vllm"]
    assert complete("gen disable demos --env ") == ["ai-dev", "prod"]
    assert complete("gen profile s") == ["serving"]
    assert complete("gen set d") == ["domain", "dnsProvider"]
    assert "enable" in complete("gen ")


def test_the_cli_module_imports_no_heavy_dependencies() -> None:
    # `gen check` runs on every commit: parsing the command line must not load YAML, Jinja,
    # jsonschema or ruamel.yaml (the commands import what they need).
    code = (
        "import sys, generator.cli.main; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('ruamel', 'jinja2', 'jsonschema', 'yaml')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
