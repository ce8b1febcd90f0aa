"""Acceptance 4: -o sarif is a SARIF 2.1.0 log that validates against the published schema
(tests/fixtures/sarif, see SOURCES.md there) and carries the finding ids as rule ids."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from generator.cli.main import main

SCHEMA = Path(__file__).parents[1] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
OVERLAYS = Path(__file__).parents[1] / "fixtures" / "overlays"


def _sarif(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["validate", "-o", "sarif", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _validate(log: dict[str, object]) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)


def test_sarif_of_findings_validates_and_carries_ids(tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\n"
        "spec:\n  project: default\n  sourcee: {}\n"
        "  destination: {server: https://kubernetes.default.svc, namespace: web}\n"
    )
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    code, log = _sarif(str(tmp_path))
    assert code == 2
    _validate(log)
    run = log["runs"][0]  # type: ignore[index]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["missing-field", "not-an-object", "unknown-field"]
    results = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("unknown-field", "error") in results and ("not-an-object", "warning") in results
    unknown = next(r for r in run["results"] if r["ruleId"] == "unknown-field")
    region = unknown["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 3}


def test_sarif_of_a_clean_run_validates() -> None:
    code, log = _sarif(str(OVERLAYS))
    assert code == 0
    _validate(log)
    assert log["runs"][0]["results"] == []  # type: ignore[index]


def test_sarif_of_invalid_project_input_validates(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("repoURL: 1\n")
    code, log = _sarif("--root", str(tmp_path))
    assert code == 2
    _validate(log)
