"""Findings as SARIF 2.1.0 (``gen validate -o sarif``), for code-scanning UIs.

One run of the tool ``gen``; one rule per finding id that occurs (its description from
:mod:`generator.core.findings.ids`, its help at docs/validation.md); one result per finding,
located at the file (relative to the folder gen ran in, against ``%SRCROOT%``) and, when known,
its line and column. Levels map one to one: error, warning, note.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.core.errors import Problem
from generator.core.findings.acceptance import Accepted
from generator.core.findings.ids import describe_id

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS_URI = "docs/validation.md"


def _anchor(finding_id: str) -> str:
    return f"{DOCS_URI}#{finding_id}"


def _location(problem: Problem) -> dict[str, Any]:
    path = Path(problem.file or ".")
    artifact = (
        {"uri": path.as_uri()}
        if path.is_absolute()
        else {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}
    )
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if problem.line > 0:
        region: dict[str, Any] = {"startLine": problem.line}
        if problem.column > 0:
            region["startColumn"] = problem.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if problem.key:
        location["logicalLocations"] = [{"fullyQualifiedName": problem.key, "kind": "member"}]
    return location


def to_sarif(
    problems: Sequence[Problem], version: str, accepted: Sequence[Accepted] = ()
) -> dict[str, Any]:
    """The SARIF log of ``problems`` (one run of gen ``version``); ``accepted`` warnings are
    results with an in-source suppression whose justification is the ``accept`` reason."""
    found: list[tuple[Problem, str | None]] = [(p, None) for p in problems]
    found += [(item.problem, item.acceptance.reason) for item in accepted]
    ids = sorted({p.id or "unclassified" for p, _ in found})
    rules = [
        {
            "id": finding_id,
            "name": finding_id,
            "shortDescription": {"text": describe_id(finding_id) or finding_id},
            "helpUri": _anchor(finding_id),
        }
        for finding_id in ids
    ]
    index = {finding_id: n for n, finding_id in enumerate(ids)}
    results = []
    for problem, reason in found:
        finding_id = problem.id or "unclassified"
        result: dict[str, Any] = {
            "ruleId": finding_id,
            "ruleIndex": index[finding_id],
            "level": problem.severity,
            "message": {"text": problem.message},
            "locations": [_location(problem)],
        }
        if reason is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": reason}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gen",
                        "version": version,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
