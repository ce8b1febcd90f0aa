"""The project's input as one immutable snapshot: ``{relative path: bytes}``, read once.

Every later step works on the snapshot and opens no file of its own: the loader parses
config.yaml and the catalog from it, the templates are served to Jinja from it, the run cache
digests it. So all of them see the same files, read under one rule:

- config.yaml, every ``*.yaml``/``*.yml`` file below ``catalog/`` and every file below
  ``templates/`` (a template may include any of them), plus the generator's built-in templates;
- symbolic links are followed, to files and to folders alike (a catalog kept in a shared folder
  and linked in is read like any other); a link that leads nowhere, a link loop, a file that
  cannot be read or is larger than the limit is a problem (reported, exit 2), never skipped;
- names starting with ``.`` are left out, at any depth (``.git``, editor lock and swap files).

Standard library only: ``gen check`` builds the snapshot before it knows whether it needs more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from generator.core.constants import YAML_SUFFIXES
from generator.core.errors import Problem
from generator.core.layout import (
    CATALOG_DIR,
    CONFIG_FILE,
    MAX_FILE_BYTES,
    TEMPLATES_DIR,
    builtin_templates,
)


def _frozen(files: Mapping[str, bytes]) -> Mapping[str, bytes]:
    return MappingProxyType(dict(sorted(files.items())))


@dataclass(frozen=True)
class Inputs:
    """What the generator reads, as of one moment.

    ``files`` maps a path relative to the root (``config.yaml``, ``catalog/serving/vllm.yaml``,
    ``templates/application.yaml.j2``) to its bytes; ``builtin`` maps each built-in template's
    name to its bytes; ``problems`` are the files and folders that could not be read."""

    root: Path
    files: Mapping[str, bytes]
    builtin: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", _frozen(self.files))
        object.__setattr__(self, "builtin", _frozen(self.builtin))

    def under(self, folder: str) -> list[str]:
        """The paths below ``folder`` (``catalog``), sorted."""
        prefix = folder.rstrip("/") + "/"
        return [rel for rel in self.files if rel.startswith(prefix)]

    def templates(self) -> dict[str, bytes]:
        """The templates by name: the project's ``templates/`` over the built-in ones."""
        prefix = TEMPLATES_DIR + "/"
        own = {
            rel[len(prefix) :]: data for rel, data in self.files.items() if rel.startswith(prefix)
        }
        return {**self.builtin, **own}

    def replace(self, changes: Mapping[str, bytes]) -> Inputs:
        """A snapshot with ``changes`` (relative path -> bytes) laid over this one's files: what
        the project would be after an edit, before anything is written."""
        return Inputs(self.root, {**self.files, **changes}, self.builtin, self.problems)


def read_inputs(root: Path) -> Inputs:
    """Read ``root``'s input under the one walk rule (see the module docstring)."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    config = root / CONFIG_FILE
    if config.exists() or config.is_symlink():
        _read(config, CONFIG_FILE, files, problems)
    for rel, path in _walk(root / CATALOG_DIR, CATALOG_DIR, problems):
        if rel.endswith(YAML_SUFFIXES):
            _read(path, rel, files, problems)
    for rel, path in _walk(root / TEMPLATES_DIR, TEMPLATES_DIR, problems):
        _read(path, rel, files, problems)
    builtin: dict[str, bytes] = {}
    for rel, path in _walk(builtin_templates(), "", problems):
        _read(path, rel, builtin, problems)
    return Inputs(root, files, builtin, tuple(problems))


def _read(path: Path, rel: str, into: dict[str, bytes], problems: list[Problem]) -> None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            problems.append(Problem(rel, message=message, id="file-too-large"))
            return
        into[rel] = path.read_bytes()
    except FileNotFoundError:
        problems.append(_missing(path, rel))
    except OSError as exc:
        message = f"cannot read: {exc.strerror or exc}"
        problems.append(Problem(rel, message=message, id="file-unreadable"))


def _missing(path: Path, rel: str) -> Problem:
    if path.is_symlink():
        message = f"symbolic link to {path.readlink()}, which does not exist"
        return Problem(rel, message=message, id="link-broken")
    return Problem(rel, message="file not found", id="file-missing")


def _walk(folder: Path, rel: str, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """``(relative path, path)`` of every file below ``folder``, symbolic links followed."""
    if not (folder.exists() or folder.is_symlink()):
        return
    if not folder.is_dir():
        if folder.is_symlink() and not folder.exists():
            problems.append(_missing(folder, rel))
        else:
            problems.append(Problem(rel, message="not a folder", id="not-a-file"))
        return
    yield from _visit(folder, rel, frozenset({os.path.realpath(folder)}), problems)


def _visit(
    folder: Path, rel: str, ancestors: frozenset[str], problems: list[Problem]
) -> Iterator[tuple[str, Path]]:
    join: Callable[[str], str] = (lambda name: f"{rel}/{name}") if rel else (lambda name: name)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        message = f"cannot read the folder: {exc.strerror or exc}"
        problems.append(Problem(rel, message=message, id="file-unreadable"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child, path = join(entry.name), Path(entry.path)
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            real = os.path.realpath(path)
            if real in ancestors:
                message = "symbolic link loop: leads back to a folder above it"
                problems.append(Problem(child, message=message, id="link-loop"))
                continue
            yield from _visit(path, child, ancestors | {real}, problems)
        elif is_file:
            yield child, path
        elif entry.is_symlink():
            problems.append(_missing(path, child))
        else:
            message = "not a regular file or folder"
            problems.append(Problem(child, message=message, id="not-a-file"))
