"""Application objects as read from the cluster (generator/ops/argo.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kubectl_fake import application, resource

from generator.core.model import Config, Destination, Environment, Location
from generator.ops.argo import argocd_context, live_app

HERE = Location("config.yaml")


def env(name: str, destination: Destination, context: str | None) -> Environment:
    return Environment(name, destination, "HEAD", {}, HERE, kube_context=context)


def test_live_app_and_deployed() -> None:
    never_synced = application(
        "model", sync="OutOfSync", health="Missing",
        resources=[resource("Deployment", "model", "models", group="apps", health="Missing")],
    )  # fmt: skip
    live = live_app(never_synced)
    assert (live.name, live.sync, live.health, live.deployed) == (
        "model",
        "OutOfSync",
        "Missing",
        False,
    )
    assert live.resource("apps", "Deployment", "models", "model") is not None
    assert live.resource("", "Deployment", "models", "model") is None
    # A resource without a health check (a ConfigMap) that exists counts as deployed.
    synced = application("model", resources=[resource("ConfigMap", "c", "models", health=None)])
    assert live_app(synced).deployed
    # No status at all yet (just created): nothing deployed, Unknown.
    bare = live_app({"metadata": {"name": "x"}})
    assert (bare.sync, bare.health, bare.deployed) == ("Unknown", "Unknown", False)


def test_argocd_context() -> None:
    config = Config("r", "HEAD", "argocd", "rendered", ".", {}, {}, HERE)
    local = env("dev", Destination(server="https://kubernetes.default.svc"), "dev-ctx")
    named_local = env("dev", Destination(name="in-cluster"), "dev-ctx")
    remote = env("prod", Destination(name="prod"), "prod-ctx")
    assert argocd_context(config, local) == "dev-ctx"
    assert argocd_context(config, named_local) == "dev-ctx"
    assert argocd_context(config, remote) is None  # Argo CD is not on prod's cluster
    hub = dataclasses.replace(config, argocd_context="hub")
    assert argocd_context(hub, local) == argocd_context(hub, remote) == "hub"


def test_the_fake_clusters_applications_match_the_official_crd(argo_crds_dir: Path) -> None:
    """The Application objects the tests' recording kubectl answers with (status included) are
    ones Argo CD 3.6's own CRD accepts: the doctor is tested against real shapes."""
    from ops_cluster import cluster

    from generator.validation.crd import load_crd_schemas

    crds = load_crd_schemas(argo_crds_dir)
    persisted = application(
        "model", health="Degraded", message="Deployment model: 0/2 ready",
        resources=[resource("Deployment", "model", "models", group="apps", health="Degraded")],
    )  # fmt: skip
    problems = [
        problem
        for index, app in enumerate([*cluster(), persisted])
        for problem in crds.validate(app, file=f"application[{index}]")
    ]
    assert problems == []
