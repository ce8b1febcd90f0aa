"""``gen set NAME VALUE [--env E]``: set a typed setting in config.yaml, then re-render.

The sibling of ``gen enable``/``disable`` (generator/commands/edit/toggle.py) and built the same
way: build the project as it is; check the value against the setting's declaration (catalog/
settings.yaml); edit config.yaml's text in memory so that one line changes; build the edited
snapshot as ``gen render`` does (load, render, validate the output), so an edit that would break
the project stops with config.yaml untouched; write it atomically; write that build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.commands import render as render_command
from generator.commands.edit.toggle import (
    BOM,
    EnvChange,
    build_edit,
    commit_edit,
    next_steps,
    read_config,
)
from generator.core.errors import UsageError
from generator.core.layout import CONFIG_FILE
from generator.core.model import Project, SettingDeclaration, SettingScalar, format_setting
from generator.fs.inputs import read_inputs
from generator.project.resolve import decide
from generator.project.settings.declared import effective_values, unknown_setting, value_problem
from generator.render.build import build
from generator.render.templates import Progress
from generator.yamlio.config_edit import ValueEdit, set_setting


@dataclass(frozen=True)
class SetResult:
    """What ``gen set`` did: the edit, what changed per environment, the render (if any)."""

    name: str
    value: SettingScalar
    edit: ValueEdit
    changes: list[EnvChange]
    render: render_command.RenderResult | None
    #: What to do next (as ``gen enable`` says it: commit and push; ``make root`` if needed).
    next_steps: tuple[str, ...] = ()


def parse_value(decl: SettingDeclaration, text: str) -> SettingScalar:
    """VALUE from the command line, typed by the setting's declaration."""
    if decl.type == "string":
        return text
    if decl.type == "boolean":
        if text in ("true", "false"):
            return text == "true"
        raise UsageError(f"{decl.name}: must be true or false, got {text!r}")
    try:
        return int(text, 10)
    except ValueError:
        raise UsageError(f"{decl.name}: must be an integer, got {text!r}") from None


def _declaration(project: Project, name: str) -> SettingDeclaration:
    decl = project.settings.get(name)
    if decl is None:
        raise UsageError(unknown_setting(name, project.settings))
    return decl


def _changes(before: Project, after: Project, envs: Sequence[str], key: str) -> list[EnvChange]:
    """Per environment: groups added, removed, now dormant and live again; and, when the
    environment's own value overrides the one just set, where it is."""
    changes = []
    for env in envs:
        old = {d.group.name: d for d in decide(before, before.config.environments[env])}
        new = {d.group.name: d for d in decide(after, after.config.environments[env])}
        on_before = [n for n, d in old.items() if d.enabled]
        on_after = [n for n, d in new.items() if d.enabled]
        sleeping = [n for n, d in new.items() if d.enabled and d.dormant]
        was = [n for n, d in old.items() if d.enabled and d.dormant]
        name = key.rsplit(".", 1)[-1]
        value = effective_values(after, after.config.environments[env]).get(name)
        held = None
        if value is not None and value.key != key:
            held = f"{value.describe()} ({value.where})"
        changes.append(
            EnvChange(
                env,
                [n for n in on_after if n not in on_before],
                [n for n in on_before if n not in on_after],
                held,
                [n for n in sleeping if n not in was and n in on_before],
                [n for n in was if n not in sleeping and n in on_after],
            )
        )
    return changes


def run(
    root: Path,
    name: str,
    value_text: str,
    environment: str | None = None,
    render: bool = True,
    on_environment: Progress | None = None,
) -> SetResult:
    """Set setting ``name`` to ``value_text`` (typed by its declaration) in ``environment``'s
    ``settings:``, or in the global one."""
    inputs = read_inputs(root)
    project = build(inputs).project
    decl = _declaration(project, name)
    environments = list(project.config.environments)
    if environment is not None and environment not in project.config.environments:
        raise UsageError(
            f"unknown environment {environment!r}; choose from: {', '.join(environments)}"
        )
    value = parse_value(decl, value_text)
    found = value_problem(decl, value)
    if found:
        raise UsageError(f"{name}: {found[1]}; {CONFIG_FILE} not changed")
    envs = [environment] if environment is not None else environments
    raw, text = read_config(inputs)
    bom = BOM if text.startswith(BOM) else ""
    edit = set_setting(text.removeprefix(bom), name, value, environment, list(project.settings))
    if not edit.changed:
        return SetResult(name, value, edit, _changes(project, project, envs, edit.key), None)
    doing = f"setting {name} to {format_setting(value)}"
    after = build_edit(inputs, bom + edit.text, environment, doing, on_environment)
    changes = _changes(project, after.project, envs, edit.key)
    result = commit_edit(after, raw, render)
    steps = next_steps(after.project, changes, rendered=result is not None)
    return SetResult(name, value, edit, changes, result, steps)


def report(result: SetResult) -> list[str]:
    """What ``gen set`` did, for people: the edited line and, per environment, the groups it
    switched on or off, made dormant or live again."""
    edit = result.edit
    new = format_setting(edit.new)
    if not edit.changed:
        where = f"{CONFIG_FILE}:{edit.line}"
        return [f"{where}: {edit.key} is already {new}; {CONFIG_FILE} not changed"]
    old = "(unset)" if edit.old is None else format_setting(edit.old)
    lines = [f"{CONFIG_FILE}:{edit.line}: {edit.key}: {old} -> {new}"]
    same = [
        c.environment
        for c in result.changes
        if not (c.added or c.removed or c.dormant or c.live or c.held_by)
    ]
    if same:
        lines.append(f"groups unchanged in: {', '.join(same)}")
    for change in result.changes:
        for label, names in (
            ("groups added", change.added),
            ("groups removed", change.removed),
            ("groups now dormant", change.dormant),
            ("groups no longer dormant", change.live),
        ):
            if names:
                lines.append(f"{change.environment}: {label}: {', '.join(names)}")
        if change.held_by:
            lines.append(f"{change.environment}: keeps its own value: {change.held_by}")
    return lines
