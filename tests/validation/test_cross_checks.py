"""generator.validation.cross: projects exist and permit their Applications."""

from __future__ import annotations

from typing import Any

import pytest

from generator.validation.cross import check_set, destination_allowed, normalize_repo
from generator.yamlio.manifests import Manifest


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://github.com/Org/Repo.git", "https://github.com/org/repo"),
        ("https://github.com/org/repo/", "https://github.com/org/repo.git/"),
    ],
)
def test_repo_urls_compare_normalised(a: str, b: str) -> None:
    assert normalize_repo(a) == normalize_repo(b)


IN = {"server": "https://kubernetes.default.svc", "namespace": "web"}


@pytest.mark.parametrize(
    ("entries", "dest", "allowed"),
    [
        ([IN], {"name": "in-cluster", "namespace": "web"}, True),
        ([{"name": "in-cluster", "namespace": "*"}], IN, True),
        ([{"server": "*", "namespace": "w*"}], IN, True),
        ([IN], {**IN, "namespace": "db"}, False),
        ([{"server": "*", "namespace": "*"}, {"server": "*", "namespace": "!web"}], IN, False),
        (
            [{"server": "https://10.0.0.1", "namespace": "web"}],
            {"name": "prod", "namespace": "web"},
            None,
        ),
        ([], IN, False),
    ],
)
def test_destinations(entries: list[Any], dest: dict[str, str], allowed: bool | None) -> None:
    assert destination_allowed(entries, dest) is allowed


def _docs() -> list[Manifest]:
    project: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "sourceRepos": ["https://git.example.com/apps.git"],
            "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "web"}],
            "namespaceResourceWhitelist": [{"group": "apps", "kind": "Deployment"}],
        },
    }
    app: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "web", "namespace": "argocd"},
        "spec": {
            "project": "apps",
            "source": {"repoURL": "https://git.example.com/other.git", "path": "web"},
            "destination": {"name": "in-cluster", "namespace": "db"},
        },
    }
    appset: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "generators": [],
            "template": {
                "metadata": {"name": "{{.name}}", "labels": {"stagegen.dev/role": "group"}},
                "spec": {
                    "project": "apps",
                    "source": {"repoURL": "https://git.example.com/apps", "path": "{{.path}}"},
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": "web"},
                },
            },
        },
    }
    stray = {**app, "metadata": {"name": "stray"}, "spec": {**app["spec"], "project": "app"}}
    return [Manifest(f"{i}.yaml", d) for i, d in enumerate([project, app, appset, stray])]


def test_projects_permit_repos_destinations_and_app_of_apps() -> None:
    found = [
        (f.manifest.file, ".".join(map(str, f.path)), f.message, f.severity)
        for f in check_set(_docs(), complete=True, argocd_namespace="argocd")
    ]
    assert found == [
        (
            "1.yaml",
            "spec.source.repoURL",
            'repository "https://git.example.com/other.git" is not allowed by AppProject "apps" '
            "(sourceRepos: https://git.example.com/apps.git)",
            "error",
        ),
        (
            "1.yaml",
            "spec.destination",
            'destination name=in-cluster, namespace=db is not allowed by AppProject "apps" '
            "destinations",
            "error",
        ),
        (
            "2.yaml",
            "spec.template.spec.destination.namespace",
            'an app-of-apps creates Applications, which live in the Argo CD namespace "argocd"; '
            'got "web"',
            "error",
        ),
        (
            "2.yaml",
            "spec.template.spec.project",
            'AppProject "apps" does not allow argoproj.io/Application (namespaceResourceWhitelist/'
            "Blacklist), which this app-of-apps creates",
            "error",
        ),
        (
            "3.yaml",
            "spec.project",
            'AppProject "app" is not defined (did you mean "apps"?)',
            "error",
        ),
    ]


def test_a_partial_set_only_warns_about_missing_projects() -> None:
    docs = _docs()
    found = [(f.message, f.severity) for f in check_set(docs[3:], complete=False)]
    assert found == []  # no AppProject given at all: nothing to compare with
    found = [(f.message, f.severity) for f in check_set([docs[0], docs[3]], complete=False)]
    assert found == [
        ('AppProject "app" is not defined in the files given (did you mean "apps"?)', "warning")
    ]


def test_deny_entries_are_not_reported_as_wildcard_grants() -> None:
    project: dict[str, Any] = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "sourceRepos": ["https://git.example.com/*", "!https://git.example.com/attic-*"],
            "destinations": [
                {"server": "https://kubernetes.default.svc", "namespace": "web-*"},
                {"server": "*", "namespace": "!kube-*"},
            ],
        },
    }
    found = [
        (".".join(map(str, f.path)), f.message)
        for f in check_set([Manifest("p.yaml", project)], complete=False, argocd_namespace="argocd")
    ]
    assert found == [
        (
            "spec.sourceRepos.0",
            'wildcard "https://git.example.com/*" allows more repositories than the apps use',
        ),
        (
            "spec.destinations.0",
            'wildcard namespace "web-*" allows more destinations than the apps use',
        ),
    ]
