"""The project's own output schema (generator/schemas/argocd.schema.json) against the official
Argo CD CRDs: never looser, complete, and every rendered document of the default passes both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.project.load import load_project
from generator.render.templates import render_project
from generator.validation.crd import load_crd_schemas
from generator.validation.output import OutputValidator, load_output_schema
from generator.yamlio.manifests import Manifest, load_rendered

ROOT = Path(__file__).resolve().parents[2]
ARGO_KINDS = {
    "Application": "application-crd.yaml",
    "ApplicationSet": "applicationset-crd.yaml",
    "AppProject": "appproject-crd.yaml",
}
#: Controller-owned parts of the CRDs a manifest kept in git does not carry.
NOT_IN_MANIFESTS = {("status",), ("operation",)}

Node = dict[str, Any]


def _crd_root(crds: Path, kind: str) -> Node:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load((crds / ARGO_KINDS[kind]).read_text("utf-8"), Loader=loader)
    root: Node = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return root


@pytest.fixture(scope="module")
def mine() -> Node:
    return load_output_schema()


def _resolve(schema: Node, node: Node) -> Node:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node


def _types(node: Node) -> set[str] | None:
    """The JSON types a node admits; None for "anything"."""
    if "const" in node:
        return {"string"} if isinstance(node["const"], str) else None
    if "enum" in node:
        return {"string"} if all(isinstance(v, str) for v in node["enum"]) else None
    if node.get("x-kubernetes-int-or-string"):
        return {"integer", "string"}
    value = node.get("type")
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def _free(crd: Node) -> bool:
    """The CRD accepts anything below this node."""
    if crd.get("x-kubernetes-preserve-unknown-fields"):
        return True
    return (
        crd.get("type") in (None, "object")
        and "properties" not in crd
        and ("additionalProperties" not in crd)
    )


def _compare(schema: Node, mine: Node, crd: Node, path: tuple[str, ...]) -> Iterator[str]:
    """Every way ``mine`` is looser than, or incompatible with, ``crd`` below ``path``."""
    mine = _resolve(schema, mine)
    yield "checked " + "/".join(path)
    if _free(crd):
        return
    ours, theirs = _types(mine), _types(crd)
    if theirs is not None and (ours is None or not ours <= theirs):
        yield f"{'/'.join(path)}: type {ours} is not within the CRD's {theirs}"
    for name in crd.get("required", []):
        if name not in mine.get("required", []):
            yield f"{'/'.join(path)}: the CRD requires {name!r}, this schema does not"
    if "enum" in crd and not set(mine.get("enum", [mine.get("const")])) <= set(crd["enum"]):
        yield f"{'/'.join(path)}: values beyond the CRD's enum"
    crd_props = crd.get("properties", {})
    for name, sub in mine.get("properties", {}).items():
        if name not in crd_props:
            yield f"{'/'.join((*path, name))}: not in the CRD"
        else:
            yield from _compare(schema, sub, crd_props[name], (*path, name))
    if crd_props and mine.get("additionalProperties", True) is not False:
        yield f"{'/'.join(path)}: accepts unknown fields where the CRD is strict"
    extra = mine.get("additionalProperties")
    if isinstance(extra, dict):
        crd_extra = crd.get("additionalProperties")
        if not isinstance(crd_extra, dict):
            yield f"{'/'.join(path)}: a free-form map where the CRD has none"
        else:
            yield from _compare(schema, extra, crd_extra, (*path, "*"))
    if "object" in (ours or set()) and not mine.get("properties") and extra is None:
        yield f"{'/'.join(path)}: a free-form object where the CRD is not free-form"
    if "items" in mine and "items" in crd:
        yield from _compare(schema, mine["items"], crd["items"], (*path, "[]"))


@pytest.mark.parametrize("kind", sorted(ARGO_KINDS))
def test_own_schema_is_never_looser_than_the_crd(
    argo_crds_dir: Path, mine: Node, kind: str
) -> None:
    crd = _crd_root(argo_crds_dir, kind)
    found = list(_compare(mine, mine["$defs"][kind], crd, (kind,)))
    checked = [line for line in found if line.startswith("checked ")]
    problems = [line for line in found if not line.startswith("checked ")]
    assert problems == []
    assert len(checked) > {"Application": 150, "ApplicationSet": 600, "AppProject": 50}[kind]


def _crd_paths(crd: Node, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for name, sub in crd.get("properties", {}).items():
        if (*path, name)[:1] in NOT_IN_MANIFESTS:
            continue
        yield (*path, name)
        if not sub.get("x-kubernetes-preserve-unknown-fields"):
            yield from _crd_paths(sub, (*path, name))
    if isinstance(crd.get("items"), dict):
        yield from _crd_paths(crd["items"], (*path, "[]"))


def _has(schema: Node, node: Node, path: tuple[str, ...]) -> bool:
    for part in path:
        node = _resolve(schema, node)
        if part == "[]":
            node = node.get("items", {})
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            # Only a free-form object (valuesObject, list elements...) has fields it does not list.
            return node.get("type") == "object" and not node.get("properties")
    return True


@pytest.mark.parametrize("kind", sorted(ARGO_KINDS))
def test_own_schema_declares_every_crd_field(argo_crds_dir: Path, mine: Node, kind: str) -> None:
    """Complete: the catalog may carry any Application field (issue 5) without schema work."""
    crd = _crd_root(argo_crds_dir, kind)
    missing = [
        "/".join(path)
        for path in _crd_paths(crd, ())
        if path[0] != "metadata" and not _has(mine, mine["$defs"][kind], path)
    ]
    assert missing == []


@pytest.fixture(scope="module")
def default_documents() -> list[Manifest]:
    project = load_project(ROOT)
    files = render_project(project)
    return [doc for rel, text in files.items() for doc in load_rendered(text, rel)]


def test_every_rendered_document_passes_the_own_schema(default_documents: list[Manifest]) -> None:
    validator = OutputValidator()
    kinds = {doc.kind for doc in default_documents}
    assert kinds == {"Application", "ApplicationSet", "AppProject", "Kustomization"}
    problems = [
        f.problem() for doc in default_documents for f in validator.schema_findings(doc, True)
    ]
    assert problems == []


def test_every_rendered_argo_document_passes_the_official_crds(
    argo_crds_dir: Path, default_documents: list[Manifest]
) -> None:
    crds = load_crd_schemas(argo_crds_dir)
    argo = [doc for doc in default_documents if doc.api_version.startswith("argoproj.io/")]
    assert len(argo) > 60
    problems = [p for doc in argo for p in crds.validate(doc.data, file=doc.file)]
    assert problems == []


def test_default_appprojects_contain_no_wildcard(default_documents: list[Manifest]) -> None:
    projects = [doc for doc in default_documents if doc.kind == "AppProject"]
    # 6 layers x 2 environments, and each root's bootstrap AppProject (4 profiles x 2)
    assert len(projects) == 20
    for doc in projects:
        text = yaml.safe_dump(doc.data["spec"])
        assert "*" not in text, doc.file
        assert "!" not in text, doc.file


@pytest.mark.parametrize(
    ("kind", "mutate", "message"),
    [
        (
            "Application",
            lambda d: d["spec"].update(ignoreDifference=[]),
            'unknown field "ignoreDifference" (did you mean "ignoreDifferences"?)',
        ),
        (
            "Application",
            lambda d: d["spec"]["syncPolicy"].update(syncOption=[]),
            'unknown field "syncOption" (did you mean "syncOptions"?)',
        ),
        (
            "Application",
            lambda d: d["spec"]["source"].update(helm={"valueFile": []}),
            'unknown field "valueFile" (did you mean "valueFiles"?)',
        ),
        (
            "Application",
            lambda d: d["spec"]["source"].update(
                helm={"valuesObject": {"any": {"thing": [1, {"goes": None}]}}}
            ),
            None,
        ),
        ("Application", lambda d: d["spec"].pop("project"), 'missing required field "project"'),
        (
            "Application",
            lambda d: d["metadata"].update(labels={"a": 1}),
            "must be a string, got integer 1",
        ),
        (
            "ApplicationSet",
            lambda d: d["spec"]["generators"][0]["list"]["elements"].append(
                {"free": {"form": [1, 2]}}
            ),
            None,
        ),
        (
            "ApplicationSet",
            lambda d: d["spec"]["template"]["spec"].update(sources={}),
            "must be a list, got a mapping",
        ),
        (
            "ApplicationSet",
            lambda d: d["spec"]["generators"][0].update(lists={}),
            'unknown field "lists" (did you mean "list"?)',
        ),
        (
            "AppProject",
            lambda d: d["spec"].update(sourceRepo=["x"]),
            'unknown field "sourceRepo" (did you mean "sourceRepos"?)',
        ),
        (
            "AppProject",
            lambda d: d["spec"]["clusterResourceWhitelist"][0].pop("group"),
            'missing required field "group"',
        ),
        (
            "Kustomization",
            lambda d: d.update(resource=[]),
            'unknown field "resource" (did you mean "resources"?)',
        ),
    ],
)
def test_own_schema_mutations(
    default_documents: list[Manifest], kind: str, mutate: Any, message: str | None
) -> None:
    import copy

    doc = next(
        d
        for d in default_documents
        if d.kind == kind
        and (kind != "AppProject" or "clusterResourceWhitelist" in d.data["spec"])
        and (kind != "Application" or "source" in d.data["spec"])
    )
    data = copy.deepcopy(doc.data)
    mutate(data)
    found = list(OutputValidator().schema_findings(Manifest(doc.file, data), True))
    assert [f.message for f in found] == ([message] if message else [])
