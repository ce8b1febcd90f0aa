"""The files of one unit: the Applications of one group in one environment
(``<env>/groups/<group>/<app>.yaml``), each an object and the header above it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.core.model import App, Environment, Group, Project
from generator.project.settings.conditions import is_dormant_reason
from generator.project.waves import Wave
from generator.render.files import header
from generator.render.objects import application_document

#: The template of every app's file.
APPLICATION = "application.yaml.j2"


def _extra(env: Environment, app: App) -> list[str]:
    """The header lines that say why an app does not sync by itself."""
    extra = []
    if app.dormant:
        extra = [
            f"Dormant: {', '.join(app.dormant)} empty in {env.name}; no automated "
            "sync until set in config.yaml (then `gen render`)."
        ]
    if app.sync == "manual" and app.reason and not is_dormant_reason(app):
        extra += [
            f"Manual sync (cost gate): {app.reason}",
            "Created by Argo CD from git (its group's app); deployed only by: "
            f"argocd app sync {env.object_name(app.name)}",
        ]
    return extra


def unit_files(
    project: Project, env: Environment, group: Group, waves: Mapping[str, Wave]
) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``(path, header, object, template context)`` of each app of ``group`` in ``env``."""
    out = []
    for app in group.apps:
        document = application_document(project, env, group, app, wave=waves[app.name].value)
        # An app an environment overrides also comes from config.yaml.
        overrides = sorted({f.file for f in app.fields.values()} - {group.where.file})
        top = header(group.where.file, *overrides, extra=_extra(env, app))
        context = {"app": app, "group": group, "env": env}
        out.append((f"{env.name}/groups/{group.name}/{app.name}.yaml", top, document, context))
    return out
