"""A group app's directory source read the way Argo CD's repo server reads it
(generator/plan/expand.py: manifest_paths, Reader.directory; generator/plan/tree.py:
directory_options): recurse, include and exclude, and an explicit ``directory`` that makes a
kustomization.yaml one more plain file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.errors import OutputError, Problem
from generator.plan.expand import Directory, Document, Reader, manifest_paths
from generator.plan.tree import directory_options

APP = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {name}}}\n"
FILES = {
    "a.yaml": APP.format(name="a"),
    "b.yml": APP.format(name="b"),
    "c.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
    "notes.txt": "not a manifest\n",
    "a-test.yaml": APP.format(name="a-test"),
    "sub/d.yaml": APP.format(name="d"),
    "sub/deep/e.yaml": APP.format(name="e"),
    "scratch/f.yaml": APP.format(name="f"),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        path = tmp_path / "group" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "group"


def _read(folder: Path, options: Directory) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in manifest_paths(folder, options)]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (Directory(), ["a-test.yaml", "a.yaml", "b.yml", "c.json"]),
        (
            Directory(recurse=True),
            [
                "a-test.yaml",
                "a.yaml",
                "b.yml",
                "c.json",
                "scratch/f.yaml",
                "sub/d.yaml",
                "sub/deep/e.yaml",
            ],
        ),
        (
            Directory(recurse=True, exclude="{*-test.yaml,scratch/*}"),
            ["a.yaml", "b.yml", "c.json", "sub/d.yaml", "sub/deep/e.yaml"],
        ),
        (
            Directory(recurse=True, include="*.yaml"),
            ["a-test.yaml", "a.yaml", "scratch/f.yaml", "sub/d.yaml", "sub/deep/e.yaml"],
        ),
        (Directory(recurse=True, include="sub/*", exclude="*/deep/*"), ["sub/d.yaml"]),
        # Argo CD matches nothing with a pattern it cannot compile.
        (Directory(recurse=True, include="{*.yaml"), []),
    ],
)
def test_files_read_as_argo_cd_reads_them(
    folder: Path, options: Directory, expected: list[str]
) -> None:
    assert _read(folder, options) == expected


def test_an_explicit_directory_source_reads_a_kustomization_as_a_plain_file(
    folder: Path,
) -> None:
    (folder / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"
    )
    reader = Reader(folder.parent)
    detected = [doc.name for doc in reader.directory(folder)]
    assert detected == ["a"]  # no directory: Argo CD builds the kustomization
    explicit = [doc.kind for doc in reader.directory(folder, Directory())]
    # a-test.yaml, a.yaml, b.yml, c.json and kustomization.yaml: the top-level files.
    assert explicit == ["Application", "Application", "Application", "ConfigMap", "Kustomization"]


def test_jsonnet_is_refused_rather_than_guessed(folder: Path) -> None:
    (folder / "app.jsonnet").write_text("{}\n")
    with pytest.raises(OutputError) as caught:
        Reader(folder.parent).directory(folder, Directory())
    assert [str(p) for p in caught.value.problems] == [
        "group/app.jsonnet: jsonnet: gen plan does not evaluate it [plan-unsupported]"
    ]


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        (None, None),
        ({"recurse": True}, Directory(recurse=True)),
        ({"include": "*.yaml", "exclude": "x/*"}, Directory(include="*.yaml", exclude="x/*")),
        ({"jsonnet": {}}, "gen plan reads a directory's recurse, include and exclude only"),
        ({"recurse": "yes"}, "must be true or false"),
        ({"include": ["a"]}, "must be a glob (a string)"),
    ],
)
def test_directory_options_of_a_source(directory: object, expected: object) -> None:
    doc = Document("appset.yaml", {})
    source = {"path": "x"} if directory is None else {"path": "x", "directory": directory}
    problems: list[Problem] = []
    found = directory_options(doc, ("spec", "source"), source, problems)
    if isinstance(expected, str):
        assert found is False
        assert [p.message for p in problems] == [expected]
    else:
        assert found == expected and problems == []
