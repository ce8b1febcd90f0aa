"""Exit codes in one place (generator/cli/error_handler.py): a crash is told apart from a stale
rendered/ (1) and from bad input (2) by its own code, 3, with one line pointing to a crash log."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main

CRASH = textwrap.dedent(
    """
    import sys
    import generator.commands.check as check

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    check.run = boom
    from generator.cli.main import main
    main(["check", "--root", sys.argv[1]])
    """
)


def test_an_unexpected_error_exits_3_with_one_line_and_a_crash_log(
    default_project: Path, private_cache: Path
) -> None:
    """Regression (#14): an unexpected exception exited 1, the code of "stale", so the
    pre-commit hook and scripts could not tell a crash from a diff. A real process, as the
    hook runs it."""
    env = {**os.environ, "STAGEGEN_CACHE_DIR": str(private_cache)}
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(default_project)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    log = private_cache / "stagegen.log"
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr == (
        "error: unexpected error (ZeroDivisionError: division by zero): a bug in gen; "
        f"the details are in {log}\n"
    )
    report = log.read_text()
    assert report.startswith("### version information\n\ngen version: ")
    assert "### error information" in report
    assert "Traceback (most recent call last):" in report
    assert report.endswith("in boom\nZeroDivisionError: division by zero\n")


def test_the_crash_line_stays_one_line_when_the_log_cannot_be_written(
    default_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("STAGEGEN_CACHE_DIR", str(blocked))

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("generator.commands.profile.run", boom)
    result = CliRunner().invoke(main, ["profile", "full", "--root", str(default_project)])
    assert result.exit_code == 3
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        "error: unexpected error (RuntimeError: boom second line): a bug in gen;"
    )
    assert "the crash log could not be written" in last
    assert "Traceback (most recent call last):" in result.stderr  # printed instead


def test_bad_input_is_still_2_and_stale_still_1(default_project: Path) -> None:
    app = default_project / "rendered/ai-dev/groups/vllm/raw-vllm.yaml"
    app.write_text(app.read_text() + "# edited\n")
    assert CliRunner().invoke(main, ["check", "--root", str(default_project)]).exit_code == 1
    (default_project / "config.yaml").write_text("repoURL: [\n")
    assert CliRunner().invoke(main, ["check", "--root", str(default_project)]).exit_code == 2
