"""The one digest function of the generator's caches and checks: BLAKE2b, imported on its own.

``hashlib`` also loads OpenSSL (a few milliseconds), which ``gen check``, run on every commit,
would pay for nothing: the BLAKE2 module is CPython's own and imported directly when present.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without CPython's module layout
    from hashlib import blake2b

__all__ = ["blake2b", "hash_bytes"]


def hash_bytes(data: bytes) -> bytes:
    """The 16-byte digest used for keys, file texts and files on disk."""
    return blake2b(data, digest_size=16).digest()
