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
