"""The README and docs/ pages: the quick start stays two commands, and every relative link
points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO_ROOT

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def pages() -> list[Path]:
    return [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


def test_the_quick_start_is_the_two_commands() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    start = readme.index("## Quick start")
    block = readme[start:].split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.splitlines()] == [
        "python3 dev.py render",
        "python3 dev.py test",
    ]


def test_every_relative_link_resolves() -> None:
    broken = []
    for page in pages():
        for target in LINK.findall(page.read_text()):
            if "://" in target:
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO_ROOT)}: {target}")
    assert broken == []


def _command_codes(page: Path) -> dict[str, set[str]]:
    """Each ``gen NAME`` row of a Markdown table in ``page``: the exit codes its last cell
    names."""
    rows: dict[str, set[str]] = {}
    for line in page.read_text().splitlines():
        found = re.match(r"\| `gen ([a-z-]+)\b", line)
        if found:
            codes = set(re.findall(r"\b[0-3]\b", line.rstrip(" |").rsplit(" | ", 1)[-1]))
            rows.setdefault(found[1], set()).update(codes)
    return rows


def test_every_command_is_listed_with_its_exit_codes() -> None:
    """The README's command table and docs/output.md's exit codes by command name every
    registered command, with the same codes."""
    from generator.cli.main import main

    readme = _command_codes(REPO_ROOT / "README.md")
    output = _command_codes(REPO_ROOT / "docs" / "output.md")
    commands = set(main.commands)
    assert commands - set(readme) == set(), "README.md, ## Commands"
    assert commands - set(output) == set(), "docs/output.md, ## Exit codes"
    assert {name: readme[name] for name in commands} == {name: output[name] for name in commands}
