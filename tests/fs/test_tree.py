"""Fail-safe writing: an error or an interrupt leaves rendered/ exactly as it was; gen never
follows symlinks, never writes outside rendered/, never deletes a file it did not generate."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.commands import render as render_command
from generator.core.errors import GenError
from generator.core.layout import GENERATED_MARKER
from generator.fs import tree as tree_module
from generator.fs.tree import STAGING_PREFIX, diff_tree, write_tree

BASE = Path(__file__).parents[1] / "corpus" / "_base"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder below ``folder`` (folders as None-like empty bytes markers)."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = path.read_bytes() if path.is_file() else b"<dir>"
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small base project, rendered once, then changed so the next render writes files,
    removes one (the model group is switched off) and keeps a file of the user's."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    assert CliRunner().invoke(main, ["render", "--root", str(root)]).exit_code == 0
    (root / "rendered" / "dev" / "NOTES.md").write_text("my notes\n")
    config = root / "config.yaml"
    config.write_text(
        config.read_text().replace("      gpu: true", "      gpu: false").replace("v1.0.0", "v2")
    )
    return root


def test_the_fixture_has_something_to_write(project: Path) -> None:
    from generator.project.load import load_project
    from generator.render.templates import render_project

    files = render_project(load_project(project))
    diff = diff_tree(project / "rendered", files)
    assert diff.changed and diff.extra == ["dev/groups/model/model.yaml"]


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_injected_failure_before_commit_leaves_rendered_intact(
    project: Path, error: BaseException
) -> None:
    before = snapshot(project / "rendered")

    def fail() -> None:
        staged = list((project / "rendered").glob(STAGING_PREFIX + "*"))
        assert len(staged) == 1 and any(staged[0].rglob("*.yaml"))  # staging was written
        raise error

    with pytest.raises(type(error)):
        render_command.run(project, before_commit=fail)
    assert snapshot(project / "rendered") == before


def test_failure_while_moving_leaves_no_staging_behind(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = Path.replace

    def flaky(self: Path, target: str | os.PathLike[str]) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    with pytest.raises(GenError) as caught:
        render_command.run(project)
    assert caught.value.message == (
        "cannot write rendered/dev/layers/apps/appproject.yaml: No space left on device; "
        "rendered/ is partly written: run the command again once this is fixed"
    )
    assert not list((project / "rendered").glob(STAGING_PREFIX + "*"))


def test_successful_render_removes_only_generated_files(project: Path) -> None:
    rendered = project / "rendered"
    user_yaml = rendered / "dev" / "groups" / "model" / "values.yaml"
    user_yaml.write_text("# hand-written, no generated header\nreplicas: 1\n")
    edited = rendered / "prod" / "groups" / "web" / "web.yaml"
    result = render_command.run(project)
    assert result.summary.removed == ["dev/groups/model/model.yaml"]
    assert (rendered / "dev" / "NOTES.md").read_text() == "my notes\n"
    assert user_yaml.is_file()
    assert not (rendered / "dev" / "groups" / "model" / "model.yaml").exists()
    assert edited.read_text().startswith(GENERATED_MARKER)
    assert not list(rendered.glob(STAGING_PREFIX + "*"))


def test_a_generated_file_stripped_of_its_marker_is_not_deleted(project: Path) -> None:
    mine = project / "rendered" / "dev" / "groups" / "model" / "model.yaml"
    mine.write_text(mine.read_text().replace(GENERATED_MARKER, "# Taken over by hand"))
    render_command.run(project)
    assert mine.read_text().startswith("# Taken over by hand")


def test_unchanged_files_are_not_rewritten(project: Path) -> None:
    kept = project / "rendered" / "dev" / "profiles" / "full" / "kustomization.yaml"
    os.utime(kept, (1_000_000, 1_000_000))
    render_command.run(project)
    assert kept.stat().st_mtime == 1_000_000


# --- symlinks and paths outside rendered/ ---------------------------------------------------


def test_rendered_folder_that_is_a_symlink_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (project / "rendered").rename(elsewhere)
    (project / "rendered").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    result = CliRunner().invoke(main, ["render", "--root", str(project)])
    assert result.exit_code == 2
    assert "is a symbolic link; refusing to read or write through it" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(elsewhere) == before


@pytest.mark.parametrize("what", ["folder", "file"])
def test_symlinks_inside_rendered_are_refused(project: Path, tmp_path: Path, what: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "web.yaml").write_text(GENERATED_MARKER + "\n")
    if what == "folder":
        target = project / "rendered" / "prod" / "groups" / "web"
        shutil.rmtree(target)
        target.symlink_to(outside)
    else:
        target = project / "rendered" / "prod" / "groups" / "web" / "web.yaml"
        target.unlink()
        target.symlink_to(outside / "web.yaml")
    before = snapshot(project / "rendered")
    result = CliRunner().invoke(main, ["render", "--root", str(project)])
    assert result.exit_code == 2
    assert "is a symbolic link; refusing to follow it" in result.stderr
    assert snapshot(project / "rendered") == before
    assert (outside / "web.yaml").read_text() == GENERATED_MARKER + "\n"


@pytest.mark.parametrize("rel", ["../evil.yaml", "dev/../../evil.yaml", "/tmp/evil.yaml"])
def test_write_tree_refuses_paths_outside_its_folder(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "rendered"
    out.mkdir()
    with pytest.raises(GenError, match="refusing to write outside"):
        write_tree(out, {rel: GENERATED_MARKER + "\n"})
    assert not (tmp_path / "evil.yaml").exists()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("value", ["..", "../elsewhere", "/tmp/rendered"])
def test_rendered_dir_outside_the_project_is_an_input_error(project: Path, value: str) -> None:
    config = project / "config.yaml"
    config.write_text(config.read_text() + f"renderedDir: {value}\n")
    result = CliRunner().invoke(main, ["render", "--root", str(project)])
    assert result.exit_code == 2
    assert result.stderr.startswith("config.yaml:17:1: renderedDir: ")


# --- a real `gen render` process, killed by a real signal mid-write --------------------------

CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    import generator.fs.tree as tree

    ready, mode = Path(sys.argv[1]), sys.argv[2]
    write_tree = tree.write_tree

    def pause() -> None:
        # Everything is staged; nothing in rendered/ has changed yet.
        ready.write_text(str(os.getpid()))
        while True:
            time.sleep(0.05)

    def paused(*args, **kwargs):
        return write_tree(*args, **{**kwargs, "before_commit": pause})

    if mode == "staged":
        tree.write_tree = paused
    else:  # "moving": the signal arrives while files are being moved into place
        original = Path.replace

        def replace(self, target):
            if not ready.exists():
                ready.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGTERM)
            return original(self, target)

        Path.replace = replace
    from generator.cli.main import main
    main(["render", "--root", sys.argv[3]])
    """
)


def _run_child(project: Path, tmp_path: Path, mode: str) -> subprocess.Popen[str]:
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ready), mode, str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120  # a guard against hanging forever, not a timing check
    while not ready.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            out, err = child.communicate()
            pytest.fail(f"child never reached the commit point: {out}{err}")
        time.sleep(0.02)
    return child


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_gen_render_killed_mid_write_leaves_rendered_intact(
    project: Path, tmp_path: Path, signum: int, code: int
) -> None:
    before = snapshot(project / "rendered")
    child = _run_child(project, tmp_path, "staged")
    child.send_signal(signum)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == code, err
    assert "Traceback" not in err
    assert snapshot(project / "rendered") == before  # staging folder removed as well


def test_a_signal_during_the_moves_is_held_until_they_are_done(
    project: Path, tmp_path: Path
) -> None:
    from generator.project.load import load_project
    from generator.render.templates import render_project

    expected = render_project(load_project(project))
    child = _run_child(project, tmp_path, "moving")
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 143, err
    assert "Traceback" not in err
    # The whole new tree is in place (no half-written state), and nothing else.
    diff = diff_tree(project / "rendered", expected)
    assert diff.clean
    assert not list((project / "rendered").glob(STAGING_PREFIX + "*"))


def test_a_first_render_moves_the_whole_tree_in_at_once(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    before = sorted(p.name for p in root.iterdir())

    def fail() -> None:
        assert not (root / "rendered").exists()
        (staging,) = [p for p in root.iterdir() if p.name.startswith(STAGING_PREFIX)]
        assert (staging / "dev" / "groups").is_dir()  # staged beside rendered/, complete
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        render_command.run(root, before_commit=fail)
    assert sorted(p.name for p in root.iterdir()) == before  # nothing left behind

    result = render_command.run(root)
    assert len(result.summary.written) == 33
    rendered = root / "rendered"
    mode = rendered.stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask()  # an ordinary folder, not mkdtemp's private one
    assert sorted(p.name for p in root.iterdir()) == sorted([*before, "rendered"])
    assert diff_tree(rendered, {}).extra  # the files are there and carry the marker


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- the environment refuses: a full disk, a permission, a read-only file system -------------


@pytest.mark.parametrize(
    ("errno_", "reason"),
    [
        (28, "No space left on device"),
        (13, "Permission denied"),
        (30, "Read-only file system"),
    ],
)
def test_an_environmental_failure_while_staging_is_one_clear_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, errno_: int, reason: str
) -> None:
    """Regression (#14): a full disk while staging ended in a traceback and exit 1. Now: one
    line naming the file, "rendered/ is unchanged", exit 2, and rendered/ is unchanged."""
    before = snapshot(project / "rendered")
    original = tree_module._write

    def refuse(path: str, data: bytes) -> None:
        if STAGING_PREFIX in path:
            raise OSError(errno_, reason)
        original(path, data)

    monkeypatch.setattr(tree_module, "_write", refuse)
    result = CliRunner().invoke(main, ["render", "--root", str(project)])

    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot write rendered/dev/layers/apps/applicationset.yaml: {reason}; "
        "rendered/ is unchanged\n"
    )
    assert result.stdout == ""
    assert snapshot(project / "rendered") == before


def _mount_tmpfs(folder: Path, options: str) -> bool:
    """Mount a small tmpfs on ``folder`` (root only); whether it worked."""
    mount = shutil.which("mount")
    if mount is None:
        return False
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("size=64k", r"cannot write rendered/[a-z/-]+\.yaml: No space left on device"),
        ("size=1m,ro", r"cannot write in rendered/: Read-only file system"),
    ],
)
def test_a_real_full_or_read_only_file_system(tmp_path: Path, options: str, message: str) -> None:
    """The same, for real: rendered/ is a 64 KiB (or a read-only) tmpfs. Needs mount rights
    (root on Linux); skipped elsewhere."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "rendered").mkdir()
    if not _mount_tmpfs(root / "rendered", options):
        pytest.skip("cannot mount a tmpfs here (not root, or no tmpfs)")
    try:
        env = {**os.environ, "STAGEGEN_NO_CACHE": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "generator", "render", "--root", str(root)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert re.fullmatch(f"error: {message}; rendered/ is unchanged\n", done.stderr)
        assert [p.name for p in (root / "rendered").iterdir()] == []
    finally:
        subprocess.run(["umount", str(root / "rendered")], check=False)
