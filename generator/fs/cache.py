"""Remember what a successful run rendered, so that ``gen check`` and ``gen render`` with
nothing changed need neither the loaders nor the templates.

The key is a digest of everything that decides the output and the verdict: the input snapshot
(:mod:`generator.fs.inputs`: config.yaml, the catalog, the project's and the built-in templates,
exactly the bytes the full run reads, and what could not be read), the generator's source files
(size and mtime), the versions of Python and of every library that renders or validates, and the
environments asked for. An entry maps that key to the digest of every file the run rendered (and
so validated) and the warnings it met; only a run without errors stores one. On a hit, checking
``rendered/`` is walking it by the full run's own rule (:func:`generator.fs.tree.walk`: the same
scope, the same refusal of symbolic links) and hashing its files; on any difference the caller
falls back to the full run, which produces the diff and stores a fresh entry.

Entries live in ``$STAGEGEN_CACHE_DIR`` (default ``$XDG_CACHE_HOME/stagegen``, i.e.
``~/.cache/stagegen``), one JSON file per entry (the most recent eight of each project root are
kept), never in the project; a run reads only the entry of its own key.
``STAGEGEN_NO_CACHE=1`` turns the cache off. Standard library only: this is the fast path.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.core.errors import Problem
from generator.fs.inputs import Inputs
from generator.fs.stamps import Stamps
from generator.fs.store import blake2b, hash_bytes, write_whole
from generator.fs.tree import is_generated, walk

#: The packages (import names) of every library that can change what is rendered or what
#: validation accepts.
_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "yaml",
    "jsonschema",
    "jsonschema_specifications",
    "referencing",
    "fastjsonschema",
    "kubernetes_validate",
)
#: Entries kept per project root (one per environment selection, most recent first).
_KEEP = 8
_FORMAT = 3


@dataclass(frozen=True)
class Entry:
    """What one successful run rendered: file digests by relative path, and its warnings."""

    out_dir: str
    environments: list[str]
    files: Mapping[str, str]
    warnings: list[Problem]


def enabled() -> bool:
    """False when ``STAGEGEN_NO_CACHE`` is set to anything but an empty string or 0."""
    return os.environ.get("STAGEGEN_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """Where entries are kept."""
    explicit = os.environ.get("STAGEGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stagegen"


def digest(data: bytes) -> str:
    """The digest recorded for a rendered file (the hex of
    :func:`generator.fs.memo.text_digest` of its text)."""
    return blake2b(data, digest_size=16).hexdigest()


def _code_files(folder: str, rel: str = "") -> Iterable[tuple[str, os.stat_result]]:
    """``(relative path, stat)`` of the generator's ``.py`` and ``.json`` files, sorted."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                yield from _code_files(entry.path, f"{rel}{entry.name}/")
        elif entry.name.endswith((".py", ".json")):
            yield f"{rel}{entry.name}", entry.stat()


def _library_versions() -> list[str]:
    """Where each library is installed and the size and mtime of its ``__init__`` file: an
    upgrade (or any reinstall) changes them. Found without importing the library, and without
    parsing package metadata, which would cost ``gen check`` more than the rest of the key."""
    from importlib.util import find_spec

    versions = []
    for name in _LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            versions.append(f"{name}=absent")
            continue
        stat = Path(origin).stat()
        versions.append(f"{name}={origin}:{stat.st_size}:{stat.st_mtime_ns}")
    return versions


def code_identity() -> list[str]:
    """What, besides the input, decides every output and verdict: this cache's format, the
    generator's version and code, Python, and the libraries that render or validate."""
    parts = [
        f"format={_FORMAT}",
        f"version={__version__}",
        f"python={sys.version}",
        *_library_versions(),
    ]
    # The generator's own code decides the output too: a source checkout (editable install)
    # changes without a version bump, so its files' sizes and mtimes are part of the key.
    package = Path(__file__).resolve().parents[1]
    for rel, stat in _code_files(str(package)):
        parts.append(f"generator/{rel}={stat.st_size}:{stat.st_mtime_ns}")
    return parts


def fingerprint(
    inputs: Inputs, environments: Sequence[str] | None, code: Sequence[str] | None = None
) -> str:
    """The key of everything that decides what a run renders and whether it validates
    (``code``: :func:`code_identity`, when the caller has it already)."""
    h = blake2b(digest_size=20)

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    add("code", "\n".join(code_identity() if code is None else code).encode())
    add("environments", "\n".join(environments or ["*"]).encode())
    add("root", str(inputs.root).encode())
    for rel, data in inputs.files.items():
        add(f"input/{rel}", data)
    for rel, data in inputs.builtin.items():
        add(f"builtin/{rel}", data)
    add("unreadable", "\n".join(str(p) for p in inputs.problems).encode())
    return h.hexdigest()


def _root_name(root: Path) -> str:
    return blake2b(str(root).encode(), digest_size=12).hexdigest()


def memo_file(root: Path) -> Path:
    """Where the per-file memo of ``root`` is kept (:mod:`generator.fs.memo`)."""
    return cache_dir() / f"{_root_name(root)}.memo"


def _entry_file(root: Path, key: str) -> Path:
    return cache_dir() / f"{_root_name(root)}-{key[:32]}.json"


def load(root: Path, key: str) -> Entry | None:
    """The entry stored under ``key`` for ``root``, if any (a damaged cache is a miss)."""
    try:
        raw = json.loads(_entry_file(root, key).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT or raw.get("key") != key:
        return None
    try:
        files = _unpack(raw["files"])
        warnings = [Problem(**w) for w in raw["warnings"]]
        environments = [str(e) for e in raw["environments"]]
        return Entry(str(raw["out_dir"]), environments, files, warnings)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _pack(files: Mapping[str, bytes]) -> dict[str, str]:
    """The digests of a run's files as two strings (paths, then hex digests in that order):
    parsed back in a few milliseconds at 10,000 files, where a JSON object took 50."""
    return {"paths": "\n".join(files), "digests": "".join(v.hex() for v in files.values())}


def _unpack(raw: object) -> dict[str, str]:
    paths, digests = raw["paths"].split("\n"), raw["digests"]  # type: ignore[index]
    size = 2 * 16
    if not paths[0] and not digests:
        return {}
    if len(digests) != size * len(paths):
        raise ValueError("damaged entry")
    return {rel: digests[i * size : (i + 1) * size] for i, rel in enumerate(paths)}


def store(
    root: Path,
    key: str,
    out_dir: str,
    environments: Sequence[str],
    files: Mapping[str, bytes],
    warnings: Sequence[Problem],
) -> None:
    """Record a successful run: ``files`` maps each rendered file to the digest of its text
    (:func:`generator.fs.memo.text_digest`). Best effort: a cache that cannot be written is no
    error."""
    entry = {
        "format": _FORMAT,
        "key": key,
        "out_dir": out_dir,
        "environments": list(environments),
        "files": _pack(files),
        "warnings": [w.to_json() for w in warnings],
    }
    data = json.dumps(entry, separators=(",", ":")).encode("utf-8")
    write_whole(_entry_file(root, key), data, ".entry-")
    _forget_old(root)


def _forget_old(root: Path) -> None:
    """Keep the :data:`_KEEP` most recent entries of ``root``."""
    try:
        found = [(p.stat().st_mtime_ns, p) for p in cache_dir().glob(f"{_root_name(root)}-*.json")]
        for _, path in sorted(found, reverse=True)[_KEEP:]:
            path.unlink(missing_ok=True)
    except OSError:
        return


def stamps_file(out_dir: Path) -> Path:
    """Where the stamps of the files of ``out_dir`` are kept (:mod:`generator.fs.stamps`)."""
    return cache_dir() / f"{_root_name(out_dir)}.stamps"


def disk_matches(
    out_dir: Path, entry: Entry, scope: Sequence[str] | None, stamps: Stamps | None = None
) -> bool:
    """True when ``out_dir`` holds exactly the entry's files (byte for byte, by digest) and no
    other generated file within ``scope`` (top-level folders; None for all). The folder is
    walked by the full run's rule: a symbolic link there is refused (GenError) the same way.
    ``stamps`` knows the digest of a file unchanged since a run read it."""
    on_disk = set(walk(out_dir, scope))
    if not on_disk.issuperset(entry.files):
        return False
    base = str(out_dir)
    for rel, expected in entry.files.items():
        try:
            if stamps is not None:
                found = stamps.digest(base, rel, hash_bytes).hex()
            else:
                with open(f"{base}{os.sep}{rel}", "rb") as handle:  # noqa: PTH123 (no Path)
                    found = digest(handle.read())
        except OSError:
            return False
        if found != expected:
            return False
    return not any(is_generated(out_dir / rel) for rel in on_disk - entry.files.keys())
