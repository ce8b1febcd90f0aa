"""``gen set NAME VALUE [--env E]``: one line of config.yaml, typed and checked by the setting's
declaration, validated by the whole build before it is written, then re-rendered."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import gen_at, line_of, snapshot

MakeProject = Callable[..., Path]


def test_acceptance_gpu_operator_in_ai_dev_only(default_project: Path) -> None:
    config = default_project / "config.yaml"
    before_text = config.read_text()
    prod_before = snapshot(default_project / "rendered/prod")

    result = gen_at(default_project, "set", "gpu_stack", "operator", "--env", "ai-dev")

    assert result.exit_code == 0, result.output
    after_text = config.read_text()
    diff = difflib.unified_diff(before_text.splitlines(), after_text.splitlines(), n=0)
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["+      gpu_stack: operator"]
    line = line_of(after_text, "gpu_stack: operator", after="  ai-dev:")
    assert result.stdout.splitlines() == [
        f"config.yaml:{line}: environments.ai-dev.settings.gpu_stack: (unset) -> operator",
        "ai-dev: groups added: gpu-node",
        "ai-dev: groups removed: gke-dcgm-metrics",
        "rendered/: 1 environment(s): 3 written, 61 unchanged, 1 removed",
        "  written: rendered/ai-dev/groups/gpu-node/gpu-operator.yaml",
        "  written: rendered/ai-dev/layers/platform/applicationset.yaml",
        "  written: rendered/ai-dev/layers/platform/appproject.yaml",
        "  removed: rendered/ai-dev/groups/gke-dcgm-metrics/gke-dcgm-metrics.yaml",
        "next: commit and push: in ai-dev, Argo CD will create group-gpu-node; prune "
        "group-gke-dcgm-metrics",
    ]
    assert snapshot(default_project / "rendered/prod") == prod_before
    assert gen_at(default_project, "check").exit_code == 0


def test_acceptance_a_value_outside_the_enum_lists_the_allowed_ones(
    default_project: Path,
) -> None:
    before = snapshot(default_project)
    result = gen_at(default_project, "set", "gpu_stack", "opertor")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        'error: gpu_stack: must be one of: gke-managed, operator, none; got string "opertor" '
        '(did you mean "operator"?); config.yaml not changed\n'
    )
    assert snapshot(default_project) == before


def test_as_a_real_subprocess(default_project: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "set", "gpu_stack", "opertor"],
        cwd=default_project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "allowed" not in done.stdout and done.stdout == ""
    assert done.stderr.startswith("error: gpu_stack: must be one of: gke-managed, operator, none")


def test_unknown_settings_and_environments(default_project: Path) -> None:
    result = gen_at(default_project, "set", "gpustack", "operator")
    assert (result.exit_code, result.stderr) == (
        2,
        'error: unknown setting "gpustack" (did you mean "gpu_stack"?)\n',
    )
    result = gen_at(default_project, "set", "colour", "blue")
    assert result.stderr == (
        'error: unknown setting "colour"; catalog/settings.yaml declares: gpu_stack, domain, '
        "dnsProvider\n"
    )
    result = gen_at(default_project, "set", "domain", "x.example.com", "--env", "staging")
    assert result.stderr == "error: unknown environment 'staging'; choose from: ai-dev, prod\n"


def test_a_credential_is_refused_without_echoing_it(default_project: Path) -> None:
    token = "gh" + "p_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    before = snapshot(default_project)
    result = gen_at(default_project, "set", "domain", token, "--env", "prod")
    assert result.exit_code == 2
    assert token not in result.output
    assert result.stderr == (
        "error: domain: the value looks like a credential (a GitHub token); settings are "
        "committed in plain text and copied into rendered/: keep it in a secret store (an "
        "ExternalSecret, a Sealed Secret) and set the secret's name here instead; config.yaml "
        "not changed\n"
    )
    assert snapshot(default_project) == before


def test_the_same_value_changes_nothing_and_an_override_is_said(default_project: Path) -> None:
    config = (default_project / "config.yaml").read_text()
    result = gen_at(default_project, "set", "dnsProvider", "clouddns")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"config.yaml:{line_of(config, '  dnsProvider: clouddns')}: settings.dnsProvider is "
        "already clouddns; config.yaml not changed\n"
    )
    # prod sets gpu_stack itself: a global change does not reach it, and gen says so.
    result = gen_at(default_project, "set", "gpu_stack", "none", "--no-render")
    assert result.exit_code == 0, result.output
    stack = line_of(config, "gpu_stack: operator", after="  prod:")
    assert result.stdout.splitlines() == [
        f"config.yaml:{line_of(config, '  gpu_stack: gke-managed')}: settings.gpu_stack: "
        "gke-managed -> none",
        "ai-dev: groups removed: gke-dcgm-metrics",
        f"prod: keeps its own value: environments.prod.settings.gpu_stack = operator "
        f"(config.yaml:{stack})",
        "rendered/ not updated (--no-render); run `gen render` to apply the change",
        "next: `gen render`, then commit and push: in ai-dev, Argo CD will prune "
        "group-gke-dcgm-metrics",
    ]
    assert gen_at(default_project, "check").exit_code == 1


SETTINGS = """\
settings:
  domain:
    type: string
    description: The zone.
  replicas:
    type: integer
    default: 1
    description: Web replicas.
  edge:
    type: boolean
    default: false
    description: Expose it.
"""
CONFIG = """\
repoURL: https://example.com/gitops.git
environments:
  dev:
    destination:
      server: https://kubernetes.default.svc
    settings:
      domain: dev.example.com   # the dev zone
"""
WEB = """\
name: web
layer: apps
description: Web.
core: true
apps:
  - name: web
    namespace: web
    source:
      path: apps/web
      kustomize:
        images: ["registry.${settings.domain}/web:v1"]
"""


def test_an_edit_that_would_break_the_build_leaves_everything_untouched(
    make_project: MakeProject,
) -> None:
    root = make_project({"settings.yaml": SETTINGS, "apps/web.yaml": WEB}, config=CONFIG)
    assert gen_at(root, "render").exit_code == 0
    before = snapshot(root)
    result = gen_at(root, "set", "domain", "", "--env", "dev")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        'catalog/apps/web.yaml:11:18: apps[0].source.kustomize.images[0]: environment "dev": '
        "${settings.domain} is empty (environments.dev.settings.domain at config.yaml:7); set "
        'it, or add "domain" to the group\'s needs: to render the group dormant until it is set '
        "[empty-setting-reference]",
        'error: setting domain to "" would leave 1 problem (lines as in the edited config.yaml); '
        "config.yaml not changed",
    ]
    assert snapshot(root) == before


def test_values_are_typed_by_the_declaration(make_project: MakeProject) -> None:
    root = make_project({"settings.yaml": SETTINGS, "apps/web.yaml": WEB}, config=CONFIG)
    assert gen_at(root, "set", "replicas", "three").stderr == (
        "error: replicas: must be an integer, got 'three'\n"
    )
    assert gen_at(root, "set", "edge", "yes").stderr == (
        "error: edge: must be true or false, got 'yes'\n"
    )
    assert gen_at(root, "set", "replicas", "3", "--env", "dev", "-q").exit_code == 0
    assert gen_at(root, "set", "edge", "true", "-q").exit_code == 0
    text = (root / "config.yaml").read_text()
    assert "settings:\n  edge: true\n" in text
    assert "      domain: dev.example.com   # the dev zone\n      replicas: 3\n" in text
    # The domain's comment keeps its column when the value gets shorter.
    assert gen_at(root, "set", "domain", "d.example", "--env", "dev", "-q").exit_code == 0
    assert "      domain: d.example         # the dev zone\n" in (root / "config.yaml").read_text()


def test_the_run_cache_knows_settings_yaml(make_project: MakeProject) -> None:
    """A render remembered by the run cache is not reused once catalog/settings.yaml changes."""
    root = make_project({"settings.yaml": SETTINGS, "apps/web.yaml": WEB}, config=CONFIG)
    assert gen_at(root, "render").exit_code == 0
    assert gen_at(root, "check").exit_code == 0  # answered from the cache
    settings = root / "catalog" / "settings.yaml"
    settings.write_text(settings.read_text().replace("default: 1", "default: 2"))
    assert gen_at(root, "check").exit_code == 0  # same output, recomputed: still clean
    settings.write_text(settings.read_text().replace("type: integer", "type: boolean"))
    result = gen_at(root, "check")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "catalog/settings.yaml:7:5: settings.replicas.default: must be true or false, got "
        "integer 2 [setting-type]"
    )
