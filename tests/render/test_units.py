"""The units of an incremental render (generator/render/units.py): what the cross-object checks
read of an Application is all in its extract, and a unit's key moves with what it is made of."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from conftest import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.fs.inputs import read_inputs
from generator.fs.memo import Memo
from generator.project.load import load
from generator.project.waves import app_waves
from generator.render.templates import render_output
from generator.render.units import Units, extract
from generator.validation.rendered import _cross_findings, _object_set, _Origins
from generator.yamlio.manifests import Manifest

PROJECT = load(read_inputs(REPO_ROOT))
OUTPUT = render_output(PROJECT)
RELS = sorted(OUTPUT.documents)
APPS = [rel for rel in RELS if OUTPUT.documents[rel]["kind"] == "Application"]
#: Values that make the cross-object checks speak: unknown projects, repositories no project
#: allows, destinations no project allows, duplicates.
PROJECTS = ["default", "nope", "platform", "prod-serving", "serving"]
REPOS = ["https://github.com/example-org/ai-platform-gitops.git", "https://evil.example.com/x"]
DESTINATIONS: list[Any] = [
    {"server": "https://kubernetes.default.svc", "namespace": "vllm"},
    {"name": "prod-gke", "namespace": "elsewhere"},
    {"name": "unknown", "namespace": "vllm"},
    {"server": "https://kubernetes.default.svc", "name": "in-cluster", "namespace": "x"},
    "not a map",
]


def _findings(documents: dict[str, Any]) -> list[tuple[Any, ...]]:
    by_env: dict[str, list[Manifest]] = {}
    origins = _Origins(PROJECT)
    for rel in RELS:
        doc = Manifest(f"rendered/{rel}", documents[rel])
        doc.origin = origins(rel)
        by_env.setdefault(_object_set(rel), []).append(doc)
    found = _cross_findings(PROJECT, by_env, ())
    return sorted((f.manifest.file, f.path, f.message, f.severity, f.id) for f in found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_cross_object_checks_find_the_same_on_extracts(data: st.DataObject) -> None:
    documents = copy.deepcopy(OUTPUT.documents)
    for _ in range(data.draw(st.integers(1, 4))):
        spec = documents[data.draw(st.sampled_from(APPS))]["spec"]
        change = data.draw(st.sampled_from(["project", "repo", "destination", "name"]))
        if change == "project":
            spec["project"] = data.draw(st.sampled_from(PROJECTS))
        elif change == "repo" and "source" in spec:
            spec["source"]["repoURL"] = data.draw(st.sampled_from(REPOS))
        elif change == "destination":
            spec["destination"] = copy.deepcopy(data.draw(st.sampled_from(DESTINATIONS)))
        else:  # a duplicate name
            other = documents[data.draw(st.sampled_from(APPS))]
            spec_name = other["metadata"]["name"]
            documents[data.draw(st.sampled_from(APPS))]["metadata"]["name"] = spec_name
    extracts = {rel: extract(doc) for rel, doc in documents.items()}
    assert _findings(extracts) == _findings(documents)


def test_an_extract_is_smaller_than_the_object() -> None:
    document = OUTPUT.documents[APPS[0]]
    assert set(extract(document)["spec"]) < set(document["spec"])
    assert extract(OUTPUT.documents[next(r for r in RELS if r not in APPS)]) is not None


def _keys(project: Any) -> dict[tuple[str, str], bytes | None]:
    units = Units(Memo(REPO_ROOT / "x.memo", b"s" * 16, {}, {}), project, "rendered", "t")
    out = {}
    for env in project.config.environments.values():
        waves = app_waves(project, env.name)
        for group in project.groups_for(env.name).values():
            values = [waves[app.name].value for app in group.apps]
            out[(env.name, group.name)] = units.key(env, group, values)
    return out


def test_a_unit_key_moves_with_its_group_and_environment_only() -> None:
    before = _keys(PROJECT)
    assert None not in before.values()
    vllm = PROJECT.groups["vllm"]
    edited = dataclasses.replace(vllm, description="edited")
    groups = {**PROJECT.groups, "vllm": edited}
    env_groups = {env: {**groups_, "vllm": edited} for env, groups_ in PROJECT.env_groups.items()}
    after = _keys(dataclasses.replace(PROJECT, groups=groups, env_groups=env_groups))
    changed = {unit for unit in before if before[unit] != after[unit]}
    assert changed == {(env, "vllm") for env in PROJECT.config.environments}
    prod = PROJECT.config.environments["prod"]
    environments = {
        **PROJECT.config.environments,
        "prod": dataclasses.replace(prod, name_prefix="p-"),
    }
    config = dataclasses.replace(PROJECT.config, environments=environments)
    after = _keys(dataclasses.replace(PROJECT, config=config))
    assert {unit for unit in before if before[unit] != after[unit]} == {
        unit for unit in before if unit[0] == "prod"
    }


def test_applications_are_exempt_only_while_their_appprojects_are_unchanged(
    tmp_path: Any,
) -> None:
    from generator.fs.memo import open_memo
    from generator.render.build import build

    inputs = read_inputs(REPO_ROOT)
    path = tmp_path / "root.memo"
    first = build(inputs, memo=open_memo(path, ["code"]))
    assert first.errors == []
    first.remember()
    second = build(inputs, memo=open_memo(path, ["code"]))
    assert second.errors == []
    found = second._rendered.later[1]
    assert found.exempt == set(second.output.remembered)
    assert found.exempt == {rel for rel in APPS if "/groups/" in rel}
    # The same units, remembered as found clean against other AppProjects: none is exempt.
    memo = open_memo(path, ["code"])
    memo.units = {
        key: (files, tuple((name, b"x" * 16) for name, _ in context))
        for key, (files, context) in memo.units.items()
    }
    third = build(inputs, memo=memo)
    assert third.errors == []
    assert third._rendered.later[1].exempt == set()
    assert third.problems == first.problems
