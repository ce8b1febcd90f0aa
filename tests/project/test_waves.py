"""Dependencies and waves: computed waves, cycles, inconsistent explicit waves, unknown
dependencies, environments and profiles (generator/project/waves.py, via the loader and CLI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.core.errors import InputError
from generator.core.model import App, Location
from generator.project.checks.profiles import profile_dependency_warnings
from generator.project.load import load_project
from generator.project.waves import (
    compute_waves,
    dependency_problems,
    graph_problems,
)

REPO = Path(__file__).resolve().parents[2]
MakeProject = Callable[..., Path]


def _app(name: str, depends_on: tuple[str, ...] = (), wave: int | None = None) -> App:
    where = Location("catalog/g.yaml", 1, 1, "apps[0]")
    fields = {
        f"dependsOn[{i}]": Location("catalog/g.yaml", 2, i + 1) for i in range(len(depends_on))
    }
    if wave is not None:
        fields["wave"] = Location("catalog/g.yaml", 3, 5, "apps[0].wave")
    return App(
        name=name, group="g", namespace=name, sources=({"path": name},), multi_source=False,
        sync="auto", reason=None, wave=wave, sync_options=(), ignore_differences=(), labels={},
        annotations={}, where=where, depends_on=depends_on, fields=fields,
    )  # fmt: skip


def _apps(*apps: App) -> dict[str, App]:
    return {app.name: app for app in apps}


def test_wave_is_one_more_than_the_largest_dependency() -> None:
    waves = compute_waves(
        _apps(_app("crds"), _app("operator", ("crds",)), _app("config", ("operator", "crds")))
    )
    assert [waves[n].value for n in ("crds", "operator", "config")] == [0, 1, 2]
    assert waves["config"].via == "operator"
    assert waves["config"].origin() == 'computed: one more than "operator" (wave 1)'
    assert waves["crds"].origin() == "computed: no dependencies"


def test_explicit_wave_is_kept_and_said_so() -> None:
    waves = compute_waves(_apps(_app("crds", wave=5), _app("user", ("crds",))))
    assert waves["crds"].explicit and waves["crds"].origin() == "explicit at catalog/g.yaml:3"
    assert waves["user"].value == 6


def test_cycle_is_reported_once_starting_at_its_first_app() -> None:
    apps = _apps(_app("b", ("c",)), _app("c", ("a",)), _app("a", ("b",)))
    problems = graph_problems(apps)
    assert [p.message for p in problems] == ["dependency cycle: a -> b -> c -> a"]
    compute_waves(apps)  # never loops


def test_self_dependency() -> None:
    problems = graph_problems(_apps(_app("a", ("a",))))
    assert [p.message for p in problems] == ['app "a" depends on itself']


def test_unknown_dependency_suggests_a_name() -> None:
    problems = graph_problems(_apps(_app("cert-manager"), _app("issuers", ("cert-manger",))))
    assert [p.message for p in problems] == [
        'unknown app "cert-manger" (did you mean "cert-manager"?)'
    ]


CYCLE = """\
name: core
layer: base
description: Core.
core: true
apps:
  - name: a
    namespace: a
    dependsOn: [c]
    source: {path: a}
  - name: b
    namespace: b
    dependsOn: [a]
    source: {path: b}
  - name: c
    namespace: c
    dependsOn: [b]
    source: {path: c}
"""

BAD_WAVE = """\
name: core
layer: base
description: Core.
core: true
apps:
  - name: operator
    namespace: op
    wave: 2
    source: {path: op}
  - name: config
    namespace: op
    wave: 2
    dependsOn: [operator]
    source: {path: config}
"""


def test_cycle_is_exit_2_with_the_cycle_printed(make_project: MakeProject) -> None:
    root = make_project({"base/core.yaml": CYCLE})
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    assert result.exit_code == 2
    assert result.stderr == (
        "catalog/base/core.yaml:8:17: apps[0].dependsOn[0]: dependency cycle: a -> c -> b -> a"
        " [dependency-cycle]\n"
        "error: 1 problem in the input\n"
    )
    assert not (root / "rendered").exists()


def test_inconsistent_explicit_wave_is_exit_2_naming_both(make_project: MakeProject) -> None:
    root = make_project({"base/core.yaml": BAD_WAVE})
    result = CliRunner().invoke(main, ["plan", "--root", str(root)])
    assert result.exit_code == 2
    assert result.stderr == (
        'catalog/base/core.yaml:12:5: apps[1].wave: app "config" has wave 2, but it depends on '
        '"operator", whose wave is 2 (explicit at catalog/base/core.yaml:8); a wave must be '
        'greater than each dependency\'s: make it at least 3 or drop "wave" to compute it'
        " [wave-order]\n"
        "error: 1 problem in the input\n"
    )


def test_lower_wave_than_a_computed_dependency(make_project: MakeProject) -> None:
    text = BAD_WAVE.replace("    wave: 2\n    source: {path: op}", "    source: {path: op}")
    text = text.replace("wave: 2\n    dependsOn", "wave: 0\n    dependsOn")
    root = make_project({"base/core.yaml": text})
    with pytest.raises(InputError) as caught:
        load_project(root)
    assert [str(p) for p in caught.value.problems] == [
        'catalog/base/core.yaml:11:5: apps[1].wave: app "config" has wave 0, but it depends on '
        '"operator", whose wave is 0 (computed at catalog/base/core.yaml:6); a wave must be '
        'greater than each dependency\'s: make it at least 1 or drop "wave" to compute it'
        " [wave-order]"
    ]


def test_group_name_in_depends_on_is_explained(make_project: MakeProject) -> None:
    text = CYCLE.replace("dependsOn: [c]", "dependsOn: [core]").replace("    dependsOn: [b]\n", "")
    root = make_project({"base/core.yaml": text})
    with pytest.raises(InputError) as caught:
        load_project(root)
    assert [p.message for p in caught.value.problems] == [
        'unknown app "core"; "core" is a group: depend on one of its apps (a, b, c) or list it '
        "in the group's requires"
    ]


OPTIONAL = """\
name: extra
layer: apps
description: Extra.
feature: extra
default: false
apps:
  - name: extra
    namespace: extra
    source: {path: extra}
"""
USER = """\
name: user
layer: apps
description: Uses extra.
feature: user
default: true
apps:
  - name: user
    namespace: user
    dependsOn: [extra]
    source: {path: user}
"""
BASE = """\
name: core
layer: base
description: Core.
core: true
apps:
  - name: core
    namespace: core
    source: {path: core}
"""


def test_dependency_on_a_disabled_group_is_an_error(make_project: MakeProject) -> None:
    root = make_project(
        {"base/core.yaml": BASE, "apps/extra.yaml": OPTIONAL, "apps/user.yaml": USER}
    )
    with pytest.raises(InputError) as caught:
        load_project(root)
    assert [str(p) for p in caught.value.problems] == [
        'catalog/apps/user.yaml:9:17: apps[0].dependsOn[0]: environment "dev": app "user" '
        'depends on "extra" of group "extra", which is off (default false (flag \'extra\' '
        "unset) at catalog/apps/extra.yaml:1) [dependency-off]"
    ]


def test_profile_without_a_dependency_layer_is_a_warning(make_project: MakeProject) -> None:
    layers = "layers: [base, apps, more]\nprofiles:\n  base: [base]\n  apps: [base, apps]\n"
    layers += "  all: [base, apps, more]\n"
    extra = OPTIONAL.replace("layer: apps", "layer: more").replace(
        "default: false", "default: true"
    )
    root = make_project(
        {"base/core.yaml": BASE, "more/extra.yaml": extra, "apps/user.yaml": USER}, layers=layers
    )
    project = load_project(root)
    assert project.warnings == ()  # a profile's concern: gen plan and gen explain say it
    assert [str(p) for p in profile_dependency_warnings(project)] == [
        'catalog/apps/user.yaml:9:17: warning: apps[0].dependsOn[0]: profile "apps" includes '
        'layer "apps" of app "user" but not layer "more" of "extra" (group "extra"), which it '
        "depends on (group on in: dev) [profile-missing-dependency]"
    ]


def test_default_catalog_waves_come_from_its_dependencies() -> None:
    project = load_project(REPO)
    for group in project.groups.values():
        for app in group.apps:
            assert app.wave is None, f"{app.name} still has a hand-numbered wave"
    waves = compute_waves(project.apps_for("ai-dev"))
    order = [
        ("cert-manager", "cluster-issuers"),
        ("cert-manager", "kserve"),
        ("kserve-crds", "kserve"),
        ("external-secrets", "cluster-secret-store"),
        ("cluster-secret-store", "raw-vllm"),
        ("cluster-secret-store", "litellm"),
        ("prometheus-operator-crds", "kube-prometheus-stack"),
        ("prometheus-operator-crds", "gpu-operator"),
        ("gpu-operator", "raw-vllm"),
        ("gateway-api-crds", "envoy-gateway"),
        ("envoy-gateway-crds", "envoy-gateway"),
        ("envoy-gateway", "inference-gateway"),
        ("inference-extension-crds", "sim-pools"),
        ("litellm", "tenants"),
        ("litellm", "open-webui"),
        ("kserve", "kserve-demo"),
    ]
    for before, after in order:
        assert waves[before].value < waves[after].value, (before, after)


def test_default_catalog_warns_for_the_seeds_coding_assistant_case() -> None:
    project = load_project(REPO)
    assert dependency_problems(project) == []
    assert profile_dependency_warnings(project, ["platform", "llm-gateway", "full"]) == []
    # The seed's "coding-assistant: ensure the llm-gateway layer is applied", from its wants.
    assert [str(p) for p in profile_dependency_warnings(project)] == [
        'catalog/serving/coding-assistant.yaml:21:5: warning: wants[0]: profile "serving" '
        'includes layer "serving" of group "coding-assistant" but not layer "llm-gateway" of the '
        'group it wants, "litellm" (group on in: ai-dev): the IDE plugins reach the coding '
        "models only through LiteLLM virtual keys [profile-without-wanted-group]"
    ]


def test_render_writes_the_computed_wave() -> None:
    text = (REPO / "rendered/ai-dev/groups/vllm/raw-vllm.yaml").read_text()
    assert 'argocd.argoproj.io/sync-wave: "2"' in text
