"""Argo CD Application objects as the cluster reports them, read through kubectl.

Only the fields the operator verbs need: the sync and health status, and the resources the
Application manages (``status.resources``). Whether a managed resource exists is not always in
the object: Argo CD reports one that is not in the cluster with health ``Missing``, but since
Argo CD 3.0 per-resource health is no longer persisted by default
(``controller.resource.health.persist: false``, ``status.resourceHealthSource: appTree``), and
since 3.4 the Application is ``Missing`` only when all its resources are (argoproj/argo-cd#25962).
So the verbs read the objects their cost actions act on directly (generator/ops/actions.py), and
:attr:`LiveApp.deployed` falls back to the Application's own health only for apps without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.core.model import IN_CLUSTER_NAME, IN_CLUSTER_SERVER, Config, Environment

APPLICATIONS = "applications.argoproj.io"
MISSING = "Missing"
UNKNOWN = "Unknown"


def argocd_context(config: Config, env: Environment) -> str | None:
    """The kubectl context where ``env``'s Application objects live: ``argocdContext`` when
    config.yaml sets it; else, for an environment Argo CD deploys to in its own cluster
    (in-cluster destination), that environment's ``kubeContext``; else the current context."""
    if config.argocd_context:
        return config.argocd_context
    dest = env.destination
    if dest.server == IN_CLUSTER_SERVER or dest.name == IN_CLUSTER_NAME:
        return env.kube_context
    return None


def get_application_args(name: str, namespace: str) -> list[str]:
    """``get applications.argoproj.io NAME -n NS -o json``."""
    return ["get", APPLICATIONS, name, "-n", namespace, "-o", "json"]


def list_applications_args(namespace: str, selector: str) -> list[str]:
    """``get applications.argoproj.io -n NS -l SELECTOR -o json``."""
    return ["get", APPLICATIONS, "-n", namespace, "-l", selector, "-o", "json"]


def _mapping(data: Any, *path: str) -> Mapping[str, Any]:
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def _text(data: Any, *path: str) -> str:
    for key in path:
        data = data.get(key) if isinstance(data, Mapping) else None
    return str(data) if data not in (None, "") else ""


@dataclass(frozen=True)
class LiveResource:
    """One resource an Application manages (an entry of ``status.resources``)."""

    group: str
    kind: str
    namespace: str
    name: str
    #: Synced or OutOfSync.
    sync: str
    #: Healthy, Progressing, Degraded, Suspended, Missing...; empty: no health check for it.
    health: str

    @property
    def missing(self) -> bool | None:
        """Whether Argo CD says the resource is not in the cluster; None when it does not say
        (no per-resource health persisted)."""
        return self.health == MISSING if self.health else None


@dataclass(frozen=True)
class LiveApp:
    """An Application object as read from the cluster."""

    name: str
    sync: str
    health: str
    message: str
    resources: tuple[LiveResource, ...]
    labels: Mapping[str, str]

    @property
    def deployed(self) -> bool:
        """Whether anything it manages exists in the cluster: per resource where Argo CD
        persists resource health, else by the Application's health (Missing before any sync)."""
        known = [r.missing for r in self.resources if r.missing is not None]
        if known:
            return not all(known)
        return self.health not in (MISSING, UNKNOWN)

    def resource(self, group: str, kind: str, namespace: str, name: str) -> LiveResource | None:
        """The managed resource ``group/kind namespace/name``, if the Application lists it."""
        for resource in self.resources:
            if (resource.group, resource.kind, resource.name) == (group, kind, name) and (
                resource.namespace in ("", namespace)
            ):
                return resource
        return None


def live_app(data: Mapping[str, Any]) -> LiveApp:
    """An Application object (as ``kubectl get -o json`` prints it) in the terms above."""
    status = _mapping(data, "status")
    resources = []
    for entry in status.get("resources") or ():
        if isinstance(entry, Mapping):
            resources.append(
                LiveResource(
                    group=_text(entry, "group"),
                    kind=_text(entry, "kind"),
                    namespace=_text(entry, "namespace"),
                    name=_text(entry, "name"),
                    sync=_text(entry, "status"),
                    health=_text(entry, "health", "status"),
                )
            )
    message = _text(status, "health", "message") or _text(status, "operationState", "message")
    return LiveApp(
        name=_text(data, "metadata", "name"),
        sync=_text(status, "sync", "status") or UNKNOWN,
        health=_text(status, "health", "status") or UNKNOWN,
        message=message,
        resources=tuple(resources),
        labels={str(k): str(v) for k, v in (_mapping(data, "metadata", "labels")).items()},
    )
