"""``gen root PROFILE``: point an environment's root Application at a profile (``make root``).

The one command of the bring-up that writes to a cluster, and the only one needed again after
bring-up: to change an environment's profile. It reads the live root Application (through
``kubectl get``) to learn the current profile, works out from the rendered folder what the
change does (first bring-up: the profile's layers and Applications; narrowing: the layers and
Applications Argo CD will prune), refuses a narrowing unless confirmed, and applies
``rendered/<env>/roots/<profile>/`` with ``kubectl apply -k``. ``dry_run`` runs no kubectl at
all: it returns the objects, the summary and the exact command lines instead.

The root Application and its AppProject live where Argo CD runs, so both commands go to the
Argo CD context of the operator verbs (:func:`generator.ops.argo.argocd_context`: config.yaml's
``argocdContext``, else an in-cluster environment's ``kubeContext``, else the current context),
through the same runner (generator/ops/kubectl.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.errors import GenError
from generator.core.model import Project
from generator.ops.argo import argocd_context, get_application_args
from generator.ops.kubectl import DEFAULT_KUBECTL, Kubectl
from generator.plan.changes import Changes
from generator.plan.tree import Tree

#: What ``--current`` says when the environment has no root yet.
NO_ROOT = "none"


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
    #: What ``kubectl apply`` printed (None: not run).
    applied: str | None = None


def _live_profile(project: Project, env: str, live: dict[str, Any] | None) -> str:
    """The profile a live root Application syncs (its ``spec.source.path``); NO_ROOT for none."""
    from generator.render.roots import profile_path

    if live is None:
        return NO_ROOT
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


def _changes(project: Project, env: str, current: str | None, profile: str) -> Changes:
    """What moving ``env``'s root from ``current`` (None or NO_ROOT: no root) to ``profile``
    does, read from the rendered trees."""
    from generator.plan.changes import compare
    from generator.plan.tree import TreeReader

    reader = TreeReader(project.root, project.config)
    if current in (None, NO_ROOT):
        before = Tree(env, NO_ROOT, None, None, "", (), (), ())
    else:
        before = reader.expand(env, current)
    return compare(before, reader.expand(env, profile))


def run(
    root: Path,
    profile: str,
    environment: str | None = None,
    current: str | None = None,
    dry_run: bool = False,
    confirm: bool = False,
    program: str = DEFAULT_KUBECTL,
) -> RootChange:
    """Point ``environment``'s root at ``profile``; see the module docstring. ``current``
    (a profile, or NO_ROOT) stands in for the read of the live root."""
    from generator.commands.profile import choose_environment, choose_profile
    from generator.fs.inputs import read_inputs
    from generator.render.build import build

    project = build(read_inputs(root)).project
    env = choose_environment(project, environment)
    profile = choose_profile(project, profile)
    if current not in (None, NO_ROOT):
        current = choose_profile(project, current)
    config = project.config
    environment_config = config.environments[env]
    kubectl = Kubectl(argocd_context(config, environment_config), program, project.root)
    read = get_application_args(environment_config.root_name, config.argocd_namespace)
    commands = [] if current is not None else [kubectl.line(read)]
    current_known = current is not None or not dry_run
    if current is None and not dry_run:
        current = _live_profile(project, env, kubectl.get_json(read, missing_ok=True))
    folder = f"{config.rendered_dir}/{env}/roots/{profile}"
    changes = _changes(project, env, current, profile)
    refused = bool(changes.layers_removed) and not confirm
    apply = ["apply", "-k", folder]
    if not refused:
        commands.append(kubectl.line(apply))
    applied = None
    if not dry_run and not refused:
        result = kubectl.run(apply)
        assert result is not None  # missing_ok is off: a failure raises
        applied = result.stdout
    return RootChange(
        environment=env,
        profile=profile,
        root_name=environment_config.root_name,
        folder=folder,
        current=None if current in (None, NO_ROOT) else current,
        current_known=current_known,
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
