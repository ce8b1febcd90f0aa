"""The import's catalog files before they are written: problems the staged build finds in them
said at the owner's files (no message names a file the import never wrote), and the ``accept``
entries for the owner's deliberate choices the staged build warns about."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator.adopt.catalog import Written
from generator.adopt.collect import Collection
from generator.adopt.fields import ORIGIN
from generator.adopt.findings import Imported
from generator.core.errors import Problem
from generator.core.model import Project
from generator.project.declarations.accepts import Acceptor
from generator.yamlio.source import YamlLoadError, parse_yaml

#: Warnings that are about a project's state, not about how an object is written: never
#: accepted on the owner's behalf.
_NOT_A_CHOICE = frozenset(
    {
        "dependency-off",
        "dormant-group",
        "profile-missing-dependency",
        "profile-without-wanted-group",
        "unused-accept",
        "wanted-group-off",
    }
)


def _app_lines(text: str, rel: str) -> list[int]:
    """The first line of each app of a group file's text."""
    try:
        positions = parse_yaml(text, rel).positions
    except YamlLoadError:  # pragma: no cover - the import writes files that parse
        return []
    return [line for path, (line, _) in positions.items() if len(path) == 2 and path[0] == "apps"]


def _source_key(key: str, kind: str) -> tuple[str | int, ...]:
    """The path in the source document of a catalog key (``apps[0].project`` ->
    ``spec.project``; ``manifest.spec.x`` -> ``spec.x``), as far as it is known."""
    if kind == "project":
        return _split(key.removeprefix("manifest"))
    rest = re.sub(r"^apps\[\d+\]\.?", "", key)
    head, _, tail = rest.partition(".")
    origin = ORIGIN.get(head)
    return (*origin, *_split(tail)) if origin is not None else ()


def _split(key: str) -> tuple[str | int, ...]:
    """A key path as messages show it (``spec.destinations[0]``) as a document path."""
    parts = (part for part in re.split(r"[.\[\]]+", key) if part)
    return tuple(int(part) if part.isdigit() else part for part in parts)


def _rendered_origin(file: str, found: Collection, rendered_dir: str) -> Imported | None:
    """The imported Application or AppProject a rendered file holds, if it holds one."""
    parts = file.removeprefix(rendered_dir + "/").split("/")
    if not file.startswith(rendered_dir + "/") or len(parts) != 4:
        return None
    stem = parts[3].rsplit(".", 1)[0]
    if parts[1] == "groups" and stem in found.apps and found.apps[stem][1] == parts[2]:
        return found.apps[stem][0]
    if parts[1] == "layers" and stem.startswith("appproject-"):
        return found.projects.get(stem.removeprefix("appproject-"))
    return None


def at_sources(
    problems: Iterable[Problem],
    planned: Mapping[str, tuple[Written, str]],
    found: Collection,
    rendered_dir: str = "rendered",
) -> list[Problem]:
    """``problems``, those in a file the import would write (or in the rendered Application
    or AppProject of what it imports) said at the Application or AppProject it comes from; the
    file and line follow in the message. No message names a file that was not written."""
    out = []
    for problem in problems:
        entry = planned.get(problem.file)
        if entry is not None:
            item = _origin(problem, entry, found)
            path = _source_key(problem.key, entry[0].kind)
            writer = "the import writes"
        else:
            item = _rendered_origin(problem.file, found, rendered_dir)
            path = _split(problem.key)
            writer = "gen render would write"
        if item is None:
            out.append(problem)
            continue
        line, column = item.src.doc.locate(path) if path else (item.src.line, 0)
        message = f"{problem.message} (in {problem.file}:{problem.line}, which {writer})"
        out.append(
            Problem(
                item.src.doc.file,
                line,
                column,
                ".".join(str(p) for p in path),
                message,
                problem.severity,
                problem.id,
            )
        )
    return out


def _origin(problem: Problem, entry: tuple[Written, str], found: Collection) -> Imported | None:
    written, text = entry
    if written.kind == "project":
        return found.projects.get(written.name)
    lines = _app_lines(text, problem.file)
    index = sum(1 for line in lines if line <= problem.line) - 1
    if index < 0 or index >= len(written.items):
        return None
    return found.apps[written.items[index]][0]


def accepts_for(
    project: Project, problems: Iterable[Problem], found: Collection
) -> dict[tuple[str, str], list[dict[str, str]]]:
    """``accept`` entries for the warnings the staged build raises about an imported app or
    AppProject as written, each with a reason naming where it was imported from."""
    acceptor = Acceptor(project)
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for problem in sorted(problems):
        if problem.severity != "warning" or not problem.id or problem.id in _NOT_A_CHOICE:
            continue
        owner = acceptor.owner(problem)
        if owner is None or owner[0] == "group":
            continue
        kind, name = owner
        item: Any = found.apps.get(name, (None,))[0] if kind == "app" else found.projects.get(name)
        if item is None:
            continue
        entries = out.setdefault(owner, [])
        if all(entry["id"] != problem.id for entry in entries):
            reason = f"imported as written from {item.where} by gen import"
            entries.append({"id": problem.id, "reason": reason})
    return out
