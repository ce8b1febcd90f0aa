"""Reading rendered manifests offline: kustomizations, directory sources and ApplicationSet
expansion (generator/plan/expand.py), including what is refused rather than guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.errors import OutputError
from generator.plan.expand import Reader, expand_appset, load_documents

APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: base
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
          - name: group-a
            path: rendered/dev/groups/a
            meta: {team: blue}
          - name: group-b
            path: rendered/dev/groups/b
            meta: {team: red}
  template:
    metadata:
      name: "{{ .name }}"
      labels:
        team: "{{ .meta.team }}"
    spec:
      source:
        path: "{{.path}}"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _appset(tmp_path: Path, text: str = APPSET) -> list[object]:
    [doc] = load_documents(_write(tmp_path, "appset.yaml", text), "appset.yaml")
    return list(expand_appset(doc))


def test_expands_each_list_element(tmp_path: Path) -> None:
    generated = _appset(tmp_path)
    assert [g.application for g in generated] == [  # type: ignore[attr-defined]
        {
            "metadata": {"name": "group-a", "labels": {"team": "blue"}},
            "spec": {"source": {"path": "rendered/dev/groups/a"}},
        },
        {
            "metadata": {"name": "group-b", "labels": {"team": "red"}},
            "spec": {"source": {"path": "rendered/dev/groups/b"}},
        },
    ]


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(OutputError) as caught:
        _appset(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def test_missing_nested_key_names_file_line_key_and_element(tmp_path: Path) -> None:
    text = APPSET.replace("meta: {team: red}", "meta: {}")
    assert _problems(tmp_path, text) == [
        "appset.yaml:21:9: spec.template.metadata.labels.team: failed to execute go template "
        '{{ .meta.team }}: template: base:1:8: executing "base" at <.meta.team>: map has no '
        'entry for key "team" [element spec.generators[0].list.elements[1] (group-b)]'
        " [template-error]"
    ]


def test_without_missingkey_error_a_missing_key_prints_no_value(tmp_path: Path) -> None:
    text = APPSET.replace('  goTemplateOptions: ["missingkey=error"]\n', "").replace(
        "meta: {team: red}", "meta: {}"
    )
    generated = _appset(tmp_path, text)
    assert generated[1].application["metadata"]["labels"] == {"team": "<no value>"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("goTemplate: true", "goTemplate: false",
         "appset.yaml:6:3: spec.goTemplate: gen plan expands goTemplate: true ApplicationSets"
         " [plan-unsupported]"),
        ("    - list:", "    - git:",
         "appset.yaml:9:7: spec.generators[0]: gen plan expands list generators only, not: git"
         " [plan-unsupported]"),
        ("        elements:", "        elementsYaml: x\n        elements:",
         "appset.yaml:10:9: spec.generators[0].list.elementsYaml: gen plan reads only the "
         "list's elements [plan-unsupported]"),
        ("  template:", "  strategy: {type: RollingSync}\n  template:",
         "appset.yaml:17:3: spec.strategy: progressive syncs (strategy) are not modelled by "
         "gen plan [plan-unsupported]"),
        ("          - name: group-a", "          - just-a-string\n          - name: group-a",
         "appset.yaml:11:13: spec.generators[0].list.elements[0]: an element must be a mapping "
         "of JSON values [wrong-type]"),
    ],
)  # fmt: skip
def test_unsupported_features_are_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in APPSET
    assert message in _problems(tmp_path, APPSET.replace(old, new, 1))


def test_kustomize_reads_resources_recursively(tmp_path: Path) -> None:
    _write(tmp_path, "layer/kustomization.yaml", "resources: [a.yaml, b.yaml]\n")
    _write(tmp_path, "layer/a.yaml", "kind: A\n---\nkind: A2\n")
    _write(tmp_path, "layer/b.yaml", "kind: B\n")
    _write(tmp_path, "profile/kustomization.yaml", "resources:\n  - ../layer\n")
    docs = Reader(tmp_path).kustomize(tmp_path / "profile")
    assert [(d.file, d.kind) for d in docs] == [
        ("layer/a.yaml", "A"),
        ("layer/a.yaml", "A2"),
        ("layer/b.yaml", "B"),
    ]


def test_kustomize_refuses_what_it_does_not_evaluate(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "k/kustomization.yaml",
        "namePrefix: x-\nresources:\n  - https://example.com/x.yaml\n  - gone.yaml\n",
    )
    with pytest.raises(OutputError) as caught:
        Reader(tmp_path).kustomize(tmp_path / "k")
    assert [str(p) for p in caught.value.problems] == [
        "k/kustomization.yaml:1:1: namePrefix: gen plan reads only a kustomization's resources, "
        "not this field"
        " [plan-unsupported]",
        "k/kustomization.yaml:3:5: resources[0]: gen plan reads local files and folders only"
        " [plan-unsupported]",
        "k/kustomization.yaml:4:5: resources[1]: gone.yaml: no such file or folder [missing-path]",
    ]


def test_directory_source_reads_manifests_of_one_folder(tmp_path: Path) -> None:
    _write(tmp_path, "g/b.yaml", "kind: Application\nmetadata: {name: b}\n")
    _write(tmp_path, "g/a.json", '{"kind": "Application", "metadata": {"name": "a"}}')
    _write(tmp_path, "g/notes.txt", "not a manifest")
    _write(tmp_path, "g/sub/c.yaml", "kind: Application\nmetadata: {name: c}\n")
    docs = Reader(tmp_path).directory(tmp_path / "g")
    assert [d.name for d in docs] == ["a", "b"]
    _write(tmp_path, "chart/Chart.yaml", "name: x\n")
    with pytest.raises(OutputError) as caught:
        Reader(tmp_path).directory(tmp_path / "chart")
    assert [str(p) for p in caught.value.problems] == [
        "chart: a Helm chart: gen plan reads plain folders [plan-unsupported]"
    ]


def test_yaml_error_is_located(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        load_documents(_write(tmp_path, "bad.yaml", "a: [1, 2\n"), "bad.yaml")
    assert str(caught.value.problems[0]).startswith("bad.yaml:2:1: YAML error:")
