"""Remember what emitting and checking rendered files gave, so that a run after an everyday
edit emits and checks only what the edit changed.

The run cache (:mod:`generator.fs.cache`) answers a run whose whole input is unchanged. This
memo answers for parts of a run, at two levels, each under a key that is a digest of everything
that decides the part's output and the verdict of its document checks (the schema of its kind
and Argo CD's rules):

- **units** (:mod:`generator.render.units`): the Applications of one group in one environment,
  keyed by what they are made from (the group as that environment sees it, the environment,
  the project-wide settings, their sync waves, the templates). An entry holds, per file, the
  digest of its text and the part of its object the cross-object checks read; a hit means none
  of the unit's objects is even built;
- **files**: one rendered file, keyed by exactly what it is made from: the object a built-in
  template emits, serialised (:mod:`pickle`: dict order, ``True`` apart from ``1``, ``1`` apart
  from ``1.0``) with the header above it, or the text a project template rendered with Jinja.
  An entry holds the digest of its text.

- **input files**: the data and positions of each input file that parsed and passed its schema
  without a word, by its path, its schema and the digest of its bytes (the loader reads them
  instead of parsing the same bytes again).

Every key also covers the file paths (findings name them), the rendered folder's name, and the
generator's code, Python and libraries (the salt, shared by every key: a memo written under
another salt is not read at all). Only parts whose document checks found nothing are
remembered: a part with a finding is checked again on every run. The checks across documents
(an Application against its AppProject, duplicates, least privilege) run on every run, on the
objects of the parts rebuilt and the remembered extracts of the others.

Stored in the stagegen cache folder (:func:`generator.fs.cache.cache_dir`), one file per project
root: a header, the salt, the entries (:mod:`marshal`: plain data only), and a checksum over all
of it. A file that is damaged, truncated or from another salt is ignored; writes go to a
temporary file that replaces the old one in one rename, so concurrent runs never see half a file
(the last one wins).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator.fs.store import hash_bytes, read_bytes, seal, unseal, write_whole

_MAGIC = b"stagegen-memo-4\n"
#: One file of a unit: its path, the digest of its text, what the cross-object checks read.
UnitFile = tuple[str, bytes, Any]
#: A unit: its files, and the AppProjects its Applications name when they were found clean
#: (name, key of the AppProject's document or None): see generator/render/incremental.py.
UnitEntry = tuple[tuple[UnitFile, ...], tuple[tuple[str, bytes | None], ...]]


def document_key(salt: bytes, rel: str, header: str, document: Any) -> bytes:
    """The key of a file a built-in template writes: ``header`` above ``document``."""
    import pickle  # here: the run cache's fast path imports this module, not pickle

    return hash_bytes(salt + pickle.dumps(("document", rel, header, document), protocol=5))


def text_key(salt: bytes, rel: str, text: str) -> bytes:
    """The key of a file whose text a project template rendered (parsed back to be checked)."""
    import pickle

    return hash_bytes(salt + pickle.dumps(("text", rel, text), protocol=5))


def text_digest(text: str) -> bytes:
    """The digest of a file's text as written (UTF-8)."""
    return hash_bytes(text.encode("utf-8"))


def bytes_digest(data: bytes) -> bytes:
    """The digest of a file's bytes (a file on disk, to compare with :func:`text_digest`)."""
    return hash_bytes(data)


class Memo:
    """The entries of one project root."""

    def __init__(
        self,
        path: Path,
        salt: bytes,
        files: dict[bytes, bytes],
        units: dict[bytes, UnitEntry],
        sources: dict[bytes, Any] | None = None,
    ) -> None:
        self.path = path
        self.salt = salt
        self.files = files
        self.units = units
        #: Input files parsed and found valid against their schema: key -> (data, positions).
        self.sources = sources or {}
        self.sources_used: dict[bytes, Any] = {}

    def _source_key(self, rel: str, schema: str, raw: bytes) -> bytes:
        return hash_bytes(b"\0".join([self.salt, rel.encode(), schema.encode(), raw]))

    def source(self, rel: str, schema: str, raw: bytes) -> Any:
        """``(data, positions)`` of input file ``rel`` (its bytes ``raw``), when these very
        bytes were parsed before and found valid against schema ``schema``."""
        key = self._source_key(rel, schema, raw)
        found = self.sources.get(key)
        if found is not None:
            self.sources_used[key] = found
        return found

    def keep_source(self, rel: str, schema: str, raw: bytes, parsed: Any) -> None:
        """Remember the ``(data, positions)`` of a file that parsed and passed its schema."""
        self.sources_used[self._source_key(rel, schema, raw)] = parsed

    def save(self, files: Mapping[bytes, bytes], units: Mapping[bytes, UnitEntry]) -> None:
        """Write this run's entries, and as many earlier ones again (an edit undone finds its
        parts again). Best effort: a memo that cannot be written is no error."""
        sources = self.sources_used
        payload = (_merged(files, self.files), _merged(units, self.units), sources)
        try:
            body = marshal.dumps(payload)
        except ValueError:  # an input file with a value marshal cannot hold: leave those out
            sources = {k: v for k, v in sources.items() if _marshals(v)}
            payload = (payload[0], payload[1], sources)
            try:
                body = marshal.dumps(payload)
            except ValueError:
                return
        write_whole(self.path, seal(_MAGIC + self.salt, body), ".memo-")


def _marshals(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def _merged(current: Mapping[bytes, Any], earlier: Mapping[bytes, Any]) -> dict[bytes, Any]:
    out = dict(current)
    limit = 2 * len(current) + 256
    for key, value in earlier.items():
        if len(out) >= limit:
            break
        out.setdefault(key, value)
    return out


_EMPTY: tuple[dict[bytes, Any], ...] = ({}, {}, {})


def _parse(data: bytes, salt: bytes) -> tuple[dict[bytes, Any], ...]:
    body = unseal(_MAGIC + salt, data)
    if body is None:
        return _EMPTY
    try:
        found = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return _EMPTY
    if not isinstance(found, tuple) or not all(isinstance(part, dict) for part in found):
        return _EMPTY
    return found if len(found) == len(_EMPTY) else _EMPTY


def open_memo(path: Path, salt_parts: Iterable[str]) -> Memo:
    """The memo kept at ``path`` under the salt made of ``salt_parts`` (empty when there is
    none, it is damaged, or it was written under another salt)."""
    salt = hash_bytes("\0".join(salt_parts).encode("utf-8"))
    files, units, sources = _parse(read_bytes(path), salt)
    return Memo(path, salt, files, units, sources)
