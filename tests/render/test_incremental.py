"""Incremental runs (the run cache and the memo of files and units: generator/fs/memo.py,
generator/render/units.py) against full runs (``STAGEGEN_NO_CACHE=1``), over random sequences
of everyday edits (hypothesis).

Each example starts from a copy of the embedded default project (two environments, settings,
an environment's app overrides, a namePrefix, dormant groups) whose memo is warm, then makes up
to six edits: a feature flag flipped (globally or in one environment), a setting changed (valid
or not), a group file's value changed, an explicit wave set on an app (others depend on it), an
environment's revision, cluster or name prefix changed, an environment's app override changed or
added, the application template overridden (emitting the object as is, or through Jinja) or the
override removed, a file under rendered/ edited, removed or added. After each edit ``gen check``
must answer exactly as the full run does (exit code, stdout, stderr); and, when the example says
so, ``gen render`` runs both ways (the full one on a copy) and must write the same bytes and say
the same thing. Then the sequence goes on from the rendered state, as a user's would.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from conftest import REPO_ROOT, copy_project, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli.main import main

FLAGS = ["observability", "gpu", "kserve", "litellm", "tenants", "open-webui", "n8n", "demos"]
ENVS = ["ai-dev", "prod"]
#: Lines of group files whose value an edit may change, and the values it may give.
GROUP_KEYS = re.compile(r"^(\s+)(namespace|targetRevision|releaseName|size|reason|wave): (.+)$")
VALUES = ["x1", "demo-ns", "2", '"7.0.1"', "12Gi", "GPU cost; edited", "-1", "Bad Value"]
TEMPLATES = [
    None,  # no project template: the built-in one
    "{{ document | document }}\n",  # emits the object as is, like the built-in one
    "# {{ app.name }} of {{ group.name }}\n{{ document | document }}\n",  # through Jinja
]
Result = tuple[int, str, str]
Edit = Callable[[Path, st.DataObject], None]


def gen(root: Path, command: str, *, full: bool) -> Result:
    env = {"STAGEGEN_NO_CACHE": "1"} if full else {}
    result = CliRunner().invoke(main, [command, "--root", str(root)], env=env)
    return result.exit_code, result.stdout, result.stderr


def _replace_line(path: Path, pattern: re.Pattern[str], data: st.DataObject, new: str) -> None:
    lines = path.read_text().split("\n")
    found = [i for i, line in enumerate(lines) if pattern.match(line)]
    if not found:
        return
    index = data.draw(st.sampled_from(found))
    match = pattern.match(lines[index])
    assert match is not None
    lines[index] = f"{match.group(1)}{match.group(2)}: {new}"
    path.write_text("\n".join(lines))


def flip_flag(root: Path, data: st.DataObject) -> None:
    flag = data.draw(st.sampled_from(FLAGS))
    value = data.draw(st.sampled_from(["true", "false"]))
    indent = data.draw(st.sampled_from(["  ", "      "]))  # global, or an environment's
    pattern = re.compile(rf"^({indent})({re.escape(flag)}): (true|false)\b.*$")
    _replace_line(root / "config.yaml", pattern, data, value)


def change_setting(root: Path, data: st.DataObject) -> None:
    name, values = data.draw(
        st.sampled_from(
            [
                ("domain", ["ai.example.com", "x.example.org", '""', "Not_A_Domain"]),
                ("gpu_stack", ["operator", "gke-managed", "none", "bogus"]),
                ("dnsProvider", ["clouddns", "route53", "none"]),
            ]
        )
    )
    pattern = re.compile(rf"^(\s+)({name}): (\S+).*$")
    _replace_line(root / "config.yaml", pattern, data, data.draw(st.sampled_from(values)))


def edit_group(root: Path, data: st.DataObject) -> None:
    files = sorted((root / "catalog").rglob("*.yaml"))
    files = [f for f in files if f.name not in ("layers.yaml", "settings.yaml")]
    path = data.draw(st.sampled_from(files))
    _replace_line(path, GROUP_KEYS, data, data.draw(st.sampled_from(VALUES)))


def set_wave(root: Path, data: st.DataObject) -> None:
    """An explicit wave on an app, which moves the computed waves of the apps (in any group)
    that depend on it."""
    files = sorted((root / "catalog").rglob("*.yaml"))
    groups = [f for f in files if "\n  - name: " in f.read_text() and f.parent.name != "catalog"]
    path = data.draw(st.sampled_from(groups))
    lines = path.read_text().split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("  - name: ")]
    index = data.draw(st.sampled_from(starts))
    lines.insert(index + 1, f"    wave: {data.draw(st.integers(0, 6))}")
    path.write_text("\n".join(lines))


def edit_environment(root: Path, data: st.DataObject) -> None:
    pattern = re.compile(r"^(    |      )(targetRevision|namePrefix|name|server): (\S+).*$")
    value = data.draw(st.sampled_from(["v1.5.0", "prod2-", "other-gke", "https://10.0.0.1"]))
    _replace_line(root / "config.yaml", pattern, data, value)


def edit_override(root: Path, data: st.DataObject) -> None:
    config = root / "config.yaml"
    if data.draw(st.booleans()):
        pattern = re.compile(r"^(\s+)(size|retention|targetRevision): (\S+)$")
        value = data.draw(st.sampled_from(["20Gi", "14d", '"6.14.0"', "1"]))
        _replace_line(config, pattern, data, value)
        return
    app, key, value = data.draw(
        st.sampled_from(
            [
                ("litellm", "namespace", "litellm-prod"),
                ("raw-vllm", "wave", "3"),
                ("tenants", "namespace", "Bad_NS"),
                ("open-webui", "sync", "manual"),
                # The value the catalog has: only the file's header changes (it names
                # config.yaml as a source too).
                ("open-webui", "namespace", "open-webui"),
            ]
        )
    )
    text = config.read_text()
    marker = "    apps:\n"
    if marker in text and f"      {app}:\n" not in text:
        config.write_text(text.replace(marker, f"{marker}      {app}:\n        {key}: {value}\n"))


def edit_template(root: Path, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(TEMPLATES))
    path = root / "templates" / "application.yaml.j2"
    if text is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def edit_rendered(root: Path, data: st.DataObject) -> None:
    rendered = root / "rendered"
    files = sorted(p for p in rendered.rglob("*.yaml")) if rendered.is_dir() else []
    action = data.draw(st.sampled_from(["edit", "remove", "stray"]))
    if action == "stray" or not files:
        env = data.draw(st.sampled_from(ENVS))
        (rendered / env / "groups").mkdir(parents=True, exist_ok=True)
        (rendered / env / "groups" / "old.yaml").write_text(
            "# Generated by `gen render` (stagegen) from somewhere\n"
        )
        return
    path = data.draw(st.sampled_from(files))
    if action == "remove":
        path.unlink()
    else:
        path.write_text(path.read_text() + "# edited\n")


EDITS: list[Edit] = [
    flip_flag,
    change_setting,
    edit_group,
    set_wave,
    edit_environment,
    edit_override,
    edit_template,
    edit_rendered,
]


def _render_both(root: Path, work: Path) -> None:
    """``gen render`` incremental in ``root`` and full in a copy: the same result and bytes."""
    twin = work / f"twin-{len(list(work.iterdir()))}"
    shutil.copytree(root, twin, symlinks=True)
    incremental = gen(root, "render", full=False)
    full = gen(twin, "render", full=True)
    assert incremental == full
    assert snapshot(root / "rendered") == snapshot(twin / "rendered")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_incremental_runs_answer_as_the_full_run(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        cache = work / "cache"
        root = copy_project(REPO_ROOT, work / "project")
        # The user's environment with a private cache; the full run ignores it.
        env_cache = {"STAGEGEN_CACHE_DIR": str(cache)}
        runner_env = CliRunner(env=env_cache)
        assert runner_env.invoke(main, ["render", "--root", str(root)]).exit_code == 0
        with _cache_dir(cache):
            steps = data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=6))
            for edit in steps:
                edit(root, data)
                assert gen(root, "check", full=False) == gen(root, "check", full=True), edit
                if data.draw(st.booleans()):
                    _render_both(root, work)


class _cache_dir:
    """Point STAGEGEN_CACHE_DIR at ``folder`` for the block (hypothesis runs many examples in
    one test, so a pytest fixture cannot do it per example)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        import os

        self.before = os.environ.get("STAGEGEN_CACHE_DIR")
        os.environ["STAGEGEN_CACHE_DIR"] = str(self.folder)

    def __exit__(self, *exc: object) -> None:
        import os

        if self.before is None:
            os.environ.pop("STAGEGEN_CACHE_DIR", None)
        else:
            os.environ["STAGEGEN_CACHE_DIR"] = self.before


def test_the_unit_key_serialises_every_field_of_a_location() -> None:
    """render/units.py writes a Location's fields by name (the most frequent object of the
    model); a field added to Location must be added there too."""
    import dataclasses

    from generator.core.model import Location

    assert [f.name for f in dataclasses.fields(Location)] == ["file", "line", "column", "key"]
