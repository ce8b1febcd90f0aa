"""Typed settings (generator/project/settings/declared.py): declarations, the checks of a value
against its declaration, and the value each environment ends up with (and where it was set)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.core.errors import InputError
from generator.core.model import Location, SettingDeclaration
from generator.project.load import load_project
from generator.project.resolve import origin
from generator.project.settings.declared import effective_values, value_problem

MakeProject = Callable[..., Path]
HERE = Location("catalog/settings.yaml", 3)
STACK = SettingDeclaration(
    "gpu_stack", "string", "GPU stack.", HERE, enum=("gke-managed", "operator", "none")
)
DOMAIN = SettingDeclaration("domain", "string", "Zone.", HERE, pattern=r"[a-z.]+\.[a-z]+")
REPLICAS = SettingDeclaration("replicas", "integer", "Replicas.", HERE, enum=(1, 2, 3))
EDGE = SettingDeclaration("publicEdge", "boolean", "Edge.", HERE)


@pytest.mark.parametrize(
    ("decl", "value", "expected"),
    [
        (STACK, "operator", None),
        (
            STACK,
            "Operator",
            (
                "setting-value-not-allowed",
                "must be one of: gke-managed, "
                'operator, none; got string "Operator" (did you mean "operator"?)',
            ),
        ),
        (STACK, 3, ("setting-type", "must be a string, got integer 3; put it in quotes")),
        (DOMAIN, "", None),  # empty is always allowed: it means "not set"
        (DOMAIN, "ai.example.com", None),
        (
            DOMAIN,
            "ai.example.com.",
            (
                "setting-pattern-mismatch",
                'string "ai.example.com." does '
                r"not match the pattern [a-z.]+\.[a-z]+ declared at catalog/settings.yaml:3",
            ),
        ),
        (REPLICAS, 2, None),
        (REPLICAS, 4, ("setting-value-not-allowed", "must be one of: 1, 2, 3; got integer 4")),
        (REPLICAS, True, ("setting-type", "must be an integer, got boolean true")),
        (EDGE, True, None),
        (EDGE, 1, ("setting-type", "must be true or false, got integer 1")),
        (
            EDGE,
            "yes",
            (
                "setting-type",
                'must be true or false, got string "yes"; write true or false without quotes',
            ),
        ),
        (EDGE, None, ("setting-type", "must be true or false, got null")),
        (DOMAIN, None, ("setting-type", 'must be a string, got null; write "" for an empty value')),
    ],
)
def test_value_against_its_declaration(
    decl: SettingDeclaration, value: Any, expected: tuple[str, str] | None
) -> None:
    assert value_problem(decl, value) == expected


def test_a_credential_is_named_but_never_echoed_whatever_the_type() -> None:
    token = "gh" + "p_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    for decl in (STACK, DOMAIN, REPLICAS, EDGE):
        found = value_problem(decl, token)
        assert found is not None and found[0] == "credential-in-setting"
        assert token not in found[1]
        assert "(a GitHub token)" in found[1]


SETTINGS = """\
settings:
  gpu_stack:
    type: string
    enum: [gke-managed, operator, none]
    default: gke-managed
    description: GPU stack.
  domain:
    type: string
    description: Zone.
"""
CONFIG = """\
repoURL: https://example.com/gitops.git
settings:
  domain: example.com
environments:
  dev:
    destination: {server: https://kubernetes.default.svc}
    settings: {gpu_stack: operator}
  prod:
    destination: {name: prod}
    settings:
      domain: ai.example.com
"""
GROUP = """\
name: web
layer: apps
description: Web.
core: true
apps:
  - name: web
    namespace: web
    source: {path: apps/web}
"""


def test_each_environment_gets_its_own_value_else_the_global_else_the_default(
    make_project: MakeProject,
) -> None:
    root = make_project({"settings.yaml": SETTINGS, "apps/web.yaml": GROUP}, config=CONFIG)
    project = load_project(root)
    seen = {
        env: {name: (v.value, v.describe(), origin(v)) for name, v in values.items()}
        for env, values in (
            (name, effective_values(project, env))
            for name, env in project.config.environments.items()
        )
    }
    assert seen == {
        "dev": {
            "gpu_stack": (
                "operator",
                "environments.dev.settings.gpu_stack = operator",
                "environments.dev.settings.gpu_stack at config.yaml:7",
            ),
            "domain": (
                "example.com",
                "settings.domain = example.com",
                "settings.domain at config.yaml:3",
            ),
        },
        "prod": {
            "gpu_stack": (
                "gke-managed",
                "gpu_stack: default gke-managed",
                "default at catalog/settings.yaml:5",
            ),
            "domain": (
                "ai.example.com",
                "environments.prod.settings.domain = ai.example.com",
                "environments.prod.settings.domain at config.yaml:11",
            ),
        },
    }


def test_unset_without_a_default_is_empty(make_project: MakeProject) -> None:
    config = CONFIG.replace("settings:\n  domain: example.com\n", "").replace(
        "    settings:\n      domain: ai.example.com\n", ""
    )
    root = make_project({"settings.yaml": SETTINGS, "apps/web.yaml": GROUP}, config=config)
    project = load_project(root)
    value = effective_values(project, project.config.environments["prod"])["domain"]
    assert (value.value, value.empty, value.describe(), origin(value)) == (
        None,
        True,
        "domain: unset",
        "unset, declared at catalog/settings.yaml:7",
    )


def test_when_keeps_booleans_and_integers_apart(make_project: MakeProject) -> None:
    settings = SETTINGS + "  edge:\n    type: boolean\n    default: true\n    description: Edge.\n"
    gated = GROUP.replace("core: true\n", "core: true\nwhen: {edge: true}\n")
    root = make_project({"settings.yaml": settings, "apps/web.yaml": gated}, config=CONFIG)
    from generator.project.resolve import decide

    project = load_project(root)
    [decision] = decide(project, project.config.environments["dev"])
    assert decision.enabled
    assert decision.explain() == (
        "core group (catalog/apps/web.yaml:1); edge is true (default at catalog/settings.yaml:12)"
    )
    # 1 is not true: the condition is checked against the declared type.
    root.joinpath("catalog/apps/web.yaml").write_text(gated.replace("edge: true", "edge: 1"))
    with pytest.raises(InputError) as raised:
        load_project(root)
    assert [str(p) for p in raised.value.problems] == [
        "catalog/apps/web.yaml:5:8: when.edge: must be true or false, got integer 1 [setting-type]"
    ]
