"""What settings do to groups (generator/project/settings/conditions.py, resolve.py): ``when``,
dormant groups (``needs``), soft dependencies (``wants``), and ``${settings.x}`` reaching the apps;
seen through ``gen render``, ``resolve-groups``, ``explain`` and ``plan`` on a small project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import gen_at, line_of

from generator.project.load import load_project
from generator.project.resolve import decide

MakeProject = Callable[..., Path]

SETTINGS = """\
settings:
  gpu_stack:
    type: string
    enum: [gke-managed, operator, none]
    default: gke-managed
    description: Who installs the GPU stack.
  domain:
    type: string
    default: ""
    description: The public zone.
  dnsProvider:
    type: string
    enum: [none, cloudflare, route53]
    default: none
    description: Where the records go.
"""
CONFIG = """\
repoURL: https://example.com/gitops.git
features:
  identity: true
settings:
  gpu_stack: operator
environments:
  dev:
    destination:
      server: https://kubernetes.default.svc
    settings:
      domain: ""
      dnsProvider: cloudflare
  prod:
    destination:
      name: prod
    settings:
      domain: ai.example.com
      gpu_stack: gke-managed
"""
CERTS = """\
name: certs
layer: base
description: Certificates.
core: true
apps:
  - name: cert-manager
    namespace: cert-manager
    source: {path: base/cert-manager}
"""
GPU = """\
name: gpu-operator
layer: base
description: The GPU operator.
default: true
when:
  gpu_stack: operator
apps:
  - name: gpu-operator
    namespace: gpu-operator
    source: {path: base/gpu-operator}
"""
DNS = """\
name: dns
layer: base
description: external-dns.
default: true
when:
  dnsProvider: [cloudflare, route53]
  gpu_stack: [operator, gke-managed]
needs: [domain]
apps:
  - name: external-dns
    namespace: external-dns
    source:
      path: base/external-dns
      kustomize:
        images: ["registry.${settings.domain}/external-dns:v1"]
"""
IDENTITY = """\
name: identity
layer: apps
description: Single sign-on.
needs: [domain]
apps:
  - name: dex
    namespace: dex
    source:
      repoURL: https://charts.dexidp.io
      chart: dex
      targetRevision: 0.23.0
      helm:
        valuesObject:
          issuer: https://auth.${settings.domain}/dex
          literal: $${literal}
          template: "{{ .name }}"
  - name: proxy
    namespace: proxy
    source: {path: apps/proxy}
    syncPolicy:
      automated: {prune: true}
      syncOptions: [CreateNamespace=true]
"""
ASSISTANT = """\
name: assistant
layer: apps
description: The coding assistant.
default: true
wants:
  - group: gateway
    reason: the IDEs reach the models only through the gateway
  - certs
apps:
  - name: coder
    namespace: coder
    sync: manual
    reason: GPU cost
    source: {path: apps/coder}
"""
GATEWAY = """\
name: gateway
layer: apps
description: The LLM gateway.
apps:
  - name: gateway
    namespace: gateway
    source: {path: apps/gateway}
"""
FILES = {
    "settings.yaml": SETTINGS,
    "base/certs.yaml": CERTS,
    "base/gpu-operator.yaml": GPU,
    "base/dns.yaml": DNS,
    "apps/identity.yaml": IDENTITY,
    "apps/assistant.yaml": ASSISTANT,
    "apps/gateway.yaml": GATEWAY,
}


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project(FILES, config=CONFIG)


def test_when_needs_every_setting_to_match_and_a_list_means_any_of(project: Path) -> None:
    loaded = load_project(project)
    on = {
        env: {d.group.name for d in decide(loaded, e) if d.enabled}
        for env, e in loaded.config.environments.items()
    }
    assert on == {
        # dev: gpu_stack operator (global), dnsProvider cloudflare: both conditions of dns hold.
        "dev": {"certs", "gpu-operator", "dns", "identity", "assistant"},
        # prod: gke-managed, and dnsProvider's default none: no operator, no dns.
        "prod": {"certs", "identity", "assistant"},
    }


def test_resolve_groups_shows_each_condition_with_its_value_and_where_it_was_set(
    project: Path,
) -> None:
    result = gen_at(project, "resolve-groups", "--env", "prod")
    assert result.exit_code == 0, result.output
    rows = {line.split()[2]: line for line in result.stdout.splitlines()[1:]}
    stack = line_of(CONFIG, "gpu_stack: gke-managed")
    assert rows["gpu-operator"].split(None, 4)[4] == (
        "default true (flag 'gpu-operator' unset) (catalog/base/gpu-operator.yaml:1); "
        "gpu_stack is gke-managed, not operator (environments.prod.settings.gpu_stack at "
        f"config.yaml:{stack})"
    )
    assert rows["dns"].split(None, 4)[4] == (
        "default true (flag 'dns' unset) (catalog/base/dns.yaml:1); dnsProvider is none, not "
        "cloudflare or route53 (default at catalog/settings.yaml:14); gpu_stack is gke-managed "
        f"(environments.prod.settings.gpu_stack at config.yaml:{stack})"
    )


def test_a_dormant_group_renders_without_automated_sync_and_warns_once(project: Path) -> None:
    result = gen_at(project, "render")
    assert result.exit_code == 0, result.output
    domain = line_of(CONFIG, 'domain: ""')
    # One warning per environment and empty setting, naming every group it keeps dormant.
    wants = [
        f'catalog/apps/assistant.yaml:6:5: warning: wants[0]: environment "{env}": group '
        '"assistant" is on but it wants "gateway", which is off (default false (flag '
        "'gateway' unset) at catalog/apps/gateway.yaml:1): the IDEs reach the models only "
        "through the gateway [wanted-group-off]"
        for env in ("dev", "prod")
    ]
    assert result.stderr.splitlines() == [
        *wants,
        f"config.yaml:{domain}:7: warning: environments.dev.settings.domain: environment "
        '"dev": groups "dns" and "identity" are on but setting "domain" is empty: their apps '
        "stay dormant (no automated sync) until it is set [dormant-group]",
    ]
    dev = (project / "rendered/dev/groups/identity/dex.yaml").read_text()
    doc = yaml.safe_load(dev)
    assert dev.splitlines()[2] == (
        "# Dormant: domain empty in dev; no automated sync until set in config.yaml (then `gen "
        "render`)."
    )
    assert doc["metadata"]["labels"]["stagegen.dev/sync"] == "manual"
    assert doc["metadata"]["annotations"]["stagegen.dev/dormant"] == "domain"
    assert doc["metadata"]["annotations"]["stagegen.dev/manual-reason"] == (
        "dormant until domain is set"
    )
    assert "automated" not in doc["spec"].get("syncPolicy", {})
    # Rendered anyway, with the empty value.
    assert doc["spec"]["source"]["helm"]["valuesObject"]["issuer"] == "https://auth./dex"
    # A long-form syncPolicy loses only its automated part.
    proxy = yaml.safe_load((project / "rendered/dev/groups/identity/proxy.yaml").read_text())
    assert proxy["spec"]["syncPolicy"] == {"syncOptions": ["CreateNamespace=true"]}
    # With the domain set, the group is live and the hosts carry it.
    prod = yaml.safe_load((project / "rendered/prod/groups/identity/dex.yaml").read_text())
    values = prod["spec"]["source"]["helm"]["valuesObject"]
    assert values == {
        "issuer": "https://auth.ai.example.com/dex",
        "literal": "${literal}",
        "template": "{{ .name }}",
    }
    assert prod["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
    assert "stagegen.dev/dormant" not in prod["metadata"].get("annotations", {})


def test_setting_the_domain_wakes_the_groups_up(project: Path) -> None:
    result = gen_at(project, "set", "domain", "dev.example.com", "--env", "dev")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f'config.yaml:{line_of(CONFIG, "domain: ")}: environments.dev.settings.domain: "" -> '
        "dev.example.com",
        "dev: groups no longer dormant: dns, identity",
    ]
    assert "dormant" not in result.stderr
    dns = yaml.safe_load((project / "rendered/dev/groups/dns/external-dns.yaml").read_text())
    assert dns["spec"]["source"]["kustomize"]["images"] == [
        "registry.dev.example.com/external-dns:v1"
    ]
    assert dns["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}


def test_explain_shows_conditions_needs_wants_and_dormancy(project: Path) -> None:
    result = gen_at(project, "explain", "dns")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    domain = line_of(CONFIG, 'domain: ""')
    assert lines[3] == (
        "    dev   yes, dormant: default true (flag 'dns' unset) (catalog/base/dns.yaml:1); "
        "dnsProvider is cloudflare (environments.dev.settings.dnsProvider at config.yaml:"
        f"{line_of(CONFIG, 'dnsProvider: cloudflare')}); gpu_stack is operator (settings.gpu_stack "
        f"at config.yaml:{line_of(CONFIG, 'gpu_stack: operator')}); dormant: domain is empty "
        f"(environments.dev.settings.domain at config.yaml:{domain})"
    )
    assert (
        "    only when: dnsProvider is cloudflare or route53; gpu_stack is operator or gke-managed "
        "(catalog/base/dns.yaml:5)"
    ) in lines
    assert (
        "    needs settings: domain; dormant (no automated sync) while one is empty "
        "(catalog/base/dns.yaml:8)"
    ) in lines
    assistant = gen_at(project, "explain", "assistant").stdout.splitlines()
    assert (
        "    wants group gateway: the IDEs reach the models only through the gateway "
        "(catalog/apps/assistant.yaml:6)"
    ) in assistant
    assert "  depends on groups: gateway (wants), certs (wants)" in assistant
    dex = gen_at(project, "explain", "dex", "--env", "dev").stdout.splitlines()
    assert "  sync: manual: dormant until domain is set: its group needs domain, empty here" in dex


def test_plan_marks_dormant_groups(project: Path) -> None:
    assert gen_at(project, "render").exit_code == 0
    result = gen_at(project, "plan", "--env", "dev")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    dex = next(line for line in lines if " dex " in line)
    assert dex.split()[:6] == ["apps", "identity", "dex", "dex", "0", "dormant"]
    assert lines[-6:] == [
        "6 Applications: 2 auto-sync, 4 manual-sync (3 of them dormant); created by 5 group "
        "Applications (group-<name>) from 2 ApplicationSets.",
        "Manual sync (cost gate): created, but deployed only by:",
        "  argocd app sync coder  # GPU cost",
        "Dormant (rendered without automated sync until the settings they need are set in "
        "config.yaml, then `gen render`):",
        "  dns: domain empty",
        "  identity: domain empty",
    ]
    json_out = gen_at(project, "plan", "--env", "dev", "--output", "json")
    plan = __import__("json").loads(json_out.stdout)["plans"][0]
    assert plan["dormantGroups"] == {"dns": ["domain"], "identity": ["domain"]}
    dex_row = next(a for a in plan["applications"] if a["app"] == "dex")
    assert (dex_row["dormant"], dex_row["syncCommand"]) == (["domain"], None)


def test_an_override_in_config_yaml_is_substituted_and_located_there(
    make_project: MakeProject,
) -> None:
    config = CONFIG.replace(
        "      gpu_stack: gke-managed\n",
        "      gpu_stack: gke-managed\n    apps:\n      dex:\n        source:\n          helm:\n"
        "            valuesObject:\n              issuer: https://login.${settings.domian}\n",
    )
    root = make_project(FILES, config=config)
    result = gen_at(root, "render")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"config.yaml:{line_of(config, 'issuer:')}:15: environments.prod.apps.dex.source.helm."
        'valuesObject.issuer: ${settings.domian}: unknown setting "domian" (did you mean '
        '"domain"?) [unknown-setting]',
        "error: 1 problem in the input",
    ]
    fixed = config.replace("domian", "domain")
    root.joinpath("config.yaml").write_text(fixed)
    assert gen_at(root, "render").exit_code == 0
    prod = yaml.safe_load((root / "rendered/prod/groups/identity/dex.yaml").read_text())
    assert (
        prod["spec"]["source"]["helm"]["valuesObject"]["issuer"] == "https://login.ai.example.com"
    )


def test_an_undeclared_reference_fails_at_its_line_and_writes_nothing(
    make_project: MakeProject,
) -> None:
    identity = IDENTITY.replace("auth.${settings.domain}", "auth.${settings.nope}")
    root = make_project({**FILES, "apps/identity.yaml": identity}, config=CONFIG)
    result = gen_at(root, "render")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"catalog/apps/identity.yaml:{line_of(identity, 'issuer:')}:11: apps[0].source.helm."
        'valuesObject.issuer: ${settings.nope}: unknown setting "nope"; catalog/settings.yaml '
        "declares: gpu_stack, domain, dnsProvider [unknown-setting]",
        "error: 1 problem in the input",
    ]
    assert not (root / "rendered").exists()
