"""Acceptance 2: kustomize overlays of Argo CD Applications (tests/fixtures/overlays): the
resources are whole objects, the patches partial ones, a patch must find its target; with
--kustomize, what `kubectl kustomize` builds is validated (a real kubectl, when installed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import gen_outcome

OVERLAYS = Path(__file__).parents[2] / "fixtures" / "overlays"
HAS_KUBECTL = shutil.which("kubectl") is not None


def gen(*args: str) -> tuple[int, str, str]:
    return gen_outcome(None, "validate", *args)


@pytest.fixture
def overlays(tmp_path: Path) -> Path:
    shutil.copytree(OVERLAYS, tmp_path / "overlays")
    return tmp_path / "overlays"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_overlay_layout_is_valid() -> None:
    assert gen(str(OVERLAYS)) == (0, "8 file(s) valid\n", "")


def test_a_typo_inside_a_patch_is_an_error_at_its_line(overlays: Path) -> None:
    patch = overlays / "clusters" / "staging" / "monitoring.yaml"
    _edit(patch, "    targetRevision: staging", "    targetRevison: staging")
    code, _, err = gen(str(overlays))
    assert code == 2
    assert err.splitlines() == [
        f'{patch}:9:5: spec.source.targetRevison: unknown field "targetRevison" (did you mean '
        '"targetRevision"?) [unknown-field]',
        "error: 1 problem in 8 file(s)",
    ]


def test_a_wrong_type_inside_a_patch_is_an_error(overlays: Path) -> None:
    patch = overlays / "clusters" / "production" / "destination.yaml"
    _edit(patch, "      prune: true", "      prune: yes please")
    code, _, err = gen(str(overlays))
    assert code == 2 and f"{patch}:22:7: spec.syncPolicy.automated.prune: must be a" in err


def test_a_patch_of_a_missing_application_is_an_error(overlays: Path) -> None:
    patch = overlays / "clusters" / "production" / "destination.yaml"
    _edit(patch, "  name: ingress-nginx", "  name: ingres-nginx")
    code, _, err = gen(str(overlays))
    assert code == 2
    assert err.splitlines()[0] == (
        f'{patch}:14:3: metadata.name: this patch targets Application "ingres-nginx" in '
        'namespace "argocd", which is not among the resources of '
        f'{overlays}/clusters/production/kustomization.yaml (did you mean "ingress-nginx"?) '
        "[patch-target-missing]"
    )


def test_a_patch_without_the_namespace_misses_like_kustomize(overlays: Path) -> None:
    patch = overlays / "clusters" / "staging" / "monitoring.yaml"
    _edit(patch, "  namespace: argocd\n", "")
    code, _, err = gen(str(overlays))
    assert code == 2
    assert 'Application "monitoring" is in namespace "argocd": add metadata.namespace' in err


def test_a_target_selector_that_matches_nothing_is_an_error(overlays: Path) -> None:
    kustomization = overlays / "clusters" / "staging" / "kustomization.yaml"
    _edit(kustomization, "name: ingress-nginx", "name: ingress")
    code, _, err = gen(str(overlays))
    assert code == 2
    assert f"{kustomization}:7:5: patches[1].target: the target {{group: argoproj.io, " in err


def test_a_json6902_operation_is_checked(overlays: Path) -> None:
    kustomization = overlays / "clusters" / "staging" / "kustomization.yaml"
    _edit(kustomization, "path: /spec/source/targetRevision", "path: spec/source/targetRevision")
    code, _, err = gen(str(overlays))
    assert code == 2 and "[json-pointer-syntax]" in err and "operation 0:" in err


def test_duplicates_only_within_what_is_applied_together(overlays: Path) -> None:
    # The same Application in two overlays is no duplicate; twice in one build it is.
    app = (overlays / "base" / "monitoring.yaml").read_text()
    for cluster in ("staging", "production"):
        (overlays / "clusters" / cluster / "extra.yaml").write_text(
            app.replace("name: monitoring", "name: extra")
        )
    assert gen(str(overlays))[0] == 0
    _edit(
        overlays / "clusters" / "staging" / "kustomization.yaml",
        "  - ../../base\n",
        "  - ../../base\n  - extra.yaml\n  - extra-copy.yaml\n",
    )
    (overlays / "clusters" / "staging" / "extra-copy.yaml").write_text(
        app.replace("name: monitoring", "name: extra")
    )
    code, _, err = gen(str(overlays))
    assert code == 0
    assert err.count("[duplicate-object]") == 1 and "extra-copy.yaml" in err


@pytest.mark.skipif(not HAS_KUBECTL, reason="kubectl is not installed")
def test_kustomize_builds_validate_clean() -> None:
    assert gen(str(OVERLAYS), "--kustomize") == (0, "8 file(s) valid\n", "")


@pytest.mark.skipif(not HAS_KUBECTL, reason="kubectl is not installed")
def test_kustomize_build_problems_are_located_in_the_sources(overlays: Path) -> None:
    patch = overlays / "clusters" / "staging" / "monitoring.yaml"
    _edit(patch, "    targetRevision: staging", "    targetRevison: staging")
    _edit(
        overlays / "clusters" / "production" / "destination.yaml",
        "  name: ingress-nginx",
        "  name: ingres-nginx",
    )
    code, _, err = gen(str(overlays), "--kustomize")
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(
        f"{overlays}/clusters/production/kustomization.yaml:1:1: kubectl kustomize failed: "
        "no matches for Id Application.v1alpha1.argoproj.io/ingres-nginx.argocd"
    )
    assert lines[0].endswith("[kustomize-build-failed]")
    assert lines[1].startswith(f"{patch}:9:5: spec.source.targetRevison: unknown field")


def test_kustomize_without_kubectl_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    code, _, err = gen(str(OVERLAYS), "--kustomize")
    assert code == 2
    assert "--kustomize runs `kubectl kustomize DIR`, and kubectl is not on PATH" in err
