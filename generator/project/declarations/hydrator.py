"""Argo CD's Source Hydrator in the catalog: the cross-field rules of ``sourceHydrator``.

An app may say where its manifests come from in three exclusive ways: ``source``, ``sources``
or ``sourceHydrator`` (Argo CD 3.x: render ``drySource``, commit the result to
``syncSource.targetBranch`` at ``syncSource.path``, or to ``hydrateTo.targetBranch`` first for a
promotion step, then sync from the sync source). Its shape is the group schema's; this module
adds what a schema cannot say. The rules follow Argo CD's own (util/argo/argo.go,
validateSourceHydrator, and the Application CRD):

- a ``drySource`` without ``repoURL`` is this repository, like a short-form source: its path
  must stay inside it, and it gets config.yaml's repoURL and the environment's revision
  (render/objects.py); one that names its repository needs ``targetRevision`` (the CRD
  requires it) and a path that does not climb out of it;
- ``syncSource.path`` is never the repository's root (the CRD's pattern: not ``.`` or ``/``).
"""

from __future__ import annotations

from typing import Any

from generator.core.errors import Problem
from generator.project.checks.paths import leaves_repository, relative_path_problem
from generator.yamlio.source import SourceDoc


def hydrator_problems(
    doc: SourceDoc, at: tuple[str | int, ...], hydrator: dict[str, Any]
) -> list[Problem]:
    """The problems of a schema-valid ``sourceHydrator`` at ``at`` in ``doc``."""
    problems: list[Problem] = []
    dry, sync = hydrator["drySource"], hydrator["syncSource"]
    where = (*at, "drySource", "path")
    bad = relative_path_problem(doc, where, dry["path"])
    if bad is not None and ("repoURL" not in dry or leaves_repository(dry["path"])):
        problems.append(bad)
    if "repoURL" in dry and "targetRevision" not in dry:
        problems.append(
            doc.problem(
                (*at, "drySource"),
                'a drySource that names its repository needs "targetRevision" (Argo CD requires '
                "it; only a drySource in this repository gets the environment's revision)",
                id="missing-field",
            )
        )
    target = sync["path"]
    where = (*at, "syncSource", "path")
    if target.strip("/") in ("", "."):
        problems.append(
            doc.problem(
                where,
                f'"{target}" is the repository\'s root: Argo CD commits the hydrated manifests '
                "to a folder of the branch, never to its root",
                id="invalid-path",
            )
        )
    else:
        bad = relative_path_problem(doc, where, target)
        if bad is not None:
            problems.append(bad)
    return problems
