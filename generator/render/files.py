"""The rendered files of a build: ``{path under the rendered folder: text}``, each text made when
first asked for.

A built-in template's file is its header above the emitted object
(:func:`generator.yamlio.emit.dump`); emitting is the largest part of a render, and a run that
only compares most files with the disk needs their digests, not their texts. So a file is kept
as its recipe (header and object) until its text is read; :meth:`RenderedFiles.digest` answers
from a digest the per-file memo (:mod:`generator.fs.memo`) remembered for that exact recipe, or
else from the text. Files a project template rendered with Jinja are text from the start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from generator.core.errors import UsageError
from generator.core.layout import GENERATED_MARKER
from generator.fs.memo import text_digest
from generator.yamlio.emit import Shared, dump

#: Source fields the catalog writes and every environment's Application holds as the same
#: object (generator/render/objects.py: full_source copies the source, not its values).
_SHARED_FIELDS = frozenset(("helm", "kustomize", "directory", "plugin"))


def header(*sources: str, extra: Iterable[str] = ()) -> str:
    """The comment block that opens every generated file."""
    lines = [
        f"{GENERATED_MARKER} (stagegen) from {', '.join(sources)}. Do not edit:",
        "# change config.yaml or the catalog, then run `gen render`.",
    ]
    lines.extend("# " + " ".join(line.split()) for line in extra)
    return "\n".join(lines)


def emit(header: str, document: Any, shared: Shared | None = None) -> str:
    """The text of a file a built-in template writes: the header, then the object
    (``shared``: see :class:`generator.yamlio.emit.Shared`)."""
    return f"{header}\n{dump(document, shared).strip(chr(10))}\n"


class RenderedFiles(Mapping[str, str]):
    """``{path: text}`` in path order; texts are emitted on first use (see the module)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._recipes: dict[str, tuple[str, Any, str]] = {}
        self._digests: dict[str, bytes] = {}
        self._deferred: dict[str, tuple[Callable[[], list[tuple[str, str, Any]]], str]] = {}
        self._order: list[str] | None = None
        #: The catalog's values the documents of this render share, emitted once each.
        self._shared = Shared(_SHARED_FIELDS)

    def add_text(self, rel: str, text: str) -> None:
        """A file whose text is known."""
        self._texts[rel] = text
        self._order = None

    def add_document(self, rel: str, header: str, document: Any, template: str) -> None:
        """A file that is ``header`` above ``document`` (written by ``template``, which only
        emits the object), emitted when first read."""
        self._recipes[rel] = (header, document, template)
        self._order = None

    def add_deferred(
        self,
        rel: str,
        digest: bytes,
        build: Callable[[], list[tuple[str, str, Any]]],
        template: str,
    ) -> None:
        """A file known by the digest of its text; ``build()`` makes the ``(path, header,
        object)`` of it and of the other files of its unit (all written by ``template``), when
        a text is needed."""
        self._digests[rel] = digest
        self._deferred[rel] = (build, template)
        self._order = None

    def recipe(self, rel: str) -> tuple[str, Any] | None:
        """The header and object of a file a built-in template writes (None for the others)."""
        found = self._recipes.get(rel)
        return None if found is None else found[:2]

    def knows_digest(self, rel: str, digest: bytes) -> None:
        """The digest of ``rel``'s text, known without emitting it (from the memo)."""
        self._digests[rel] = digest

    def digest(self, rel: str) -> bytes:
        """The digest (:func:`generator.fs.memo.text_digest`) of ``rel``'s text."""
        found = self._digests.get(rel)
        if found is None:
            found = self._digests[rel] = text_digest(self[rel])
        return found

    def emitted(self, rel: str) -> bool:
        """Whether ``rel``'s text has been made (or was given)."""
        return rel in self._texts

    def __getitem__(self, rel: str) -> str:
        text = self._texts.get(rel)
        if text is None:
            if rel not in self._recipes and rel in self._deferred:
                build, template = self._deferred[rel]
                for path, top, document in build():
                    if path in self._deferred:
                        self._recipes[path] = (top, document, template)
                        del self._deferred[path]
            header, document, template = self._recipes[rel]
            try:
                text = emit(header, document, self._shared)
            except TypeError as exc:  # a value YAML cannot hold, as the template would say
                raise UsageError(f"template {template}: {exc}") from None
            self._texts[rel] = text
        return text

    def __contains__(self, rel: object) -> bool:
        return rel in self._texts or rel in self._recipes or rel in self._deferred

    def _paths(self) -> list[str]:
        if self._order is None:
            self._order = sorted({*self._texts, *self._recipes, *self._deferred})
        return self._order

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths())

    def __len__(self) -> int:
        return len(self._paths())


def digest_of(files: Mapping[str, str], rel: str) -> bytes:
    """The digest of ``files[rel]``, without emitting it when ``files`` knows it already."""
    if isinstance(files, RenderedFiles):
        return files.digest(rel)
    return text_digest(files[rel])
