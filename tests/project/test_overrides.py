"""Per-environment app overrides: merge semantics, validation located in config.yaml, and
the per-environment apps every later step sees (generator/project/overrides.py via the loader)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.core.errors import InputError
from generator.project.load import load_project
from generator.project.overrides import deep_merge, merge_app
from generator.render.templates import render_project

REPO = Path(__file__).resolve().parents[2]
MakeProject = Callable[..., Path]

CORE = """\
name: core
layer: base
description: Core.
core: true
apps:
  - name: operator
    namespace: op
    wave: 1
    source:
      repoURL: https://charts.example.com
      chart: operator
      targetRevision: "1.0.0"
      helm:
        valuesObject:
          replicas: 1
          args: [a, b]
  - name: config
    namespace: op
    dependsOn: [operator]
    source: {path: config}
"""
CONFIG = """\
repoURL: https://example.com/gitops.git
environments:
  dev:
    destination:
      server: https://kubernetes.default.svc
  prod:
    destination:
      server: https://kubernetes.default.svc
    apps:
"""


def test_deep_merge_maps_merge_lists_replace_null_removes() -> None:
    base = {"a": {"x": 1, "y": [1, 2], "z": {"k": "v"}}, "b": "keep", "c": 3}
    override = {"a": {"y": [9], "z": {"n": "w"}}, "c": None, "d": {"new": None, "ok": 1}}
    assert deep_merge(base, override) == {
        "a": {"x": 1, "y": [9], "z": {"k": "v", "n": "w"}},
        "b": "keep",
        "d": {"ok": 1},
    }
    assert base["a"] == {"x": 1, "y": [1, 2], "z": {"k": "v"}}  # inputs untouched


def test_merge_app_source_and_sources_replace_each_other() -> None:
    base = {"name": "a", "source": {"path": "a"}}
    merged = merge_app(base, {"sources": [{"path": "b"}, {"ref": "values"}]})
    assert "source" not in merged and merged["sources"] == [{"path": "b"}, {"ref": "values"}]
    back = merge_app(merged, {"source": {"path": "c"}})
    assert back["source"] == {"path": "c"} and "sources" not in back


def test_override_applies_to_its_environment_only(make_project: MakeProject) -> None:
    config = CONFIG + (
        "      operator:\n"
        "        namespace: prod-op\n"
        "        wave: null\n"
        "        source:\n"
        '          targetRevision: "2.0.0"\n'
        "          helm:\n"
        "            valuesObject:\n"
        "              args: [c]\n"
    )
    project = load_project(make_project({"base/core.yaml": CORE}, config=config))
    dev = project.apps_for("dev")["operator"]
    prod = project.apps_for("prod")["operator"]
    assert dev.namespace == "op" and dev.wave == 1
    assert prod.namespace == "prod-op" and prod.wave is None
    assert prod.sources[0] == {
        "repoURL": "https://charts.example.com",
        "chart": "operator",
        "targetRevision": "2.0.0",
        "helm": {"valuesObject": {"replicas": 1, "args": ["c"]}},
    }
    assert str(prod.where_of("namespace")) == "config.yaml:11"
    assert prod.where_of("namespace").key == "environments.prod.apps.operator.namespace"
    assert str(prod.where_of("dependsOn")) == str(dev.where_of("dependsOn"))
    assert project.groups["core"].apps[0].namespace == "op"  # the catalog itself is untouched
    files = render_project(project)
    assert 'targetRevision: "2.0.0"' in files["prod/groups/core/operator.yaml"]
    assert 'targetRevision: "1.0.0"' in files["dev/groups/core/operator.yaml"]
    assert "from catalog/base/core.yaml, config.yaml." in files["prod/groups/core/operator.yaml"]
    assert 'sync-wave: "0"' in files["prod/groups/core/operator.yaml"]  # computed again


def _problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def test_unknown_app_override_suggests_a_name(make_project: MakeProject) -> None:
    root = make_project(
        {"base/core.yaml": CORE}, config=CONFIG + "      operater:\n        wave: 2\n"
    )
    result = CliRunner().invoke(main, ["render", "--root", str(root)])
    assert result.exit_code == 2
    assert result.stderr == (
        'config.yaml:10:7: environments.prod.apps.operater: unknown app "operater" '
        '(did you mean "operator"?) [unknown-app]\n'
        "error: 1 problem in the input\n"
    )


def test_override_is_validated_like_the_app_fields(make_project: MakeProject) -> None:
    config = CONFIG + (
        "      operator:\n"
        "        wave: soon\n"
        "        sorce: {}\n"
        "      config:\n"
        "        name: renamed\n"
    )
    assert _problems(make_project({"base/core.yaml": CORE}, config=config)) == [
        "config.yaml:11:9: environments.prod.apps.operator.wave: must be an integer or null, "
        'got string "soon" [wrong-type]',
        "config.yaml:12:9: environments.prod.apps.operator.sorce: unknown field "
        '"sorce" (did you mean "source"?) [unknown-field]',
        "config.yaml:14:9: environments.prod.apps.config.name: an override cannot rename an app "
        "[override-renames-app]",
    ]


def test_override_field_checks(make_project: MakeProject) -> None:
    config = CONFIG + (
        "      config:\n"
        "        sync: manual\n"
        "      operator:\n"
        "        namespace: Bad_NS\n"
        "        labels: {stagegen.dev/x: y}\n"
    )
    assert _problems(make_project({"base/core.yaml": CORE}, config=config)) == [
        'config.yaml:10:7: environments.prod.apps.config: a manual-sync app needs a "reason" '
        "(why it is cost-gated) [missing-reason]",
        'config.yaml:13:9: environments.prod.apps.operator.namespace: "Bad_NS" is not a DNS-1123 '
        'label (lowercase letters, digits and "-", starting and ending with a letter or digit)'
        " [invalid-name]",
        'config.yaml:14:9: environments.prod.apps.operator.labels: "stagegen.dev/" keys are set '
        "by gen [reserved-key]",
    ]


def test_overridden_dependencies_are_checked_in_config_yaml(make_project: MakeProject) -> None:
    config = CONFIG + "      operator:\n        dependsOn: [config]\n"
    assert _problems(make_project({"base/core.yaml": CORE}, config=config)) == [
        "config.yaml:11:21: environments.prod.apps.operator.dependsOn[0]: dependency cycle: "
        "operator -> config -> operator [dependency-cycle]"
    ]


def test_default_config_prod_overrides_open_webui() -> None:
    project = load_project(REPO)
    dev = project.apps_for("ai-dev")["open-webui"]
    prod = project.apps_for("prod")["open-webui"]
    assert dev.sources[0]["targetRevision"] == "6.16.0"
    assert prod.sources[0]["targetRevision"] == "6.15.0"
    values = prod.sources[0]["helm"]["valuesObject"]
    assert values["persistence"] == {"enabled": True, "size": "10Gi"}
    assert values["ollama"] == {"enabled": False}  # kept from the catalog
    rendered = (REPO / "rendered/prod/groups/open-webui/open-webui.yaml").read_text()
    assert 'targetRevision: "6.15.0"' in rendered and 'size: "10Gi"' in rendered


def test_wave_conflict_caused_by_an_override_names_the_environment(
    make_project: MakeProject,
) -> None:
    config = CONFIG + "      config:\n        wave: 1\n"
    assert _problems(make_project({"base/core.yaml": CORE}, config=config)) == [
        'config.yaml:11:9: environments.prod.apps.config.wave: app "config" has wave 1, but it '
        'depends on "operator", whose wave is 1 (explicit at catalog/base/core.yaml:8); a wave '
        'must be greater than each dependency\'s: make it at least 2 or drop "wave" to compute it '
        "[wave-order]"
    ]
    text = CORE.replace("    wave: 1\n", "").replace(
        "    dependsOn: [operator]\n", "    wave: 1\n    dependsOn: [operator]\n"
    )
    config = CONFIG + "      operator:\n        wave: 4\n"
    assert _problems(make_project({"base/core.yaml": text}, config=config)) == [
        'catalog/base/core.yaml:18:5: apps[1].wave: environment "prod": app "config" has wave 1, '
        'but it depends on "operator", whose wave is 4 (explicit at config.yaml:11); a wave must '
        'be greater than each dependency\'s: make it at least 5 or drop "wave" to compute it '
        "[wave-order]"
    ]
