"""Files of the stagegen cache folder (:func:`generator.fs.cache.cache_dir`): each written whole
and moved into place by one rename (a concurrent run reads the old file or the new one, never
half of one), sealed with a checksum (a damaged or truncated file reads as absent), and best
effort (a cache that cannot be written is no error).

Standard library only, and cheap to import: ``gen check`` with nothing changed reads these.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.core.hashing import blake2b, hash_bytes

__all__ = ["blake2b", "hash_bytes", "read_bytes", "seal", "unseal", "write_whole"]

_CHECK = 32  # bytes of a seal's checksum


def seal(magic: bytes, body: bytes) -> bytes:
    """``magic``, ``body``, and a checksum of both."""
    return magic + body + blake2b(magic + body, digest_size=_CHECK).digest()


def unseal(magic: bytes, data: bytes) -> bytes | None:
    """The body of a sealed file, or None when it does not start with ``magic`` or its
    checksum does not match (damaged, truncated, another format)."""
    end = len(data) - _CHECK
    if end < len(magic) or not data.startswith(magic):
        return None
    if blake2b(data[:end], digest_size=_CHECK).digest() != data[end:]:
        return None
    return data[len(magic) : end]


def read_bytes(path: Path | None) -> bytes:
    """The bytes of ``path`` (empty when there is none or it cannot be read)."""
    if path is None:
        return b""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def write_whole(path: Path, data: bytes, prefix: str) -> None:
    """Write ``data`` to a temporary file beside ``path`` (named ``prefix...``), then rename
    it over ``path``. Best effort: nothing is raised when the folder cannot be written."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temp).replace(path)
    except OSError:
        return
