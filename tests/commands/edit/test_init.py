"""``gen init``: a commented scaffold that loads and renders; never overwrites anything."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import gen_in as _gen

from generator.cli.main import main
from generator.commands.edit import init
from generator.project.load import load_project

URL = "https://github.com/example-org/gitops.git"


def test_single_layer_scaffold_loads_and_renders(tmp_path: Path) -> None:
    result = _gen("init", "repo", "--repo-url", URL, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:5] == [
        "wrote repo/.pre-commit-config.yaml",
        "wrote repo/Makefile",
        "wrote repo/README.md",
        "wrote repo/catalog/layers.yaml",
        "wrote repo/config.yaml",
    ]
    root = tmp_path / "repo"
    project = load_project(root)
    assert project.config.repo_url == URL
    assert list(project.config.environments) == ["dev"]
    assert project.layers.order == ("apps",)
    assert dict(project.layers.profiles) == {"all": ("apps",)}
    assert project.groups == {}
    assert project.settings == {}
    config = (root / "config.yaml").read_text()
    assert config.count("\n#") > 10, "config.yaml is commented"
    assert "# externalProjects:" in config
    assert "## Argo CD manifests (stagegen)" in (root / "README.md").read_text()
    assert _gen("render", cwd=root).exit_code == 0
    assert (root / "rendered" / "dev" / "profiles" / "all" / "kustomization.yaml").is_file()
    assert _gen("check", cwd=root).exit_code == 0


def test_seed_layers_and_environment_name(tmp_path: Path) -> None:
    result = _gen(
        "init",
        "--repo-url",
        "git@github.com:acme/gitops.git",
        "--layers",
        "seed",
        "--env",
        "ai-dev",
        cwd=tmp_path,
    )
    assert result.exit_code == 0, result.output
    project = load_project(tmp_path)
    assert project.layers.order == init.SEED_LAYERS
    assert list(project.layers.profiles) == ["platform", "serving", "llm-gateway", "full"]
    assert project.config.repo_url == "git@github.com:acme/gitops.git"
    assert list(project.config.environments) == ["ai-dev"]
    # The seed's typed settings, ready for `gen set` and for groups' when/needs.
    assert "wrote catalog/settings.yaml" in result.output.splitlines()
    assert {name: (s.type, s.enum, s.default) for name, s in project.settings.items()} == {
        "gpu_stack": ("string", ("gke-managed", "operator", "none"), "gke-managed"),
        "domain": ("string", None, ""),
        "dnsProvider": ("string", ("none", "cloudflare", "route53", "clouddns"), "none"),
    }
    assert _gen("set", "gpu_stack", "operator", "-q", cwd=tmp_path).exit_code == 0
    assert "settings: {gpu_stack: operator}\n" in (tmp_path / "config.yaml").read_text()
    assert _gen("set", "domain", "Not A Domain", cwd=tmp_path).exit_code == 2


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "layers.yaml").write_text("mine\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--repo-url", URL])
    assert result.exit_code == 2
    assert f"{tmp_path}/catalog/layers.yaml: already exists; gen init never overwrites" in (
        result.output
    )
    assert "error: refusing to overwrite 1 existing file(s): nothing written" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["catalog", "layers.yaml"]
    assert (tmp_path / "catalog" / "layers.yaml").read_text() == "mine\n"


def test_existing_readme_gets_a_snippet_instead(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Ours\n")
    result = _gen("init", "--repo-url", URL, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "README.md exists; add this section to it:" in result.output
    assert "## Argo CD manifests (stagegen)" in result.output
    assert (tmp_path / "README.md").read_text() == "# Ours\n"


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    empty = CliRunner().invoke(main, ["init", str(tmp_path), "--repo-url", " "])
    assert empty.exit_code == 2
    assert "--repo-url must not be empty" in empty.output
    env = CliRunner().invoke(main, ["init", str(tmp_path), "--repo-url", URL, "--env", "Prod"])
    assert env.exit_code == 2
    assert '--env: "Prod" is not a DNS-1123 label' in env.output
    assert not any(tmp_path.iterdir())


def test_repo_url_that_needs_quoting_round_trips(tmp_path: Path) -> None:
    url = "https://example.com/a repo: #1.git"
    assert _gen("init", "--repo-url", url, cwd=tmp_path).exit_code == 0
    assert load_project(tmp_path).config.repo_url == url
