"""Dependencies between apps and groups, and the sync waves they give.

An app depends on the apps its ``dependsOn`` lists (in its group or another one); a group depends
on the groups its ``requires`` lists and on the groups of its apps' dependencies.

An app's wave is its explicit ``wave``, or one more than the largest wave among its dependencies
(0 when it has none). Render writes it as the ``argocd.argoproj.io/sync-wave`` annotation;
``gen plan`` and ``gen explain`` show it and where it came from.

Checks (all located at the key that causes them): a ``dependsOn`` naming an unknown app; a cycle,
printed ``a -> b -> a``; an explicit wave not greater than a dependency's; an environment where an
app is on but a dependency's group is off. The per-profile warnings about dependencies are
generator/project/checks/profiles.py's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.core.errors import Problem
from generator.core.model import App, Group, Location, Project
from generator.project.resolve import decide
from generator.project.schema import suggest


@dataclass(frozen=True)
class Wave:
    """An app's sync wave and where it came from."""

    value: int
    explicit: bool
    #: The ``wave`` key when explicit, else the app.
    where: Location
    #: For a computed wave: the dependency with the largest wave (None when there is none).
    via: str | None = None
    via_wave: int = 0

    def origin(self) -> str:
        """``explicit at catalog/x.yaml:12`` or ``computed: one more than "a" (wave 1)``."""
        if self.explicit:
            return f"explicit at {self.where}"
        if self.via is None:
            return "computed: no dependencies"
        return f'computed: one more than "{self.via}" (wave {self.via_wave})'


def compute_waves(apps: Mapping[str, App]) -> dict[str, Wave]:
    """The wave of every app in ``apps``. Unknown dependencies are skipped and a cycle is cut
    where it closes, so this never fails; :func:`graph_problems` reports both."""
    waves: dict[str, Wave] = {}
    visiting: set[str] = set()

    def wave_of(name: str) -> Wave | None:
        if name in waves:
            return waves[name]
        if name in visiting or name not in apps:
            return None
        app = apps[name]
        visiting.add(name)
        deps = [(dep, wave_of(dep)) for dep in app.depends_on]
        visiting.discard(name)
        if app.wave is not None:
            result = Wave(app.wave, True, app.where_of("wave"))
        else:
            known = [(dep, w) for dep, w in deps if w is not None]
            if known:
                via, top = max(known, key=lambda item: item[1].value)
                result = Wave(top.value + 1, False, app.where, via, top.value)
            else:
                result = Wave(0, False, app.where)
        waves[name] = result
        return result

    for name in apps:
        wave_of(name)
    return waves


def _components(apps: Mapping[str, App]) -> list[set[str]]:
    """The strongly connected components of the ``dependsOn`` graph (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for dep in apps[name].depends_on:
            if dep not in apps:
                continue
            if dep not in index:
                connect(dep)
                low[name] = min(low[name], low[dep])
            elif dep in on_stack:
                low[name] = min(low[name], index[dep])
        if low[name] == index[name]:
            component: set[str] = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == name:
                    break
            components.append(component)

    for name in sorted(apps):
        if name not in index:
            connect(name)
    return components


def _shortest_cycle(apps: Mapping[str, App], component: set[str]) -> list[str]:
    """The shortest way from a component's alphabetically first app back to itself
    (breadth-first within the component): ``["a", "b", "a"]``."""
    start = min(component)
    previous: dict[str, str] = {}
    queue = [start]
    while start not in previous:
        current = queue.pop(0)
        for dep in apps[current].depends_on:
            if dep == start:
                previous[start] = current
                break
            if dep in component and dep not in previous:
                previous[dep] = current
                queue.append(dep)
    path = [start]
    node = previous[start]
    while node != start:
        path.append(node)
        node = previous[node]
    return [start, *reversed(path[1:]), start]


def _cycles(apps: Mapping[str, App]) -> list[list[str]]:
    """One cycle per strongly connected component that has one, each starting at its
    alphabetically first app: ``["a", "b", "a"]``."""
    cycles = [
        _shortest_cycle(apps, component)
        for component in _components(apps)
        if len(component) > 1 or min(component) in apps[min(component)].depends_on
    ]
    return sorted(cycles)


def dependency_location(app: App, dep: str) -> Location:
    """Where ``app`` lists ``dep`` in its ``dependsOn``."""
    index = app.depends_on.index(dep)
    return app.fields.get(f"dependsOn[{index}]", app.where_of("dependsOn"))


def _unknown_dependencies(
    apps: Mapping[str, App], groups: Mapping[str, Group] | None
) -> list[Problem]:
    """A ``dependsOn`` naming no app (a group's name says to depend on one of its apps)."""
    problems: list[Problem] = []
    group_apps = {g.name: [a.name for a in g.apps] for g in (groups or {}).values()}
    for app in apps.values():
        for dep in app.depends_on:
            if dep in apps:
                continue
            message = f'unknown app "{dep}"'
            if dep in group_apps:
                message += (
                    f'; "{dep}" is a group: depend on one of its apps '
                    f"({', '.join(group_apps[dep])}) or list it in the group's requires"
                )
            else:
                message += suggest(dep, list(apps))
            problems.append(dependency_location(app, dep).problem(message, id="unknown-app"))
    return problems


def _cycle_problem(apps: Mapping[str, App], cycle: list[str]) -> Problem:
    """A cycle, reported at an edge an environment's override wrote, if any (it closed the
    cycle), else at the first app's."""
    ring = cycle[:-1]
    ranks = []
    for i, name in enumerate(ring):
        written = dependency_location(apps[name], ring[(i + 1) % len(ring)])
        ranks.append((written.file == apps[name].where.file, name, i))
    start = min(ranks)[2]
    cycle = [*ring[start:], *ring[:start], ring[start]]
    first = apps[cycle[0]]
    if len(cycle) == 2:
        message = f'app "{first.name}" depends on itself'
    else:
        message = "dependency cycle: " + " -> ".join(cycle)
    return dependency_location(first, cycle[1]).problem(message, id="dependency-cycle")


def _wave_order(apps: Mapping[str, App], cyclic: set[str]) -> list[Problem]:
    """An explicit wave not greater than a dependency's (except within a cycle: the cycle is
    the problem)."""
    problems: list[Problem] = []
    waves = compute_waves(apps)
    for app in apps.values():
        if app.wave is None:
            continue
        for dep in app.depends_on:
            theirs = waves.get(dep)
            if theirs is None or theirs.value < app.wave:
                continue
            if app.name in cyclic and dep in cyclic:
                continue
            how = (
                f"explicit at {theirs.where}"
                if theirs.explicit
                else f"computed at {apps[dep].where}"
            )
            problems.append(
                app.where_of("wave").problem(
                    f'app "{app.name}" has wave {app.wave}, but it depends on "{dep}", whose wave '
                    f"is {theirs.value} ({how}); a wave must be greater than each dependency's: "
                    f'make it at least {theirs.value + 1} or drop "wave" to compute it',
                    id="wave-order",
                )
            )
    return problems


def graph_problems(
    apps: Mapping[str, App],
    groups: Mapping[str, Group] | None = None,
    catalog_complete: bool = True,
) -> list[Problem]:
    """Unknown dependencies, cycles and explicit waves not after their dependencies."""
    problems = _unknown_dependencies(apps, groups) if catalog_complete else []
    cycles = _cycles(apps)
    problems += [_cycle_problem(apps, cycle) for cycle in cycles]
    problems += _wave_order(apps, {name for cycle in cycles for name in cycle})
    return problems


def app_waves(project: Project, env: str) -> dict[str, Wave]:
    """The wave of every app of the catalog as environment ``env`` sees it.

    Computed once per set of groups (kept in ``project.derived``): environments without
    overrides or settings share the catalog's groups, and their waves."""
    groups = project.groups_for(env)
    key = ("waves", id(groups))
    found = project.derived.get(key)
    if found is None or found[0] is not groups:  # the entry holds groups: its id is not reused
        found = project.derived[key] = (groups, compute_waves(project.apps_for(env)))
    return dict(found[1])


def group_of(groups: Mapping[str, Group]) -> dict[str, Group]:
    """Each app's group, by app name."""
    return {app.name: group for group in groups.values() for app in group.apps}


def dependants(apps: Mapping[str, App], name: str) -> list[str]:
    """The apps that list ``name`` in their ``dependsOn``, sorted."""
    return sorted(app.name for app in apps.values() if name in app.depends_on)


def group_dependencies(group: Group, groups: Mapping[str, Group]) -> dict[str, list[str]]:
    """The groups ``group`` depends on, each with the reasons (``requires``, ``wants``,
    ``a -> b``)."""
    owner = group_of(groups)
    found: dict[str, list[str]] = {}
    for needed in group.requires:
        found.setdefault(needed, []).append("requires")
    for want in group.wants:
        found.setdefault(want.group, []).append("wants")
    for app in group.apps:
        for dep in app.depends_on:
            other = owner.get(dep)
            if other is not None and other.name != group.name:
                found.setdefault(other.name, []).append(f"{app.name} -> {dep}")
    return found


def _environment_problems(project: Project) -> Iterable[Problem]:
    for env in project.config.environments.values():
        groups = project.groups_for(env.name)
        owner = group_of(groups)
        decisions = {d.group.name: d for d in decide(project, env)}
        for decision in decisions.values():
            if not decision.enabled:
                continue
            group = groups[decision.group.name]
            for app in group.apps:
                for dep in app.depends_on:
                    other = owner.get(dep)
                    if other is None or other.name in group.requires:
                        continue  # unknown (reported above) or already checked by requires
                    theirs = decisions.get(other.name)
                    if theirs is None or theirs.enabled:
                        continue
                    yield dependency_location(app, dep).problem(
                        f'environment "{env.name}": app "{app.name}" depends on "{dep}" of group '
                        f'"{other.name}", which is off ({theirs.why} at {theirs.where})',
                        id="dependency-off",
                    )


def dependency_problems(project: Project, catalog_complete: bool = True) -> list[Problem]:
    """Every dependency problem of ``project``, for the catalog and each environment's
    overridden apps. The per-profile warnings are not among them: they concern a profile, and
    ``gen plan --profile`` and ``gen explain`` report them (:func:`profile_dependency_warnings`)."""

    def problems_of(groups: Mapping[str, Group]) -> set[Problem]:
        apps = {app.name: app for group in groups.values() for app in group.apps}
        return set(graph_problems(apps, groups, catalog_complete))

    found = problems_of(project.groups)
    for env, groups in project.env_groups.items():
        for problem in problems_of(groups) - found:
            if not problem.key.startswith(f"environments.{env}."):
                # Caused by the environment's overrides, though located in the catalog.
                message = f'environment "{env}": {problem.message}'
                problem = dataclasses.replace(problem, message=message)
            found.add(problem)
    if any(p.severity == "error" for p in found):
        return sorted(found)
    found.update(_environment_problems(project))
    return sorted(found)
