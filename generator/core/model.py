"""The typed model: what config.yaml and the catalog say, each part remembering file:line.

Everything downstream (resolution, rendering, plans, explanations) works on these values and
never re-reads YAML. Values are immutable; source dictionaries (Argo's own ``source`` and
``ignoreDifferences`` shapes) are kept as plain data, as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.core.constants import GROUP_APP_PREFIX
from generator.core.errors import Problem
from generator.core.findings.acceptance import Acceptance as Acceptance
from generator.core.findings.acceptance import Accepted as Accepted
from generator.core.location import DocPath as DocPath
from generator.core.location import Location as Location
from generator.core.location import Positions as Positions
from generator.core.location import nearest as nearest
from generator.core.setting_types import SettingDeclaration as SettingDeclaration
from generator.core.setting_types import SettingScalar as SettingScalar
from generator.core.setting_types import SettingType as SettingType
from generator.core.setting_types import SettingValue as SettingValue
from generator.core.setting_types import Want as Want
from generator.core.setting_types import format_setting as format_setting

SyncMode = Literal["auto", "manual"]
#: What a cost action does live: scale an object's replicas, or pause it with an annotation.
CostActionKind = Literal["scale", "pause"]


@dataclass(frozen=True)
class Setting:
    """A feature flag value and the place that set it (``features.kserve`` in config.yaml:12)."""

    value: bool
    key: str
    where: Location


@dataclass(frozen=True)
class Destination:
    """An Argo CD destination cluster: by API server URL or by registered cluster name."""

    server: str | None = None
    name: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The Argo CD ``destination`` fields (without namespace)."""
        return {"server": self.server} if self.server is not None else {"name": str(self.name)}


@dataclass(frozen=True)
class Environment:
    """One target environment: its destination cluster, revision and feature overrides."""

    name: str
    destination: Destination
    target_revision: str
    features: Mapping[str, Setting]
    where: Location
    #: ``environments.<env>.apps``: per-app field overrides as written (project/overrides.py).
    app_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: ``environments.<env>.namePrefix``: keeps object names apart when one Argo CD manages
    #: several environments (Applications, AppProjects and ApplicationSets share its namespace).
    name_prefix: str = ""
    #: ``environments.<env>.settings``: this environment's setting values, by name.
    setting_values: Mapping[str, SettingValue] = field(default_factory=dict)
    #: The environment's root Application (and its bootstrap AppProject): ``rootName`` of the
    #: environment as written, else the namePrefix + the global ``rootName`` (default "root").
    root_name: str = "root"

    def object_name(self, name: str) -> str:
        """The Argo CD object name of an app, layer or group app in this environment."""
        return self.name_prefix + name

    #: ``environments.<env>.kubeContext``: the kubectl context of this environment's
    #: destination cluster, for the operator verbs (``gen up/down/doctor``); None: the current.
    kube_context: str | None = None


@dataclass(frozen=True)
class Config:
    """config.yaml: the knobs a platform team edits."""

    repo_url: str
    target_revision: str
    argocd_namespace: str
    rendered_dir: str
    repo_path: str
    features: Mapping[str, Setting]
    environments: Mapping[str, Environment]
    where: Location
    #: AppProjects Argo CD already has that this repository does not define (config.yaml
    #: ``externalProjects``); apps may name them. Argo's built-in ``default`` always counts.
    external_projects: tuple[str, ...] = ()
    #: Where every key and item of config.yaml is written (``("environments", "prod")``...).
    positions: Positions = field(default_factory=dict, compare=False, repr=False)
    #: ``settings``: setting values for every environment (an environment's own win), by name.
    setting_values: Mapping[str, SettingValue] = field(default_factory=dict)
    #: ``rootName``: the root Application's name before an environment's namePrefix.
    root_name: str = "root"

    def locate(self, *path: str | int) -> Location:
        """Where ``path`` (or its nearest located ancestor) is written in config.yaml."""
        return nearest(self.positions, path, self.where)

    #: ``argocdContext``: the kubectl context of the cluster Argo CD runs in, where the
    #: operator verbs read Application objects (None: see generator/ops/contexts.py).
    argocd_context: str | None = None


@dataclass(frozen=True)
class SmokeCheck:
    """One smoke check (``smoke:`` of a profile or a group): a command run on the operator's
    machine after ``gen doctor``; it passes when it exits 0 within ``timeout`` seconds.
    ``${VAR}`` (or ``${VAR:-default}``) in ``run`` is taken from the environment at run time,
    so secrets never live in the catalog. ``stdin`` (placeholders filled the same way) is given
    to the command on its standard input: a secret there is not in any process's argv."""

    name: str
    run: tuple[str, ...]
    timeout: int
    where: Location
    description: str = ""
    stdin: str = ""


#: The placeholders of the ``appOfApps`` name patterns (the generator's own, not Jinja).
LAYER_PLACEHOLDER = "{layer}"
GROUP_PLACEHOLDER = "{group}"


@dataclass(frozen=True)
class AppOfApps:
    """How one layer's ApplicationSet and its per-group app-of-apps Applications are written:
    catalog/layers.yaml ``appOfApps`` (for every layer, then per layer, key by key). The
    defaults reproduce the generator's own output."""

    #: The ApplicationSet's name: ``{layer}`` is the layer.
    name: str = LAYER_PLACEHOLDER
    #: Each group's app-of-apps Application: ``{group}`` the group, ``{layer}`` its layer.
    app_name: str = GROUP_APP_PREFIX + GROUP_PLACEHOLDER
    #: The AppProject of the layer's group apps, and of its apps that name none (None: a
    #: catalog AppProject named like the layer, else the layer's generated one).
    project: str | None = None
    #: Added to the group apps' ``syncPolicy.syncOptions`` (``ServerSideApply=true``).
    sync_options: tuple[str, ...] = ()
    #: The group apps' ``source.directory`` (``recurse``, ``include``, ``exclude``).
    directory: Mapping[str, Any] | None = None
    #: Where each key was set (``name``, ``syncOptions[0]``...), with its key path.
    fields: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def appset_name(self, layer: str) -> str:
        """The ApplicationSet's name for ``layer`` (before an environment's namePrefix)."""
        return self.name.replace(LAYER_PLACEHOLDER, layer)

    def group_app_name(self, group: str, layer: str) -> str:
        """A group's app-of-apps name (before an environment's namePrefix)."""
        return self.app_name.replace(GROUP_PLACEHOLDER, group).replace(LAYER_PLACEHOLDER, layer)


@dataclass(frozen=True)
class Layers:
    """catalog/layers.yaml: the ordered layers and the additive profiles over them."""

    order: tuple[str, ...]
    profiles: Mapping[str, tuple[str, ...]]
    where: Location
    #: Where every key and item of layers.yaml is written (``("profiles", "serving")``...).
    positions: Positions = field(default_factory=dict, compare=False, repr=False)
    #: ``appOfApps`` per layer (global and per-layer keys merged); a layer left out has the
    #: defaults.
    app_of_apps: Mapping[str, AppOfApps] = field(default_factory=dict)

    def locate(self, *path: str | int) -> Location:
        """Where ``path`` (or its nearest located ancestor) is written in layers.yaml."""
        return nearest(self.positions, path, self.where)

    def index(self, layer: str) -> int:
        """Position of ``layer`` in bring-up order."""
        return self.order.index(layer)

    #: ``smoke:``: each profile's smoke checks, by profile name.
    smoke: Mapping[str, tuple[SmokeCheck, ...]] = field(default_factory=dict)

    def app_of_apps_for(self, layer: str) -> AppOfApps:
        """How ``layer``'s ApplicationSet and group apps are written."""
        return self.app_of_apps.get(layer) or AppOfApps()


@dataclass(frozen=True)
class CostAction:
    """A live action people take on one object of an app for cost (catalog ``costActions``).

    ``scale``: ``kubectl scale`` the object to ``up`` or ``down`` replicas. ``pause``: set the
    annotation ``annotation`` to "true" (down) or "false" (up). The generator derives the
    ignoreDifferences rule that keeps a sync from reverting it
    (generator/project/declarations/cost_actions.py).
    """

    action: CostActionKind
    #: The API group ("" for the core group), given or derived from a built-in kind.
    group: str
    kind: str
    name: str
    #: The object's namespace: as written, else the app's.
    namespace: str
    where: Location
    up: int = 0
    down: int = 0
    annotation: str = ""
    #: Whether ``namespace`` is written in the action itself (not taken from the app).
    namespace_written: bool = False

    @property
    def pointer(self) -> str:
        """The JSON pointer (RFC 6901) of the field the action changes."""
        if self.action == "scale":
            return "/spec/replicas"
        escaped = self.annotation.replace("~", "~0").replace("/", "~1")
        return f"/metadata/annotations/{escaped}"


@dataclass(frozen=True)
class App:
    """One workload Application of a group, with Argo's own fields kept as written.

    The short form (``sync``, ``syncOptions``, ``namespace``) gets the generator's defaults.
    The long-form fields, written by ``gen import`` or by hand, are emitted exactly as written
    and get no defaults: ``written`` holds the catalog keys the entry states, so that an
    explicitly empty value (``ignoreDifferences: []``) or an explicit ``null`` (``syncPolicy:
    null``, ``finalizers: null``: no such field in the Application) is told apart from a key
    left out.
    """

    name: str
    group: str
    namespace: str | None
    sources: tuple[Mapping[str, Any], ...]
    multi_source: bool
    sync: SyncMode
    reason: str | None
    wave: int | None
    sync_options: tuple[str, ...]
    ignore_differences: tuple[Mapping[str, Any], ...]
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    where: Location
    #: ``dependsOn``: apps (of any group) that must be brought up before this one.
    depends_on: tuple[str, ...] = ()
    #: Where each key of the app was written (``wave``, ``dependsOn[0]``...): the group file, or
    #: config.yaml for a key an environment overrides.
    fields: Mapping[str, Location] = field(default_factory=dict)

    #: The AppProject (None: the layer's generated project).
    project: str | None = None
    #: Argo's ``destination`` as written (``server`` or ``name``, maybe ``namespace``; None:
    #: the environment's cluster). The namespace, from either spelling, is also in ``namespace``.
    destination: Mapping[str, str] | None = None
    #: Argo's ``syncPolicy`` as written (used when "syncPolicy" is in ``written``).
    sync_policy: Mapping[str, Any] | None = None
    #: metadata.finalizers as written (used when "finalizers" is in ``written``).
    finalizers: tuple[str, ...] | None = None
    info: tuple[Mapping[str, str], ...] | None = None
    revision_history_limit: int | None = None
    #: Catalog keys this entry states (``syncPolicy``, ``finalizers``, ``annotations``...).
    written: frozenset[str] = frozenset()

    def where_of(self, key: str) -> Location:
        """Where ``key`` was written, or the app itself when it was not."""
        return self.fields.get(key, self.where)

    @property
    def long_sync(self) -> bool:
        """Whether the app states Argo's ``syncPolicy`` itself (no generator defaults)."""
        return "syncPolicy" in self.written

    #: Where every key and item of the app is written, by path relative to the app
    #: (``("source", "helm", "valuesObject")``; ``()`` is the app itself): finer than
    #: ``fields``. The group file, or config.yaml for what an environment overrides.
    positions: Positions = field(default_factory=dict, compare=False, repr=False)

    def locate(self, *path: str | int) -> Location:
        """Where ``path`` (relative to the app), or its nearest located ancestor, is written;
        the location's key names ``path`` (``apps[0].labels.tier``)."""
        return nearest(self.positions, path, self.where)

    def position(self, *path: str | int) -> Location | None:
        """Where exactly ``path`` (relative to the app) is written, or None if it is not."""
        return self.positions.get(tuple(path))

    #: The settings ``needs:`` names that are empty in this environment: the app is rendered
    #: dormant (without automated sync) until they are set
    #: (generator/project/settings/conditions.py).
    dormant: tuple[str, ...] = ()
    #: ``costActions``: what people do to the app live for cost, in the order written.
    cost_actions: tuple[CostAction, ...] = ()
    #: Argo CD's ``sourceHydrator`` as written (the third source form; ``sources`` is then
    #: empty). A drySource without repoURL is this repository (render/objects.py fills it in).
    hydrator: Mapping[str, Any] | None = None
    #: ``accept``: the warnings about this app its owner accepts (not printed again).
    accept: tuple[Acceptance, ...] = ()


@dataclass(frozen=True)
class CatalogProject:
    """An AppProject kept in ``catalog/projects/<name>.yaml``, rendered as written."""

    name: str
    layer: str
    manifest: Mapping[str, Any]
    where: Location
    #: ``accept``: the warnings about this AppProject its owner accepts.
    accept: tuple[Acceptance, ...] = ()


@dataclass(frozen=True)
class Group:
    """A catalog group: apps switched on and off together, living in one layer."""

    name: str
    layer: str
    description: str
    core: bool
    feature: str | None
    default: bool
    requires: tuple[str, ...]
    cluster_resources: tuple[Mapping[str, str], ...]
    apps: tuple[App, ...]
    where: Location
    #: Where each key of the group was written (``requires[1]``, ``feature``...).
    fields: Mapping[str, Location] = field(default_factory=dict)
    #: Where every key and item of the group file is written (``("requires", 0)``...).
    positions: Positions = field(default_factory=dict, compare=False, repr=False)
    #: ``when``: setting name -> the values that enable the group (any of them; every setting
    #: listed must match). Empty: no condition.
    when: Mapping[str, tuple[SettingScalar, ...]] = field(default_factory=dict)
    #: ``needs``: settings that must not be empty for the group to be live; while one is, the
    #: group is rendered dormant (its apps without automated sync) with a warning.
    needs: tuple[str, ...] = ()
    #: ``wants``: groups this one works best with; a warning (not an error) when one is off.
    wants: tuple[Want, ...] = ()

    def where_of(self, key: str) -> Location:
        """Where ``key`` was written, or the group's name when it was not."""
        return self.fields.get(key, self.where)

    def locate(self, *path: str | int) -> Location:
        """Where ``path`` (or its nearest located ancestor) is written in the group file."""
        return nearest(self.positions, path, self.where)

    #: ``smoke:``: the group's smoke checks, run by ``gen smoke`` when the group is enabled.
    smoke: tuple[SmokeCheck, ...] = ()
    #: ``accept``: the warnings about this group (and each of its apps) its owner accepts.
    accept: tuple[Acceptance, ...] = ()


@dataclass(frozen=True)
class Project:
    """Everything the generator reads, validated: the root, config.yaml and the catalog."""

    root: Path
    config: Config
    layers: Layers
    groups: Mapping[str, Group]
    warnings: tuple[Problem, ...] = ()
    #: Per environment with ``apps`` overrides: its groups, their apps overridden.
    env_groups: Mapping[str, Mapping[str, Group]] = field(default_factory=dict)
    #: AppProjects defined in ``catalog/projects/`` (imported or hand-written), by name.
    projects: Mapping[str, CatalogProject] = field(default_factory=dict)
    #: The typed settings declared in catalog/settings.yaml, by name (in declaration order).
    settings: Mapping[str, SettingDeclaration] = field(default_factory=dict)
    #: The input's warnings that an ``accept:`` entry accepts (left out of ``warnings``), each
    #: with the entry (generator/project/declarations/accepts.py).
    accepted: tuple[Accepted, ...] = ()
    #: What later stages derive from this (immutable) project and ask for many times in a run
    #: (each environment's decisions, each set of groups' waves), kept with the project so that it
    #: lives and dies with it: never shared between projects or runs, never copied by
    #: ``dataclasses.replace``.
    derived: dict[tuple[str, int], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def groups_for(self, env: str) -> Mapping[str, Group]:
        """The groups as ``env`` sees them: the catalog's, with that environment's overrides."""
        return self.env_groups.get(env, self.groups)

    def apps_for(self, env: str) -> dict[str, App]:
        """Every app of the catalog by name, as ``env`` sees it (enabled or not)."""
        return {app.name: app for group in self.groups_for(env).values() for app in group.apps}

    @property
    def rendered_path(self) -> Path:
        """The folder ``gen render`` writes (``rendered/`` unless config.yaml says otherwise)."""
        return self.root / self.config.rendered_dir
