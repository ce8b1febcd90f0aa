"""The cluster the operator-verb tests describe for tests/fixtures/ops (environment dev,
profile all), as Application objects for the recording kubectl (tests/kubectl_fake.py).
No API server runs in these tests; these objects are what a healthy one would answer."""

from __future__ import annotations

from typing import Any

from kubectl_fake import application, resource, root_application

LIST = (
    "kubectl get applications.argoproj.io -n argocd -l "
    "'stagegen.dev/env=dev,stagegen.dev/layer in (base,apps)' -o json"
)
ROOT_GET = "kubectl get applications.argoproj.io root -n argocd -o json"


def group_app(group: str, layer: str = "apps", **status: Any) -> dict[str, Any]:
    return application(f"group-{group}", layer=layer, group=group, role="group", **status)


def gated(name: str, kind: str, group: str, namespace: str) -> dict[str, Any]:
    """A manual app created but never synced: OutOfSync, Missing (its objects are not in the
    cluster, and Argo CD 3.x records no per-resource health)."""
    missing = resource(kind, name, namespace, group=group, status="OutOfSync")
    return application(
        name,
        layer="apps",
        group=name,
        sync_mode="manual",
        sync="OutOfSync",
        health="Missing",
        resources=[missing],
    )


def cluster(**replace: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The healthy cluster, with some Applications replaced (None: absent)."""
    apps: dict[str, dict[str, Any] | None] = {
        "root": root_application("all"),
        "group-core": group_app("core", layer="base"),
        "group-demo": group_app("demo"),
        "group-model": group_app("model"),
        "group-web": group_app("web"),
        "certs": application("certs"),
        "isvc": gated("isvc", "InferenceService", "serving.kserve.io", "demo"),
        "model": gated("model", "Deployment", "apps", "models"),
        "web": application("web", layer="apps", group="web"),
    }
    apps.update({k.replace("_", "-"): v for k, v in replace.items()})
    return [app for app in apps.values() if app is not None]
