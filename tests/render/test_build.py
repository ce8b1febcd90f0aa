"""The one build (generator/render/build.py): the header is written by Python, whatever a
template does; output is always validated, and the object-only fast path is taken only for a
template whose text provably is the object (decided by its content, not by where it lives)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT, copy_project

from generator.cli.main import main
from generator.core.layout import GENERATED_MARKER

BOGUS = (
    r"\nrendered/prod/groups/vllm/raw-vllm.yaml:\d+:1: "
    r'bogus: unknown field "bogus"( \[unknown-field\])?\n'
)
DEMOS = ("ai-dev/groups/demos/inference-demo.yaml", "ai-dev/groups/demos/kserve-demo.yaml")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "template",
    ["{{ document | document }}\n", "# laid out by hand\n{{ document | document }}\n"],
    ids=["object only", "rendered by Jinja"],
)
def test_an_override_without_header_still_gets_the_marker(
    default_project: Path, template: str
) -> None:
    """Regression (#14): a template override without ``{{ header }}`` wrote files without the
    generated-file marker; ``gen disable`` then left them behind and ``gen check`` could not
    see them. The header is now written by Python above whatever the template emits."""
    (default_project / "templates").mkdir()
    (default_project / "templates" / "application.yaml.j2").write_text(template)
    code, out = run("render", "--root", str(default_project))
    assert code == 0, out
    rendered = default_project / "rendered"
    for rel in DEMOS:
        assert (rendered / rel).read_text().startswith(GENERATED_MARKER), rel

    code, out = run("disable", "demos", "--env", "ai-dev", "--root", str(default_project))
    assert code == 0, out
    assert not any((rendered / rel).exists() for rel in DEMOS)
    assert run("check", "--root", str(default_project))[0] == 0


def test_a_header_left_in_a_template_is_not_written_twice(default_project: Path) -> None:
    (default_project / "templates").mkdir()
    (default_project / "templates" / "application.yaml.j2").write_text(
        "{{ header }}\n# laid out by hand\n{{ document | document }}\n"
    )
    assert run("render", "--root", str(default_project))[0] == 0
    text = (default_project / "rendered" / DEMOS[0]).read_text()
    assert text.count(GENERATED_MARKER) == 1
    assert text.startswith(GENERATED_MARKER)
    assert "stagegen.dev/manual-reason" in text  # the object follows the comment line
    assert "Do not edit:\n# change config.yaml or the catalog, then run `gen render`.\n" in text


def _checkout(tmp_path: Path) -> Path:
    """A source checkout of the generator (its package and built-in templates/) that is also
    the project, as in this repository."""
    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "_templates")
    shutil.copytree(REPO_ROOT / "generator", checkout / "generator", ignore=ignore)
    shutil.copytree(REPO_ROOT / "templates", checkout / "templates")
    copy_project(REPO_ROOT, checkout)
    return checkout


def _gen(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Run from the checkout, so that its package is the one imported (`python -m` puts the
    # current folder first on sys.path).
    env = {**os.environ, "PYTHONPATH": str(checkout), "STAGEGEN_NO_CACHE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(checkout)],
        cwd=checkout,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_an_edited_builtin_template_in_a_checkout_is_validated(tmp_path: Path) -> None:
    """Regression (#14): in a checkout the project's templates/ is the built-in folder, and a
    template there was trusted by its place: its output was validated as the object it was
    given, not as the text it wrote, so `gen render` and `gen validate` passed files that
    `gen validate FILE` rejects."""
    checkout = _checkout(tmp_path)
    template = checkout / "templates" / "application.yaml.j2"
    template.write_text(template.read_text() + "bogus: true\n")
    before = {p: p.read_bytes() for p in (checkout / "rendered").rglob("*") if p.is_file()}

    done = _gen(checkout, "render")
    assert done.returncode == 2, done.stderr
    assert re.search(BOGUS, done.stderr), done.stderr
    assert {p: p.read_bytes() for p in (checkout / "rendered").rglob("*") if p.is_file()} == before

    done = _gen(checkout, "validate")
    assert done.returncode == 2
    assert re.search(BOGUS, done.stderr)


def test_the_checkout_runs_its_own_package(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    done = _gen(checkout, "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rendered/ is up to date (")
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    code = "import generator.core.layout as layout; print(layout.builtin_templates())"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, env=env
    )
    assert where.stdout == f"{checkout / 'templates'}\n"


@pytest.mark.parametrize(
    ("source", "direct"),
    [
        ("{{ header }}\n{{ document | document }}\n", True),
        ("{#- a comment -#}\n{{ header }}\n{{ document | document }}\n", True),
        ("{{ document | document }}", True),
        ("\n\n{{ document | document }}\n\n", True),
        ("{{ document | document }}\nbogus: true\n", False),
        ("# a comment line\n{{ document | document }}\n", False),
        ("{{ document | yaml(0) }}\n", False),
        ("{{ app | document }}\n", False),
        ("{% set x = 1 %}{{ document | document }}\n", False),
        ("{{ document | document }}  \n", False),
        ("{{ header }}{{ header }}\n{{ document | document }}\n", False),
    ],
)
def test_which_templates_emit_exactly_the_object(source: str, direct: bool) -> None:
    from generator.render.jinja import emits_document, environment

    assert emits_document(source, environment({})) is direct


def test_the_project_of_a_build_needs_no_rendering(
    default_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.fs.inputs import read_inputs
    from generator.render import build as build_module

    def refuse(*args: object) -> None:
        raise AssertionError("rendered")

    monkeypatch.setattr("generator.render.templates.Renderer", refuse)
    result = build_module.build(read_inputs(default_project), ["prod"])
    assert result.project.config.environments["prod"].name_prefix == "prod-"
    with pytest.raises(AssertionError, match="rendered"):
        _ = result.files
