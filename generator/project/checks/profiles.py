"""Dependencies a profile leaves out: per profile, a group whose dependency (``requires``,
``wants``, or an app's ``dependsOn``) lives in a layer the profile does not include. Warnings that
``gen plan``, ``gen explain``, ``gen graph`` and ``gen validate`` report: the profile brings the
group up without what it needs (the seed's "ensure the llm-gateway layer is applied").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.core.errors import Problem
from generator.core.model import Group, Project
from generator.project.resolve import decide
from generator.project.waves import dependency_location, group_of


def profile_dependency_warnings(
    project: Project, profiles: Iterable[str] | None = None
) -> list[Problem]:
    """Per profile (default: each), a dependency of one of its groups that lives in a layer it
    does not include: that profile brings the group up without what it needs."""
    wanted = set(project.layers.profiles if profiles is None else profiles)
    on_in: dict[str, list[str]] = {}
    for environment in project.config.environments.values():
        for decision in decide(project, environment):
            if decision.enabled:
                on_in.setdefault(decision.group.name, []).append(environment.name)
    warnings: set[Problem] = set()
    for profile, members in project.layers.profiles.items():
        if profile not in wanted:
            continue
        layers = set(members)
        for name, envs in on_in.items():
            for env in envs:
                groups = project.groups_for(env)
                group = groups[name]
                if group.layer not in layers:
                    continue
                owner = group_of(groups)
                note = f"(group on in: {', '.join(envs)})"
                for index, needed in enumerate(group.requires):
                    other = groups.get(needed)
                    if other is None or other.layer in layers:
                        continue
                    warnings.add(
                        group.where_of(f"requires[{index}]").problem(
                            f'profile "{profile}" includes layer "{group.layer}" of group '
                            f'"{name}" but not layer "{other.layer}" of the group it requires, '
                            f'"{needed}" {note}',
                            severity="warning",
                            id="profile-missing-dependency",
                        )
                    )
                warnings.update(_profile_wants(profile, layers, group, groups, note))
                for app in group.apps:
                    for dep in app.depends_on:
                        other = owner.get(dep)
                        if other is None or other.layer in layers or other.name in group.requires:
                            continue
                        warnings.add(
                            dependency_location(app, dep).problem(
                                f'profile "{profile}" includes layer "{group.layer}" of app '
                                f'"{app.name}" but not layer "{other.layer}" of "{dep}" (group '
                                f'"{other.name}"), which it depends on {note}',
                                severity="warning",
                                id="profile-missing-dependency",
                            )
                        )
    return sorted(warnings)


def _profile_wants(
    profile: str, layers: set[str], group: Group, groups: Mapping[str, Group], note: str
) -> Iterable[Problem]:
    """A group's ``wants`` in a layer the profile leaves out: the profile brings the group up
    without the group it works best with (the seed's "ensure the llm-gateway layer is applied")."""
    for want in group.wants:
        other = groups.get(want.group)
        if other is None or other.layer in layers:
            continue
        reason = f": {want.reason}" if want.reason else ""
        yield want.where.problem(
            f'profile "{profile}" includes layer "{group.layer}" of group "{group.name}" but '
            f'not layer "{other.layer}" of the group it wants, "{want.group}" {note}{reason}',
            severity="warning",
            id="profile-without-wanted-group",
        )
