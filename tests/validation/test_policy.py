"""Acceptance 4: --strict makes warnings fail, --ignore silences a kind (also from
.stagegen.yaml or [tool.stagegen] in pyproject.toml), -o json carries the ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import gen_outcome

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: default
  source: {repoURL: https://git.example.com/web.git, path: web}
  destination: {server: https://kubernetes.default.svc, namespace: web}
"""


def gen(*args: str) -> tuple[int, str, str]:
    return gen_outcome(None, "validate", *args)


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """A folder whose only problem is a warning: the same Application twice in one file."""
    folder = tmp_path / "apps"
    folder.mkdir()
    (folder / "web.yaml").write_text(APP + "---\n" + APP)
    return folder


def test_warnings_alone_exit_0_and_2_with_strict(warned: Path) -> None:
    code, out, err = gen(str(warned))
    assert (code, out) == (0, "1 file(s) valid\n")
    assert err.strip().endswith("applying both keeps only one [duplicate-object]")
    code, out, err = gen(str(warned), "--strict")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "error: 1 problem in 1 file(s)"


def test_ignore_silences_the_kind(warned: Path) -> None:
    assert gen(str(warned), "--strict", "--ignore", "duplicate-object") == (
        0,
        "1 file(s) valid\n",
        "",
    )


def test_an_unknown_id_is_a_usage_error_with_a_suggestion(warned: Path) -> None:
    code, _, err = gen(str(warned), "--ignore", "duplicate-objects")
    assert code == 2
    assert 'unknown finding id "duplicate-objects" (did you mean "duplicate-object"?)' in err


def test_json_carries_the_ids(warned: Path) -> None:
    code, out, _ = gen(str(warned), "-o", "json", "--strict")
    assert code == 2
    assert [(p["severity"], p["id"]) for p in json.loads(out)] == [("warning", "duplicate-object")]


def test_stagegen_yaml_beside_the_files(warned: Path) -> None:
    (warned / ".stagegen.yaml").write_text("strict: true\n")
    assert gen(str(warned))[0] == 2
    assert gen(str(warned), "--no-strict")[0] == 0
    (warned / ".stagegen.yaml").write_text("strict: true\nignore: [duplicate-object]\n")
    assert gen(str(warned)) == (0, "1 file(s) valid\n", "")


def test_pyproject_table_above_the_files(warned: Path) -> None:
    (warned.parent / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.stagegen]\nstrict = true\n'
    )
    assert gen(str(warned))[0] == 2
    (warned.parent / "pyproject.toml").write_text(
        '[tool.stagegen]\nstrict = true\nignore = ["duplicate-object"]\n'
    )
    assert gen(str(warned))[0] == 0


def test_a_bad_config_is_located(warned: Path) -> None:
    (warned / ".stagegen.yaml").write_text("ignore: [duplicate-objekt]\nstrickt: true\n")
    code, _, err = gen(str(warned))
    assert code == 2
    assert err.splitlines()[:2] == [
        f'{warned}/.stagegen.yaml:1:10: ignore[0]: unknown finding id string "duplicate-objekt" '
        '(did you mean "duplicate-object"?) [unknown-finding-id]',
        f'{warned}/.stagegen.yaml:2:1: strickt: unknown field "strickt" (did you mean "strict"?) '
        "[unknown-field]",
    ]


def test_both_config_files_in_one_folder_is_an_error(warned: Path) -> None:
    (warned / ".stagegen.yaml").write_text("strict: true\n")
    (warned / "pyproject.toml").write_text("[tool.stagegen]\nstrict = false\n")
    code, _, err = gen(str(warned))
    assert code == 2 and "configure gen in one place" in err


def test_flags_for_paths_need_paths(tmp_path: Path) -> None:
    code, _, err = gen("--root", str(Path(__file__).parents[1] / "corpus" / "_base"), "--kustomize")
    assert code == 2 and "--kustomize, --repo-root and --repo apply to the PATHs given" in err
    code, _, err = gen(str(tmp_path), "--check-sources")
    assert code == 2 and "--check-sources checks the project's catalog" in err
