"""Projects are the owner's: a catalog AppProject named like a layer is that layer's project.

The reference repository (the seed document's) keeps one AppProject, ``platform``, for every
layer, and ``gen init --layers seed`` names the first layer ``platform`` too: adopting it must
not trip over the shared name.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml
from conftest import gen_in as _gen

URL = "https://github.com/example-org/gitops.git"

PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: platform
  namespace: argocd
spec:
  description: one project for every layer
  sourceRepos:
    - https://github.com/example-org/gitops.git
    - https://charts.jetstack.io
  destinations:
    - server: https://kubernetes.default.svc
      namespace: "*"
  clusterResourceWhitelist:
    - group: "*"
      kind: "*"
"""

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cert-manager
  namespace: argocd
spec:
  project: platform
  source:
    repoURL: https://charts.jetstack.io
    chart: cert-manager
    targetRevision: v1.15.0
  destination:
    server: https://kubernetes.default.svc
    namespace: cert-manager
  syncPolicy:
    automated: {prune: true, selfHeal: true}
"""


def _src(tmp_path: Path) -> Path:
    src = tmp_path / "platform-core"
    (src / "projects").mkdir(parents=True)
    (src / "projects" / "platform.yaml").write_text(textwrap.dedent(PROJECT))
    (src / "cert-manager.yaml").write_text(textwrap.dedent(APP))
    return src


def _docs(path: Path) -> list[dict[str, object]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def test_init_seed_then_import_a_project_named_like_the_first_layer(tmp_path: Path) -> None:
    """Reproduces the failure the issue reports ("rename one of them"), then what happens
    instead: the owner's project is the platform layer's AppProject, rendered as written."""
    init = _gen("init", "repo", "--repo-url", URL, "--layers", "seed", cwd=tmp_path)
    assert init.exit_code == 0, init.output
    root = tmp_path / "repo"
    imported = _gen("import", str(_src(tmp_path)), cwd=root)
    assert imported.exit_code == 0, imported.output
    assert "rename one of them" not in imported.output
    rendered = _gen("render", cwd=root)
    assert rendered.exit_code == 0, rendered.output
    # Least privilege is the owner's: its wildcards are warnings, not a refusal, and the import
    # accepted them as the owner's choice (listed by gen validate --show-accepted).
    assert "warning" not in rendered.output
    shown = _gen("validate", "--show-accepted", cwd=root)
    assert shown.exit_code == 0, shown.output
    assert (
        "rendered/dev/layers/platform/appproject-platform.yaml:14:7: warning: "
        'spec.destinations[0]: wildcard namespace "*" allows more destinations than the apps use'
    ) in shown.output
    assert (
        "rendered/dev/layers/platform/appproject-platform.yaml:17:7: warning: "
        'spec.clusterResourceWhitelist[0]: wildcard group "*", kind "*" allows every matching '
        "cluster-scoped kind"
    ) in shown.output

    layer = root / "rendered" / "dev" / "layers" / "platform"
    assert sorted(p.name for p in layer.iterdir()) == [
        "applicationset.yaml",
        "appproject-platform.yaml",
        "kustomization.yaml",
    ]
    [kustomization] = _docs(layer / "kustomization.yaml")
    assert kustomization["resources"] == ["appproject-platform.yaml", "applicationset.yaml"]
    [appset] = _docs(layer / "applicationset.yaml")
    assert appset["spec"]["template"]["spec"]["project"] == "platform"  # type: ignore[index]
    # The other layers keep their generated, least-privilege AppProjects.
    assert (root / "rendered" / "dev" / "layers" / "serving" / "appproject.yaml").is_file()
    assert _gen("check", cwd=root).exit_code == 0
