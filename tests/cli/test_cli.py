"""The ``gen`` command line, through click's CliRunner and once as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import snapshot

from generator.cli.main import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _flip(project: Path, old: str, new: str) -> None:
    config = project / "config.yaml"
    text = config.read_text()
    assert text.count(old) == 1, old
    config.write_text(text.replace(old, new))


def test_check_passes_on_the_committed_default(default_project: Path) -> None:
    code, out = run("check", "--root", str(default_project))
    assert code == 0, out
    assert out.startswith("rendered/ is up to date (")


def test_render_twice_writes_nothing_the_second_time(default_project: Path) -> None:
    code, out = run("render", "--root", str(default_project))
    assert code == 0, out
    assert out == "rendered/: 2 environment(s): 0 written, 117 unchanged, 0 removed\n"


def test_flipping_a_feature_is_seen_by_check_and_applied_by_render(
    default_project: Path,
) -> None:
    # prod keeps demos off explicitly; turning it on adds exactly the demos group.
    _flip(
        default_project,
        "      n8n: false\n      demos: false\n",
        "      n8n: false\n      demos: true\n",
    )
    before = snapshot(default_project / "rendered")

    code, out = run("check", "--root", str(default_project))
    assert code == 1
    assert "+++ b/rendered/prod/groups/demos/kserve-demo.yaml" in out
    assert "+            group: demos" in out
    assert "rendered/ is stale: 2 changed, 2 missing, 0 extra; run `gen render`" in out
    assert snapshot(default_project / "rendered") == before

    code, out = run("render", "--root", str(default_project))
    assert code == 0, out
    after = snapshot(default_project / "rendered")
    added = sorted(set(after) - set(before))
    assert added == ["prod/groups/demos/inference-demo.yaml", "prod/groups/demos/kserve-demo.yaml"]
    changed = sorted(p for p in before if before[p] != after.get(p))
    # The layer's ApplicationSet gains the element; its AppProject gains the namespaces.
    assert changed == ["prod/layers/demos/applicationset.yaml", "prod/layers/demos/appproject.yaml"]

    # And back: the group's files go, nothing else is left behind.
    _flip(
        default_project,
        "      n8n: false\n      demos: true\n",
        "      n8n: false\n      demos: false\n",
    )
    code, out = run("render", "--root", str(default_project))
    assert code == 0, out
    assert snapshot(default_project / "rendered") == before
    assert not (default_project / "rendered/prod/groups/demos").exists()


BROKEN = [
    (
        "unknown key",
        ("argocdNamespace: argocd", "argocdNamespace: argocd\nargocdNamespaces: argo"),
        'config.yaml:{next}:1: argocdNamespaces: unknown field "argocdNamespaces" '
        '(did you mean "argocdNamespace"?) [unknown-field]',
    ),
    (
        "wrong type",
        ("targetRevision: HEAD", "targetRevision: [HEAD]"),
        "config.yaml:{line}:1: targetRevision: must be a string, got a list",
    ),
    (
        "yaml syntax",
        ("argocdNamespace: argocd", "argocdNamespace: [argocd"),
        "YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts on line {line})",
    ),
]


@pytest.mark.parametrize(("label", "edit", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_config_exits_2_with_location_and_leaves_rendered_alone(
    default_project: Path, label: str, edit: tuple[str, str], message: str
) -> None:
    config = default_project / "config.yaml"
    lines = config.read_text().splitlines(keepends=True)
    index = next(i for i, x in enumerate(lines) if x.startswith(edit[0]))
    lines[index] = lines[index].replace(edit[0], edit[1])
    config.write_text("".join(lines))
    before = snapshot(default_project / "rendered")
    for command in ("render", "check"):
        code, out = run(command, "--root", str(default_project))
        assert code == 2, out
        assert message.format(line=index + 1, next=index + 2) in out
        assert out.startswith("config.yaml:")
        assert "Traceback" not in out
        assert snapshot(default_project / "rendered") == before


def test_resolve_groups_explains_each_decision(default_project: Path) -> None:
    code, out = run("resolve-groups", "--root", str(default_project), "--env", "prod")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].split() == ["ENV", "LAYER", "GROUP", "ENABLED", "WHY"]
    demos = next(line for line in lines if " demos " in line)
    assert demos.split()[:4] == ["prod", "demos", "demos", "no"]
    assert "environments.prod.features.demos = false (config.yaml:" in demos
    core = next(line for line in lines if " cert-manager " in line)
    assert "core group (catalog/platform/cert-manager.yaml:" in core


def test_unknown_environment_is_a_usage_error(default_project: Path) -> None:
    code, out = run("render", "--root", str(default_project), "--env", "staging")
    assert code == 2
    assert "unknown environment 'staging'; choose from: ai-dev, prod" in out


def test_render_one_environment_leaves_the_others_alone(default_project: Path) -> None:
    rendered = default_project / "rendered"
    stray = rendered / "prod" / "groups" / "vllm" / "raw-vllm.yaml"
    stray.write_text(stray.read_text() + "# hand edit\n")
    code, out = run("render", "--root", str(default_project), "--env", "ai-dev")
    assert code == 0, out
    assert out == "rendered/: 1 environment(s): 0 written, 64 unchanged, 0 removed\n"
    assert stray.read_text().endswith("# hand edit\n")


def test_root_is_found_from_a_subfolder(default_project: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(default_project / "catalog" / "serving")
        code, out = run("check")
    assert code == 0, out


def test_no_config_anywhere_is_a_clear_error(tmp_path: Path) -> None:
    code, out = run("check", "--root", str(tmp_path))
    assert code == 2
    assert out.splitlines() == [
        "catalog/layers.yaml: file not found [file-missing]",
        "config.yaml: file not found [file-missing]",
        "error: 2 problems in the input",
    ]


def test_real_subprocess(default_project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--root", str(default_project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rendered/ is up to date")
    (default_project / "config.yaml").write_text("repoURL: [\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "render", "--root", str(default_project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("config.yaml:2:1: YAML syntax error")
    assert "Traceback" not in result.stderr
