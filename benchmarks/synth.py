"""Synthetic stagegen repositories for the benchmark: realistic apps at a chosen scale.

``small`` is the embedded default (copied); ``medium`` and ``large`` are generated: 100 groups
of 10 apps over the default's six layers, with Helm values, ignoreDifferences and manual apps,
in 2 or 10 environments.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

LAYERS = ["platform", "serving", "routing", "llm-gateway", "experience", "demos"]


@dataclass(frozen=True)
class Size:
    """A benchmark size: how many groups, apps per group and environments."""

    name: str
    groups: int
    apps: int
    environments: int


SIZES = {
    "small": Size("small", 0, 0, 0),  # the embedded default, copied as is
    "medium": Size("medium", 100, 10, 2),
    "large": Size("large", 100, 10, 10),
}


def _config(size: Size) -> str:
    lines = [
        "repoURL: https://git.example.com/platform/gitops.git",
        "targetRevision: HEAD",
        "features:",
    ]
    lines += [f"  feature-{g:03d}: true" for g in range(size.groups)]
    lines.append("environments:")
    for e in range(size.environments):
        lines += [
            f"  env-{e:02d}:",
            "    destination:",
            f"      name: cluster-{e:02d}",
            f"    targetRevision: v1.{e}.0",
            "    features:",
            f"      feature-{(e * 7) % size.groups:03d}: true  # an explicit override",
        ]
    return "\n".join(lines) + "\n"


def _layers() -> str:
    profiles = {
        "platform": LAYERS[:1],
        "serving": LAYERS[:2],
        "llm-gateway": LAYERS[:4],
        "full": LAYERS,
    }
    lines = ["layers: [" + ", ".join(LAYERS) + "]", "profiles:"]
    lines += [f"  {name}: [{', '.join(layers)}]" for name, layers in profiles.items()]
    return "\n".join(lines) + "\n"


def _app(g: int, a: int) -> str:
    name = f"app-{g:03d}-{a:02d}"
    manual = a == 9
    lines = [
        f"  - name: {name}",
        f"    namespace: ns-{g:03d}",
        f"    wave: {a % 4}",
    ]
    if a % 2:
        lines += [
            "    source:",
            "      repoURL: https://charts.example.com",
            f"      chart: chart-{a}",
            f'      targetRevision: "1.{a}.{g % 7}"',
            "      helm:",
            f"        releaseName: {name}",
            "        valuesObject:",
            f"          replicaCount: {1 + a % 3}",
            "          image:",
            f"            repository: registry.example.com/{name}",
            f'            tag: "v{g}.{a}"',
            "          resources:",
            "            limits: {cpu: 500m, memory: 512Mi}",
            "          ingress:",
            "            enabled: true",
            f"            hosts: [{name}.example.com]",
        ]
    else:
        lines += ["    source:", f"      path: apps/group-{g:03d}/{name}"]
    lines += ["    syncOptions: [CreateNamespace=true]"]
    if manual:
        lines += [
            "    sync: manual",
            "    reason: GPU cost; scaled by hand",
            "    ignoreDifferences:",
            "      - group: apps",
            "        kind: Deployment",
            "        jsonPointers: [/spec/replicas]",
        ]
    return "\n".join(lines)


def _group(size: Size, g: int) -> str:
    head = [
        f"name: group-{g:03d}",
        f"layer: {LAYERS[g % len(LAYERS)]}",
        f"description: Synthetic group {g} with {size.apps} apps.",
        f"feature: feature-{g:03d}",
        "default: true",
        "clusterResources:",
        '  - {group: "", kind: Namespace}',
        "apps:",
    ]
    return "\n".join(head + [_app(g, a) for a in range(size.apps)]) + "\n"


def make_repository(size: Size, target: Path, default_root: Path) -> Path:
    """Create a repository of ``size`` at ``target`` (inputs only; rendered/ empty)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if size.name == "small":
        shutil.copy2(default_root / "config.yaml", target / "config.yaml")
        shutil.copytree(default_root / "catalog", target / "catalog")
        return target
    (target / "catalog").mkdir()
    (target / "config.yaml").write_text(_config(size))
    (target / "catalog" / "layers.yaml").write_text(_layers())
    for g in range(size.groups):
        folder = target / "catalog" / LAYERS[g % len(LAYERS)]
        folder.mkdir(exist_ok=True)
        (folder / f"group-{g:03d}.yaml").write_text(_group(size, g))
    return target


def flip_feature(root: Path, size: Size) -> None:
    """Switch one feature flag (the first group's) in config.yaml."""
    config = root / "config.yaml"
    text = config.read_text()
    if size.name == "small":
        old, new = "      n8n: false\n      demos: false", "      n8n: false\n      demos: true"
    else:
        old, new = "  feature-001: true", "  feature-001: false"
    config.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))


def change_one_app(root: Path, size: Size) -> None:
    """Change one field of one app (a namespace), as an everyday edit would."""
    if size.name == "small":
        path = root / "catalog" / "serving" / "vllm.yaml"
        old, new = "namespace: vllm", "namespace: vllm2"
    else:
        path = root / "catalog" / LAYERS[1] / "group-001.yaml"
        old, new = "namespace: ns-001", "namespace: ns-001b"
    text = path.read_text()
    path.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1))
