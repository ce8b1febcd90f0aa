"""Compare a rendered mapping with the folder on disk, and write it there all-or-nothing.

Only files that start with the generated-file marker are ever considered the generator's: files
a person put under ``rendered/`` are neither reported nor touched. Writing stages every new or
changed file in a temporary tree on the same filesystem, then moves the staged files into place
with SIGINT/SIGTERM held off, so an error or an interrupt before that point leaves the folder as
it was, and unchanged files are never rewritten (their mtime stays).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.errors import GenError
from generator.core.layout import GENERATED_MARKER
from generator.fs.stamps import Stamps

_MARKER = GENERATED_MARKER.encode()
STAGING_PREFIX = ".gen-staging-"


@dataclass(frozen=True)
class TreeDiff:
    """How the folder on disk differs from what the generator renders now."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def clean(self) -> bool:
        """True when the folder is exactly what the generator renders."""
        return not (self.changed or self.missing or self.extra)


@dataclass(frozen=True)
class WriteSummary:
    """What ``write_tree`` did."""

    written: list[str]
    removed: list[str]
    unchanged: int


def walk(out_dir: Path, scope: Sequence[str] | None = None) -> Iterator[str]:
    """Relative POSIX paths of the regular files below ``out_dir`` within ``scope`` (top-level
    folders, i.e. environments; None for all); a symbolic link met there is refused (GenError).

    Outside ``scope`` nothing is read: ``--env ai-dev`` concerns ``rendered/ai-dev/`` only."""
    if out_dir.is_symlink():
        raise GenError(f"{out_dir} is a symbolic link; refusing to read or write through it")
    if not out_dir.exists():
        return
    yield from _walk(str(out_dir), "", scope)


def _walk(folder: str, rel: str, scope: Sequence[str] | None) -> Iterator[str]:
    """Each folder's files (sorted) before its sub-folders (sorted); the entries' types come
    from the directory listing, so a file costs no system call of its own."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    dirs = []
    for entry in entries:
        if entry.is_dir():  # a link to a folder too: refused below when it is in scope
            if not entry.name.startswith(STAGING_PREFIX) and (
                rel or scope is None or entry.name in scope
            ):
                dirs.append(entry)
        elif rel or scope is None:
            if entry.is_symlink():
                raise GenError(f"{entry.path} is a symbolic link; refusing to follow it")
            yield rel + entry.name
    for entry in dirs:
        if entry.is_symlink():
            raise GenError(f"{entry.path} is a symbolic link; refusing to follow it")
        yield from _walk(entry.path, f"{rel}{entry.name}/", scope)


def _read(path: str) -> bytes:
    try:
        # A str path, not a Path: 10,000 files are compared on a large check.
        with open(path, "rb") as handle:  # noqa: PTH123
            return handle.read()
    except OSError as exc:
        raise GenError(f"cannot read {path}: {_reason(exc)}") from None


def _disk_digest(
    out_dir: str, rel: str, digest: Callable[[bytes], bytes], stamps: Stamps | None
) -> bytes:
    if stamps is None:
        return digest(_read(f"{out_dir}{os.sep}{rel}"))
    try:
        return stamps.digest(out_dir, rel, digest)
    except OSError as exc:
        raise GenError(f"cannot read {out_dir}{os.sep}{rel}: {_reason(exc)}") from None


def is_generated(path: Path) -> bool:
    """Whether ``path`` carries the generated-file marker."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(_MARKER)) == _MARKER
    except OSError:
        return False


#: The digest of a rendered file's text, known without making the text
#: (:meth:`generator.render.files.RenderedFiles.digest`), and the same function of bytes.
Digests = tuple[Callable[[str], bytes], Callable[[bytes], bytes]]


def diff_tree(
    out_dir: Path,
    files: Mapping[str, str],
    scope: Sequence[str] | None = None,
    digests: Digests | None = None,
    stamps: Stamps | None = None,
) -> TreeDiff:
    """Compare ``files`` (relative path -> text) with ``out_dir``, within ``scope``
    (top-level folders, i.e. environments; None for all). ``digests`` compares each file on
    disk with the digest of its text instead of the text (which then need not be made), and
    ``stamps`` (:mod:`generator.fs.stamps`) knows the digest of a file unchanged since a run
    read it."""
    on_disk = set(walk(out_dir, scope))
    changed, missing = [], []
    unchanged = 0
    base = f"{out_dir}{os.sep}"
    for rel in files:
        if rel not in on_disk:
            missing.append(rel)
            continue
        if digests is not None:
            same = _disk_digest(str(out_dir), rel, digests[1], stamps) == digests[0](rel)
        else:
            same = _read(base + rel) == files[rel].encode("utf-8")
        if same:
            unchanged += 1
        else:
            changed.append(rel)
    extra = [rel for rel in sorted(on_disk - files.keys()) if is_generated(out_dir / rel)]
    return TreeDiff(changed, missing, extra, unchanged)


def unified_diff(out_dir: Path, files: Mapping[str, str], diff: TreeDiff, label: str) -> str:
    """A unified diff from the folder on disk (a/) to the rendered output (b/)."""
    import difflib

    chunks: list[str] = []
    for rel in sorted([*diff.changed, *diff.missing, *diff.extra]):
        old = (out_dir / rel).read_text("utf-8", "replace") if rel not in diff.missing else ""
        new = files.get(rel, "")
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{label}/{rel}" if rel not in diff.missing else "/dev/null",
                tofile=f"b/{label}/{rel}" if rel not in diff.extra else "/dev/null",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while files are moved into place, then deliver them."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on Linux/macOS
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _check_targets(base: Path, rels: Sequence[str]) -> None:
    """Refuse paths that leave ``base`` or pass through a symbolic link (each folder is looked
    at once, however many files it holds; nothing is looked at below a ``base`` that does not
    exist yet)."""
    for rel in rels:
        if ".." in rel.split("/") or rel.startswith("/"):
            raise GenError(f"refusing to write outside {base}: {rel}")
    if not os.path.lexists(base):
        if base.is_symlink():  # pragma: no cover - lexists is True for a dangling link
            raise GenError(f"{base} is a symbolic link; refusing to write through it")
        return
    seen: set[str] = set()
    stop = str(base.parent)
    for rel in rels:
        path = f"{base}{os.sep}{rel}"
        target = True
        while path != stop and path not in seen:
            if os.path.islink(path):  # noqa: PTH114 (str paths: thousands of files)
                raise GenError(f"{path} is a symbolic link; refusing to write through it")
            if not target:
                seen.add(path)
            target = False
            path = os.path.dirname(path)  # noqa: PTH120


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _stage(
    base: Path, contents: Mapping[str, bytes], whole: bool, label: str
) -> tuple[Path, list[str]]:
    """Write ``contents`` into a new staging folder; GenError naming the file on an
    environmental failure (no space, permission denied, read-only file system)."""
    import shutil
    import tempfile

    parent = base.parent if whole else base
    rel = "."
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for stale in parent.glob(STAGING_PREFIX + "*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as exc:
        where = f"{label}/" if parent == base else str(parent)
        raise GenError(f"cannot write in {where}: {_reason(exc)}; {label}/ is unchanged") from None
    folders = sorted({posixpath.dirname(rel) for rel in contents} - {""})
    root = str(staging)
    try:
        for rel in folders:
            os.makedirs(f"{root}{os.sep}{rel}", exist_ok=True)  # noqa: PTH103 (str paths)
        for rel, data in contents.items():
            _write(f"{root}{os.sep}{rel}", data)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise GenError(
            f"cannot write {label}/{rel}: {_reason(exc)}; {label}/ is unchanged"
        ) from None
    return staging, folders


def _write(path: str, data: bytes) -> None:
    """Write a new file (a first render writes thousands: no Path objects, no buffering)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def commit_files(
    base: Path,
    contents: Mapping[str, bytes],
    remove: Sequence[str] = (),
    before_commit: Callable[[], None] | None = None,
    label: str | None = None,
) -> None:
    """Write ``contents`` (relative path -> bytes) under ``base`` and delete ``remove``, all or
    nothing: every file is first written to a staging folder inside ``base`` (the same
    filesystem), then moved into place with SIGINT/SIGTERM held off. An error or an interrupt
    before the moves leaves ``base`` as it was; a full disk, a permission or a read-only file
    system met while staging is one GenError naming the file (``label`` names ``base`` in it).
    ``before_commit`` runs between the two (tests use it to fail at the worst moment)."""
    import shutil

    label = label or str(base)
    _check_targets(base, [*contents, *remove])
    # A first render (no folder yet) stages the whole tree beside it and moves it in at once.
    whole = not base.exists() and not remove
    staging, folders = _stage(base, contents, whole, label)
    try:
        if before_commit is not None:
            before_commit()
        with _signals_held():
            if whole:
                staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a folder is not
                staging.rename(base)
                return
            _move(base, staging, folders, contents, remove, label)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move(
    base: Path,
    staging: Path,
    folders: Sequence[str],
    contents: Mapping[str, bytes],
    remove: Sequence[str],
    label: str,
) -> None:
    """Move the staged files into place and delete ``remove``. Renames within one file system
    need no space; should one fail anyway, the error says that the folder is partly written."""
    rel = "."
    try:
        for rel in folders:
            (base / rel).mkdir(parents=True, exist_ok=True)
        for rel in contents:
            (staging / rel).replace(base / rel)
        for rel in remove:
            (base / rel).unlink()
            _prune_empty(base, (base / rel).parent)
    except OSError as exc:
        raise GenError(
            f"cannot write {label}/{rel}: {_reason(exc)}; {label}/ is partly written: "
            "run the command again once this is fixed"
        ) from None


def write_tree(
    out_dir: Path,
    files: Mapping[str, str],
    scope: Sequence[str] | None = None,
    before_commit: Callable[[], None] | None = None,
    label: str | None = None,
    digests: Digests | None = None,
    stamps: Stamps | None = None,
) -> WriteSummary:
    """Make ``out_dir`` hold exactly ``files`` (within ``scope``), all or nothing; ``label``
    names ``out_dir`` in messages (``rendered``); ``digests`` and ``stamps`` as for
    :func:`diff_tree`.

    ``before_commit`` runs after staging and before anything in ``out_dir`` changes; tests use
    it to inject a failure at the worst moment.
    """
    diff = diff_tree(out_dir, files, scope, digests, stamps)
    if diff.clean:
        return WriteSummary([], [], diff.unchanged)
    to_write = sorted([*diff.changed, *diff.missing])
    contents = {rel: files[rel].encode("utf-8") for rel in to_write}
    commit_files(out_dir, contents, diff.extra, before_commit, label)
    return WriteSummary(to_write, list(diff.extra), diff.unchanged)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _prune_empty(out_dir: Path, folder: Path) -> None:
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
