"""The output schema (generator/schemas/argocd.schema.json) and the cross-object checks accept
an Argo CD 3.x Source Hydrator Application strictly: the real-world one passes, and each
single-field mistake in it is caught with its exact message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from generator.yamlio.emit import dump

HYDRATED = (
    Path(__file__).parents[1] / "fixtures" / "real-world" / "apps" / "dispatch-board-hydrated.yaml"
)
PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: dispatch, namespace: argocd}
spec:
  sourceRepos: [https://git.larkspur.example/platform/other.git]
  destinations: [{name: in-cluster, namespace: dispatch}]
"""


def _validate(tmp_path: Path, doc: dict[str, Any], *extra: str) -> tuple[int, str]:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "app.yaml").write_text(dump(doc))
    for index, text in enumerate(extra):
        (folder / f"extra-{index}.yaml").write_text(text)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    return result.exit_code, result.stderr


def _original() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(HYDRATED.read_text())
    return data


def test_the_real_world_hydrator_application_is_valid(tmp_path: Path) -> None:
    assert _validate(tmp_path, _original()) == (0, "")


def _drop_target_branch(doc: dict[str, Any]) -> None:
    del doc["spec"]["sourceHydrator"]["syncSource"]["targetBranch"]


def _rename_dry_source(doc: dict[str, Any]) -> None:
    hydrator = doc["spec"]["sourceHydrator"]
    hydrator["drySources"] = hydrator.pop("drySource")


def _root_sync_path(doc: dict[str, Any]) -> None:
    doc["spec"]["sourceHydrator"]["syncSource"]["path"] = "."


def _typo_in_hydrate_to(doc: dict[str, Any]) -> None:
    hydrate_to = doc["spec"]["sourceHydrator"]["hydrateTo"]
    hydrate_to["targetbranch"] = hydrate_to.pop("targetBranch")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            _drop_target_branch,
            'spec.sourceHydrator.syncSource.targetBranch: missing required field "targetBranch"',
        ),
        (
            _rename_dry_source,
            'spec.sourceHydrator.drySources: unknown field "drySources" (did you mean '
            '"drySource"?)',
        ),
        (
            _root_sync_path,
            'spec.sourceHydrator.syncSource.path: must match the pattern "^.{2,}|[^./]$", got '
            'string "."',
        ),
        (
            _typo_in_hydrate_to,
            'spec.sourceHydrator.hydrateTo.targetbranch: unknown field "targetbranch" (did you '
            'mean "targetBranch"?)',
        ),
    ],
)
def test_each_mistake_is_caught(tmp_path: Path, mutate: Any, expected: str) -> None:
    doc = copy.deepcopy(_original())
    mutate(doc)
    code, stderr = _validate(tmp_path, doc)
    assert code == 2, stderr
    assert expected in stderr, stderr


def test_the_dry_source_repository_must_be_permitted(tmp_path: Path) -> None:
    doc = _original()
    doc["spec"]["project"] = "dispatch"
    code, stderr = _validate(tmp_path, doc, PROJECT)
    assert code == 2, stderr
    assert (
        "spec.sourceHydrator.drySource.repoURL: repository "
        '"https://git.larkspur.example/platform/dispatch-deploy.git" is not allowed by AppProject '
        '"dispatch" (sourceRepos: https://git.larkspur.example/platform/other.git)'
    ) in stderr
