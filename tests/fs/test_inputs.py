"""generator.fs.inputs: the input is read once, under one walk rule: symbolic links followed
(files and folders), a link leading nowhere or in a loop refused with a located message, hidden
names left out; nothing is skipped silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINI_CONFIG, MINI_LAYERS

from generator.cli.main import main

GROUP = """\
name: {name}
layer: base
description: {name}
core: true
apps:
  - name: {name}
    namespace: {name}
    source: {{path: apps/{name}}}
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "catalog").mkdir(parents=True)
    (root / "config.yaml").write_text(MINI_CONFIG)
    (root / "catalog" / "layers.yaml").write_text(MINI_LAYERS)
    (root / "catalog" / "web.yaml").write_text(GROUP.format(name="web"))
    return root


def _render(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    return result.exit_code, result.output


def test_a_symlinked_catalog_folder_is_read_like_any_other(tmp_path: Path) -> None:
    """Regression (#14): a catalog sub-folder that is a symbolic link was skipped silently
    (pathlib's rglob does not descend into linked folders): its groups were not rendered."""
    root = _project(tmp_path)
    shared = tmp_path / "shared-catalog"
    shared.mkdir()
    (shared / "db.yaml").write_text(GROUP.format(name="db"))
    (root / "catalog" / "shared").symlink_to(shared, target_is_directory=True)

    code, out = _render(root)
    assert code == 0, out
    assert (root / "rendered/dev/groups/db/db.yaml").is_file()


def test_a_symlinked_group_file_is_read(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (tmp_path / "db.yaml").write_text(GROUP.format(name="db"))
    (root / "catalog" / "db.yaml").symlink_to(tmp_path / "db.yaml")
    code, out = _render(root)
    assert code == 0, out
    assert (root / "rendered/dev/groups/db/db.yaml").is_file()


def test_a_link_to_nothing_is_an_input_error_not_a_silent_skip(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "catalog" / "db.yaml").symlink_to(tmp_path / "gone.yaml")
    code, out = _render(root)
    assert code == 2
    assert out == (
        f"catalog/db.yaml: symbolic link to {tmp_path / 'gone.yaml'}, which does not exist "
        "[link-broken]\n"
        "error: 1 problem in the input\n"
    )
    assert not (root / "rendered").exists()


def test_a_link_loop_is_an_input_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "catalog" / "again").symlink_to(root / "catalog", target_is_directory=True)
    code, out = _render(root)
    assert code == 2
    assert out == (
        "catalog/again: symbolic link loop: leads back to a folder above it [link-loop]\n"
        "error: 1 problem in the input\n"
    )


def test_hidden_names_and_other_files_are_not_input(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "catalog" / ".#web.yaml").symlink_to("user@host.1234")  # an editor's lock file
    (root / "catalog" / ".hidden").mkdir()
    (root / "catalog" / ".hidden" / "x.yaml").write_text("not: a group\n")
    (root / "catalog" / "README.md").write_text("notes\n")
    from generator.fs.inputs import read_inputs

    inputs = read_inputs(root)
    assert sorted(inputs.files) == ["catalog/layers.yaml", "catalog/web.yaml", "config.yaml"]
    assert inputs.problems == ()


def test_templates_include_through_a_linked_folder(tmp_path: Path) -> None:
    root = _project(tmp_path)
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "note.j2").write_text("# owner: {{ group.name }}\n")
    (root / "templates").mkdir()
    (root / "templates" / "parts").symlink_to(parts, target_is_directory=True)
    (root / "templates" / "application.yaml.j2").write_text(
        '{% include "parts/note.j2" %}\n{{ document | document }}\n'
    )
    code, out = _render(root)
    assert code == 0, out
    text = (root / "rendered/dev/groups/web/web.yaml").read_text()
    assert "\n# owner: web\n" in text


def test_the_snapshot_is_immutable_and_replace_makes_a_new_one(tmp_path: Path) -> None:
    from generator.fs.inputs import read_inputs

    root = _project(tmp_path)
    inputs = read_inputs(root)
    with pytest.raises(TypeError):
        inputs.files["config.yaml"] = b"x"  # type: ignore[index]
    edited = inputs.replace({"config.yaml": b"repoURL: x\n"})
    assert edited.files["config.yaml"] == b"repoURL: x\n"
    assert inputs.files["config.yaml"] == MINI_CONFIG.encode()
    shutil.rmtree(root)
    assert edited.files["catalog/web.yaml"]  # read once: the disk is not looked at again
