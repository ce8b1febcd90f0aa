"""``gen plan`` for people: the plan of each environment as text, fitted to a width when one is
given (the terminal's): the table's long text is cut with an ellipsis, sentences are wrapped;
``--wide`` and ``-o json`` (:meth:`generator.commands.plan.PlanResult.to_json`) have it all."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from generator.commands.plan import EnvPlan, PlannedApp, PlanResult, describe_hydrator
from generator.core.table import Column, cut, layout
from generator.ops.actions import cost_action_lines
from generator.project.checks.crossdeps import NOT_ENFORCED

#: The plan's columns: free text is cut first, then names; at 80 columns the ignored fields
#: and then the group are left out (``--wide`` and ``-o json`` always have everything).
PLAN_COLUMNS = (
    Column("LAYER", minimum=8),
    Column("GROUP", minimum=10, drop=2),
    Column("APP"),
    Column("NAMESPACE", minimum=10),
    Column("WAVE"),
    Column("SYNC"),
    Column("REASON", minimum=10, drop=3),
    Column("IGNORED", minimum=10, drop=1),
)


def _wrap(text: str, width: int | None, indent: str = "") -> str:
    """A sentence broken into lines of ``width`` (None: one line), continued at ``indent``."""
    if width is None:
        return text
    lines = textwrap.wrap(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines)


def _fit_command(line: str, width: int | None) -> str:
    """A ``command  # comment`` line too wide for ``width``: the comment goes on the next line
    (a command line is never cut: it is meant to be copied); other lines are wrapped."""
    if width is None or len(line) <= width:
        return line
    command, mark, comment = line.partition("  # ")
    if not mark:
        return _wrap(line, width, "  ")
    indent = " " * (len(command) - len(command.lstrip()) + 2)
    return f"{command.rstrip()}\n{indent}# {comment}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _dormant_count(manual: Sequence[PlannedApp]) -> str:
    dormant = sum(1 for app in manual if app.dormant)
    return f" ({dormant} of them dormant)" if dormant else ""


def _heading(plan: EnvPlan) -> list[str]:
    lines = [
        f"Plan for environment {plan.environment}, profile {plan.profile} "
        f"(layers: {', '.join(plan.layers)})",
        f"Read from {plan.rendered_dir}/{plan.environment}/ as on disk; Argo CD pulls "
        f"{plan.repo_url} at {plan.revision}.",
    ]
    if plan.root is not None:
        lines.append(
            f"Root Application {plan.root} ({plan.root_file}) syncs {plan.profile_path}: "
            f"the layers' AppProjects and ApplicationSets."
        )
    if not plan.stale.clean:
        s = plan.stale
        lines.append(
            f"warning: {plan.rendered_dir}/{plan.environment}/ is stale ({len(s.changed)} changed, "
            f"{len(s.missing)} missing, {len(s.extra)} extra): this plan shows the files as they "
            "are; run `gen render` and commit to plan what the catalog says now"
        )
    return lines


def _table(plan: EnvPlan, width: int | None) -> list[str]:
    rows = [
        (
            a.layer,
            a.group,
            a.app,
            a.namespace or "-",
            str(a.wave),
            "dormant" if a.dormant else a.sync,
            a.reason or "-",
            "; ".join(a.ignored) or "-",
        )
        for a in plan.apps
    ]
    return layout(PLAN_COLUMNS, rows, width)


def _footer(plan: EnvPlan, width: int | None) -> list[str]:
    manual = plan.manual
    appsets = len({(g.layer, g.applicationset) for g in plan.group_apps})
    counts = (
        f"{_count(len(plan.apps), 'Application')}: {len(plan.apps) - len(manual)} auto-sync, "
        f"{len(manual)} manual-sync{_dormant_count(manual)}; created by "
        f"{_count(len(plan.group_apps), 'group Application')} "
        f"({', '.join(plan.group_app_patterns)}) from {_count(appsets, 'ApplicationSet')}."
    )
    lines = [_wrap(counts, width)]
    gated = [a for a in manual if a.sync_command]
    if gated:
        lines.append("Manual sync (cost gate): created, but deployed only by:")
        command = max(len(a.sync_command or "") for a in gated)
        for app in gated:
            line = f"  {(app.sync_command or '').ljust(command)}  # {app.reason or 'manual sync'}"
            lines.append(line if width is None else cut(line, max(width, command + 6)))
    dormant = plan.dormant_groups
    if dormant:
        heading = (
            "Dormant (rendered without automated sync until the settings they need are set in "
            "config.yaml, then `gen render`):"
        )
        lines.append(_wrap(heading, width))
        lines.extend(f"  {group}: {', '.join(names)} empty" for group, names in dormant.items())
    costs = [(a.app, plan.cost_actions[a.app]) for a in plan.apps if a.app in plan.cost_actions]
    lines.extend(_fit_command(line, width) for line in cost_action_lines(costs))
    lines.extend(_hydrator_lines(plan, width))
    if plan.cross_group:
        lines.append(_wrap("Dependencies on apps of another group (" + NOT_ENFORCED + "):", width))
        lines.extend(_wrap(f"  {dependency}", width, "    ") for dependency in plan.cross_group)
    if plan.refused:
        lines.append("Argo CD would refuse (AppProject permissions):")
        lines.extend(f"  {problem}" for problem in plan.refused)
    return lines


def _hydrator_lines(plan: EnvPlan, width: int | None) -> list[str]:
    """The Applications whose manifests Argo CD's Source Hydrator renders, one line each."""
    hydrated = [a for a in plan.apps if a.source_hydrator is not None]
    if not hydrated:
        return []
    column = max(len(a.app) for a in hydrated)
    indent = " " * (column + 4)
    return [
        _wrap("Source Hydrator (Argo CD renders the dry source and commits the result):", width),
        *(
            _wrap(f"  {a.app.ljust(column)}  {describe_hydrator(a.source_hydrator)}", width, indent)
            for a in hydrated
        ),
    ]


def format_plan(plan: EnvPlan, width: int | None = None) -> str:
    """The human-readable plan of one environment; with ``width``, everything fits in it: the
    table (see :func:`generator.core.table.layout`), the sentences and the manual-sync lines."""
    heading = [_wrap(line, width) for line in _heading(plan)]
    return "\n".join([*heading, "", *_table(plan, width), "", *_footer(plan, width)])


def format_result(result: PlanResult, width: int | None = None) -> str:
    """Every environment's plan, separated by a blank line (``width``: see format_plan)."""
    return "\n\n".join(format_plan(plan, width) for plan in result.plans)
