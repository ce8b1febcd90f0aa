"""The peer: Kapitan compiling the same Applications, one file per app, from one Jinja2 template.

On request only (``--peer kapitan``), Kapitan is installed from PyPI into its own virtual
environment under ``$XDG_CACHE_HOME/stagegen-bench/`` (default ``~/.cache``), kept between runs.
For a synthetic size the harness writes a Kapitan project: an inventory (reclass, Kapitan's
default backend) with one target per environment and one class per group, whose
``parameters.kapitan.compile`` lists one ``jinja2`` input per app, each with the app in its
``input_params``; and one template, ``templates/app.yaml.j2``, that writes the same Application
document ``gen render`` writes (tests/test_benchmarks.py renders it and compares). Kapitan's
jinja2 input names each output file after its template, so every app gets a folder:
``compiled/<env>/groups/<group>/<app>/app.yaml``. Inventory files are JSON, which is YAML.

Kapitan runs with its defaults (``kapitan compile``: parallelism min(targets, CPUs)), cold,
into a fresh ``--output-path`` each run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from measure import Measurement, Sample, run_child, settle, user_environment
from scenarios import Workspace, count_files
from synth import (
    MANUAL_REASON,
    REPO_URL,
    Size,
    app_name,
    app_path,
    cluster,
    environment,
    helm_source,
    is_manual,
    layer,
    namespace,
    revision,
)

KAPITAN_VERSION = "0.36.3"  # the version issue 15 measured against
TEMPLATE = Path(__file__).resolve().parent / "kapitan" / "app.yaml.j2"


def cache_folder() -> Path:
    """Where the peer's virtual environment lives between benchmark runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stagegen-bench"


@dataclass(frozen=True)
class Peer:
    """An installed peer (``executable`` set) or why there is none (``problem``)."""

    name: str
    version: str
    executable: Path | None
    problem: str = ""


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if not line.startswith("WARNING")]
    return lines[-1] if lines else "no output"


def install_kapitan(version: str = KAPITAN_VERSION) -> Peer:
    """Install Kapitan ``version`` into its own venv, unless it is there already."""
    venv = cache_folder() / f"kapitan-{version}"
    executable = venv / "bin" / "kapitan"
    stamp = venv / ".installed"
    if executable.exists() and stamp.exists():
        return Peer("kapitan", version, executable)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"kapitan=={version}"],
    ]
    for step in steps:
        print(f"peer: {' '.join(step)}", file=sys.stderr)
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            why = f"`{' '.join(step[2:])}` failed: {_last_line(done.stderr or done.stdout)}"
            return Peer("kapitan", version, None, why)
    stamp.write_text(version)
    return Peer("kapitan", version, executable)


def _app(g: int, a: int) -> dict[str, Any]:
    app: dict[str, Any] = {
        "name": app_name(g, a),
        "wave": str(a % 4),
        "sync": "manual" if is_manual(a) else "auto",
        "syncOptions": ["CreateNamespace=true"],
    }
    if a % 2:
        app["helm"] = helm_source(g, a)
    else:
        app["path"] = app_path(g, a)
    if is_manual(a):
        app["reason"] = MANUAL_REASON
        rule = {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}
        app["ignoreDifferences"] = [rule]
    return app


def group_class(size: Size, g: int) -> dict[str, Any]:
    """The inventory class of group ``g``: its apps, and one compile entry per app."""
    group = f"group-{g:03d}"
    compile_entries = [
        {
            "input_type": "jinja2",
            "input_paths": ["templates/app.yaml.j2"],
            "output_path": f"groups/{group}/{app_name(g, a)}",
            "suffix_remove": True,
            "input_params": {"group": group, "app": a},
        }
        for a in range(size.apps)
    ]
    apps = [_app(g, a) for a in range(size.apps)]
    entry = {"layer": layer(g), "namespace": namespace(g), "apps": apps}
    return {
        "parameters": {
            "stagegen": {"groups": {group: entry}},
            "kapitan": {"compile": compile_entries},
        }
    }


def target(size: Size, e: int) -> dict[str, Any]:
    """The inventory target of environment ``e``: every group's class and its own settings."""
    name = environment(e)
    return {
        "classes": [f"groups.group-{g:03d}" for g in range(size.groups)],
        "parameters": {
            "kapitan": {"vars": {"target": name}},
            "stagegen": {
                "env": name,
                "cluster": cluster(e),
                "revision": revision(e),
                "repo_url": REPO_URL,
                "argocd_namespace": "argocd",
            },
        },
    }


def write_project(size: Size, folder: Path) -> Path:
    """Write the Kapitan project for ``size`` into ``folder`` (created)."""
    classes = folder / "inventory" / "classes" / "groups"
    targets = folder / "inventory" / "targets"
    templates = folder / "templates"
    for path in (classes, targets, templates):
        path.mkdir(parents=True)
    for g in range(size.groups):
        (classes / f"group-{g:03d}.yml").write_text(json.dumps(group_class(size, g)))
    for e in range(size.environments):
        (targets / f"{environment(e)}.yml").write_text(json.dumps(target(size, e)))
    (templates / "app.yaml.j2").write_text(TEMPLATE.read_text())
    return folder


def _compile(peer: Peer, project: Path, output: Path, settled: float = 0.0) -> Sample:
    assert peer.executable is not None
    command = [str(peer.executable), "compile", "--output-path", str(output)]
    env = user_environment(project / "unused-gen-cache")
    return run_child(command, project, env, settled)


def measure_peer(peer: Peer, ws: Workspace, runs: int, applications: int) -> Measurement:
    """Time ``kapitan compile`` of the same Applications, cold, into a fresh folder per run."""
    key, label = "peer", f"peer: kapitan {peer.version} compile (cold, fresh folder)"
    if peer.executable is None:
        return Measurement(key, label, (), f"not measured: {peer.problem}")
    project = write_project(ws.size, ws.work / "kapitan")
    first = ws.fresh_path("kapitan-out")  # untimed: writes Kapitan's bytecode, checks the output
    warm = _compile(peer, project, first)
    written = count_files(first / "compiled") if (first / "compiled").exists() else 0
    if warm.exit_code != 0 or written != applications:
        why = f"kapitan compile exited {warm.exit_code} and wrote {written} of {applications}"
        return Measurement(key, label, (), f"not measured: {why} files")
    samples: list[Sample] = []
    for _ in range(runs):
        settled = settle(ws.work)
        samples.append(_compile(peer, project, ws.fresh_path("kapitan-out"), settled))
    return Measurement(key, label, tuple(samples))
