"""The compiled screen (fastjsonschema) that large renders use must agree with jsonschema on the
project's own output schema: it may only pass documents jsonschema passes, and reject those
jsonschema rejects (which then explains them). Checked on every rendered document of the
default and on random single-field mutations of them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from fastjsonschema import JsonSchemaException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.project.load import load_project
from generator.render.templates import render_output
from generator.validation.output import OutputValidator

ROOT = Path(__file__).resolve().parents[2]
_OUTPUT = render_output(load_project(ROOT))
DOCUMENTS = [doc for _, doc in sorted(_OUTPUT.documents.items())]
VALIDATOR = OutputValidator()

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _verdicts(doc: dict[str, Any]) -> tuple[bool, bool]:
    kind = doc.get("kind")
    kind = (
        kind
        if kind in ("Application", "ApplicationSet", "AppProject", "Kustomization")
        else "Application"
    )
    try:
        VALIDATOR.screen(kind)(doc)
        screened = True
    except JsonSchemaException:
        screened = False
    valid = not any(True for _ in VALIDATOR._validator(kind).iter_errors(doc))
    return screened, valid


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


@pytest.mark.parametrize("index", range(len(DOCUMENTS)))
def test_every_default_document_passes_both(index: int) -> None:
    assert _verdicts(DOCUMENTS[index]) == (True, True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_screen_agrees_with_jsonschema_on_mutations(data: st.DataObject) -> None:
    doc = copy.deepcopy(data.draw(st.sampled_from(DOCUMENTS)))
    path = data.draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    action = data.draw(st.sampled_from(["replace", "delete", "add-key"]))
    if action == "replace":
        parent[path[-1]] = data.draw(JSON)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][data.draw(st.text(min_size=1, max_size=8))] = data.draw(JSON)
    screened, valid = _verdicts(doc)
    assert screened == valid, (path, action)


def test_screened_validation_reports_the_same_problems() -> None:
    from generator.yamlio.manifests import Manifest

    doc = copy.deepcopy(next(d for d in DOCUMENTS if d["kind"] == "Application"))
    doc["spec"]["syncPolicy"]["syncOption"] = ["typo"]
    doc["metadata"]["labels"]["enabled"] = True
    found = []
    for screen in (False, True):
        validator = OutputValidator(fast_screen=screen)
        findings = validator.document_findings(Manifest("app.yaml", doc), standalone=False)
        found.append(sorted((f.path, f.message) for f in findings))
    assert found[0] == found[1]
    assert len(found[0]) == 2
