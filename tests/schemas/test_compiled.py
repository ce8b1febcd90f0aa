"""The compiled validators (generator/schemas/compiled/) against jsonschema, and their freshness.

The compiled check is a screen: a document it passes is never looked at again, so it must pass
exactly the documents jsonschema passes. Checked for every bundled schema (the five input
schemas and each kind of the output schema) on real documents (this repository's inputs and
rendered objects, the golden fixtures, the corpus, valid and invalid alike) and on random
mutations of them (hypothesis): values replaced by random JSON or by values the schema itself
names (enum members, property names), keys deleted, keys added.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.project.load import load_project
from generator.project.schema import SchemaChecker
from generator.render.templates import render_output
from generator.schemas import codegen, compiled, schema_bytes
from generator.validation.output import OutputValidator
from generator.yamlio.source import YamlLoadError, decode, parse_yaml

REPO = Path(__file__).resolve().parents[2]
KINDS = codegen.TARGETS["argocd"]
INPUT_SCHEMAS = [name for name, entries in codegen.TARGETS.items() if entries == ("",)]
CHECKER = SchemaChecker()
OUTPUT = OutputValidator()


def _schema_of(rel: str) -> str | None:
    """Which input schema a project file is checked against (as generator/project/load.py)."""
    parts = rel.split("/")
    if rel == "config.yaml":
        return "config"
    if parts[0] != "catalog" or not rel.endswith((".yaml", ".yml")):
        return None
    if parts[1:] in (["layers.yaml"], ["settings.yaml"]):
        return parts[1].removesuffix(".yaml")
    return "project" if parts[1] == "projects" else "group"


def _projects() -> Iterator[Path]:
    yield REPO
    for folder in ("tests/fixtures/golden", "tests/corpus"):
        yield from sorted(p for p in (REPO / folder).iterdir() if p.is_dir())


def _input_documents() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {name: [] for name in INPUT_SCHEMAS}
    for root in _projects():
        for path in sorted(root.rglob("*.y*ml")):
            rel = path.relative_to(root).as_posix()
            schema = _schema_of(rel)
            if schema is None or "rendered/" in rel or "expected/" in rel:
                continue
            try:
                data = parse_yaml(decode(path.read_bytes(), rel), rel).data
            except YamlLoadError:
                continue
            if data not in found[schema]:
                found[schema].append(data)
    return found


INPUTS = _input_documents()
OUTPUTS: dict[str, list[Any]] = {kind: [] for kind in KINDS}
for _doc in render_output(load_project(REPO)).documents.values():
    OUTPUTS["Kustomization" if _doc["kind"] == "Kustomization" else _doc["kind"]].append(_doc)
POOLS: list[tuple[str, str]] = [(name, "") for name in INPUT_SCHEMAS] + [
    ("argocd", kind) for kind in KINDS
]
POOL_IDS = [f"{s}:{e}" if e else s for s, e in POOLS]


def _documents(schema: str, entry: str) -> list[Any]:
    return OUTPUTS[entry] if entry else INPUTS[schema]


def _named_values(schema: str) -> list[Any]:
    """Values the schema itself names: enum members and consts, property names, and strings
    that look like what its patterns ask for: mutations that reach the deeper branches."""
    found: list[Any] = ["", "x", "a-b", "1", "Application", "argoproj.io/v1alpha1", 0, -1, 1.5]
    text = json.loads(schema_bytes(schema))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "const":
                    found.append(value)
                elif key in ("enum", "properties") and isinstance(value, list | dict):
                    found.extend(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(text)
    unique: list[Any] = []
    for value in found:
        if not any(type(value) is type(u) and value == u for u in unique):
            unique.append(value)
    return unique


def verdicts(schema: str, entry: str, doc: Any) -> tuple[bool, bool]:
    """(the compiled check passes ``doc``, jsonschema finds no error in it)."""
    try:
        compiled.screen(schema, entry)(doc)
        screened = True
    except compiled.Rejected:
        screened = False
    validator = OUTPUT._validator(entry) if entry else CHECKER._validator(schema)
    return screened, not any(True for _ in validator.iter_errors(doc))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mutate(data: st.DataObject, doc: Any, named: list[Any]) -> None:
    path = data.draw(st.sampled_from(_paths(doc)))
    value = st.sampled_from(named) | JSON
    if not path:
        if isinstance(doc, dict):
            doc[data.draw(st.sampled_from(named).map(str))] = data.draw(value)
        return
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    action = data.draw(st.sampled_from(["replace", "delete", "add-key", "add-item"]))
    target = parent[path[-1]]
    if action == "replace":
        parent[path[-1]] = data.draw(value)
    elif action == "delete":
        del parent[path[-1]]
    elif action == "add-key" and isinstance(target, dict):
        target[data.draw(st.sampled_from(named).map(str) | st.text(max_size=6))] = data.draw(value)
    elif action == "add-item" and isinstance(target, list):
        keep: bool = data.draw(st.booleans())
        source: Any = target[0] if target and keep else data.draw(value)
        target.append(copy.deepcopy(source))


def test_every_pool_has_documents() -> None:
    for schema, entry in POOLS:
        assert _documents(schema, entry), (schema, entry)


@pytest.mark.parametrize(("schema", "entry"), POOLS, ids=POOL_IDS)
def test_real_documents_get_the_same_verdict(schema: str, entry: str) -> None:
    for doc in _documents(schema, entry):
        screened, valid = verdicts(schema, entry, doc)
        assert screened == valid, doc


@pytest.mark.parametrize(("schema", "entry"), POOLS, ids=POOL_IDS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_documents_get_the_same_verdict(
    data: st.DataObject, schema: str, entry: str
) -> None:
    doc = copy.deepcopy(data.draw(st.sampled_from(_documents(schema, entry))))
    named = _named_values(schema)
    for _ in range(data.draw(st.integers(1, 3))):
        _mutate(data, doc, named)
    screened, valid = verdicts(schema, entry, doc)
    assert screened == valid, doc


def test_the_shipped_code_is_current() -> None:
    """Each generated module records the digests of the schemas it was made from; they are the
    bundled schemas' (else: python -m generator.schemas.codegen)."""
    for name in codegen.TARGETS:
        assert compiled.is_current(name), f"{name}: run python -m generator.schemas.codegen"


def test_regenerating_gives_the_shipped_code() -> None:
    import fastjsonschema

    shipped = codegen.module_path("argocd").read_text("utf-8")
    if f"fastjsonschema {fastjsonschema.VERSION}." not in shipped:
        pytest.skip(f"generated with another fastjsonschema than {fastjsonschema.VERSION}")
    assert codegen.stale() == []


def test_a_stale_module_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema edited without regenerating: the screen compiles the schema as it is now."""
    compiled._entries.cache_clear()
    compiled._compiled.cache_clear()
    real = compiled._digest

    def edited(filename: str) -> str:
        return "0" * 64 if filename == "argocd.schema.json" else real(filename)

    monkeypatch.setattr(compiled, "_digest", edited)
    try:
        assert not compiled.is_current("argocd")
        assert compiled.is_current("group")
        check = compiled.screen("argocd", "Application")
        assert check.__module__ != "generator.schemas.compiled.gen_argocd"
        for doc in OUTPUTS["Application"]:
            check(doc)
        with pytest.raises(compiled.Rejected):
            check({**OUTPUTS["Application"][0], "spec": {}})
    finally:
        compiled._entries.cache_clear()
        compiled._compiled.cache_clear()


def test_const_is_rewritten_only_where_it_is_a_keyword() -> None:
    schema = {
        "properties": {"const": {"const": "a"}, "x": {"items": {"const": 1}}},
        "enum": [{"const": 2}],
    }
    assert codegen._without_const(schema) == {
        "properties": {"const": {"enum": ["a"]}, "x": {"items": {"enum": [1]}}},
        "enum": [{"const": 2}],
    }
