"""``gen profile``: what a profile brings up in an environment, and how to wait for it.

The Makefile asks this command for the label selector to wait on, so a misspelt profile or
environment fails with the list of valid names instead of an argocd error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError
from generator.core.model import LABEL_PREFIX, Project
from generator.project.load import load_project
from generator.project.resolve import enabled_groups, profile_layers
from generator.project.schema import suggest


@dataclass(frozen=True)
class ProfileInfo:
    """A profile in one environment: its layers, its folder under rendered/, the Argo CD label
    selector of its auto-sync Applications, and its manual-sync (cost-gated) apps."""

    environment: str
    profile: str
    layers: tuple[str, ...]
    path: str
    rendered: bool
    selector: str
    manual_apps: list[str]
    #: The root's folder: what ``make root`` (``gen root``) applies once.
    root_path: str = ""

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape."""
        return {
            "environment": self.environment,
            "profile": self.profile,
            "layers": list(self.layers),
            "path": self.path,
            "rendered": self.rendered,
            "selector": self.selector,
            "manualApps": self.manual_apps,
            "rootPath": self.root_path,
        }


def choose_environment(project: Project, environment: str | None) -> str:
    """``environment`` if it exists; the only one if there is exactly one; else a UsageError."""
    names = list(project.config.environments)
    if environment is None:
        if len(names) == 1:
            return names[0]
        raise UsageError(f"no environment given; choose from: {', '.join(names)}")
    if environment not in project.config.environments:
        raise UsageError(
            f"unknown environment {environment!r}{suggest(environment, names)}; "
            f"choose from: {', '.join(names)}"
        )
    return environment


def run(root: Path, profile: str, environment: str | None = None) -> ProfileInfo:
    """Describe ``profile`` in ``environment`` (optional when there is only one)."""
    project = load_project(root)
    env = choose_environment(project, environment)
    profiles = list(project.layers.profiles)
    if profile not in project.layers.profiles:
        raise UsageError(
            f"unknown profile {profile!r}{suggest(profile, profiles)}; "
            f"choose from: {', '.join(profiles)}"
        )
    layers = profile_layers(project, profile)
    path = f"{project.config.rendered_dir}/{env}/profiles/{profile}"
    selector = ",".join(
        [
            f"{LABEL_PREFIX}env={env}",
            f"{LABEL_PREFIX}layer in ({','.join(layers)})",
            f"{LABEL_PREFIX}sync=auto",
        ]
    )
    manual = [
        app.name
        for group in enabled_groups(project, project.config.environments[env])
        if group.layer in layers
        for app in group.apps
        if app.sync == "manual" and not app.dormant  # dormant: set its settings, not sync
    ]
    rendered = (root / path / "kustomization.yaml").is_file()
    root_path = f"{project.config.rendered_dir}/{env}/roots/{profile}"
    return ProfileInfo(env, profile, layers, path, rendered, selector, manual, root_path)
