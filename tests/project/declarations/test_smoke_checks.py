"""Smoke checks in the catalog (generator/project/declarations/smoke.py): read from layers.yaml and
group files, placeholders, and a credential written out in the catalog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.errors import InputError
from generator.core.model import Location, SmokeCheck
from generator.project.declarations.smoke import placeholders
from generator.project.load import load_project

LAYERS = """\
layers: [base, apps]
profiles:
  base: [base]
  all: [base, apps]
smoke:
  all:
    - name: chat
      description: the gateway answers
      run: [curl, --header, "Authorization: Bearer ${API_KEY}", "${URL:-http://localhost}/v1"]
"""
GROUP = """\
name: core
layer: base
description: Core.
core: true
apps:
  - name: certs
    namespace: certs
    source: {path: certs}
smoke:
  - name: certs-ready
    run: [kubectl, wait, --for=condition=Ready, certificate/x]
    timeout: 300
"""


def test_profile_and_group_checks_are_read(make_project: Callable[..., Path]) -> None:
    project = load_project(make_project({"base/core.yaml": GROUP}, layers=LAYERS))
    assert project.layers.smoke == {
        "all": (
            SmokeCheck(
                name="chat",
                run=("curl", "--header", "Authorization: Bearer ${API_KEY}",
                     "${URL:-http://localhost}/v1"),
                timeout=60,
                where=Location("catalog/layers.yaml", 7, 7),
                description="the gateway answers",
            ),
        )
    }  # fmt: skip
    [check] = project.groups["core"].smoke
    assert (check.name, check.timeout) == ("certs-ready", 300)
    assert project.warnings == ()


def test_placeholders() -> None:
    assert placeholders("${A}/x/${B_2:-http://h:8080}") == [("A", None), ("B_2", "http://h:8080")]
    assert placeholders("no placeholders $HOME") == []


def test_a_credential_written_in_the_catalog_is_a_warning(
    make_project: Callable[..., Path],
) -> None:
    layers = LAYERS.replace("Bearer ${API_KEY}", "Bearer sk-1234")
    project = load_project(make_project({"base/core.yaml": GROUP}, layers=layers))
    assert [(str(w), w.id) for w in project.warnings] == [
        (
            "catalog/layers.yaml:9:29: warning: smoke.all[0].run[2]: looks like a credential "
            "written in the catalog; take it from the environment (${API_KEY}) "
            "[smoke-literal-secret]",
            "smoke-literal-secret",
        )
    ]


def test_check_names_are_unique_per_list(make_project: Callable[..., Path]) -> None:
    twice = GROUP + '  - name: certs-ready\n    run: ["true"]\n'
    with pytest.raises(InputError) as caught:
        load_project(make_project({"base/core.yaml": twice}, layers=LAYERS))
    assert [str(p) for p in caught.value.problems] == [
        'catalog/base/core.yaml:13:5: smoke[1].name: a check "certs-ready" is already at '
        "catalog/base/core.yaml:10 [smoke-duplicate-name]"
    ]
