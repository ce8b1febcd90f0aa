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
from generator.core.finding_ids import FINDINGS
from generator.core.humanize import suggest
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
                Problem(
                    where.file,
                    where.line,
                    where.column,
                    f"{where.key}.id",
                    f'unknown finding id "{entry.id}"{suggest(entry.id, FINDINGS)}; the ids are '
                    "listed in docs/validation.md",
                    id="unknown-finding-id",
                )
            )
    return problems


@dataclass
class _Extent:
    """The lines of one group file an app's entry spans."""

    first: int
    last: int
    app: App


@dataclass
class Acceptor:
    """Finds the ``accept`` entries that apply to a problem, by where it is reported."""

    project: Project
    _files: dict[str, tuple[Group | None, list[_Extent], tuple[Acceptance, ...]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        for group in self.project.groups.values():
            extents = []
            for app in group.apps:
                lines = [p.line for p in app.positions.values() if p.file == group.where.file]
                lines.append(app.where.line)
                extents.append(_Extent(min(lines), max(lines), app))
            self._files[group.where.file] = (group, extents, ())
        for found in self.project.projects.values():
            self._files[found.where.file] = (None, [], found.accept)

    def _in_catalog(self, problem: Problem) -> tuple[Acceptance, ...] | None:
        entry = self._files.get(problem.file)
        if entry is None:
            return None
        group, extents, own = entry
        if group is None:
            return own
        for extent in extents:
            if extent.first <= problem.line <= extent.last:
                return (*extent.app.accept, *group.accept)
        return group.accept

    def _in_rendered(self, problem: Problem) -> tuple[Acceptance, ...]:
        prefix = self.project.config.rendered_dir + "/"
        if not problem.file.startswith(prefix):
            return ()
        parts = problem.file[len(prefix) :].split("/")
        if len(parts) == 4 and parts[1] == "groups":
            group = self.project.groups.get(parts[2])
            if group is None:
                return ()
            stem = posixpath.splitext(parts[3])[0]
            apps = [app for app in group.apps if app.name == stem]
            return (*(apps[0].accept if apps else ()), *group.accept)
        if len(parts) == 4 and parts[1] == "layers" and parts[3].startswith("appproject-"):
            name = posixpath.splitext(parts[3])[0].removeprefix("appproject-")
            found = self.project.projects.get(name)
            return found.accept if found is not None else ()
        return ()

    def entries_for(self, problem: Problem) -> tuple[Acceptance, ...]:
        """The ``accept`` entries of what ``problem`` is reported inside of."""
        own = self._in_catalog(problem)
        return own if own is not None else self._in_rendered(problem)

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
            Problem(
                where.file,
                where.line,
                where.column,
                where.key,
                f'accepts "{entry.id}", but nothing here has that warning any more; remove the '
                "entry",
                "warning",
                id="unused-accept",
            )
        )
    return problems
