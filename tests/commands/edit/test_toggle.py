"""``gen enable`` / ``gen disable``: one line of config.yaml, validated first, then re-rendered."""

from __future__ import annotations

import difflib
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import snapshot

from generator.cli.main import main

COMMENTED = Path(__file__).parents[2] / "fixtures" / "commented" / "config.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def line_of(text: str, prefix: str, after: str = "") -> int:
    """1-based number of the first line starting with ``prefix`` below the line ``after``."""
    lines = text.splitlines()
    start = lines.index(after) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and line.startswith(prefix)) + 1


def line_changes(before: str, after: str) -> list[str]:
    """The +/- lines of a unified diff between two texts (no context, no headers)."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_disable_changes_one_line_and_the_render_removes_the_group(default_project: Path) -> None:
    config = default_project / "config.yaml"
    original = config.read_text()
    before = snapshot(default_project / "rendered")

    code, out = run("disable", "demos", "--env", "ai-dev", "--root", str(default_project))
    assert code == 0, out
    assert line_changes(original, config.read_text()) == [
        "-      demos: true",
        "+      demos: false",
    ]
    after = snapshot(default_project / "rendered")
    assert sorted(set(before) - set(after)) == [
        "ai-dev/groups/demos/inference-demo.yaml",
        "ai-dev/groups/demos/kserve-demo.yaml",
    ]
    assert not (default_project / "rendered/ai-dev/groups/demos").exists()
    assert "group: demos" not in after["ai-dev/layers/demos/applicationset.yaml"].decode()
    line = line_of(original, "      demos: true", after="  ai-dev:")
    assert out.splitlines() == [
        f"config.yaml:{line}: environments.ai-dev.features.demos: true -> false",
        "ai-dev: groups removed: demos",
        "rendered/: 1 environment(s): 2 written, 60 unchanged, 2 removed",
        "  written: rendered/ai-dev/layers/demos/applicationset.yaml",
        "  written: rendered/ai-dev/layers/demos/appproject.yaml",
        "  removed: rendered/ai-dev/groups/demos/inference-demo.yaml",
        "  removed: rendered/ai-dev/groups/demos/kserve-demo.yaml",
        "next: commit and push: in ai-dev, Argo CD will prune group-demos",
    ]

    # And back: the same line returns, and rendered/ is byte for byte what it was.
    code, out = run("enable", "demos", "--env", "ai-dev", "--root", str(default_project))
    assert code == 0, out
    assert config.read_text() == original
    assert snapshot(default_project / "rendered") == before
    assert "ai-dev: groups added: demos" in out


def test_on_a_heavily_commented_config_only_the_flag_line_changes(default_project: Path) -> None:
    config = default_project / "config.yaml"
    shutil.copy(COMMENTED, config)
    code, out = run("render", "--root", str(default_project))
    assert code == 0, out
    original = config.read_text()

    code, out = run("disable", "open-webui", "--root", str(default_project))
    assert code == 0, out
    assert line_changes(original, config.read_text()) == [
        "-  open-webui:         true",
        "+  open-webui:         false",
    ]
    assert "ai-dev: groups removed: open-webui" in out
    assert "prod: groups removed: open-webui" in out
    assert not (default_project / "rendered/ai-dev/groups/open-webui").exists()
    assert not (default_project / "rendered/prod/groups/open-webui").exists()

    # prod has no features: of its own: one is added (two lines) after its last line.
    code, out = run("enable", "demos", "--env", "prod", "--root", str(default_project))
    assert code == 0, out
    assert line_changes(original, config.read_text()) == [
        "-  open-webui:         true",
        "+  open-webui:         false",
        "+    features:",
        "+      demos: true",
    ]
    assert (default_project / "rendered/prod/groups/demos/kserve-demo.yaml").is_file()
    code, out = run("check", "--root", str(default_project))
    assert code == 0, out


def test_a_shared_flag_says_which_other_groups_it_switches(default_project: Path) -> None:
    config = default_project / "config.yaml"
    original = config.read_text()
    code, out = run("enable", "vllm", "--root", str(default_project))
    assert code == 0, out
    assert line_changes(original, config.read_text()) == [
        "-  gpu: false                 # platform GPU stack (by `gpu_stack`) + serving vllm "
        "(raw-vllm)",
        "+  gpu: true                  # platform GPU stack (by `gpu_stack`) + serving vllm "
        "(raw-vllm)",
    ]
    assert out.splitlines()[:3] == [
        f"config.yaml:{line_of(original, '  gpu: false')}: features.gpu: false -> true",
        'note: flag "gpu" switches gke-dcgm-metrics, gpu-node, vllm: it enables '
        "gke-dcgm-metrics, gpu-node too",
        "groups unchanged in: ai-dev, prod",
    ]

    # Both environments set gpu themselves, so a global switch-off changes nothing; say why.
    code, out = run("disable", "gpu-node", "--root", str(default_project))
    assert code == 0, out
    assert "prod: gpu-node stays on: environments.prod.features.gpu = true (config.yaml:" in out
    # In ai-dev it is off anyway: its gpu_stack is not operator.
    assert "ai-dev: gpu-node" not in out


def test_an_edit_that_would_break_the_project_leaves_everything_untouched(
    default_project: Path,
) -> None:
    config = default_project / "config.yaml"
    before = snapshot(default_project)
    gpu = line_of(config.read_text(), "      gpu: true", after="  ai-dev:")
    # coding-assistant (on in ai-dev) requires vllm, which the gpu flag switches.
    code, out = run("disable", "vllm", "--env", "ai-dev", "--root", str(default_project))
    assert code == 2
    assert (
        'environment "ai-dev": group "coding-assistant" is on but it requires "vllm", which is '
        f"off (environments.ai-dev.features.gpu = false at config.yaml:{gpu})" in out
    )
    assert out.splitlines()[-1].startswith('error: disabling "vllm" would leave ')
    assert out.splitlines()[-1].endswith(
        " (lines as in the edited config.yaml); config.yaml not changed"
    )
    assert "Traceback" not in out
    assert snapshot(default_project) == before
    assert not list(config.parent.glob(".config.yaml.*"))


def test_core_groups_cannot_be_disabled(default_project: Path) -> None:
    before = snapshot(default_project)
    code, out = run("disable", "cert-manager", "--root", str(default_project))
    assert code == 2
    assert out == 'error: "cert-manager" is a core group: it is always on and cannot be disabled\n'
    code, out = run("enable", "cert-manager", "--root", str(default_project))
    assert code == 0
    assert out == '"cert-manager" is a core group: it is always on; nothing to change\n'
    assert snapshot(default_project) == before


def test_unknown_names_get_a_suggestion(default_project: Path) -> None:
    code, out = run("enable", "vlm", "--root", str(default_project))
    assert code == 2
    assert out == 'error: unknown group "vlm" (did you mean "vllm"?)\n'
    code, out = run("enable", "demos", "--env", "stage", "--root", str(default_project))
    assert code == 2
    assert out == "error: unknown environment 'stage'; choose from: ai-dev, prod\n"


def test_already_set_changes_nothing(default_project: Path) -> None:
    before = snapshot(default_project)
    line = line_of((default_project / "config.yaml").read_text(), "  kserve: true")
    code, out = run("enable", "kserve", "--root", str(default_project))
    assert code == 0, out
    assert out.splitlines() == [
        f"config.yaml:{line}: features.kserve is already true; config.yaml not changed",
        "groups unchanged in: ai-dev, prod",
    ]
    assert snapshot(default_project) == before


def test_no_render_edits_config_only_and_quiet_prints_nothing(default_project: Path) -> None:
    rendered = snapshot(default_project / "rendered")
    code, out = run("enable", "n8n", "--env", "prod", "--no-render", "--root", str(default_project))
    assert code == 0, out
    assert out.splitlines()[-2:] == [
        "rendered/ not updated (--no-render); run `gen render` to apply the change",
        "next: `gen render`, then commit and push: in prod, Argo CD will create prod-group-n8n "
        "(layer experience, in profile full only: a root on a narrower profile needs "
        "`make root PROFILE=full ENV=prod`)",
    ]
    assert snapshot(default_project / "rendered") == rendered
    code, out = run("check", "--root", str(default_project))
    assert code == 1

    code, out = run("disable", "n8n", "--env", "prod", "--quiet", "--root", str(default_project))
    assert (code, out) == (0, "")
    code, out = run("check", "--root", str(default_project))
    assert code == 0, out


def test_the_write_is_atomic_keeps_permissions_and_follows_a_symlink(
    default_project: Path, tmp_path: Path
) -> None:
    real = tmp_path / "elsewhere" / "config.yaml"
    real.parent.mkdir()
    shutil.move(default_project / "config.yaml", real)
    real.chmod(0o640)
    (default_project / "config.yaml").symlink_to(real)
    code, out = run("disable", "demos", "--env", "ai-dev", "--root", str(default_project))
    assert code == 0, out
    assert (default_project / "config.yaml").is_symlink()
    assert "      demos: false\n" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["config.yaml"]


@pytest.mark.parametrize("verb", ["enable", "disable"])
def test_an_invalid_project_is_reported_before_any_edit(default_project: Path, verb: str) -> None:
    config = default_project / "config.yaml"
    config.write_text(config.read_text().replace("kserve: true ", "kserve: yes  "))
    before = snapshot(default_project)
    code, out = run(verb, "demos", "--root", str(default_project))
    assert code == 2
    assert "features.kserve: must be a boolean (true or false)" in out
    assert snapshot(default_project) == before


def test_enable_validates_the_output_before_writing_config(default_project: Path) -> None:
    """Regression (#14): enabling a group whose output is invalid (here a label value with a
    space, given to n8n in prod only) wrote config.yaml and only then failed to render; the
    edit must be built and validated first, and config.yaml and rendered/ left as they were."""
    config = default_project / "config.yaml"
    text = config.read_text()
    anchor = "      # Prod upgrades Open WebUI"
    assert anchor in text
    config.write_text(text.replace(anchor, "      n8n:\n        labels: {team: a b}\n" + anchor, 1))
    assert run("check", "--root", str(default_project))[0] == 0  # n8n is off in prod: valid
    before_config = config.read_bytes()
    before = snapshot(default_project / "rendered")
    line = line_of(config.read_text(), "        labels: {team: a b}")

    code, out = run("enable", "n8n", "--env", "prod", "--root", str(default_project))

    assert code == 2
    assert out == (
        f'config.yaml:{line}:18: environments.prod.apps.n8n.labels.team: "a b" is not a valid '
        'label value: letters, digits, "-", "_" and "." only, starting and ending with a letter '
        "or digit [invalid-label-value]\n"
        "error: 1 problem in the rendered output; config.yaml not changed\n"
    )
    assert config.read_bytes() == before_config
    assert snapshot(default_project / "rendered") == before
