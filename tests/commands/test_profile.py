"""``gen profile``: a profile's layers, folder, wait selector and manual apps (the Makefile's
source of valid names)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli.main import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_profile_for_people(default_project: Path) -> None:
    code, out = run("profile", "serving", "--env", "ai-dev", "--root", str(default_project))
    assert code == 0, out
    assert out.splitlines() == [
        "profile serving in ai-dev: layers platform, serving",
        "  folder: rendered/ai-dev/profiles/serving",
        "  root:  make root PROFILE=serving ENV=ai-dev (kubectl apply -k "
        "rendered/ai-dev/roots/serving, once; then a push is the only step)",
        "  wait:  argocd app wait -l 'stagegen.dev/env=ai-dev,stagegen.dev/layer in "
        "(platform,serving),stagegen.dev/sync=auto'",
        "  manual (cost gate, deployed only by `argocd app sync <app>`): "
        "coder-chat, coder-fim, coder-agent, llm-d, raw-vllm",
    ]


def test_profile_fields_for_scripts(default_project: Path) -> None:
    root = ("--root", str(default_project))
    assert run("profile", "full", "--env", "prod", "--print", "path", *root) == (
        0,
        "rendered/prod/profiles/full\n",
    )
    assert run("profile", "llm-gateway", "--env", "prod", "--print", "layers", *root) == (
        0,
        "platform serving routing llm-gateway\n",
    )
    assert run("profile", "platform", "--env", "prod", "--print", "selector", *root) == (
        0,
        "stagegen.dev/env=prod,stagegen.dev/layer in (platform),stagegen.dev/sync=auto\n",
    )
    assert run("profile", "full", "--env", "prod", "--print", "manual-apps", *root) == (
        0,
        "raw-vllm\n",
    )
    code, out = run("profile", "serving", "--env", "prod", "-o", "json", *root)
    assert code == 0, out
    assert json.loads(out) == {
        "environment": "prod",
        "profile": "serving",
        "layers": ["platform", "serving"],
        "path": "rendered/prod/profiles/serving",
        "rendered": True,
        "selector": "stagegen.dev/env=prod,stagegen.dev/layer in (platform,serving),"
        "stagegen.dev/sync=auto",
        "manualApps": ["raw-vllm"],
        "rootPath": "rendered/prod/roots/serving",
    }


def test_unknown_names_list_the_valid_ones(default_project: Path) -> None:
    root = ("--root", str(default_project))
    assert run("profile", "servng", "--env", "ai-dev", *root) == (
        2,
        "error: unknown profile 'servng' (did you mean \"serving\"?); "
        "choose from: platform, serving, llm-gateway, full\n",
    )
    assert run("profile", "serving", "--env", "staging", *root) == (
        2,
        "error: unknown environment 'staging'; choose from: ai-dev, prod\n",
    )
    assert run("profile", "serving", *root) == (
        2,
        "error: no environment given; choose from: ai-dev, prod\n",
    )


def test_the_only_environment_is_the_default(default_project: Path) -> None:
    config = default_project / "config.yaml"
    text = config.read_text()
    config.write_text(text[: text.index("\n  # Production")] + "\n")
    code, out = run("profile", "platform", "--print", "path", "--root", str(default_project))
    assert (code, out) == (0, "rendered/ai-dev/profiles/platform\n")


def test_a_path_not_rendered_yet_is_an_error_for_scripts(default_project: Path) -> None:
    import shutil

    shutil.rmtree(default_project / "rendered" / "prod")
    code, out = run(
        "profile", "serving", "--env", "prod", "--print", "path", "--root", str(default_project)
    )
    assert (code, out) == (
        2,
        "error: rendered/prod/profiles/serving does not exist; run `gen render`\n",
    )
    code, out = run("profile", "serving", "--env", "prod", "--root", str(default_project))
    assert code == 0
    assert "(not rendered yet: run `gen render`)" in out
