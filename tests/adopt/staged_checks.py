"""The acceptance checks of adopting a staged bring-up repository (issue 13), shared by the
fixture test (tests/adopt/test_import_layers.py) and the test on the reference repository
(tests/adopt/test_import_reference.py): one import, then every claim checked field by field."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import REPO_ROOT
from conftest import gen_in as _gen

from generator.adopt.findings import kind_of
from generator.adopt.read import read_file, source_files
from generator.adopt.roundtrip import comparable, differences
from generator.plan.expand import expand_appset, load_documents
from generator.project.load import load_project
from generator.project.resolve import decide
from generator.yamlio.source import load_yaml


@dataclass(frozen=True)
class Cluster:
    """The folders of one cluster of a staged bring-up repository."""

    repo: Path
    folder: Path
    groups_file: Path
    project: str

    @property
    def srcs(self) -> list[str]:
        return [str(self.folder / name) for name in ("appsets", "catalog", "projects")]


def retention(sources: list[Path], catalog: Path) -> tuple[int, int, list[str]]:
    """tests/tools/comment_retention.py's count (loaded from its file: it is a script)."""
    path = REPO_ROOT / "tests" / "tools" / "comment_retention.py"
    spec = importlib.util.spec_from_file_location("comment_retention", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: tuple[int, int, list[str]] = module.retention(sources, catalog)
    return found


def groups_file(cluster: Cluster) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = load_yaml(cluster.groups_file, "groups").data
    return data


def originals(folder: Path) -> dict[str, tuple[dict[str, Any], str, Any]]:
    """Every Application under ``folder``, by name: (document, its folder's name, SrcDoc)."""
    found = {}
    for path, rel in source_files(folder):
        for document in read_file(path, rel).documents:
            _api, kind = kind_of(document.doc.data)
            if kind == "Application":
                name = document.doc.data["metadata"]["name"]
                found[name] = (document.doc.data, rel.split("/", 1)[0], document)
    return found


def check_layers_and_groups(root: Path, cluster: Cluster) -> None:
    """Acceptance 2, first half: the groups on per layer are the groups file's, in its layers;
    the layers keep the groups file's order; disabled groups are in the catalog."""
    project = load_project(root)
    expected = groups_file(cluster)
    assert list(project.layers.order) == list(dict.fromkeys(g["layer"] for g in expected))
    for env in project.config.environments.values():
        decisions = {d.group.name: d.enabled for d in decide(project, env)}
        assert decisions == {g["name"]: g["enabled"] == "true" for g in expected}
    for entry in expected:
        assert project.groups[entry["name"]].layer == entry["layer"]
    apps = originals(cluster.folder / "catalog")
    for name, (_, folder, _) in apps.items():
        group = project.groups[folder]
        assert name in [app.name for app in group.apps], (name, folder)


def check_round_trip(root: Path, cluster: Cluster) -> int:
    """Acceptance 2, second half: every Application of an enabled group renders with its
    original's spec, annotations, finalizers and labels (the documented exceptions only: the
    generator's stagegen.dev/* metadata, and the Argo CD namespace). Returns how many."""
    on = {g["name"] for g in groups_file(cluster) if g["enabled"] == "true"}
    checked = 0
    failures: list[str] = []
    for name, (original, folder, _) in sorted(originals(cluster.folder / "catalog").items()):
        rendered = root / "rendered" / "dev" / "groups" / folder / f"{name}.yaml"
        if folder not in on:
            assert not rendered.exists()
            continue
        back = load_yaml(rendered, rendered.name).data
        found = differences(comparable(original, "argocd"), comparable(back, "argocd"))
        failures.extend(f"{name}: {line}" for line in found)
        checked += 1
    assert not failures, "\n".join(failures)
    return checked


def check_app_of_apps(root: Path, cluster: Cluster) -> list[str]:
    """Acceptance 3: the ApplicationSets are named layer-<layer>; the app-of-apps Applications
    they generate (expanded as gen plan expands them) are named group-<group> and carry the
    project, ServerSideApply=true and directory.recurse. Returns their names."""
    on = [g["name"] for g in groups_file(cluster) if g["enabled"] == "true"]
    names = []
    layers = root / "rendered" / "dev" / "layers"
    for folder in sorted(layers.iterdir()):
        [appset] = load_documents(folder / "applicationset.yaml", "applicationset.yaml")
        assert appset.name == f"layer-{folder.name}"
        for generated in expand_appset(appset):
            app = generated.application
            group = app["metadata"]["labels"]["stagegen.dev/group"]
            assert generated.name == f"group-{group}"
            assert app["spec"]["project"] == cluster.project
            assert "ServerSideApply=true" in app["spec"]["syncPolicy"]["syncOptions"]
            assert app["spec"]["source"]["directory"] == {"recurse": True}
            names.append(generated.name)
    assert sorted(names) == sorted(f"group-{name}" for name in on)
    plan = _gen("plan", "-o", "json", cwd=root)
    assert plan.exit_code == 0, plan.output
    [planned] = json.loads(plan.stdout)["plans"]
    assert sorted(a["name"] for a in planned["groupApplications"]) == sorted(names)
    return names


def check_comments_and_reasons(root: Path, cluster: Cluster) -> tuple[int, int]:
    """Acceptance 4: at least 90% of the catalog's comment lines are in the imported catalog;
    every manual-sync app that had a comment has a reason. Returns (retained, total)."""
    kept, total, _ = retention([cluster.folder / "catalog"], root / "catalog")
    assert total and kept / total >= 0.9, (kept, total)
    project = load_project(root)
    apps = {app.name: app for group in project.groups.values() for app in group.apps}
    for name, (_, _, src) in originals(cluster.folder / "catalog").items():
        if apps[name].sync == "manual" and src.comments:
            assert apps[name].reason, name
    return kept, total


def import_cluster(root: Path, cluster: Cluster, *extra: str) -> str:
    """One ``gen import`` of the cluster's appsets, catalog and projects, then render."""
    result = _gen("import", *cluster.srcs, *extra, cwd=root)
    assert result.exit_code == 0, result.output
    rendered = _gen("render", cwd=root)
    assert rendered.exit_code == 0, rendered.output
    return str(result.output)


def check_second_import(root: Path, cluster: Cluster, *extra: str) -> None:
    """Acceptance 5: a second import of the same folders is a no-op; gen check passes."""
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = _gen("import", *cluster.srcs, *extra, cwd=root)
    assert again.exit_code == 0, again.output
    assert " 0 file(s) written" in again.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    check = _gen("check", cwd=root)
    assert check.exit_code == 0, check.output
