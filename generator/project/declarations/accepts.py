"""Accepted warnings: ``accept: [{id, reason}]`` on an app, a group or a catalog AppProject.

A warning belongs to what it is reported inside of: an app's entry in its group file (or the
app's rendered Application), a group file (or the group's rendered folder), an AppProject file
(or its rendered AppProject). An ``accept`` entry of that app, of its group or of that
AppProject naming the warning's finding id accepts it: the warning is left out of what
``gen render``, ``check`` and ``validate`` print, and ``gen validate --show-accepted`` lists it
with the reason. Errors are never accepted.

Checks: an ``accept`` naming an id that is not a finding id is an error (with the closest id);
one that accepts nothing is a warning (``unused-accept``), reported only by a run that rendered
every environment (a warning of another environment's output may be what it accepts).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.core.errors import Problem, key_path
from generator.core.findings.humanize import suggest
from generator.core.findings.ids import FINDINGS
from generator.core.model import Acceptance, Accepted, App, Group, Location, Project
from generator.yamlio.source import SourceDoc

#: The severities an ``accept`` entry can accept.
_ACCEPTABLE = ("warning", "note")


def read_accepts(doc: SourceDoc, at: tuple[str | int, ...], raw: Any) -> tuple[Acceptance, ...]:
    """The ``accept`` entries of a schema-valid mapping ``raw`` written at ``at`` in ``doc``."""
    out = []
    for index, item in enumerate(raw.get("accept", ()) if isinstance(raw, dict) else ()):
        path = (*at, "accept", index)
        line, column = doc.locate(path)
        where = Location(doc.file, line, column, key_path(path))
        out.append(Acceptance(item["id"], item["reason"], where))
    return tuple(out)


def _all_accepts(project: Project) -> Iterator[Acceptance]:
    for group in project.groups.values():
        yield from group.accept
        for app in group.apps:
            yield from app.accept
    for catalog_project in project.projects.values():
        yield from catalog_project.accept


def accept_problems(project: Project) -> list[Problem]:
    """An error for every ``accept`` entry naming an id that is not a finding id."""
    problems = []
    for entry in _all_accepts(project):
        if entry.id not in FINDINGS:
            where = entry.where
            problems.append(
                where.problem(
                    f'unknown finding id "{entry.id}"{suggest(entry.id, FINDINGS)}; the ids are '
                    "listed in docs/validation.md",
                    id="unknown-finding-id",
                    key=f"{where.key}.id",
                )
            )
    return problems


@dataclass
class _Extent:
    """The lines of one group file an app's entry spans."""

    first: int
    last: int
    app: App


#: What a problem is reported inside of: ``("app", name)``, ``("group", name)`` or
#: ``("project", name)``.
Owner = tuple[str, str]


@dataclass
class Acceptor:
    """Finds what a problem is reported inside of, and the ``accept`` entries that apply."""

    project: Project
    _files: dict[str, tuple[str, str, list[_Extent]]] = field(default_factory=dict)
    _apps: dict[str, tuple[App, Group]] = field(default_factory=dict)
    _indexed: bool = False

    def _index(self) -> None:
        """Where each app's entry is written: made on the first problem asked about (a run
        without warnings never needs it, and it walks every key of the catalog)."""
        if self._indexed:
            return
        self._indexed = True
        for group in self.project.groups.values():
            extents = []
            for app in group.apps:
                lines = [p.line for p in app.positions.values() if p.file == group.where.file]
                lines.append(app.where.line)
                extents.append(_Extent(min(lines), max(lines), app))
                self._apps[app.name] = (app, group)
            self._files[group.where.file] = ("group", group.name, extents)
        for found in self.project.projects.values():
            self._files[found.where.file] = ("project", found.name, [])

    def owner(self, problem: Problem) -> Owner | None:
        """What ``problem`` is reported inside of: an app's entry or rendered Application, a
        group file or rendered folder, a catalog AppProject's file or rendered AppProject."""
        self._index()
        entry = self._files.get(problem.file)
        if entry is not None:
            kind, name, extents = entry
            for extent in extents:
                if extent.first <= problem.line <= extent.last:
                    return ("app", extent.app.name)
            return (kind, name)
        return self._in_rendered(problem)

    def _in_rendered(self, problem: Problem) -> Owner | None:
        prefix = self.project.config.rendered_dir + "/"
        if not problem.file.startswith(prefix):
            return None
        parts = problem.file[len(prefix) :].split("/")
        if len(parts) == 4 and parts[1] == "groups" and parts[2] in self.project.groups:
            stem = posixpath.splitext(parts[3])[0]
            if stem in self._apps and self._apps[stem][1].name == parts[2]:
                return ("app", stem)
            return ("group", parts[2])
        if len(parts) == 4 and parts[1] == "layers" and parts[3].startswith("appproject-"):
            name = posixpath.splitext(parts[3])[0].removeprefix("appproject-")
            return ("project", name) if name in self.project.projects else None
        return None

    def entries_for(self, problem: Problem) -> tuple[Acceptance, ...]:
        """The ``accept`` entries of what ``problem`` is reported inside of."""
        found = self.owner(problem)
        if found is None:
            return ()
        kind, name = found
        if kind == "project":
            return self.project.projects[name].accept
        if kind == "group":
            return self.project.groups[name].accept
        self._index()
        app, group = self._apps[name]
        return (*app.accept, *group.accept)

    def split(self, problems: Iterable[Problem]) -> tuple[list[Problem], list[Accepted]]:
        """``problems`` without the accepted warnings, and those with their entries."""
        kept: list[Problem] = []
        accepted: list[Accepted] = []
        for problem in problems:
            entry = None
            if problem.severity in _ACCEPTABLE and problem.id:
                entry = next((e for e in self.entries_for(problem) if e.id == problem.id), None)
            if entry is None:
                kept.append(problem)
            else:
                accepted.append(Accepted(problem, entry))
        return kept, accepted


def unused_accepts(project: Project, accepted: Sequence[Accepted]) -> list[Problem]:
    """A warning for every ``accept`` entry with a known id that accepts nothing."""
    used = {(item.acceptance.where, item.acceptance.id) for item in accepted}
    problems = []
    for entry in _all_accepts(project):
        if entry.id not in FINDINGS or (entry.where, entry.id) in used:
            continue
        where = entry.where
        problems.append(
            where.problem(
                f'accepts "{entry.id}", but nothing here has that warning any more; remove the '
                "entry",
                severity="warning",
                id="unused-accept",
            )
        )
    return problems
