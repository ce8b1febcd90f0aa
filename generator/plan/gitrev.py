"""Read the rendered folder as a git revision has it: offline, with the ``git`` command.

``gen plan --since REV`` compares the rendered folder on disk (what the next push sends) with
the one Argo CD pulls now. The revision's rendered folder is extracted with ``git archive`` into
a temporary folder, laid out like the project (the project may sit in a sub-folder of its git
repository), so that the same readers expand both.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError


@dataclass(frozen=True)
class Revision:
    """A revision as given (``origin/main``, ``HEAD``) and the commit it names."""

    name: str
    commit: str


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: --since reads the revision with git") from None


def default_revision(root: Path) -> str:
    """The upstream of the current branch (what a push updates), else ``HEAD``."""
    found = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    name = found.stdout.decode("utf-8", "replace").strip()
    return name if found.returncode == 0 and name else "HEAD"


def resolve(root: Path, name: str) -> Revision:
    """``name`` as a commit of the repository holding ``root``; a UsageError if it is none."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise UsageError(f"{root} is not in a git repository: --since needs one")
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(f"--since {name}: no such revision in this repository")
    return Revision(name, found.stdout.decode("ascii").strip())


@contextlib.contextmanager
def extracted(root: Path, revision: Revision, rendered_dir: str) -> Iterator[Path]:
    """A temporary folder laid out like the project at ``revision``, holding only its rendered
    folder (empty when the revision has none); removed on exit."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode("utf-8").strip()
    wanted = f"{prefix}{rendered_dir}".rstrip("/")
    with tempfile.TemporaryDirectory(prefix="stagegen-since-") as folder:
        base = Path(folder) / prefix if prefix else Path(folder)
        base.mkdir(parents=True, exist_ok=True)
        exists = _git(root, "cat-file", "-e", f"{revision.commit}:{wanted}")
        if exists.returncode == 0:
            archive = _git(root, "archive", "--format=tar", revision.commit, "--", wanted)
            if archive.returncode != 0:
                message = archive.stderr.decode("utf-8", "replace").strip()
                raise UsageError(f"git archive {revision.name} failed: {message}")
            _extract(archive.stdout, Path(folder))
        yield base


def _extract(data: bytes, folder: Path) -> None:
    """The regular files of a tar archive under ``folder`` (links and anything leaving the
    folder are skipped: the rendered folder holds plain files only)."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar:
            parts = Path(member.name).parts
            if not member.isfile() or member.name.startswith("/") or ".." in parts:
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            target = folder.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
