"""``gen init [DIR] --repo-url URL``: scaffold a new stagegen repository.

Writes a commented ``config.yaml`` with one environment, ``catalog/layers.yaml`` (one layer and
one profile, or the seed's six layers and four profiles, then also the seed's typed settings in
``catalog/settings.yaml``), an empty catalog, a README (or, when the folder already has one,
returns the snippet to paste into it), a ``Makefile`` with the bring-up verbs and a
``.pre-commit-config.yaml`` running the ``gen-check`` hook. Existing files are never
overwritten: if any would be, nothing is written.

The Makefile and the hook are derived from the generator's own repository, so that they cannot
drift from it: the Makefile is stagegen's own without its "development only" parts (its test
and lint targets, its .venv), and the hook is the ``gen-check`` entry of its
``.pre-commit-hooks.yaml``, run as a local hook with the ``gen`` on PATH.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.core.constants import IN_CLUSTER_SERVER
from generator.core.errors import GenError, Problem, UsageError
from generator.core.k8s_names import dns_label_problem
from generator.core.layout import (
    CATALOG_DIR,
    CONFIG_FILE,
    LAYERS_FILE,
    SETTINGS_FILE,
    scaffold_source,
    shown_path,
)
from generator.fs.inputs import read_inputs
from generator.fs.staged import write_files
from generator.render.build import build
from generator.yamlio.emit import scalar

README = "README.md"
MAKEFILE = "Makefile"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
PRE_COMMIT_HOOKS = ".pre-commit-hooks.yaml"
#: The hook of .pre-commit-hooks.yaml a new project runs.
HOOK_ID = "gen-check"
#: The fence of the Makefile's parts that only stagegen's own repository has.
DEV_ONLY_START = "# >>> development only"
DEV_ONLY_END = "# <<< development only"
#: The seed's layers (bring-up order) and its additive profiles.
SEED_LAYERS = ("platform", "serving", "routing", "llm-gateway", "experience", "demos")
SEED_PROFILES: dict[str, tuple[str, ...]] = {
    "platform": ("platform",),
    "serving": ("platform", "serving"),
    "llm-gateway": ("platform", "serving", "routing", "llm-gateway"),
    "full": SEED_LAYERS,
}
SINGLE_LAYERS = ("apps",)
SINGLE_PROFILES: dict[str, tuple[str, ...]] = {"all": ("apps",)}

CONFIG_TEMPLATE = """\
# stagegen configuration: the file a platform team edits.
#
# `gen render` reads this file and catalog/ (layers.yaml, one file per group, AppProjects in
# catalog/projects/) and writes the Argo CD manifests into rendered/, which Argo CD pulls:
# per environment and layer one AppProject and one ApplicationSet, and one Application per app.
# Commit rendered/ together with the change; `gen check` fails when it is stale.
#
# Adopting an existing folder of Applications: `gen import path/to/apps` (docs/import.md).

# Git repository Argo CD pulls rendered/ (and the catalog's in-repo `path:` sources) from.
repoURL: {repo_url}
# Revision of repoURL for every environment (an environment may pin its own below).
targetRevision: HEAD
# Namespace Argo CD runs in; Applications, ApplicationSets and AppProjects are created there.
argocdNamespace: argocd

# Feature flags shared by every environment: each switches the groups whose `feature:` (or,
# without one, whose name) equals it. A flag left out falls back to the group's `default:`.
features: {{}}

# Typed settings (declared in catalog/settings.yaml) for every environment; an environment's own
# `settings:` override them. `gen set NAME VALUE [--env E]` edits them for you.
settings: {{}}

# AppProjects Argo CD already has that this repository does not define; catalog apps may name
# them in `project:` (Argo's built-in `default` always counts).
# externalProjects:
#   - team-a

# Environments: one Argo CD destination cluster each, by `server` URL or registered `name`.
# Per-environment `features:` override the map above; `targetRevision:` pins a revision.
environments:
  {env}:
    destination:
      server: {server}
"""

LAYERS_TEMPLATE = """\
# Layers and deployment profiles.
#
# `layers` is the bring-up order: each layer becomes one AppProject and one ApplicationSet per
# environment, and every group file (catalog/<layer>/<group>.yaml) belongs to one layer.
# `profiles` answer "which layers does an environment's root Application sync"
# (`gen root <profile> --env <env>` points it at one); they are additive (each includes every
# layer of the one before).
#
# Optional, for every layer (or per layer: `- {{name: <layer>, appOfApps: {{...}}}}`): how each
# layer's ApplicationSet and its per-group app-of-apps Applications are named and configured
# (placeholders {{layer}} and {{group}}; docs/configuration.md), e.g.
# appOfApps: {{name: "layer-{{layer}}", syncOptions: [ServerSideApply=true]}}
layers:
{layers}
profiles:
{profiles}"""

SEED_SETTINGS = """\
# Typed settings: the choices config.yaml makes beyond on/off `features:`, set under `settings:`
# (every environment) and `environments.<env>.settings:` (one environment, which wins), or with
# `gen set NAME VALUE [--env E]`. Each value is checked against its declaration here.
#
# Groups use them in three ways:
#   when:  {gpu_stack: operator}   the group is on only for these values;
#   needs: [domain]                while the setting is empty the group is dormant: rendered
#                                  without automated sync, with a warning;
#   ${settings.domain}             substituted into an app's Helm/Kustomize values.
# Settings are committed in plain text: never a credential (use your secret store).
settings:
  gpu_stack:
    type: string
    enum: [gke-managed, operator, none]
    default: gke-managed
    description: >-
      Who installs the NVIDIA GPU stack: the GKE node image (gke-managed), the NVIDIA GPU
      Operator (operator; give its group `when: {gpu_stack: operator}`), or nobody (none).

  domain:
    type: string
    pattern: '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]'
    default: ""
    description: >-
      The environment's public DNS zone (ai.example.com). Groups that serve public hosts list it
      in `needs:` and build their hosts from ${settings.domain}.

  dnsProvider:
    type: string
    enum: [none, cloudflare, route53, clouddns]
    default: none
    description: Where external-dns writes the public records; none creates them by hand.
"""

README_SNIPPET = """\
## Argo CD manifests (stagegen)

The Argo CD objects of this repository are generated: edit `config.yaml` and `catalog/`, then
run `gen render` and commit `rendered/` with the change (`gen check` fails when it is stale).

- `config.yaml`: repository, Argo CD namespace, feature flags and environments.
- `catalog/layers.yaml`: the layers (bring-up order) and the profiles over them.
- `catalog/<layer>/<group>.yaml`: one group of apps; `catalog/projects/`: AppProjects.
- Adopt existing Application manifests with `gen import path/to/apps`.
- Bring an environment up once: `gen root <profile> --env <env>` (applies
  `rendered/<env>/roots/<profile>/`, the root Application); after that, a push is the only step.
- `make` lists the bring-up verbs (`make root PROFILE=<profile> ENV=<env>`, `make plan`, ...);
  `pre-commit install` makes `gen check` refuse a commit whose `rendered/` is stale.
"""

PRE_COMMIT_HEADER = """\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every commit that touches
# config.yaml, catalog/, templates/ or rendered/ runs `gen check`, which refuses the commit (and
# shows the diff) when rendered/ is not what `gen render` writes. The hook runs the `gen` on
# PATH; to have pre-commit install a pinned stagegen instead, use its repository:
#   - repo: <stagegen's git URL>
#     rev: <a tag>
#     hooks: [{id: gen-check}]
"""


@dataclass(frozen=True)
class InitResult:
    """What ``gen init`` wrote, and the README snippet when README.md was already there."""

    root: Path
    written: list[str]
    readme_snippet: str | None


def _layers_text(layers: tuple[str, ...], profiles: dict[str, tuple[str, ...]]) -> str:
    layer_lines = "\n".join(f"  - {layer}" for layer in layers)
    profile_lines = "\n".join(
        f"  {name}: [{', '.join(members)}]" for name, members in profiles.items()
    )
    return LAYERS_TEMPLATE.format(layers=layer_lines, profiles=profile_lines) + "\n"


def bring_up_makefile(text: str) -> str:
    """A project's Makefile: stagegen's own (``text``) without its "development only" parts."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line.startswith(DEV_ONLY_START):
            skipping = True
        elif line.startswith(DEV_ONLY_END):
            skipping = False
        elif not skipping:
            kept.append(line)
    out = "".join(kept)
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    return out


def pre_commit_config(hooks_manifest: str) -> str:
    """A project's .pre-commit-config.yaml: the ``gen-check`` hook of stagegen's
    ``.pre-commit-hooks.yaml`` (``hooks_manifest``), as a local hook running ``gen`` on PATH
    (pre-commit's ``language: system``: nothing to install)."""
    import yaml

    hooks = yaml.safe_load(hooks_manifest)
    hook = next(h for h in hooks if h["id"] == HOOK_ID)
    lines = [
        "repos:",
        "  - repo: local",
        "    hooks:",
        f"      - id: {hook['id']}",
        f"        name: {scalar(hook['name'])}",
        f"        entry: {scalar(hook['entry'])}",
        "        language: system",
        f"        files: {scalar(hook['files'])}",
        f"        pass_filenames: {str(hook['pass_filenames']).lower()}",
        f"        require_serial: {str(hook['require_serial']).lower()}",
    ]
    return PRE_COMMIT_HEADER + "\n".join(lines) + "\n"


def scaffold(repo_url: str, env: str, seed: bool) -> dict[str, str]:
    """The files of a new repository, ``{path relative to it: text}``."""
    layers, profiles = (SEED_LAYERS, SEED_PROFILES) if seed else (SINGLE_LAYERS, SINGLE_PROFILES)
    makefile = scaffold_source(MAKEFILE).read_text("utf-8")
    hooks = scaffold_source(PRE_COMMIT_HOOKS).read_text("utf-8")
    files = {
        CONFIG_FILE: CONFIG_TEMPLATE.format(
            repo_url=scalar(repo_url), env=env, server=scalar(IN_CLUSTER_SERVER)
        ),
        f"{CATALOG_DIR}/{LAYERS_FILE}": _layers_text(layers, profiles),
        README: "# " + "Argo CD configuration\n\n" + README_SNIPPET,
        MAKEFILE: bring_up_makefile(makefile),
        PRE_COMMIT_CONFIG: pre_commit_config(hooks),
    }
    if seed:
        files[f"{CATALOG_DIR}/{SETTINGS_FILE}"] = SEED_SETTINGS
    return files


def run(
    root: Path,
    repo_url: str,
    env: str = "dev",
    seed: bool = False,
    before_commit: Callable[[], None] | None = None,
) -> InitResult:
    """Scaffold ``root``; refuse (UsageError, nothing written) if a file would be overwritten."""
    if not repo_url.strip():
        raise UsageError("--repo-url must not be empty")
    bad = dns_label_problem(env)
    if bad:
        raise UsageError(f"--env: {bad}")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    files = scaffold(repo_url, env, seed)
    snippet = None
    if (root / README).exists():
        del files[README]
        snippet = README_SNIPPET
    existing = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if existing:
        raise GenError(
            f"refusing to overwrite {len(existing)} existing file(s): nothing written",
            [
                Problem(
                    shown_path(root / rel),
                    0,
                    0,
                    "",
                    "already exists; gen init never overwrites",
                    id="file-exists",
                )
                for rel in existing
            ],
        )
    # The project as it will be, built in memory first: the scaffold must load and render.
    inputs = read_inputs(root).replace(
        {
            rel: text.encode("utf-8")
            for rel, text in files.items()
            if rel == CONFIG_FILE or rel.startswith(f"{CATALOG_DIR}/")
        }
    )
    try:
        build(inputs).raise_for_errors()
    except GenError as exc:  # pragma: no cover - the scaffold itself is tested to build
        raise UsageError(f"internal error: the scaffold does not build: {exc.message}") from None
    written = write_files(root, files, before_commit)
    return InitResult(root, written, snippet)
