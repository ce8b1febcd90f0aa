"""What the memo (:mod:`generator.fs.memo`) answers for one render, and what the render adds
to it: the bookkeeping of an incremental build (:class:`generator.render.build.Build`).

Before validation (:func:`plan`): the key of each file the render built (its object and header,
or its text), the files whose document checks are known to find nothing (a remembered unit's,
and a file whose key the memo holds), and the Applications whose checks across documents are
known to find nothing: those of a remembered unit whose context is unchanged, i.e. every
AppProject its Applications name is the very same document as when the unit was found clean (or
still absent). Checks that gather over a whole environment (duplicate objects, least privilege)
still see every Application.

After the files were compared or written (:func:`remember`): the digest of each clean file's
text, and each unit whose files all came out clean, with its extracts and its context.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.fs.memo import Memo, UnitEntry, document_key, text_key
from generator.render.units import Units, extract

if TYPE_CHECKING:
    from generator.render.templates import Output

#: The AppProjects an environment's Applications name: (project, key of its document or None).
Context = tuple[tuple[str, bytes | None], ...]


@dataclass
class Plan:
    """What the memo answers for one render."""

    #: Each file's key (path -> key), for the files the render built.
    keys: dict[str, bytes] = field(default_factory=dict)
    #: Files whose document checks are known to find nothing.
    known: set[str] = field(default_factory=set)
    #: Applications whose checks across documents are known to find nothing.
    exempt: set[str] = field(default_factory=set)
    #: (environment, AppProject name) -> the key of that AppProject's document.
    projects: dict[tuple[str, str], bytes] = field(default_factory=dict)


def plan(memo: Memo, output: Output, label: str, units: Units | None) -> Plan:
    """What ``memo`` knows of ``output`` (see the module docstring)."""
    found = Plan(known=set(output.remembered))
    everything = bool(memo.files or memo.units)  # an empty memo (a first run) matches nothing
    for rel in output.files:
        if rel in output.remembered:
            continue
        document = output.documents.get(rel)
        is_project = isinstance(document, dict) and document.get("kind") == "AppProject"
        if not (everything or is_project):
            continue
        key = file_key(memo, output, label, rel)
        if key is None:
            continue
        found.keys[rel] = key
        if is_project:
            name = document["metadata"].get("name") if document is not None else None
            found.projects.setdefault((rel.split("/", 1)[0], str(name)), key)
        digest = memo.files.get(key)
        if digest is not None:
            output.files.knows_digest(rel, digest)
            found.known.add(rel)
    # An AppProject a project template renders through Jinja is not known as an object here:
    # then no Application is exempt.
    if units is not None and all(rel in output.documents for rel in output.files):
        for entry in units.hits.values():
            files, context = entry
            rels = [rel for rel, _, _ in files]
            if context == _context(rels, output.documents, found.projects):
                found.exempt.update(rels)
    return found


def file_key(memo: Memo, output: Output, label: str, rel: str) -> bytes | None:
    """A rendered file's key (``label`` is the rendered folder's name, which findings show);
    None for a file whose object cannot be serialised (always emitted and checked)."""
    recipe = output.files.recipe(rel)
    try:
        if recipe is not None:
            return document_key(memo.salt, f"{label}/{rel}", *recipe)
        return text_key(memo.salt, f"{label}/{rel}", output.files[rel])
    except (TypeError, ValueError, AttributeError, RecursionError, pickle.PicklingError):
        return None


def _context(
    rels: Iterable[str],
    documents: Mapping[str, Any],
    projects: Mapping[tuple[str, str], bytes],
) -> Context:
    names = set()
    env = ""
    for rel in rels:
        env = rel.split("/", 1)[0]
        spec = documents.get(rel, {}).get("spec")
        if isinstance(spec, dict) and isinstance(spec.get("project"), str):
            names.add(spec["project"])
    return tuple((name, projects.get((env, name))) for name in sorted(names))


def remember(
    memo: Memo, output: Output, found: Plan, flagged: Collection[str], units: Units | None
) -> None:
    """Record the clean files and units of this render (after its files were compared or
    written, which emitted those the memo did not know)."""
    files = output.files
    clean_units: dict[bytes, UnitEntry] = {}
    if units is not None:
        for key, entry in units.hits.items():
            if not any(rel in flagged for rel, _, _ in entry[0]):
                clean_units[key] = entry
        for key, rels in units.built.items():
            if any(rel in flagged for rel in rels):
                continue
            unit_files = tuple(
                (rel, files.digest(rel), extract(output.documents[rel])) for rel in rels
            )
            clean_units[key] = (unit_files, _context(rels, output.documents, found.projects))
    clean_files = {key: files.digest(rel) for rel, key in found.keys.items() if rel not in flagged}
    memo.save(clean_files, clean_units)
