"""Synthetic stagegen repositories for the benchmark: realistic apps at a chosen scale.

``small`` is the embedded default (copied); the others are generated: groups of 10 apps over the
default's six layers, with Helm values, ignoreDifferences and manual apps. ``medium`` is 1
environment x 1,000 Applications (the size of the Kapitan comparison), ``large`` 10 environments x
1,000 Applications; ``tiny`` (2 x 60) is for the harness's own tests.

Standard library only: the harness runs under whatever ``python`` the reader has.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LAYERS = ["platform", "serving", "routing", "llm-gateway", "experience", "demos"]


@dataclass(frozen=True)
class Size:
    """A benchmark size: how many groups, apps per group and environments."""

    name: str
    groups: int
    apps: int
    environments: int

    @property
    def synthetic(self) -> bool:
        """False for ``small``, the repository's own default copied as is."""
        return self.groups > 0


SIZES = {
    "small": Size("small", 0, 0, 0),  # the embedded default, copied as is
    "tiny": Size("tiny", 6, 10, 2),
    "medium": Size("medium", 100, 10, 1),
    "large": Size("large", 100, 10, 10),
}


REPO_URL = "https://git.example.com/platform/gitops.git"


def environment(e: int) -> str:
    """The name of environment ``e``."""
    return f"env-{e:02d}"


def cluster(e: int) -> str:
    """The destination cluster (by name) of environment ``e``."""
    return f"cluster-{e:02d}"


def revision(e: int) -> str:
    """The revision environment ``e`` pins for in-repository paths."""
    return f"v1.{e}.0"


def layer(g: int) -> str:
    """The layer group ``g`` belongs to."""
    return LAYERS[g % len(LAYERS)]


def _config(size: Size) -> str:
    lines = [
        f"repoURL: {REPO_URL}",
        "targetRevision: HEAD",
        "features:",
    ]
    lines += [f"  feature-{g:03d}: true" for g in range(size.groups)]
    lines.append("environments:")
    for e in range(size.environments):
        lines += [
            f"  {environment(e)}:",
            "    destination:",
            f"      name: {cluster(e)}",
            f"    targetRevision: {revision(e)}",
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


def app_name(g: int, a: int) -> str:
    """The name of app ``a`` of group ``g``."""
    return f"app-{g:03d}-{a:02d}"


def is_manual(a: int) -> bool:
    """The last app of every group is a manual-sync (cost-gated) app."""
    return a == 9


def helm_source(g: int, a: int) -> dict[str, Any]:
    """The Helm source of an odd-numbered app: chart, version and values."""
    name = app_name(g, a)
    return {
        "repoURL": "https://charts.example.com",
        "chart": f"chart-{a}",
        "targetRevision": f"1.{a}.{g % 7}",
        "releaseName": name,
        "replicaCount": 1 + a % 3,
        "image": f"registry.example.com/{name}",
        "tag": f"v{g}.{a}",
        "cpu": "500m",
        "memory": "512Mi",
        "host": f"{name}.example.com",
    }


def app_path(g: int, a: int) -> str:
    """The in-repository path of an even-numbered app."""
    return f"apps/group-{g:03d}/{app_name(g, a)}"


def namespace(g: int) -> str:
    """The namespace every app of group ``g`` deploys to."""
    return f"ns-{g:03d}"


MANUAL_REASON = "GPU cost; scaled by hand"


def _app(g: int, a: int) -> str:
    name = app_name(g, a)
    lines = [f"  - name: {name}", f"    namespace: {namespace(g)}", f"    wave: {a % 4}"]
    if a % 2:
        h = helm_source(g, a)
        lines += [
            "    source:",
            f"      repoURL: {h['repoURL']}",
            f"      chart: {h['chart']}",
            f'      targetRevision: "{h["targetRevision"]}"',
            "      helm:",
            f"        releaseName: {h['releaseName']}",
            "        valuesObject:",
            f"          replicaCount: {h['replicaCount']}",
            "          image:",
            f"            repository: {h['image']}",
            f'            tag: "{h["tag"]}"',
            "          resources:",
            f"            limits: {{cpu: {h['cpu']}, memory: {h['memory']}}}",
            "          ingress:",
            "            enabled: true",
            f"            hosts: [{h['host']}]",
        ]
    else:
        lines += ["    source:", f"      path: {app_path(g, a)}"]
    lines += ["    syncOptions: [CreateNamespace=true]"]
    if is_manual(a):
        lines += [
            "    sync: manual",
            f"    reason: {MANUAL_REASON}",
            "    ignoreDifferences:",
            "      - group: apps",
            "        kind: Deployment",
            "        jsonPointers: [/spec/replicas]",
        ]
    return "\n".join(lines)


def _group(size: Size, g: int) -> str:
    head = [
        f"name: group-{g:03d}",
        f"layer: {layer(g)}",
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
    if not size.synthetic:
        shutil.copy2(default_root / "config.yaml", target / "config.yaml")
        shutil.copytree(default_root / "catalog", target / "catalog")
        return target
    (target / "catalog").mkdir()
    (target / "config.yaml").write_text(_config(size))
    (target / "catalog" / "layers.yaml").write_text(_layers())
    for g in range(size.groups):
        folder = target / "catalog" / layer(g)
        folder.mkdir(exist_ok=True)
        (folder / f"group-{g:03d}.yaml").write_text(_group(size, g))
    return target


@dataclass(frozen=True)
class Edit:
    """An everyday edit: one text substitution in one input file, applied to its original text
    (so each edit is one change away from the rendered baseline)."""

    path: str  # relative to the repository
    old: str
    new: str
    count: int = 1  # occurrences to replace; -1 for all

    def apply(self, original: str) -> str:
        """The file's text after the edit; ``original`` must contain ``old``."""
        if self.old not in original:
            raise ValueError(f"{self.path}: {self.old!r} not found; the synthetic inputs changed")
        return original.replace(self.old, self.new, self.count)


# Flags of the default repository whose flip is valid on its own (no `requires:` breaks), each
# as (old, new) text in config.yaml: two global flags and three per-environment overrides.
_DEFAULT_FLAG_FLIPS = [
    ("  tenants: true", "  tenants: false"),
    ("  open-webui: true", "  open-webui: false"),
    ("      n8n: false\n      demos: false", "      n8n: true\n      demos: false"),
    ("      n8n: false\n      demos: false", "      n8n: false\n      demos: true"),
    ("      n8n: true\n      demos: true", "      n8n: false\n      demos: true"),
]


def flag_flip(size: Size, run: int) -> Edit:
    """Flip one feature flag in config.yaml; a different flag for each run, so that no timed run
    sees inputs an earlier one has seen (a cache may not make a repeated state look cheap)."""
    if not size.synthetic:
        old, new = _DEFAULT_FLAG_FLIPS[run % len(_DEFAULT_FLAG_FLIPS)]
        return Edit("config.yaml", old, new)
    flag = f"feature-{1 + run % (size.groups - 1):03d}"
    return Edit("config.yaml", f"  {flag}: true", f"  {flag}: false")


def group_edit(size: Size, run: int) -> Edit:
    """Edit one group file so that every app of the group changes (its namespace)."""
    if not size.synthetic:
        path = "catalog/platform/observability.yaml"
        return Edit(path, "namespace: monitoring", f"namespace: monitoring-e{run}", -1)
    g = 2
    path = f"catalog/{layer(g)}/group-{g:03d}.yaml"
    return Edit(path, f"namespace: {namespace(g)}", f"namespace: {namespace(g)}-e{run}", -1)


def app_change(size: Size, run: int) -> Edit:
    """Change one field of one app (its namespace), as an everyday edit would."""
    if not size.synthetic:
        path = "catalog/serving/vllm.yaml"
        return Edit(path, "namespace: vllm", f"namespace: vllm-a{run}")
    g = 1
    path = f"catalog/{layer(g)}/group-{g:03d}.yaml"
    return Edit(path, f"namespace: {namespace(g)}", f"namespace: {namespace(g)}-a{run}")
