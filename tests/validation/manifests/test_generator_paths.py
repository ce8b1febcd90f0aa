"""ApplicationSet git generators whose paths match nothing (generator/validation/manifests/
generators.py): with --repo-root, a directories or files path that matches nothing is a warning
(the ApplicationSet would silently generate no Application), with a near-miss suggestion (for
a glob, of its folder; for a plain path, of the path); paths
that match, exclude entries and templated paths are not reported; without the flag, nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import gen_outcome

URL = "https://github.com/example-org/platform.git"

APPSET = f"""\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: layers
  namespace: argocd
spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          - git:
              repoURL: {URL}
              revision: HEAD
              directories:
                - path: apps/*
                - path: aps/*
                - path: apps/legacy
                  exclude: true
          - git:
              repoURL: {URL}
              revision: HEAD
              files:
                - path: config/**/config.json
                - path: config/*/settings.json
                - path: "{{{{.cluster}}}}/config.json"
                - path: config/prod/confg.json
  template:
    metadata:
      name: "{{{{.path.basename}}}}"
    spec:
      project: default
      source:
        repoURL: {URL}
        targetRevision: HEAD
        path: "{{{{.path.path}}}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: "{{{{.path.basename}}}}"
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "platform"
    for rel in ("apps/web/kustomization.yaml", "apps/api/deploy.yaml", "config/prod/config.json"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("{}\n")
    (root / "appsets").mkdir()
    (root / "appsets" / "layers.yaml").write_text(APPSET)
    return root


def test_paths_that_match_nothing_are_warnings_with_a_suggestion(repo: Path) -> None:
    code, out, err = gen_outcome(None, "validate", str(repo / "appsets"), "--repo-root", str(repo))
    assert (code, out) == (0, "1 file(s) valid\n")
    shown = str(repo)
    assert err.splitlines() == [
        f"{shown}/appsets/layers.yaml:16:19: warning: spec.generators[0].matrix.generators[0]"
        f'.git.directories[1].path: directories path "aps/*" matches no folder in {URL} '
        f"(checked in {shown}): the ApplicationSet generates no Application from it "
        '(did you mean "apps/*"?) [generator-matches-nothing]',
        f"{shown}/appsets/layers.yaml:24:19: warning: spec.generators[0].matrix.generators[1]"
        f'.git.files[1].path: files path "config/*/settings.json" matches no file in {URL} '
        f"(checked in {shown}): the ApplicationSet generates no Application from it "
        "[generator-matches-nothing]",
        f"{shown}/appsets/layers.yaml:26:19: warning: spec.generators[0].matrix.generators[1]"
        f'.git.files[3].path: files path "config/prod/confg.json" matches no file in {URL} '
        f"(checked in {shown}): the ApplicationSet generates no Application from it "
        '(did you mean "config/prod/config.json"?) [generator-matches-nothing]',
    ]
    code, _, _ = gen_outcome(
        None, "validate", str(repo / "appsets"), "--repo-root", str(repo), "--strict"
    )
    assert code == 2


def test_without_a_checkout_nothing_is_reported(repo: Path) -> None:
    assert gen_outcome(None, "validate", str(repo / "appsets")) == (0, "1 file(s) valid\n", "")
