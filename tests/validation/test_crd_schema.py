"""Strict validation against the official Argo CD 3.6.0 CRDs (generator.validation.crd)."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.core.errors import GenError, Problem
from generator.validation.crd import CrdSchemas, load_crd_schemas, to_strict_schema


def _no_ids(problems: list[Problem]) -> list[Problem]:
    """The problems without their finding ids (tests/core/findings/test_finding_ids.py checks
    those)."""
    return [dataclasses.replace(p, id="") for p in problems]


API = "argoproj.io/v1alpha1"
FILE = "rendered/app.yaml"

APPLICATION_YAML = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments-api
  namespace: argocd
  labels:
    stagegen.io/layer: apps
  annotations:
    argocd.argoproj.io/sync-wave: "10"
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: payments
  revisionHistoryLimit: 5
  destination:
    server: https://kubernetes.default.svc
    namespace: payments
  sources:
    - repoURL: https://charts.example.com
      chart: payments-api
      targetRevision: 1.4.2
      helm:
        releaseName: payments-api
        valueFiles:
          - $values/payments/values-prod.yaml
        valuesObject:
          replicaCount: 3
          image: {repository: example/payments, tag: v1.4.2}
          anything:
            goes: [1, two, {three: null}]
    - repoURL: https://git.example.com/platform/values.git
      targetRevision: main
      ref: values
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers:
        - /spec/replicas
        - /metadata/annotations/deployment.kubernetes.io~1revision
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - CreateNamespace=true
      - ServerSideApply=true
    retry:
      limit: 5
      backoff: {duration: 5s, factor: 2, maxDuration: 3m}
"""

APPLICATIONSET_YAML = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: layer-apps
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - group: payments
            wave: 10
            extra: {nested: [1, 2]}
          - group: search
            wave: 20
  template:
    metadata:
      name: "{{ .group }}"
      annotations:
        argocd.argoproj.io/sync-wave: "{{ .wave }}"
    spec:
      project: "{{ .group }}"
      source:
        repoURL: https://git.example.com/platform/apps.git
        targetRevision: main
        path: "groups/{{ .group }}"
      destination:
        server: https://kubernetes.default.svc
        namespace: "{{ .group }}"
      syncPolicy:
        syncOptions: [CreateNamespace=true]
"""

APPPROJECT_YAML = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: payments
  namespace: argocd
spec:
  description: Payments team
  sourceRepos:
    - https://git.example.com/platform/*
  destinations:
    - server: https://kubernetes.default.svc
      namespace: payments
  clusterResourceWhitelist:
    - group: ""
      kind: Namespace
"""

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]


def _load(text: str) -> Doc:
    doc = yaml.safe_load(text)
    assert isinstance(doc, dict)
    return doc


@pytest.fixture(scope="module")
def crds(argo_crds_dir: Path) -> CrdSchemas:
    return load_crd_schemas(argo_crds_dir)


def test_loads_the_three_argo_kinds(crds: CrdSchemas) -> None:
    assert crds.kinds == [(API, "AppProject"), (API, "Application"), (API, "ApplicationSet")]


@pytest.mark.parametrize("kind", ["Application", "ApplicationSet", "AppProject"])
def test_converted_schema_is_valid_draft_2020_12(crds: CrdSchemas, kind: str) -> None:
    schema = crds.schema(API, kind)
    assert schema is not None
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["required"][:2] == ["apiVersion", "kind"]


@pytest.mark.parametrize(
    "text", [APPLICATION_YAML, APPLICATIONSET_YAML, APPPROJECT_YAML], ids=["app", "appset", "proj"]
)
def test_realistic_documents_validate_clean(crds: CrdSchemas, text: str) -> None:
    assert _no_ids(crds.validate(_load(text), file=FILE)) == []


def _rename(doc: Doc, path: tuple[str, ...], new: str) -> None:
    *parents, old = path
    node = doc
    for part in parents:
        node = node[part]
    node[new] = node.pop(old)


def _single_source_with_wild_values(doc: Doc) -> None:
    source = doc["spec"].pop("sources")[0]
    source["helm"]["valuesObject"] = {"a": {"b": [{"c": None}, 1.5, True]}, "ignoreDifference": 1}
    doc["spec"]["source"] = source


MUTATIONS: list[tuple[str, Mutation, list[tuple[str, str]]]] = [
    (
        "ignoreDifference typo",
        lambda d: _rename(d, ("spec", "ignoreDifferences"), "ignoreDifference"),
        [
            (
                "spec.ignoreDifference",
                'unknown field "ignoreDifference" (did you mean "ignoreDifferences"?)',
            )
        ],
    ),
    (
        "syncOption typo",
        lambda d: _rename(d, ("spec", "syncPolicy", "syncOptions"), "syncOption"),
        [
            (
                "spec.syncPolicy.syncOption",
                'unknown field "syncOption" (did you mean "syncOptions"?)',
            )
        ],
    ),
    (
        "integer annotation",
        lambda d: d["metadata"]["annotations"].update({"argocd.argoproj.io/sync-wave": 1}),
        [("metadata.annotations.argocd.argoproj.io/sync-wave", "must be a string, got integer 1")],
    ),
    ("valuesObject accepts anything", _single_source_with_wild_values, []),
    (
        "metadata.labelz",
        lambda d: _rename(d, ("metadata", "labels"), "labelz"),
        [("metadata.labelz", 'unknown field "labelz" (did you mean "labels"?)')],
    ),
    (
        "revisionHistoryLimit string",
        lambda d: d["spec"].update(revisionHistoryLimit="ten"),
        [("spec.revisionHistoryLimit", 'must be an integer, got string "ten"')],
    ),
    (
        "unknown kind",
        lambda d: d.update(kind="Applicaton"),
        [("kind", f"no CRD schema for {API} Applicaton")],
    ),
    (
        "unknown apiVersion",
        lambda d: d.update(apiVersion="argoproj.io/v1"),
        [("kind", "no CRD schema for argoproj.io/v1 Application")],
    ),
    (
        "unknown field with nothing close",
        lambda d: d["spec"].update(zzz=1),
        [("spec.zzz", 'unknown field "zzz"')],
    ),
    (
        "missing required field",
        lambda d: d["spec"].pop("project"),
        [("spec.project", 'missing required field "project"')],
    ),
    (
        "typo inside a list item",
        lambda d: d["spec"]["sources"][1].update(targetRevison="main"),
        [
            (
                "spec.sources[1].targetRevison",
                'unknown field "targetRevison" (did you mean "targetRevision"?)',
            )
        ],
    ),
    (
        "boolean given as string",
        lambda d: d["spec"]["syncPolicy"]["automated"].update(prune="true"),
        [
            (
                "spec.syncPolicy.automated.prune",
                'must be a boolean (true or false), got string "true"; write true or false without '
                "quotes",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_application_mutation_gives_exactly_the_expected_problem(
    crds: CrdSchemas, mutate: Mutation, expected: list[tuple[str, str]]
) -> None:
    doc = _load(APPLICATION_YAML)
    mutate(doc)
    assert _no_ids(crds.validate(doc, file=FILE)) == [
        Problem(FILE, 0, 0, k, m) for k, m in expected
    ]


def test_all_errors_are_reported_sorted(crds: CrdSchemas) -> None:
    doc = _load(APPLICATION_YAML)
    for mutate, _ in [m[1:] for m in MUTATIONS[:3]] + [m[1:] for m in MUTATIONS[4:6]]:
        mutate(doc)
    problems = crds.validate(doc, file=FILE)
    assert [p.key for p in problems] == [
        "metadata.annotations.argocd.argoproj.io/sync-wave",
        "metadata.labelz",
        "spec.ignoreDifference",
        "spec.revisionHistoryLimit",
        "spec.syncPolicy.syncOption",
    ]
    assert all(p.severity == "error" and p.file == FILE for p in problems)


def test_applicationset_template_is_checked_strictly(crds: CrdSchemas) -> None:
    doc = _load(APPLICATIONSET_YAML)
    doc["spec"]["template"]["spec"]["syncPolicy"]["syncOption"] = ["x"]
    # ApplicationSet templates cannot put a Go template in a boolean field (templatePatch can).
    doc["spec"]["template"]["spec"]["syncPolicy"]["automated"] = {"prune": "{{ .prune }}"}
    assert _no_ids(crds.validate(doc, file=FILE)) == [
        Problem(
            FILE,
            key="spec.template.spec.syncPolicy.automated.prune",
            message='must be a boolean (true or false), got string "{{ .prune }}"',
        ),
        Problem(
            FILE,
            key="spec.template.spec.syncPolicy.syncOption",
            message='unknown field "syncOption" (did you mean "syncOptions"?)',
        ),
    ]


def test_appproject_whitelist_entry_needs_group(crds: CrdSchemas) -> None:
    doc = _load(APPPROJECT_YAML)
    del doc["spec"]["clusterResourceWhitelist"][0]["group"]
    assert _no_ids(crds.validate(doc, file=FILE)) == [
        Problem(
            FILE,
            key="spec.clusterResourceWhitelist[0].group",
            message='missing required field "group"',
        )
    ]


def _yaml_locator(text: str) -> Callable[[tuple[str | int, ...]], tuple[int, int]]:
    """Positions from PyYAML's node tree: a mapping path gives its key's 1-based line/column."""
    root = yaml.compose(text)
    assert root is not None

    def locate(path: tuple[str | int, ...]) -> tuple[int, int]:
        node, mark = root, root.start_mark
        for part in path:
            if isinstance(node, yaml.MappingNode):
                hit = [(k, v) for k, v in node.value if k.value == part]
                if not hit:
                    return 0, 0
                mark, node = hit[0][0].start_mark, hit[0][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part]
                mark = node.start_mark
            else:
                return 0, 0
        return mark.line + 1, mark.column + 1

    return locate


def test_locate_gives_line_and_column(crds: CrdSchemas) -> None:
    text = APPLICATION_YAML.replace("    syncOptions:", "    syncOption:").replace(
        "  revisionHistoryLimit: 5", "  revisionHistoryLimit: ten"
    )
    lines = text.splitlines()
    limit_line = lines.index("  revisionHistoryLimit: ten") + 1
    option_line = lines.index("    syncOption:") + 1
    problems = crds.validate(_load(text), file=FILE, locate=_yaml_locator(text))
    assert [(p.key, p.line, p.column) for p in problems] == [
        ("spec.revisionHistoryLimit", limit_line, 3),
        ("spec.syncPolicy.syncOption", option_line, 5),
    ]
    assert str(problems[0]) == (
        f"{FILE}:{limit_line}:3: spec.revisionHistoryLimit: must be an integer, got string "
        '"ten" [wrong-type]'
    )


def test_missing_field_is_located_at_its_parent(crds: CrdSchemas) -> None:
    asked: list[tuple[str | int, ...]] = []

    def locate(path: tuple[str | int, ...]) -> tuple[int, int]:
        asked.append(path)
        known: dict[tuple[str | int, ...], tuple[int, int]] = {("spec",): (12, 1)}
        return known.get(path, (0, 0))

    doc = _load(APPLICATION_YAML)
    del doc["spec"]["destination"]
    assert _no_ids(crds.validate(doc, file=FILE, locate=locate)) == [
        Problem(FILE, 12, 1, "spec.destination", 'missing required field "destination"')
    ]
    assert ("spec", "destination") not in asked


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ([], Problem(FILE, message="expected a Kubernetes object (a mapping), got a list")),
        (
            {"kind": "Application"},
            Problem(FILE, key="apiVersion", message='missing required field "apiVersion"'),
        ),
        (
            {"apiVersion": API, "kind": 3},
            Problem(FILE, key="kind", message="must be a string, got integer 3"),
        ),
    ],
    ids=["not a mapping", "no apiVersion", "kind not a string"],
)
def test_documents_that_are_not_objects(crds: CrdSchemas, doc: object, expected: Problem) -> None:
    assert _no_ids(crds.validate(doc, file=FILE)) == [expected]


def test_validator_is_built_once_per_kind(
    crds: CrdSchemas, monkeypatch: pytest.MonkeyPatch, argo_crds_dir: Path
) -> None:
    built: list[object] = []
    real = jsonschema.Draft202012Validator

    def counting(schema: dict[str, Any]) -> Any:
        built.append(schema)
        return real(schema)

    monkeypatch.setattr(jsonschema, "Draft202012Validator", counting)
    fresh = load_crd_schemas(argo_crds_dir)
    for _ in range(3):
        fresh.validate(_load(APPPROJECT_YAML), file=FILE)
    assert len(built) == 1


# --- to_strict_schema on small hand-written schemas -------------------------------------------

INT_OR_STRING = [{"type": "integer"}, {"type": "string"}]
KNOWN = {"type": "object", "properties": {"a": {"type": "string"}}}
SPEC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "port": {"x-kubernetes-int-or-string": True, "anyOf": INT_OR_STRING},
        "note": {"type": "string", "nullable": True},
        "count": {"type": "integer", "format": "int32"},
        "free": {
            "type": "object",
            "x-kubernetes-preserve-unknown-fields": True,
            "properties": {"known": KNOWN},
        },
        "when": {"type": "string", "format": "date-time"},
        # A structural anyOf branch may name properties without forbidding the others.
        "either": {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "anyOf": [
                {"required": ["a"], "properties": {"a": {}}},
                {"required": ["b"], "properties": {"b": {}}},
            ],
        },
    },
}
TOY = {"type": "object", "properties": {"spec": SPEC_SCHEMA}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"port": 8080, "note": None, "count": 1, "when": "soon"}, []),
        ({"port": "http"}, []),
        ({"port": True}, [("spec.port", "must be an integer or a string, got boolean true")]),
        ({"note": 1}, [("spec.note", "must be a string or null, got integer 1")]),
        ({"count": 2**31}, [("spec.count", "must be at most 2147483647, got integer 2147483648")]),
        ({"count": 1.5}, [("spec.count", "must be an integer, got number 1.5")]),
        ({"free": {"x": {"y": [1]}, "known": {"a": "ok"}}}, []),
        ({"free": {"known": {"b": "no"}}}, [("spec.free.known.b", 'unknown field "b"')]),
        ({"free": []}, [("spec.free", "must be a mapping, got a list")]),
        ({"either": {"a": "x", "b": "y"}}, []),
        ({"either": {}}, [("spec.either", 'needs "a" or "b"')]),
    ],
)
def test_to_strict_schema_extensions(spec: Doc, expected: list[tuple[str, str]]) -> None:
    schemas = CrdSchemas({("toy/v1", "Toy"): to_strict_schema(TOY)})
    doc = {"apiVersion": "toy/v1", "kind": "Toy", "metadata": {"name": "t"}, "spec": spec}
    assert _no_ids(schemas.validate(doc, file=FILE)) == [
        Problem(FILE, 0, 0, k, m) for k, m in expected
    ]


def test_unknown_top_level_field() -> None:
    schemas = CrdSchemas({("toy/v1", "Toy"): to_strict_schema(TOY)})
    doc = {"apiVersion": "toy/v1", "kind": "Toy", "metadata": {}, "spek": {}}
    assert _no_ids(schemas.validate(doc, file=FILE)) == [
        Problem(FILE, key="spek", message='unknown field "spek" (did you mean "spec"?)')
    ]


def test_to_strict_schema_does_not_modify_its_input() -> None:
    before = copy.deepcopy(TOY)
    strict = to_strict_schema(TOY)
    assert before == TOY
    assert strict["properties"]["spec"]["properties"]["when"] == {"type": "string"}
    assert "format" not in strict["properties"]["spec"]["properties"]["count"]
    strict["properties"]["metadata"]["properties"].clear()
    assert to_strict_schema(TOY)["properties"]["metadata"]["properties"]["labels"] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }


# --- loading CRD files --------------------------------------------------------------------------

CRD_TEXT = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: toys.example.com}
spec:
  group: example.com
  names: {kind: Toy, plural: toys}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, properties: {spec: {type: object}}}
"""


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"a.yaml": "spec: [unclosed"}, "a.yaml: cannot read CRD file"),
        ({"a.json": "{nope"}, "a.json: cannot read CRD file"),
        ({"a.yaml": "kind: ConfigMap\n"}, "a.yaml: not a CustomResourceDefinition (got ConfigMap)"),
        (
            {"a.yaml": CRD_TEXT, "b.yml": CRD_TEXT},
            "b.yml: example.com/v1 Toy is already defined by",
        ),
        (
            {"a.yaml": CRD_TEXT.replace("openAPIV3Schema", "other")},
            "a.yaml: CRD for Toy has no openAPIV3Schema",
        ),
        (
            {"a.yaml": CRD_TEXT.replace("group: example.com", "groop: x")},
            "a.yaml: CRD lacks spec.group",
        ),
        ({"notes.txt": CRD_TEXT}, "no CRD files (*.yaml, *.yml, *.json) in this folder"),
    ],
    ids=["bad yaml", "bad json", "not a crd", "duplicate", "no schema", "no group", "no files"],
)
def test_bad_crd_files_raise_gen_error_naming_the_file(
    tmp_path: Path, files: dict[str, str], fragment: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(GenError) as caught:
        load_crd_schemas(tmp_path)
    assert fragment in caught.value.message
    assert str(tmp_path) in caught.value.message
    assert len(caught.value.problems) == 1


def test_missing_folder_raises_gen_error(tmp_path: Path) -> None:
    with pytest.raises(GenError, match="CRD folder not found"):
        load_crd_schemas(tmp_path / "absent")


def test_json_and_multi_document_yaml(tmp_path: Path) -> None:
    crd = yaml.safe_load(CRD_TEXT)
    (tmp_path / "toy.json").write_text(json.dumps(crd, indent="\t"), "utf-8")
    other = CRD_TEXT.replace("Toy", "Game").replace("toys", "games")
    (tmp_path / "more.yaml").write_text(f"---\n{other}---\n{other.replace('v1', 'v2')}\n---\n")
    assert load_crd_schemas(tmp_path).kinds == [
        ("example.com/v1", "Game"),
        ("example.com/v1", "Toy"),
        ("example.com/v2", "Game"),
    ]


def test_falls_back_to_the_pure_python_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argo_crds_dir: Path
) -> None:
    shutil.copy(argo_crds_dir / "appproject-crd.yaml", tmp_path)
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    schemas = load_crd_schemas(tmp_path)
    assert schemas.kinds == [(API, "AppProject")]
    assert _no_ids(schemas.validate(_load(APPPROJECT_YAML), file=FILE)) == []
