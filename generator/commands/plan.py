"""``gen plan``: which Applications Argo CD will create, read from rendered/ as it is on disk.

For an environment and a profile, from the root down (generator/plan/tree.py): the root
Application of ``rendered/<env>/roots/<profile>/`` syncs the profile folder, which lists the
layer folders; each layer's ApplicationSet is expanded offline (generator/plan/expand.py); each
generated group Application's ``spec.source.path`` folder is read like an Argo CD directory
source; every Application found there is one row. Nothing comes from the in-memory render except
the staleness warning and the dependencies between groups: the plan is about the files Argo CD
will pull.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import DORMANT_ANNOTATION, MANUAL_REASON, WAVE_ANNOTATION
from generator.core.errors import OutputError, Problem, UsageError
from generator.fs.inputs import read_inputs
from generator.fs.tree import TreeDiff
from generator.ops.actions import ActionCommands, action_commands
from generator.plan.expand import Document
from generator.plan.tree import Tree
from generator.project.checks.crossdeps import CrossGroupDependency
from generator.project.schema import suggest
from generator.render.build import Build, build


@dataclass(frozen=True)
class PlannedApp:
    """One Application that will exist, as its rendered file says."""

    layer: str
    group: str
    app: str
    namespace: str
    wave: int
    sync: str
    reason: str | None
    ignored: tuple[str, ...]
    file: str
    #: The empty settings that keep the app's group dormant (its ``stagegen.dev/dormant``).
    dormant: tuple[str, ...] = ()
    #: The Application's ``spec.sourceHydrator`` (None: it syncs a source or sources).
    source_hydrator: dict[str, Any] | None = None

    @property
    def sync_command(self) -> str | None:
        """How a manual app is brought up; None for an auto-sync app or a dormant one (set
        its settings and render instead)."""
        return f"argocd app sync {self.app}" if self.sync == "manual" and not self.dormant else None

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "group": self.group,
            "app": self.app,
            "namespace": self.namespace,
            "wave": self.wave,
            "sync": self.sync,
            "reason": self.reason,
            "ignored": list(self.ignored),
            "syncCommand": self.sync_command,
            "file": self.file,
            "dormant": list(self.dormant),
            "sourceHydrator": self.source_hydrator,
        }


@dataclass(frozen=True)
class GroupApp:
    """One group app-of-apps Application an ApplicationSet generates."""

    layer: str
    applicationset: str
    name: str
    group: str
    path: str
    file: str

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "applicationSet": self.applicationset,
            "name": self.name,
            "group": self.group,
            "path": self.path,
            "file": self.file,
        }


@dataclass(frozen=True)
class EnvPlan:
    """The plan of one environment and profile."""

    environment: str
    profile: str
    revision: str
    repo_url: str
    layers: tuple[str, ...]
    group_apps: list[GroupApp]
    apps: list[PlannedApp]
    stale: TreeDiff
    rendered_dir: str
    #: The root Application (None: none rendered) and the file it is in.
    root: str | None = None
    root_file: str | None = None
    #: The repository path the root syncs.
    profile_path: str = ""
    #: dependsOn edges between groups: not ordered by sync waves.
    cross_group: tuple[CrossGroupDependency, ...] = ()
    #: What Argo CD would refuse for want of an AppProject permission.
    refused: tuple[Problem, ...] = ()
    #: Each app's cost actions and their commands, by Application name (from the catalog).
    cost_actions: Mapping[str, list[ActionCommands]] = field(default_factory=dict)
    #: How the group apps are named (catalog/layers.yaml appOfApps.appName), for people.
    group_app_patterns: tuple[str, ...] = ("group-<name>",)

    @property
    def manual(self) -> list[PlannedApp]:
        return [a for a in self.apps if a.sync == "manual"]

    @property
    def dormant_groups(self) -> dict[str, list[str]]:
        """Groups rendered dormant, with the empty settings that keep them so."""
        found: dict[str, list[str]] = {}
        for app in self.apps:
            for name in app.dormant:
                names = found.setdefault(app.group, [])
                if name not in names:
                    names.append(name)
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "profile": self.profile,
            "revision": self.revision,
            "repoURL": self.repo_url,
            "root": self.root,
            "rootFile": self.root_file,
            "profilePath": self.profile_path,
            "layers": list(self.layers),
            "stale": not self.stale.clean,
            "staleFiles": {
                "changed": list(self.stale.changed),
                "missing": list(self.stale.missing),
                "extra": list(self.stale.extra),
            },
            "applications": [
                {
                    **a.to_json(),
                    "costActions": [c.to_json() for c in self.cost_actions.get(a.app, [])],
                }
                for a in self.apps
            ],
            "groupApplications": [g.to_json() for g in self.group_apps],
            "crossGroupDependencies": [
                {
                    "app": d.app,
                    "group": d.group,
                    "dependsOn": d.dependency,
                    "dependencyGroup": d.dependency_group,
                    "enforced": False,
                }
                for d in self.cross_group
            ],
            "notPermitted": [p.to_json() for p in self.refused],
            "dormantGroups": self.dormant_groups,
            "counts": {
                "total": len(self.apps),
                "auto": len(self.apps) - len(self.manual),
                "manual": len(self.manual),
                "groupApplications": len(self.group_apps),
            },
        }


@dataclass(frozen=True)
class PlanResult:
    """Plans per environment, plus the project's own warnings."""

    plans: list[EnvPlan]
    warnings: list[Problem]

    def to_json(self) -> dict[str, Any]:
        return {
            "plans": [p.to_json() for p in self.plans],
            "warnings": [w.to_json() for w in self.warnings],
        }


def describe_ignore(rule: Any) -> str:
    """``Deployment /spec/replicas``: one ignoreDifferences rule, short."""
    if not isinstance(rule, dict):
        return str(rule)
    target = str(rule.get("kind", "?"))
    if rule.get("name"):
        target += f"/{rule['name']}"
    parts = [*rule.get("jsonPointers", []), *rule.get("jqPathExpressions", [])]
    parts += [f"manager={m}" for m in rule.get("managedFieldsManagers", [])]
    return f"{target} {' '.join(str(p) for p in parts)}".strip()


def describe_hydrator(hydrator: Any) -> str:
    """A ``sourceHydrator`` in one line: what Argo CD renders, where it commits the result and
    what it syncs (Argo CD's user guide, docs/user-guide/source-hydrator.md)."""
    if not isinstance(hydrator, dict):
        return str(hydrator)
    dry = hydrator.get("drySource") or {}
    sync = hydrator.get("syncSource") or {}
    staged = (hydrator.get("hydrateTo") or {}).get("targetBranch")
    branch, path = sync.get("targetBranch", "?"), sync.get("path", "?")
    elsewhere = sync.get("repoURL") if sync.get("repoURL") != dry.get("repoURL") else None
    into = f" of {elsewhere}" if elsewhere else ""
    text = (
        f"renders {dry.get('repoURL', '?')} {dry.get('path', '?')} at "
        f"{dry.get('targetRevision', '?')}, commits it to branch {staged or branch}{into} at "
        f"{path}"
    )
    if staged:
        return f"{text}; syncs branch {branch} once something outside Argo CD moves it there"
    return f"{text}, syncs from there"


def _choose(kind: str, name: str | None, choices: Sequence[str], default: str) -> str:
    if name is None:
        return default
    if name not in choices:
        raise UsageError(
            f"unknown {kind} {name!r}{suggest(name, list(choices))}; choose from: "
            + ", ".join(choices)
        )
    return name


def _rows(layer: str, group: str, docs: Sequence[Document]) -> list[PlannedApp]:
    """One row per Application of a group folder."""
    rows = []
    for doc in docs:
        if doc.kind != "Application":
            continue
        data = doc.data
        meta = data.get("metadata") or {}
        spec = data.get("spec") or {}
        annotations = meta.get("annotations") or {}
        raw_wave = annotations.get(WAVE_ANNOTATION, "0")
        try:
            wave = int(str(raw_wave))
        except ValueError:
            raise OutputError(
                [
                    doc.problem(
                        ("metadata", "annotations", WAVE_ANNOTATION),
                        f"sync wave {raw_wave!r} is not an integer",
                        id="wrong-type",
                    )
                ]
            ) from None
        policy = spec.get("syncPolicy") or {}
        sync = "auto" if policy.get("automated") is not None else "manual"
        hydrator = spec.get("sourceHydrator")
        reason = annotations.get(MANUAL_REASON)
        dormant = str(annotations.get(DORMANT_ANNOTATION) or "")
        rows.append(
            PlannedApp(
                layer=layer,
                group=group,
                app=doc.name,
                namespace=str((spec.get("destination") or {}).get("namespace", "")),
                wave=wave,
                sync=sync,
                reason=str(reason) if reason is not None else None,
                ignored=tuple(describe_ignore(r) for r in spec.get("ignoreDifferences") or []),
                file=doc.file,
                dormant=tuple(name for name in dormant.split(",") if name),
                source_hydrator=hydrator if isinstance(hydrator, dict) else None,
            )
        )
    return rows


def tree_rows(tree: Tree) -> tuple[list[GroupApp], list[PlannedApp]]:
    """The group apps and the Applications of a tree, Applications in bring-up order."""
    group_apps = [
        GroupApp(node.layer, node.appset.name, node.name, node.group, node.path, node.appset.file)
        for node in tree.groups
    ]
    apps = [row for node in tree.groups for row in _rows(node.layer, node.group, node.documents)]
    rank = {layer: index for index, layer in enumerate(tree.layers)}
    apps.sort(key=lambda a: (rank[a.layer], a.wave, a.app))
    return group_apps, apps


def plan_environment(current: Build, env: str, profile: str) -> EnvPlan:
    """The plan of ``env`` for ``profile``, expanded from its root as rendered/ holds it; the
    build of the catalog as it is now (``current``) says whether rendered/ is stale."""
    from generator.fs.tree import diff_tree
    from generator.plan.permits import tree_problems
    from generator.plan.tree import TreeReader
    from generator.project.checks.crossdeps import cross_group_dependencies
    from generator.project.declarations.appofapps import group_app_patterns

    project = current.project
    config = project.config
    tree = TreeReader(project.root, config).expand(env, profile)
    group_apps, apps = tree_rows(tree)
    mine = {rel: text for rel, text in current.files.items() if rel.startswith(f"{env}/")}
    stale = diff_tree(project.rendered_path, mine, [env])
    environment = config.environments[env]
    return EnvPlan(
        environment=env,
        profile=profile,
        revision=environment.target_revision,
        repo_url=config.repo_url,
        layers=tree.layers,
        group_apps=group_apps,
        apps=apps,
        stale=stale,
        rendered_dir=config.rendered_dir,
        root=tree.root.name if tree.root is not None else None,
        root_file=tree.root.file if tree.root is not None else None,
        profile_path=tree.profile_path,
        cross_group=tuple(cross_group_dependencies(project, env, {g.group for g in group_apps})),
        refused=tuple(tree_problems(tree)),
        cost_actions={
            environment.object_name(app.name): action_commands(app, environment)
            for app in project.apps_for(env).values()
            if app.cost_actions
        },
        group_app_patterns=group_app_patterns(project, tree.layers),
    )


def run(root: Path, environment: str | None = None, profile: str | None = None) -> PlanResult:
    """The plan of one environment (default: each) for one profile (default: the widest)."""
    from generator.project.checks.profiles import profile_dependency_warnings

    current = build(read_inputs(root))
    project = current.project
    envs = list(project.config.environments)
    profiles = list(project.layers.profiles)
    chosen_profile = _choose("profile", profile, profiles, profiles[-1])
    chosen_envs = [_choose("environment", environment, envs, envs[0])] if environment else envs
    # The catalog as it is now, rendered and validated: the staleness warning compares with it.
    current = current.only(chosen_envs)
    current.raise_for_errors()
    warnings = sorted({*project.warnings, *profile_dependency_warnings(project, [chosen_profile])})
    plans = [plan_environment(current, env, chosen_profile) for env in chosen_envs]
    return PlanResult(plans, warnings)
