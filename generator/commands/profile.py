"""``gen profile``: what a profile brings up in an environment, and how to wait for it.

The Makefile asks this command for the label selector to wait on, so a misspelt profile or
environment fails with the list of valid names instead of an argocd error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core.constants import ENV_LABEL, LAYER_LABEL, SYNC_LABEL
from generator.core.errors import UsageError
from generator.core.model import Project
from generator.fs.inputs import read_inputs
from generator.project.resolve import enabled_groups, profile_layers
from generator.project.schema import suggest
from generator.render.build import build


@dataclass(frozen=True)
class ProfileInfo:
    """A profile in one environment: its layers, its folder under rendered/, the Argo CD label
    selector of its auto-sync Applications, and its manual-sync (cost-gated) Applications by their
    Argo CD names (with the environment's ``namePrefix``)."""

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


def choose_profile(project: Project, profile: str | None) -> str:
    """``profile`` if it exists, the widest (last) one if None; else a UsageError."""
    profiles = list(project.layers.profiles)
    if profile is None:
        return profiles[-1]
    if profile not in project.layers.profiles:
        raise UsageError(
            f"unknown profile {profile!r}{suggest(profile, profiles)}; "
            f"choose from: {', '.join(profiles)}"
        )
    return profile


def run(root: Path, profile: str, environment: str | None = None) -> ProfileInfo:
    """Describe ``profile`` in ``environment`` (optional when there is only one)."""
    project = build(read_inputs(root)).project
    env = choose_environment(project, environment)
    choose_profile(project, profile)
    layers = profile_layers(project, profile)
    path = f"{project.config.rendered_dir}/{env}/profiles/{profile}"
    selector = ",".join(
        [
            f"{ENV_LABEL}={env}",
            f"{LAYER_LABEL} in ({','.join(layers)})",
            f"{SYNC_LABEL}=auto",
        ]
    )
    chosen = project.config.environments[env]
    # The Argo CD object names (namePrefix included): what `argocd app sync` and `make sync
    # APP=` are given.
    manual = [
        chosen.object_name(app.name)
        for group in enabled_groups(project, chosen)
        if group.layer in layers
        for app in group.apps
        if app.sync == "manual" and not app.dormant  # dormant: set its settings, not sync
    ]
    rendered = (root / path / "kustomization.yaml").is_file()
    root_path = f"{project.config.rendered_dir}/{env}/roots/{profile}"
    return ProfileInfo(env, profile, layers, path, rendered, selector, manual, root_path)
