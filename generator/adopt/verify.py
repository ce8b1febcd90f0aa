"""Prove an import before writing it: the project with the new catalog files, built in memory
(loaded, rendered and validated like ``gen render`` would), renders every imported Application
and AppProject exactly as it was written (:mod:`generator.adopt.roundtrip`)."""

from __future__ import annotations

from typing import Any

from generator.adopt.collect import Collection
from generator.adopt.findings import Imported
from generator.adopt.roundtrip import comparable, differences
from generator.core.errors import Problem
from generator.core.model import Project
from generator.project.resolve import decide
from generator.render.build import Build
from generator.yamlio.source import parse_yaml


def _off(staged: Build, env: str, group: str, name: str) -> dict[str, Any] | None:
    """The Application of an app whose group is off in ``env``, as ``gen render`` would write
    it once the group is on (the same function renders it)."""
    from generator.render.objects import application_document

    project = staged.project
    groups = project.groups_for(env)
    if group not in groups:
        return None
    apps = [app for app in groups[group].apps if app.name == name]
    if not apps:
        return None
    environment = project.config.environments[env]
    return application_document(project, environment, groups[group], apps[0])


def round_trip(staged: Build, found: Collection) -> list[Problem]:
    """A problem for every field where a rendered object differs from its original (an
    object imported with --allow-loss is not expected to round-trip). An app of a group that
    is off is compared as it will render once the group is on."""
    rendered = staged.files
    problems: list[Problem] = []
    namespace = staged.project.config.argocd_namespace

    def compare(item: Imported, rel: str, back: Any, exceptions: bool) -> None:
        if back is None or item.lossy:
            return
        if exceptions:
            differ = differences(comparable(item.original, namespace), comparable(back, namespace))
        else:
            differ = differences(item.original, back)
        for line in differ:
            message = f"round trip: {rel}: {line}"
            problems.append(
                Problem(item.src.doc.file, item.src.line, 0, "", message, id="import-round-trip")
            )

    def parsed(rel: str) -> Any:
        text = rendered.get(rel)
        return None if text is None else parse_yaml(text, rel).data

    for env in staged.environments:
        for item, group in found.apps.values():
            rel = f"{env}/groups/{group}/{item.name}.yaml"
            back = parsed(rel) if rel in rendered else _off(staged, env, group, item.name)
            compare(item, rel, back, True)
        for item in found.projects.values():
            layer = staged.project.projects[item.name].layer
            rel = f"{env}/layers/{layer}/appproject-{item.name}.yaml"
            compare(item, rel, parsed(rel), False)
    return problems


def switched_off(staged: Project, found: Collection) -> tuple[list[Problem], list[Problem]]:
    """Each imported group that no environment renders: a warning, or a note when its
    ApplicationSet's groups file has it off (``gen enable`` turns it on)."""
    warnings, notes = [], []
    for name, group in sorted(found.groups.items()):
        if not group.apps:
            continue
        decisions = [
            d
            for env in staged.config.environments.values()
            for d in decide(staged, env)
            if d.group.name == name
        ]
        if not decisions or any(d.enabled for d in decisions):
            continue
        where = staged.groups[name].where
        if group.plan is not None and not group.plan.enabled:
            message = (
                f'group "{name}" is off, as in its ApplicationSet\'s groups at '
                f"{group.plan.where}; `gen enable {name}` turns it on"
            )
            notes.append(
                where.problem(message, severity="warning", id="import-note", key="default")
            )
            continue
        warnings.append(
            where.problem(
                f'group "{name}" is off in every environment ({decisions[0].why} at '
                f"{decisions[0].where}): its apps are not rendered",
                severity="warning",
                id="import-group-off",
                key="name",
            )
        )
    return warnings, notes
