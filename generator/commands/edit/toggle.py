"""``gen enable`` / ``gen disable``: set a group's feature flag in config.yaml, then re-render.

The order makes it safe: build the project as it is; edit config.yaml's text in memory (one line,
see :mod:`generator.yamlio.config_edit`); build the edited snapshot (load, render and validate,
in memory), so an edit that would make the project or its output invalid (a required group
switched off, a label value the newly enabled group gets wrong) stops here with config.yaml
untouched; write config.yaml atomically; write that same build into rendered/. ``gen set``
(generator/commands/edit/setting.py) edits through the same functions.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands import render as render_command
from generator.core.errors import GenError, InputError, UsageError
from generator.core.layout import CONFIG_FILE
from generator.core.model import Group, Project
from generator.fs.inputs import Inputs, read_inputs
from generator.project.declarations.appofapps import group_app_name
from generator.project.resolve import decide, group_order
from generator.project.schema import suggest
from generator.render.build import Build, build
from generator.render.templates import Progress
from generator.yamlio.config_edit import FlagEdit, set_flag

BOM = "\ufeff"


@dataclass(frozen=True)
class EnvChange:
    """What the edit did to one environment: groups now rendered or no longer rendered, and,
    when the named group did not end up as asked, the setting that keeps it (``held_by``)."""

    environment: str
    added: list[str]
    removed: list[str]
    held_by: str | None = None
    #: Groups that became dormant (a setting they need is now empty) or live again.
    dormant: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ToggleResult:
    """What ``gen enable``/``gen disable`` did. ``edit`` is None for a core group (always on)."""

    name: str
    enabled: bool
    flag: str | None
    groups: list[str]
    edit: FlagEdit | None
    changes: list[EnvChange]
    render: render_command.RenderResult | None
    #: What to do next (commit and push; when a change needs ``make root`` instead, that).
    next_steps: tuple[str, ...] = ()


def _target(project: Project, name: str) -> tuple[str | None, list[Group]]:
    """The flag to set for ``name`` (a group, or a flag itself) and the groups it switches."""
    groups = project.groups
    flags: dict[str, list[Group]] = {}
    for group in group_order(project):
        if group.feature is not None:
            flags.setdefault(group.feature, []).append(group)
    if name in groups:
        group = groups[name]
        if group.feature is None:
            return None, [group]
        return group.feature, flags[group.feature]
    if name in flags:
        return name, flags[name]
    raise UsageError(f'unknown group "{name}"' + suggest(name, {*groups, *flags}))


def _enabled(project: Project, envs: list[str]) -> dict[str, list[str]]:
    return {
        env: [d.group.name for d in decide(project, project.config.environments[env]) if d.enabled]
        for env in envs
    }


def _changes(
    before: Project, after: Project, envs: list[str], asked: str, enabled: bool
) -> list[EnvChange]:
    """Per environment: groups added and removed, and what keeps the group ``asked`` for
    (or, for a flag's name, its first group) from being as asked."""
    old, new = _enabled(before, envs), _enabled(after, envs)
    changes = []
    for env in envs:
        decision = next(
            d for d in decide(after, after.config.environments[env]) if d.group.name == asked
        )
        held = None if decision.enabled == enabled else f"{decision.why} ({decision.where})"
        changes.append(
            EnvChange(
                env,
                [g for g in new[env] if g not in old[env]],
                [g for g in old[env] if g not in new[env]],
                held,
            )
        )
    return changes


def read_config(inputs: Inputs) -> tuple[bytes, str]:
    """config.yaml's bytes and text, as the snapshot holds them (UsageError when it is not
    UTF-8)."""
    raw = inputs.files[CONFIG_FILE]
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{CONFIG_FILE} is not valid UTF-8") from None


def write_atomic(path: Path, text: str, expected: bytes) -> None:
    """Replace ``path`` (through a symlink, to its target) with ``text`` in one rename, keeping
    its permissions; refuse if the file no longer holds ``expected`` (edited meanwhile)."""
    target = path.resolve()
    if target.read_bytes() != expected:
        raise UsageError(f"{CONFIG_FILE} changed while gen was editing it; run the command again")
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        Path(temp).chmod(stat.S_IMODE(target.stat().st_mode))
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def run(
    root: Path,
    name: str,
    enabled: bool,
    environment: str | None = None,
    render: bool = True,
    on_environment: Progress | None = None,
) -> ToggleResult:
    """Set the flag switching ``name`` to ``enabled`` (in ``environment``, or globally)."""
    inputs = read_inputs(root)
    project = build(inputs).project
    flag, groups = _target(project, name)
    names = [g.name for g in groups]
    environments = list(project.config.environments)
    if environment is not None and environment not in project.config.environments:
        raise UsageError(
            f"unknown environment {environment!r}; choose from: {', '.join(environments)}"
        )
    if flag is None:
        if not enabled:
            raise UsageError(f'"{name}" is a core group: it is always on and cannot be disabled')
        return ToggleResult(name, enabled, None, names, None, [], None)

    envs = [environment] if environment is not None else environments
    asked = name if name in names else names[0]
    raw, text = read_config(inputs)
    bom = BOM if text.startswith(BOM) else ""
    order = list(dict.fromkeys(g.feature for g in group_order(project) if g.feature))
    edit = set_flag(text.removeprefix(bom), flag, enabled, environment, order)
    if not edit.changed:
        changes = _changes(project, project, envs, asked, enabled)
        return ToggleResult(name, enabled, flag, names, edit, changes, None)

    verb = "enabling" if enabled else "disabling"
    after = build_edit(inputs, bom + edit.text, environment, f'{verb} "{name}"', on_environment)
    changes = _changes(project, after.project, envs, asked, enabled)
    result = commit_edit(after, raw, render)
    steps = next_steps(after.project, changes, rendered=result is not None)
    return ToggleResult(name, enabled, flag, names, edit, changes, result, steps)


def build_edit(
    inputs: Inputs,
    text: str,
    environment: str | None,
    doing: str,
    on_environment: Progress | None = None,
) -> Build:
    """The build of the snapshot with config.yaml's edited ``text`` (for ``environment``, or
    every one): loaded, rendered and validated as ``gen render`` would; GenError with
    config.yaml untouched when it has an error."""
    edited = inputs.replace({CONFIG_FILE: text.encode("utf-8")})
    try:
        after = build(edited, [environment] if environment else None, on_environment=on_environment)
        after.raise_for_errors()
    except InputError as error:
        problems = [p for p in error.problems if p.severity == "error"]
        noun = "problem" if len(problems) == 1 else "problems"
        raise GenError(
            f"{doing} would leave {len(problems)} {noun} (lines as in the edited "
            f"{CONFIG_FILE}); {CONFIG_FILE} not changed",
            problems,
        ) from None
    except GenError as error:
        raise GenError(f"{error.message}; {CONFIG_FILE} not changed", error.problems) from None
    return after


def commit_edit(after: Build, expected: bytes, render: bool) -> render_command.RenderResult | None:
    """Write the edited config.yaml of a build without errors (the file must still hold
    ``expected``), then write that build into rendered/ unless ``render`` is False."""
    write_atomic(
        after.inputs.root / CONFIG_FILE, after.inputs.files[CONFIG_FILE].decode(), expected
    )
    if not render:
        return None
    try:
        return render_command.write(after)
    except GenError as error:
        raise GenError(
            f"{CONFIG_FILE} was changed, but rendering failed: {error.message}; "
            "fix it and run `gen render`",
            error.problems,
        ) from None


def next_steps(project: Project, changes: list[EnvChange], rendered: bool) -> tuple[str, ...]:
    """What makes the edit reach the cluster: a push, since the root syncs every layer of its
    profile from git; and ``make root`` for a group added in a layer that only wider profiles
    bring up (a root on a narrower profile does not sync it)."""
    first = "commit and push" if rendered else "`gen render`, then commit and push"
    profiles = project.layers.profiles
    lines = []
    for change in changes:
        env = project.config.environments[change.environment]
        actions = []
        for verb, names in (("create", change.added), ("prune", change.removed)):
            for name in names:
                group = project.groups[name]
                action = f"{verb} {group_app_name(project, env, group)}"
                within = [p for p, layers in profiles.items() if group.layer in layers]
                if verb == "create" and len(within) < len(profiles):
                    action += (
                        f" (layer {group.layer}, in profile {', '.join(within)} only: a root on a "
                        f"narrower profile needs `make root PROFILE={within[0]} ENV={env.name}`)"
                    )
                actions.append(action)
        if actions:
            lines.append(f"next: {first}: in {env.name}, Argo CD will {'; '.join(actions)}")
    return tuple(lines)


def report(result: ToggleResult, group: str, enabled: bool) -> list[str]:
    """What ``gen enable``/``disable`` did, for people: the edited line, groups that share the
    flag, and the groups each environment gained or lost."""
    edit = result.edit
    if edit is None:
        return [f'"{group}" is a core group: it is always on; nothing to change']
    old = "(unset)" if edit.old is None else str(edit.old).lower()
    new = str(edit.new).lower()
    if edit.changed:
        lines = [f"config.yaml:{edit.line}: {edit.key}: {old} -> {new}"]
    else:
        lines = [f"config.yaml:{edit.line}: {edit.key} is already {new}; config.yaml not changed"]
    if result.groups != [group]:
        others = [g for g in result.groups if g != group]
        verb = "enables" if enabled else "disables"
        also = f": it {verb} {', '.join(others)} too" if group in result.groups else ""
        lines.append(f'note: flag "{result.flag}" switches {", ".join(result.groups)}{also}')
    same = [c.environment for c in result.changes if not (c.added or c.removed)]
    if same:
        lines.append(f"groups unchanged in: {', '.join(same)}")
    for change in result.changes:
        if change.added:
            lines.append(f"{change.environment}: groups added: {', '.join(change.added)}")
        if change.removed:
            lines.append(f"{change.environment}: groups removed: {', '.join(change.removed)}")
        if change.held_by:
            state = "off" if enabled else "on"
            lines.append(f"{change.environment}: {group} stays {state}: {change.held_by}")
    return lines
