"""``gen root PROFILE``: point an environment's root Application at a profile (``make root``).

The one command of the bring-up that writes to a cluster, and the only one needed again after
bring-up: to change an environment's profile. It reads the live root Application (through
``kubectl get``) to learn the current profile, works out from the rendered folder what the
change does (first bring-up: the profile's layers and Applications; narrowing: the layers and
Applications Argo CD will prune), refuses a narrowing unless confirmed, and applies
``rendered/<env>/roots/<profile>/`` with ``kubectl apply -k``. ``dry_run`` runs no kubectl at
all: it returns the objects, the summary and the exact command lines instead.

Cluster access is confined to :class:`Kubectl` (one small runner, to be shared with the other
operator verbs).
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.errors import GenError, UsageError
from generator.core.model import Project
from generator.plan.changes import Changes
from generator.plan.tree import Tree

#: What ``--current`` says when the environment has no root yet.
NO_ROOT = "none"


@dataclass(frozen=True)
class Kubectl:
    """Runs kubectl (``program``: a name on PATH or a path) and shows its command lines."""

    program: str = "kubectl"

    def line(self, *args: str) -> str:
        """The exact command line, as a shell would take it."""
        return shlex.join([self.program, *args])

    def _require(self) -> str:
        found = shutil.which(self.program)
        if found is None:
            raise UsageError(
                f"{self.program} not found on PATH (set KUBECTL=... for make, or --kubectl); "
                "--dry-run needs no kubectl"
            )
        return found

    def read(self, *args: str) -> str:
        """Run a read-only command and return its standard output; a GenError if it fails."""
        done = subprocess.run([self._require(), *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise GenError(
                f"`{self.line(*args)}` failed (exit {done.returncode}): {done.stderr.strip()}"
            )
        return done.stdout

    def run(self, *args: str) -> int:
        """Run a command with the terminal's output; its exit code."""
        return subprocess.run([self._require(), *args], check=False).returncode


@dataclass(frozen=True)
class RootChange:
    """What ``gen root`` found, decided and did."""

    environment: str
    profile: str
    root_name: str
    folder: str
    #: The live root's profile: a name, None when there is no root yet; ``current_known`` is
    #: False when it was not read (a dry run without ``--current``).
    current: str | None
    current_known: bool
    #: The folder's objects as ``kubectl apply -k`` sends them (a YAML stream).
    objects: str
    changes: Changes
    #: kubectl command lines: run, or (dry run) that would run.
    commands: list[str] = field(default_factory=list)
    refused: bool = False
    dry_run: bool = False
    #: kubectl apply's exit code (None: not run).
    applied: int | None = None

    @property
    def narrowing(self) -> bool:
        return bool(self.changes.layers_removed)


def _choose_profile(project: Project, profile: str) -> str:
    from generator.project.schema import suggest

    profiles = list(project.layers.profiles)
    if profile not in profiles:
        raise UsageError(
            f"unknown profile {profile!r}{suggest(profile, profiles)}; "
            f"choose from: {', '.join(profiles)}"
        )
    return profile


def live_profile(project: Project, env: str, live: dict[str, Any]) -> str:
    """The profile a live root Application syncs (its ``spec.source.path``)."""
    from generator.render.objects import profile_path

    environment = project.config.environments[env]
    source = (live.get("spec") or {}).get("source") or {}
    path = str(source.get("path", ""))
    for profile in project.layers.profiles:
        if profile_path(project, environment, profile) == path.strip("/"):
            return profile
    raise GenError(
        f'the live root Application "{environment.root_name}" syncs "{path}", which is no '
        f"profile folder of {env}; check it with `kubectl get applications.argoproj.io "
        f"{environment.root_name} -n {project.config.argocd_namespace} -o yaml`"
    )


def _objects(project: Project, folder: Path) -> str:
    from generator.plan.expand import Reader

    reader = Reader(project.root)
    files = dict.fromkeys(doc.file for doc in reader.kustomize(folder))
    texts = [(project.root / name).read_text(encoding="utf-8") for name in files]
    return "---\n".join(texts)


def _empty(env: str) -> Tree:
    return Tree(env, NO_ROOT, None, None, "", (), (), ())


def run(
    root: Path,
    profile: str,
    environment: str | None = None,
    current: str | None = None,
    dry_run: bool = False,
    confirm: bool = False,
    kubectl: Kubectl | None = None,
) -> RootChange:
    """Point ``environment``'s root at ``profile``; see the module docstring."""
    from generator.commands.profile import choose_environment
    from generator.plan.changes import compare
    from generator.plan.tree import TreeReader
    from generator.project.load import load_project

    kubectl = kubectl or Kubectl()
    project = load_project(root)
    env = choose_environment(project, environment)
    profile = _choose_profile(project, profile)
    if current is not None and current != NO_ROOT:
        current = _choose_profile(project, current)
    config = project.config
    name = config.environments[env].root_name
    folder = f"{config.rendered_dir}/{env}/roots/{profile}"
    get = ["get", "applications.argoproj.io", name, "-n", config.argocd_namespace]
    get += ["-o", "json", "--ignore-not-found"]
    commands = []
    known = current is not None
    if current is None and not dry_run:
        commands.append(kubectl.line(*get))
        text = kubectl.read(*get).strip()
        current = live_profile(project, env, json.loads(text)) if text else NO_ROOT
    elif current is None:
        commands.append(kubectl.line(*get))
    reader = TreeReader(project.root, config)
    target = reader.expand(env, profile)
    before = reader.expand(env, current) if current not in (None, NO_ROOT) else _empty(env)
    changes = compare(before, target)
    live = None if current in (None, NO_ROOT) else current
    refused = bool(changes.layers_removed) and not confirm
    apply = ("apply", "-k", folder)
    if not refused:
        commands.append(kubectl.line(*apply))
    applied = None
    if not dry_run and not refused:
        applied = kubectl.run(*apply)
    return RootChange(
        environment=env,
        profile=profile,
        root_name=name,
        folder=folder,
        current=live,
        current_known=known or not dry_run,
        objects=_objects(project, project.root / folder),
        changes=changes,
        commands=commands,
        refused=refused,
        dry_run=dry_run,
        applied=applied,
    )


def _names(apps: Any) -> str:
    return ", ".join(a.name for a in apps)


def summary(change: RootChange) -> list[str]:
    """What the change does, for people."""
    changes = change.changes
    env, target = change.environment, change.profile
    lines = []
    if not change.current_known:
        lines.append(
            f"current profile of {env}: not read (dry run); pass CURRENT=<profile> (--current) "
            "to see what a change of profile prunes. If this is the first bring-up:"
        )
    elif change.current is None:
        lines.append(f'{env} has no root Application "{change.root_name}" yet: first bring-up')
    else:
        lines.append(f'current profile of {env}: {change.current} (root "{change.root_name}")')
    if change.current == target:
        lines.append(f"profile {target} unchanged: nothing to prune or create")
        return lines
    added = ", ".join(changes.layers_added) or "none"
    text = f'the root "{change.root_name}" will sync {target}: layers added: {added}'
    if changes.layers_removed:
        text += f"; layers pruned: {', '.join(changes.layers_removed)}"
    lines.append(text)
    if changes.created:
        lines.append(
            f"Argo CD will create {len(changes.created)} Applications: {_names(changes.created)}"
        )
    if changes.pruned:
        lines.append(
            f"Argo CD will prune {len(changes.pruned)} Applications, and what they deployed: "
            + _names(changes.pruned)
        )
    if changes.manual_pruned:
        lines.append(
            "caution: manual-sync apps pruned while possibly deployed: "
            + _names(changes.manual_pruned)
        )
    return lines
