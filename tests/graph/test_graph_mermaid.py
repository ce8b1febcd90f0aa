"""Mermaid output: escaping, the exact text of a small project, and Mermaid's own parser.

Mermaid's flowchart syntax (its documentation, "Flowcharts - Basic Syntax"): quoted labels,
entity codes for the characters that break them (``#34;`` for a double quote, ``#35;`` for
``#``: decimal codes), ``subgraph id["title"] ... end``, ``classDef``/``class`` and ``linkStyle``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from generator.graph.assemble import bringup_graph
from generator.graph.mermaid import mermaid_id, mermaid_text, to_mermaid
from generator.graph.model import LEVELS
from generator.project.load import load_project

SMALL = Path(__file__).parent / "cases" / "small"
PARSER = Path(__file__).parent / "tools" / "mermaid_parse.mjs"
#: A node_modules folder holding the mermaid and jsdom npm packages, for the parser test.
MODULES = os.environ.get("STAGEGEN_MERMAID_MODULES", "")


def test_label_text_is_quoted_with_entity_codes() -> None:
    lines = ['say "hi" #1 <b> & `x` 50%', "second line"]
    assert mermaid_text(lines) == (
        '"say #34;hi#34; #35;1 #60;b#62; #38; #96;x#96; 50#37;<br>second line"'
    )
    assert mermaid_text(["end"]) == '"end"'  # a reserved word is harmless inside quotes


def test_ids_keep_letters_and_digits() -> None:
    assert mermaid_id("group:cert-manager") == "group_cert_manager"
    assert mermaid_id("layer:llm-gateway") == "layer_llm_gateway"


def test_apps_level_of_the_small_project() -> None:
    graph = bringup_graph(load_project(SMALL), "dev", "all", "apps")
    assert to_mermaid(graph) == (
        "---\n"
        'title: "dev, profile all (apps)"\n'
        "---\n"
        "%% gen graph --env dev --profile all --level apps: generated, do not edit.\n"
        "%% Arrows run in bring-up order: requires solid, dependsOn dotted, wants dashed.\n"
        "flowchart LR\n"
        '    subgraph layer_base["base"]\n'
        '        subgraph group_certs["certs"]\n'
        '            app_cert_manager("cert-manager<br>wave 0")\n'
        '            app_issuers("issuers<br>wave 1")\n'
        "        end\n"
        '        subgraph group_dns["dns<br>dormant: domain empty"]\n'
        '            app_external_dns[["external-dns<br>wave 1<br>dormant: domain empty"]]\n'
        "        end\n"
        '        subgraph group_secrets["secrets"]\n'
        '            app_secret_store("secret-store<br>wave 0")\n'
        "        end\n"
        '        group_gpu("gpu<br>off: gpu_stack is managed, not operator")\n'
        "    end\n"
        '    subgraph layer_serving["serving"]\n'
        '        subgraph group_model["model"]\n'
        '            app_model[["model<br>wave 2<br>manual: GPU cost; '
        "#34;quoted#34; #35;1 #60;fast#62; #38;<br>#96;make up#96;<br>"
        'cost action: scale Deployment model, up<br>1 / down 0"]]\n'
        '            app_model_ui("model-ui<br>wave 3")\n'
        "        end\n"
        '        group_assistant("assistant<br>off: features.assistant = false")\n'
        "    end\n"
        '    subgraph layer_edge["edge"]\n'
        '        subgraph group_gateway["gateway"]\n'
        '            app_gateway("gateway<br>wave 1")\n'
        "        end\n"
        "    end\n"
        "    app_cert_manager -.-> app_gateway\n"
        "    app_cert_manager -.-> app_issuers\n"
        "    app_issuers -.-> app_model\n"
        "    app_model -.-> app_model_ui\n"
        "    app_secret_store -.-> app_external_dns\n"
        '    group_gateway -.->|"wants"| group_model\n'
        "    group_model --> group_assistant\n"
        "    classDef disabled fill:#f4f4f4,stroke:#aaaaaa,color:#888888,stroke-dasharray:4 3\n"
        "    class group_gpu,group_assistant disabled\n"
        "    classDef conditional stroke:#6f42c1,stroke-width:2px\n"
        "    class group_gpu conditional\n"
        "    classDef manual fill:#fff3cd,stroke:#b8860b,stroke-width:2px\n"
        "    class app_external_dns,app_model manual\n"
        "    classDef dormant fill:#e9ecef,stroke:#6c757d,stroke-dasharray:2 2\n"
        "    class group_dns,app_external_dns dormant\n"
        "    linkStyle 5 stroke-dasharray:8 4\n"
        "    linkStyle 6 stroke:#bbbbbb\n"
    )


def test_each_kind_of_link_and_its_style() -> None:
    """requires solid, dependsOn dotted, wants dashed (re-styled: Mermaid's own non-solid line
    is dotted) and labelled; a link to a group that is off greyed."""
    text = to_mermaid(bringup_graph(load_project(SMALL), "dev", "all"))
    links = [line.strip() for line in text.splitlines() if "->" in line]
    assert links == [
        "group_certs -.-> group_gateway",
        "group_certs --> group_model",
        'group_gateway -.->|"wants"| group_model',
        "group_model --> group_assistant",
        "group_secrets -.-> group_dns",
    ]
    assert text.splitlines()[-2:] == [
        "    linkStyle 2 stroke-dasharray:8 4",
        "    linkStyle 3 stroke:#bbbbbb",
    ]


def _graphs() -> list[tuple[str, str]]:
    small, default = load_project(SMALL), load_project(REPO_ROOT)
    texts = []
    for level in LEVELS:
        for enabled_only in (False, True):
            for name, project, env, profile in (
                ("small", small, "dev", "serving"),
                ("small", small, "prod", "all"),
                ("default", default, "ai-dev", "full"),
                ("default", default, "prod", "llm-gateway"),
            ):
                graph = bringup_graph(project, env, profile, level, enabled_only)
                label = f"{name}-{env}-{profile}-{level}{'-enabled' if enabled_only else ''}"
                texts.append((label, to_mermaid(graph)))
    return texts


def test_mermaid_parses_every_graph(tmp_path: Path) -> None:
    """Mermaid's own parser accepts every level of both projects. It needs node and the npm
    packages mermaid and jsdom (not installed by CI: npm needs the network)."""
    node = shutil.which("node")
    if node is None or not MODULES or not (Path(MODULES) / "mermaid").is_dir():
        pytest.skip(
            "Mermaid's parser is not available: install node, run `npm install mermaid jsdom` in "
            "a folder and set STAGEGEN_MERMAID_MODULES to its node_modules"
        )
    files = []
    for label, text in _graphs():
        path = tmp_path / f"{label}.mmd"
        path.write_text(text)
        files.append(str(path))
    done = subprocess.run(
        [node, str(PARSER), MODULES, *files], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(done.stdout.splitlines()) == len(files)
