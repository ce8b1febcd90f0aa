"""Issue 13's acceptance, on the reference repository itself (the public repository the seed
document describes) at commit 441dd0a: `gen init` + ONE `gen import` of
clusters/ai-dev/{appsets,catalog,projects} + `gen render`, then every acceptance point.

The repository is read from the workplace's git mirror, extracted into a temporary folder (and
made a git work tree, so that the groups file is found from it, as a user's checkout would be);
none of its files are kept in this project. Where the mirror is absent the test is skipped,
saying so. tests/adopt/test_import_layers.py checks the same on a fixture modeled on its layout.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from io import BytesIO
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

COMMIT = "441dd0a3a57db32484e853db7281dc787b1189d8"
MIRROR_NAME = "ahmedwaleedmalik+k8s-llm-inference-platform"
REPO_URL = "https://github.com/ahmedwaleedmalik/k8s-llm-inference-platform.git"


def _mirror() -> Path | None:
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / ".mirror" / MIRROR_NAME / "repo"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mirror = _mirror()
    if mirror is None or shutil.which("git") is None:
        pytest.skip(
            f"the reference repository's mirror (.mirror/{MIRROR_NAME}/repo) or git is not on "
            "this machine: the acceptance on it runs in the workplace only"
        )
    archive = subprocess.run(
        ["git", "--git-dir", str(mirror), "archive", COMMIT, "clusters"],
        check=True,
        capture_output=True,
    ).stdout
    folder = tmp_path_factory.mktemp("reference") / "k8s-llm-inference-platform"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse links out of the folder
            tar.extractall(folder, filter="data")
        else:  # pragma: no cover - older Pythons
            tar.extractall(folder)  # our own git archive of a pinned commit
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def test_one_import_adopts_the_reference(reference: Path, tmp_path: Path) -> None:
    cluster = Cluster(
        reference,
        reference / "clusters" / "ai-dev",
        reference / "clusters" / "ai-dev" / "groups.generated.yaml",
        "platform",
    )
    # 1. gen init, one gen import, gen render: exit 0, no hand edits.
    assert _gen("init", "new", "--repo-url", REPO_URL, cwd=tmp_path).exit_code == 0
    root = tmp_path / "new"
    output = import_cluster(root, cluster)
    assert "21 group(s), 56 app(s), 1 AppProject(s)" in output
    # 2. 16 of 21 groups on, each in its layer; enabled groups' Applications as written.
    check_layers_and_groups(root, cluster)
    assert check_round_trip(root, cluster) == 49
    # 3. app-of-apps: project platform, ServerSideApply, recurse, group-<group>, layer-<layer>.
    assert len(check_app_of_apps(root, cluster)) == 16
    # 4. comments and reasons.
    kept, total = check_comments_and_reasons(root, cluster)
    assert total == 232 and kept / total >= 0.9
    # 5. a second import is a no-op; gen check passes.
    check_second_import(root, cluster)
