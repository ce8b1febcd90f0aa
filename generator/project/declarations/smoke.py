"""Smoke checks (``smoke:`` of a profile in layers.yaml, or of a group): read and checked.

A check is an argv list, run without a shell on the operator's machine by ``gen smoke``
(generator/commands/cluster/smoke.py). ``${VAR}`` or ``${VAR:-default}`` in an argument is replaced
from the environment when the check runs, so a URL or an API key never has to be written in the
catalog; an argument that looks like a literal credential is reported (``smoke-literal-secret``).
``stdin`` (filled the same way) goes to the command's standard input: a secret there is not in
any process's argv (``ps`` shows argv to every user of the machine).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.core.errors import Problem
from generator.core.model import Location, SmokeCheck
from generator.yamlio.source import SourceDoc

DEFAULT_TIMEOUT = 60
#: ``${NAME}`` or ``${NAME:-default}``; anything else starting with ``${`` is a mistake.
PLACEHOLDER = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
_OPENING = "${"
#: A credential written out: ``Bearer <token>`` or ``Authorization: <value>`` with no ``${``.
_LITERAL_SECRET = re.compile(r"(?i)(bearer\s+[^\s$]|authorization:\s*(basic|token)\s+[^\s$])")

At = tuple[str | int, ...]


def placeholders(argument: str) -> list[tuple[str, str | None]]:
    """The ``(name, default)`` of every placeholder in ``argument``."""
    return [(m.group("name"), m.group("default")) for m in PLACEHOLDER.finditer(argument)]


def _argument_problems(doc: SourceDoc, path: At, argument: str) -> list[Problem]:
    found = []
    if argument.count(_OPENING) != len(placeholders(argument)):
        found.append(
            doc.problem(
                path,
                f'"{argument}" has a malformed placeholder: write ${{NAME}} or '
                "${NAME:-default} (NAME: letters, digits and _)",
                id="smoke-placeholder",
            )
        )
    if _LITERAL_SECRET.search(argument):
        problem = doc.problem(
            path,
            "looks like a credential written in the catalog; take it from the environment "
            "(${API_KEY})",
            "warning",
            id="smoke-literal-secret",
        )
        found.append(problem)
    return found


def read_smoke(doc: SourceDoc, at: At, raw: Any, problems: list[Problem]) -> tuple[SmokeCheck, ...]:
    """The checks of a schema-valid ``smoke`` list at ``at`` in ``doc``."""
    checks = []
    seen: dict[str, Location] = {}
    for index, entry in enumerate(raw or ()):
        here = (*at, index)
        line, column = doc.locate(here)
        where = Location(doc.file, line, column)
        if entry["name"] in seen:
            message = f'a check "{entry["name"]}" is already at {seen[entry["name"]]}'
            problems.append(doc.problem((*here, "name"), message, id="smoke-duplicate-name"))
        seen.setdefault(entry["name"], where)
        for number, argument in enumerate(entry["run"]):
            problems.extend(_argument_problems(doc, (*here, "run", number), argument))
        if "stdin" in entry:
            problems.extend(_argument_problems(doc, (*here, "stdin"), entry["stdin"]))
        checks.append(
            SmokeCheck(
                name=entry["name"],
                run=tuple(entry["run"]),
                timeout=int(entry.get("timeout", DEFAULT_TIMEOUT)),
                where=where,
                description=str(entry.get("description", "")),
                stdin=str(entry.get("stdin", "")),
            )
        )
    return tuple(checks)


def profile_smoke(
    doc: SourceDoc, profiles: Mapping[str, Any], problems: list[Problem]
) -> dict[str, tuple[SmokeCheck, ...]]:
    """layers.yaml's ``smoke:`` by profile; a profile that does not exist is an error."""
    from generator.project.schema import suggest

    out = {}
    for profile, raw in (doc.data.get("smoke") or {}).items():
        if profile not in profiles:
            message = f'unknown profile "{profile}"' + suggest(profile, profiles)
            problems.append(doc.problem(("smoke", profile), message, id="smoke-unknown-profile"))
            continue
        out[profile] = read_smoke(doc, ("smoke", profile), raw, problems)
    return out
