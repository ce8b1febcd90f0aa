"""One app of a group file into the typed :class:`~generator.core.model.App`, with the
field-level checks a schema cannot express: exactly one source form, sources that stay in the
repository, one way of naming the destination, a sync mode that agrees with itself."""

from __future__ import annotations

from typing import Any

from generator.core.constants import SOURCE_FORMS
from generator.core.errors import Problem
from generator.core.model import App, SyncMode
from generator.project.checks.paths import relative_path_problem as _relative_path
from generator.project.declarations.accepts import read_accepts
from generator.project.declarations.cost_actions import build_cost_actions
from generator.project.declarations.hydrator import hydrator_problems
from generator.project.located import fields_of, location, positions_of
from generator.yamlio.source import SourceDoc


def _sources(doc: SourceDoc, at: tuple[str | int, ...], app: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    multi = "sources" in app
    entries = app["sources"] if multi else [app["source"]]
    for index, source in enumerate(entries):
        where = (*at, "sources", index) if multi else (*at, "source")
        if "path" in source and "chart" in source:
            problems.append(
                doc.problem(
                    where, "a source has either a path or a chart, not both", id="path-and-chart"
                )
            )
        if "chart" in source:
            for key in ("repoURL", "targetRevision"):
                if key not in source:
                    problems.append(
                        doc.problem(where, f'a Helm chart source needs "{key}"', id="missing-field")
                    )
        elif "path" not in source and "ref" not in source:
            problems.append(
                doc.problem(
                    where, 'a source needs a "path", a "chart" or a "ref"', id="missing-field"
                )
            )
        if "path" in source:
            value = source["path"]
            bad = _relative_path(doc, (*where, "path"), value)
            # A source naming its repository is carried as written ("./app" included); only
            # a path that is absolute or leaves the repository is refused there.
            escapes = value.startswith("/") or ".." in value.split("/")
            if bad is not None and ("repoURL" not in source or escapes):
                problems.append(bad)
    return problems


def _source_form(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> bool:
    """Check the one of ``source``, ``sources`` and ``sourceHydrator`` an app has; False (with
    a problem) when it has none or several."""
    forms = [key for key in SOURCE_FORMS if key in raw]
    if forms == ["source", "sources"]:
        problems.append(
            doc.problem(at, 'use either "source" or "sources", not both', id="one-of-fields")
        )
    elif len(forms) > 1:
        problems.append(
            doc.problem(
                at,
                '"sourceHydrator" replaces "source" and "sources": use one of the three',
                id="one-of-fields",
            )
        )
    elif not forms:
        problems.append(
            doc.problem(
                at, 'needs a "source", a "sources" list or a "sourceHydrator"', id="missing-field"
            )
        )
    elif forms == ["sourceHydrator"]:
        problems.extend(hydrator_problems(doc, (*at, "sourceHydrator"), raw["sourceHydrator"]))
    else:
        problems.extend(_sources(doc, at, raw))
    return len(forms) == 1


def _destination(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> tuple[dict[str, str] | None, str | None]:
    """The app's own destination (as written) and its namespace, from either spelling."""
    namespace = raw.get("namespace")
    dest = raw.get("destination")
    if dest is None:
        if namespace is None:
            problems.append(
                doc.problem(at, 'needs a "namespace" (or a "destination")', id="missing-field")
            )
        return None, namespace
    named = [key for key in ("server", "name") if dest.get(key)]
    if len(named) != 1:
        problems.append(
            doc.problem(
                (*at, "destination"),
                'a destination names its cluster by "server" or by "name" (exactly one of them)',
                id="one-of-fields",
            )
        )
    if "namespace" in dest:
        if namespace is not None:
            problems.append(
                doc.problem(
                    (*at, "namespace"),
                    'give the namespace once: here or as "destination.namespace"',
                    id="one-of-fields",
                )
            )
        namespace = dest["namespace"]
    return dict(dest), namespace


def _sync_mode(
    doc: SourceDoc, at: tuple[str | int, ...], raw: dict[str, Any], problems: list[Problem]
) -> SyncMode:
    """``auto`` or ``manual``: the short form's ``sync``, or what ``syncPolicy`` says."""
    if "syncPolicy" not in raw:
        sync: SyncMode = raw.get("sync", "auto")
        if sync == "manual" and "reason" not in raw:
            problems.append(
                doc.problem(
                    at,
                    'a manual-sync app needs a "reason" (why it is cost-gated)',
                    id="missing-reason",
                )
            )
        if sync == "auto" and "reason" in raw:
            problems.append(
                doc.problem(
                    (*at, "reason"),
                    'only manual-sync apps take a "reason"',
                    id="reason-on-auto-app",
                )
            )
        return sync
    policy = raw["syncPolicy"] or {}
    automated = policy.get("automated")
    derived: SyncMode = (
        "auto" if automated is not None and automated.get("enabled", True) else "manual"
    )
    if "syncOptions" in raw:
        problems.append(
            doc.problem(
                (*at, "syncOptions"),
                'with "syncPolicy", write the sync options as "syncPolicy.syncOptions"',
                id="long-form-conflict",
            )
        )
    if "sync" in raw and raw["sync"] != derived:
        problems.append(
            doc.problem(
                (*at, "sync"),
                f'"sync: {raw["sync"]}" disagrees with "syncPolicy" (which makes the app '
                f"{derived}-sync); drop one of them",
                id="long-form-conflict",
            )
        )
    if derived == "auto" and "reason" in raw:
        problems.append(
            doc.problem(
                (*at, "reason"), 'only manual-sync apps take a "reason"', id="reason-on-auto-app"
            )
        )
    return derived


def build_app(
    doc: SourceDoc, index: int, raw: dict[str, Any], group: str, problems: list[Problem]
) -> App | None:
    """One app of a group file (None when its sources cannot be told)."""
    at: tuple[str | int, ...] = ("apps", index)
    if not _source_form(doc, at, raw, problems):
        return None
    sync = _sync_mode(doc, at, raw, problems)
    if "wave" in raw and raw["wave"] is None and raw.get("dependsOn"):
        problems.append(
            doc.problem(
                (*at, "wave"),
                '"wave: null" means no sync-wave annotation (Argo CD\'s wave 0), so the app '
                'cannot come after its "dependsOn"; drop one of them',
                id="wave-order",
            )
        )
    destination, namespace = _destination(doc, at, raw, problems)
    cost_actions = build_cost_actions(doc, at, raw, namespace, problems)
    finalizers = raw.get("finalizers")
    info = raw.get("info")
    return App(
        name=raw["name"],
        group=group,
        namespace=namespace,
        # One source form, checked above: sources, source, or sourceHydrator (then none).
        sources=()
        if "sourceHydrator" in raw
        else tuple(raw["sources"] if "sources" in raw else [raw["source"]]),
        multi_source="sources" in raw,
        sync=sync,
        reason=raw.get("reason"),
        wave=raw.get("wave"),
        sync_options=tuple(raw.get("syncOptions", ())),
        ignore_differences=tuple(raw.get("ignoreDifferences", ())),
        labels=dict(raw.get("labels", {})),
        annotations=dict(raw.get("annotations", {})),
        where=location(doc, *at),
        depends_on=tuple(raw.get("dependsOn", ())),
        fields=fields_of(doc, at, raw),
        project=raw.get("project"),
        destination=destination,
        sync_policy=raw.get("syncPolicy"),
        finalizers=None if finalizers is None else tuple(finalizers),
        info=None if info is None else tuple(info),
        revision_history_limit=raw.get("revisionHistoryLimit"),
        written=frozenset(raw),
        positions=positions_of(doc, at),
        cost_actions=cost_actions,
        hydrator=raw.get("sourceHydrator"),
        accept=read_accepts(doc, at, raw),
    )
