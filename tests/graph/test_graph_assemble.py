"""The graph value: which layers, groups, apps and edges are drawn, with which labels and marks.

The test project (cases/small) has, in environment dev: a core group (certs), a conditional group
that is off (gpu: ``gpu_stack`` is managed), a dormant group (dns: ``domain`` is empty), a group
switched off by its flag (assistant), a group with a manual-sync app and a cost action (model),
and in another layer a group that model wants (gateway). In prod, gpu and assistant are on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.model import Project
from generator.graph.assemble import bringup_graph
from generator.graph.model import Graph
from generator.project.load import load_project

SMALL = Path(__file__).parent / "cases" / "small"


@pytest.fixture(scope="module")
def small() -> Project:
    return load_project(SMALL)


def outline(graph: Graph) -> list[str]:
    """The graph, one line per cluster, node and edge: what it shows and how it is marked."""
    lines = [
        f"C {c.id} in {c.parent} {' | '.join(c.label)} {list(c.marks)}" for c in graph.clusters
    ]
    lines += [f"N {n.id} in {n.cluster} {' | '.join(n.label)} {list(n.marks)}" for n in graph.nodes]
    lines += [
        f"E {e.source} -> {e.target} {e.kind} via {list(e.via)} {list(e.marks)}"
        for e in graph.edges
    ]
    return lines


def test_groups_level_marks_each_kind_of_group(small: Project) -> None:
    graph = bringup_graph(small, "dev", "all")
    assert (graph.environment, graph.profile, graph.level) == ("dev", "all", "groups")
    assert graph.layers == ("base", "serving", "edge")
    assert outline(graph) == [
        "C layer:base in None base []",
        "C layer:serving in None serving []",
        "C layer:edge in None edge []",
        "N group:certs in layer:base certs | core, 2 apps ['core']",
        "N group:dns in layer:base dns | 1 app | dormant: domain empty ['dormant']",
        "N group:gpu in layer:base gpu | off: gpu_stack is managed, not operator "
        "['disabled', 'conditional']",
        "N group:secrets in layer:base secrets | 1 app []",
        "N group:assistant in layer:serving assistant | off: features.assistant = false "
        "['disabled']",
        "N group:model in layer:serving model | 2 apps, 1 manual []",
        "N group:gateway in layer:edge gateway | 1 app []",
        # gateway's app depends on cert-manager without requiring its group: dotted.
        "E group:certs -> group:gateway dependsOn via ['gateway -> cert-manager'] []",
        # model requires certs, and its app depends on issuers: one line, the strongest.
        "E group:certs -> group:model requires via ['model -> issuers'] []",
        "E group:gateway -> group:model wants via [] []",
        "E group:model -> group:assistant requires via [] ['inactive']",
        "E group:secrets -> group:dns dependsOn via ['external-dns -> secret-store'] []",
    ]
    wants = next(e for e in graph.edges if e.kind == "wants")
    assert wants.reason == "clients reach the model through the gateway"


def test_enabled_only_leaves_out_the_groups_that_are_off(small: Project) -> None:
    graph = bringup_graph(small, "dev", "all", enabled_only=True)
    assert [n.id for n in graph.nodes] == [
        "group:certs",
        "group:dns",
        "group:secrets",
        "group:model",
        "group:gateway",
    ]
    assert "group:assistant" not in {e.target for e in graph.edges}
    assert graph.command("mermaid") == "gen graph --env dev --profile all --enabled-only"


def test_a_group_all_manual_is_marked_and_the_condition_that_holds_is_shown(
    small: Project,
) -> None:
    graph = bringup_graph(small, "prod", "all")
    nodes = {n.id: n for n in graph.nodes}
    assert nodes["group:assistant"].label == ("assistant", "1 app, all manual")
    assert nodes["group:assistant"].marks == ("manual",)
    assert nodes["group:gpu"].label == ("gpu", "1 app", "when gpu_stack is operator")
    assert nodes["group:gpu"].marks == ("conditional",)
    assert nodes["group:dns"].marks == ()  # prod sets its domain


def test_a_dependency_outside_the_profile_is_drawn_in_its_own_layer_marked(
    small: Project,
) -> None:
    """Profile serving leaves out layer edge, but model wants gateway: gateway is drawn, and
    its layer says it is not in the profile (as the profile warning does)."""
    graph = bringup_graph(small, "dev", "serving")
    assert graph.layers == ("base", "serving")
    edge = graph.clusters[-1]
    assert (edge.id, edge.label, edge.marks) == (
        "layer:edge",
        ("edge", "not in profile serving"),
        ("outside-profile",),
    )
    gateway = next(n for n in graph.nodes if n.id == "group:gateway")
    assert gateway.marks == ("outside-profile",)
    assert [(e.source, e.target) for e in graph.edges if e.kind == "wants"] == [
        ("group:gateway", "group:model")
    ]


def test_profile_base_draws_only_its_layer(small: Project) -> None:
    graph = bringup_graph(small, "dev", "base")
    assert [c.id for c in graph.clusters] == ["layer:base"]
    assert {n.cluster for n in graph.nodes} == {"layer:base"}


def test_apps_level_groups_are_boxes_of_their_apps_with_waves(small: Project) -> None:
    graph = bringup_graph(small, "dev", "all", "apps")
    assert outline(graph) == [
        "C layer:base in None base []",
        "C group:certs in layer:base certs ['core']",
        "C group:dns in layer:base dns | dormant: domain empty ['dormant']",
        "C group:secrets in layer:base secrets []",
        "C layer:serving in None serving []",
        "C group:model in layer:serving model []",
        "C layer:edge in None edge []",
        "C group:gateway in layer:edge gateway []",
        "N app:cert-manager in group:certs cert-manager | wave 0 []",
        "N app:issuers in group:certs issuers | wave 1 []",
        "N app:external-dns in group:dns external-dns | wave 1 | dormant: domain empty "
        "['manual', 'dormant']",
        "N group:gpu in layer:base gpu | off: gpu_stack is managed, not operator "
        "['disabled', 'conditional']",
        "N app:secret-store in group:secrets secret-store | wave 0 []",
        "N group:assistant in layer:serving assistant | off: features.assistant = false "
        "['disabled']",
        'N app:model in group:model model | wave 2 | manual: GPU cost; "quoted" #1 <fast> & | '
        "`make up` | cost action: scale Deployment model, up | 1 / down 0 ['manual']",
        "N app:model-ui in group:model model-ui | wave 3 []",
        "N app:gateway in group:gateway gateway | wave 1 []",
        "E app:cert-manager -> app:gateway dependsOn via [] []",
        "E app:cert-manager -> app:issuers dependsOn via [] []",
        "E app:issuers -> app:model dependsOn via [] []",
        "E app:model -> app:model-ui dependsOn via [] []",
        "E app:secret-store -> app:external-dns dependsOn via [] []",
        # No app line joins these two groups: the group line stays.
        "E group:gateway -> group:model wants via [] []",
        "E group:model -> group:assistant requires via [] ['inactive']",
    ]


def test_app_attributes_carry_what_the_label_abbreviates(small: Project) -> None:
    graph = bringup_graph(small, "prod", "all", "apps")
    model = next(n for n in graph.nodes if n.id == "app:model")
    assert model.label[0] == "prod-model"  # the Application's name, with the namePrefix
    assert dict(model.attributes) == {
        "layer": "serving",
        "group": "model",
        "application": "prod-model",
        "namespace": "model",
        "wave": 2,
        "waveOrigin": 'computed: one more than "issuers" (wave 1)',
        "sync": "manual",
        "reason": 'GPU cost; "quoted" #1 <fast> & `make up`',
        "syncCommand": "argocd app sync prod-model",
        "dormant": [],
        "costActions": ["scale Deployment model (model): up 1, down 0"],
        "dependsOn": ["issuers"],
    }
    assert model.tooltip == (
        'GPU cost; "quoted" #1 <fast> & `make up`; wave 2: computed: one more than "issuers" '
        "(wave 1); scale Deployment model (model): up 1, down 0"
    )


def test_layers_level_one_line_between_two_layers(small: Project) -> None:
    graph = bringup_graph(small, "dev", "all", "layers")
    assert graph.clusters == ()
    assert outline(graph) == [
        "N layer:base in None base | 3 of 4 groups on | 4 apps, 0 manual []",
        "N layer:serving in None serving | 1 of 2 groups on | 2 apps, 1 manual []",
        "N layer:edge in None edge | 1 group on | 1 app, 0 manual []",
        "E layer:base -> layer:edge dependsOn via ['gateway -> certs'] []",
        "E layer:base -> layer:serving requires via ['model -> certs'] []",
        "E layer:edge -> layer:serving wants via ['model -> gateway'] []",
    ]


def test_a_layer_with_nothing_to_show_is_a_plain_node(tmp_path: Path) -> None:
    """With --enabled-only and every group of a layer off, the layer is still drawn (one box
    saying so) rather than an empty cluster, which some renderers drop."""
    import shutil

    root = tmp_path / "small"
    shutil.copytree(SMALL, root)
    config = root / "config.yaml"
    text = config.read_text().replace("  gpu: true", "  gpu: false")
    config.write_text(text.replace("assistant: true", "assistant: false"))
    graph = bringup_graph(load_project(root), "dev", "all", enabled_only=True)
    assert "layer:serving" not in {c.id for c in graph.clusters}
    serving = next(n for n in graph.nodes if n.id == "layer:serving")
    assert (serving.cluster, serving.label) == (
        None,
        ("serving", "0 groups on", "0 apps, 0 manual"),
    )
