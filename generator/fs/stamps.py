"""What the files of a rendered folder held when a run last read them, by their stat stamps.

Comparing ``rendered/`` with what the generator renders means knowing what each file on disk
holds. Reading 10,000 files to find out costs more than anything else in a ``gen check`` after an
everyday edit. Like git's index, this records for each file it read its stamp (size, mtime,
ctime, inode and device) and the digest of its bytes; a later run that finds the very same stamp
takes the digest from the record instead of reading the file.

A file's ctime is set by the kernel whenever the file changes (its content, its mtime set back
by ``touch -d`` or ``cp -p``, a rename over it: that is a new inode) and cannot be set by a
program, so an unchanged stamp means unchanged bytes, with one exception git calls "racy": a
change in the same clock tick as the stamp the record holds. So a record is made only of a file
whose ctime and mtime are more than :data:`MARGIN_NS` older than the start of the run that read
it: any later change gets a later ctime, hence another stamp. A file changed within the margin
is simply read again next time.

Kept in the stagegen cache folder beside the run cache, one file per project root, with a
checksum (a damaged file is ignored) and written by rename (concurrent runs never see half of
it). ``STAGEGEN_NO_CACHE=1`` (the full run) reads every file.
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable
from pathlib import Path

from generator.fs.store import read_bytes, seal, unseal, write_whole

#: How much older than the run a file's ctime must be for its stamp to be recorded: well above
#: any file system's timestamp granularity (the kernel's clock tick; 2 s on FAT).
MARGIN_NS = 3_000_000_000
_MAGIC = b"stagegen-stamps-1\n"
#: (size, mtime_ns, ctime_ns, inode, device)
Stamp = tuple[int, int, int, int, int]


def stamp_of(stat: os.stat_result) -> Stamp:
    """The stamp of a file's ``os.lstat``."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


class Stamps:
    """The records of one rendered folder (see the module docstring)."""

    def __init__(self, path: Path | None, records: dict[str, tuple[Stamp, bytes]]) -> None:
        self.path = path
        self.records = records
        self.started = time.time_ns()
        self.changed = False

    def digest(self, out_dir: str, rel: str, digest: Callable[[bytes], bytes]) -> bytes:
        """The digest of the bytes of ``out_dir/rel`` (OSError when it cannot be read)."""
        full = f"{out_dir}{os.sep}{rel}"
        stamp = stamp_of(os.lstat(full))
        known = self.records.get(rel)
        if known is not None and known[0] == stamp:
            return known[1]
        with open(full, "rb") as handle:  # noqa: PTH123 (thousands of files: no Path)
            found = digest(handle.read())
        if max(stamp[1], stamp[2]) < self.started - MARGIN_NS:
            self.records[rel] = (stamp, found)
            self.changed = True
        elif known is not None:
            del self.records[rel]
            self.changed = True
        return found

    def save(self) -> None:
        """Write the records when they changed. Best effort: no error when it cannot."""
        if self.path is None or not self.changed:
            return
        try:
            body = marshal.dumps(self.records)
        except ValueError:
            return
        write_whole(self.path, seal(_MAGIC, body), ".stamps-")


def _parse(data: bytes) -> dict[str, tuple[Stamp, bytes]]:
    body = unseal(_MAGIC, data)
    if body is None:
        return {}
    try:
        records = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    return records if isinstance(records, dict) else {}


def open_stamps(path: Path | None) -> Stamps:
    """The records kept at ``path`` (None: none are kept; every file is read)."""
    return Stamps(path, _parse(read_bytes(path)))
