"""``gen import SRC...`` of a staged bring-up repository: ApplicationSets become layers, their
groups on and off as the groups file says, their template layers.yaml's appOfApps; comments
travel; one transaction over several SRCs in any order.

The fixture tests/fixtures/import/staged-layers/ is modeled on the layout of the reference
repository (per-layer ApplicationSets over a groups file, a catalog folder per group, one
AppProject for every layer): see its SOURCES.md entry.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import gen_in as _gen
from staged_checks import (
    Cluster,
    check_app_of_apps,
    check_comments_and_reasons,
    check_layers_and_groups,
    check_round_trip,
    check_second_import,
    import_cluster,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "import" / "staged-layers"
REPO = "https://github.com/example-org/lab-platform.git"
LAB = Cluster(
    FIXTURE, FIXTURE / "clusters" / "lab", FIXTURE / "clusters" / "lab" / "groups.yaml", "lab"
)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    result = _gen("init", "repo", "--repo-url", REPO, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return tmp_path / "repo"


def test_one_import_adopts_the_cluster(root: Path) -> None:
    """The issue's five acceptance points, on the fixture."""
    output = import_cluster(root, LAB, "--repo-root", str(FIXTURE))
    assert (
        "  layer platform: 2 group(s), 1 on (from its ApplicationSet)\n"
        "  layer serving: 2 group(s), 1 on (from its ApplicationSet)\n"
        "  layer demos: 1 group(s), 1 on (from its ApplicationSet)\n"
    ) in output
    check_layers_and_groups(root, LAB)
    assert check_round_trip(root, LAB) == 6
    assert sorted(check_app_of_apps(root, LAB)) == [
        "group-base",
        "group-inference",
        "group-showcase",
    ]
    kept, total = check_comments_and_reasons(root, LAB)
    assert (kept, total) == (20, 20)
    check_second_import(root, LAB, "--repo-root", str(FIXTURE))


def test_layers_yaml_and_config_yaml_as_written(root: Path) -> None:
    import_cluster(root, LAB, "--repo-root", str(FIXTURE))
    layers = (root / "catalog" / "layers.yaml").read_text()
    assert layers.startswith("# Layers and deployment profiles.\n")  # the comments are kept
    assert layers.split("\nlayers:\n", 1)[1] == textwrap.dedent(
        """\
          - platform
          - serving
          - demos
        profiles:
          platform: [platform]
          serving: [platform, serving]
          demos: [platform, serving, demos]
        # The app-of-apps of each layer, from the ApplicationSets `gen import` adopted (their
        # names, project, sync options and directory); docs/configuration.md.
        appOfApps:
          name: layer-{layer}
          appName: group-{group}
          project: lab
          directory: {recurse: true}
          syncOptions: [ServerSideApply=true]
        """
    )
    config = (root / "config.yaml").read_text()
    assert "\ntargetRevision: main\n" in config
    project = (root / "catalog" / "projects" / "lab.yaml").read_text()
    assert project.startswith('# AppProject "lab"')
    assert "\nlayer: platform\n" in project
    assert (
        "accept:\n"
        "  - id: wildcard-destination\n"
        "    reason: imported as written from projects/lab.yaml:1 by gen import\n"
    ) in project


def test_comments_travel_and_manual_apps_get_a_reason(root: Path) -> None:
    import_cluster(root, LAB, "--repo-root", str(FIXTURE))
    inference = (root / "catalog" / "serving" / "inference.yaml").read_text()
    server = inference.split("  # from catalog/inference/model-server.yaml:2\n", 1)[1]
    assert server.startswith(
        "  # The model server: one GPU node while it runs. Wave 3: after the gateway.\n"
        "  - name: model-server\n"
    )
    # The comment above its syncPolicy is the reason, and stays above the syncPolicy.
    assert (
        '    reason: "Manual sync: the GPU node costs money while the model server runs; an '
        'operator brings it up on purpose and scales it to zero after the session."\n'
        "    # Manual sync: the GPU node costs money while the model server runs; an operator "
        "brings\n"
        "    # it up on purpose and scales it to zero after the session.\n"
        "    syncPolicy:\n"
    ) in server
    assert "      - RespectIgnoreDifferences=true # a sync keeps the replicas someone scaled" in (
        server
    )
    gateway = inference.split("  # from catalog/inference/gateway.yaml:2\n", 1)[1]
    assert "    wave: 2 # the route must exist before the model server\n" in gateway
    assert "reason" not in gateway.split("  # from", 1)[0]
    # No comment at the syncPolicy: the first comment speaking of manual sync.
    batch = (root / "catalog" / "serving" / "batch.yaml").read_text()
    assert (
        '    reason: "Fine-tuning jobs on spot GPUs, manual-sync: a job is started by hand when '
        'a dataset is ready, and never restarted by a self-heal."\n'
    ) in batch
    base = (root / "catalog" / "platform" / "base.yaml").read_text()
    assert "          crds:\n            enabled: true # the chart installs and upgrades" in base


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["appsets", "catalog", "projects"])), ids="-".join
)
def test_any_order_gives_the_same_files(tmp_path: Path, order: tuple[str, ...]) -> None:
    """Applications before their AppProject, ApplicationSets last: the SRCs are read together,
    so the order given changes nothing."""
    outputs = []
    for attempt in ("first", "second"):
        assert _gen("init", attempt, "--repo-url", REPO, cwd=tmp_path).exit_code == 0
        srcs = [str(LAB.folder / name) for name in order] if attempt == "first" else LAB.srcs
        result = _gen("import", *srcs, "--repo-root", str(FIXTURE), cwd=tmp_path / attempt)
        assert result.exit_code == 0, result.output
        outputs.append(_snapshot(tmp_path / attempt / "catalog"))
    assert outputs[0] == outputs[1]


def test_repository_root_is_the_git_work_tree(tmp_path: Path, root: Path) -> None:
    if shutil.which("git") is None:  # pragma: no cover - git is a stated requirement
        pytest.skip("git is not installed")
    copy = tmp_path / "lab-platform"
    shutil.copytree(FIXTURE, copy)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    cluster = Cluster(
        copy, copy / "clusters" / "lab", copy / "clusters" / "lab" / "groups.yaml", "lab"
    )
    import_cluster(root, cluster)
    check_layers_and_groups(root, cluster)


def test_no_repository_root_is_refused_with_the_fix(tmp_path: Path, root: Path) -> None:
    copy = tmp_path / "lab-platform"
    shutil.copytree(FIXTURE, copy)
    before = _snapshot(root)
    result = _gen("import", str(copy / "clusters" / "lab" / "appsets"), cwd=root)
    assert result.exit_code == 2
    assert (
        "appsets/demos.yaml:16:13: spec.generators[0].git.files[0].path: the groups file "
        "'clusters/lab/groups.yaml' is relative to the repository root, and SRC is not in a git "
        "work tree: pass --repo-root DIR [import-groups-file]"
    ) in result.output
    assert _snapshot(root) == before


def test_files_as_srcs(root: Path) -> None:
    catalog = LAB.folder / "catalog"
    result = _gen(
        "import",
        str(catalog / "inference" / "model-server.yaml"),
        str(catalog / "inference" / "gateway.yaml"),
        str(LAB.folder / "projects" / "lab.yaml"),
        cwd=root,
    )
    assert result.exit_code == 0, result.output
    assert "  group inference: 2 app(s) (model-server, inference-gateway)" in result.output
    assert "AppProject lab -> catalog/projects/lab.yaml (written)" in result.output


def test_one_loss_anywhere_writes_nothing(root: Path, tmp_path: Path) -> None:
    bad = tmp_path / "more"
    (bad / "extra").mkdir(parents=True)
    (bad / "extra" / "a.yaml").write_text(
        (LAB.folder / "catalog" / "base" / "ingress.yaml")
        .read_text()
        .replace("name: ingress", "name: extra")
        .replace("path: platform/ingress", "path: !vault x")
    )
    before = _snapshot(root)
    result = _gen("import", *LAB.srcs, str(bad), "--repo-root", str(FIXTURE), cwd=root)
    assert result.exit_code == 2
    assert "more/extra/a.yaml:14:11: spec.source.path: YAML tag '!vault' is not supported" in (
        result.output
    )
    assert "error: 1 problem(s) in appsets/, catalog/, projects/, more/: nothing written" in (
        result.output
    )
    assert _snapshot(root) == before


def test_seed_layers_keep_their_profiles(tmp_path: Path) -> None:
    """Layers the project already has (gen init --layers seed) keep their order and profiles;
    a disabled group's apps are ready for gen enable."""
    assert _gen("init", "repo", "--repo-url", REPO, "--layers", "seed", cwd=tmp_path).exit_code == 0
    root = tmp_path / "repo"
    before = (root / "catalog" / "layers.yaml").read_text()
    output = import_cluster(root, LAB, "--repo-root", str(FIXTURE))
    assert "profiles:" not in output
    after = (root / "catalog" / "layers.yaml").read_text()
    assert after.split("\nprofiles:\n", 1)[0] == before.split("\nprofiles:\n", 1)[0]
    assert "  full: [platform, serving, routing, llm-gateway, experience, demos]\n" in after
    assert after.endswith(
        "appOfApps:\n  name: layer-{layer}\n  appName: group-{group}\n"
        "  project: lab\n  directory: {recurse: true}\n"
        "  syncOptions: [ServerSideApply=true]\n"
    )
    enabled = _gen("enable", "batch", cwd=root)
    assert enabled.exit_code == 0, enabled.output
    assert (root / "rendered" / "dev" / "groups" / "batch" / "trainer.yaml").is_file()
