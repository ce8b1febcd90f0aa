"""``gen plan --since REV``: what pushing the rendered folder on disk does, compared with REV.

The review step of a GitOps change ("what does this push do to the cluster?"), offline: the
revision's rendered folder is read with git (generator/plan/gitrev.py), both trees are expanded
from the root (generator/plan/tree.py) and compared by Application name
(generator/plan/changes.py), per environment and profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import GenError, Problem
from generator.plan.changes import AppState, Changes
from generator.plan.gitrev import Revision
from generator.render.build import Build


@dataclass(frozen=True)
class SinceResult:
    """The changes per environment, against ``revision``."""

    revision: Revision
    rendered_dir: str
    changes: list[Changes]
    #: Environments whose rendered folder on disk is stale (the comparison uses it as is).
    stale: list[str]
    warnings: list[Problem]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.revision.name,
            "commit": self.revision.commit,
            "plans": [c.to_json() for c in self.changes],
            "stale": self.stale,
            "warnings": [w.to_json() for w in self.warnings],
        }


def run(
    root: Path,
    since: str | None = None,
    environment: str | None = None,
    profile: str | None = None,
) -> SinceResult:
    """Compare the rendered folder on disk with ``since`` (default: the upstream branch, else
    HEAD) for one environment (default: each) and profile (default: the widest)."""
    from generator.commands.plan import _choose
    from generator.fs.inputs import read_inputs
    from generator.render.build import build

    current = build(read_inputs(root))
    project = current.project
    config = project.config
    envs = list(config.environments)
    profiles = list(project.layers.profiles)
    chosen_profile = _choose("profile", profile, profiles, profiles[-1])
    chosen_envs = [_choose("environment", environment, envs, envs[0])] if environment else envs
    return compare_since(current, root, since, chosen_envs, chosen_profile)


def compare_since(
    current: Build, root: Path, since: str | None, chosen_envs: list[str], chosen_profile: str
) -> SinceResult:
    """The comparison of :func:`run`, for a project's build and names already checked (``gen
    graph --since`` marks its graph with it)."""
    from generator.fs.tree import diff_tree
    from generator.plan import gitrev
    from generator.plan.changes import compare
    from generator.plan.tree import TreeReader

    project = current.project
    config = project.config
    revision = gitrev.resolve(root, since or gitrev.default_revision(root))
    now = TreeReader(project.root, config)
    changes = []
    with gitrev.extracted(root, revision, config.rendered_dir) as base:
        then = TreeReader(base, config)
        for env in chosen_envs:
            after = now.expand(env, chosen_profile)
            try:
                before = then.expand(env, chosen_profile, fallback=True)
            except GenError as error:
                raise GenError(
                    f"cannot read {config.rendered_dir}/{env}/ at {revision.name}: {error.message}",
                    [
                        Problem(
                            f"{revision.name}:{p.file}", p.line, p.column, p.key, p.message, id=p.id
                        )
                        for p in error.problems
                    ],
                ) from None
            changes.append(compare(before, after))
    # The catalog as it is now, rendered and validated: the staleness warning compares with it.
    current = current.only(chosen_envs)
    current.raise_for_errors()
    rendered = dict(current.files)
    stale = [
        env for env in chosen_envs if not diff_tree(project.rendered_path, rendered, [env]).clean
    ]
    return SinceResult(revision, config.rendered_dir, changes, stale, list(project.warnings))


def _describe(app: AppState) -> str:
    if app.role == "group":
        return f"group app of {app.group} (layer {app.layer})"
    return f"group {app.group}, layer {app.layer}, {app.sync} sync"


def format_changes(changes: Changes, revision: Revision, rendered_dir: str) -> list[str]:
    """One environment's changes, for people."""
    lines = [
        f"Changes for environment {changes.environment}, profile {changes.profile}: "
        f"{rendered_dir}/ on disk against {revision.name} ({revision.commit[:12]})"
    ]
    if changes.layers_added:
        lines.append(f"  layers added: {', '.join(changes.layers_added)}")
    if changes.layers_removed:
        lines.append(f"  layers removed: {', '.join(changes.layers_removed)}")
    if changes.empty:
        lines.append(f"  no change: {changes.unchanged} Applications as they are")
        return lines
    for title, apps in (("created", changes.created), ("pruned", changes.pruned)):
        if apps:
            lines.append(f"  {title} ({len(apps)}):")
            width = max(len(a.name) for a in apps)
            lines.extend(f"    {a.name.ljust(width)}  {_describe(a)}" for a in apps)
    if changes.changed:
        lines.append(f"  changed ({len(changes.changed)}):")
        for change in changes.changed:
            lines.append(f"    {change.after.name}  {_describe(change.after)}")
            lines.extend(f"      {field}" for field in change.fields)
    lines.append(f"  unchanged: {changes.unchanged} Applications")
    if changes.manual_pruned:
        lines.append(
            "  caution: manual-sync apps pruned while possibly deployed (someone may have run "
            "`argocd app sync`; their resources finalizer deletes what they deployed): "
            + ", ".join(a.name for a in changes.manual_pruned)
        )
    if changes.ungated:
        lines.append(
            "  caution: manual-sync apps becoming auto-sync (they deploy on their own after the "
            "push): " + ", ".join(c.after.name for c in changes.ungated)
        )
    return lines


def format_result(result: SinceResult) -> str:
    """Every environment's changes, separated by a blank line."""
    blocks = []
    for changes in result.changes:
        lines = format_changes(changes, result.revision, result.rendered_dir)
        if changes.environment in result.stale:
            lines.append(
                f"  warning: {result.rendered_dir}/{changes.environment}/ is stale: this compares "
                "the files as they are; run `gen render` to compare what the catalog says now"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
