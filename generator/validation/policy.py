"""Which findings fail a run: ``--strict``, ``--ignore ID`` and their configuration file.

The configuration is read from the nearest folder at or above the files validated (the project
root, without PATHs), up to the top of the git work tree, that holds ``.stagegen.yaml`` or a
``pyproject.toml`` with a ``[tool.stagegen]`` table; both in one folder is an error. It takes
two keys::

    # .stagegen.yaml                 # pyproject.toml
    ignore: [duplicate-object]       [tool.stagegen]
    strict: true                     ignore = ["duplicate-object"]
                                     strict = true

The command line adds to it: ``--ignore`` ids join the file's, ``--strict``/``--no-strict``
override ``strict``. An id that is not a finding id is an error (a typo would silence nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import InputError, Problem, UsageError
from generator.core.findings.humanize import describe, suggest
from generator.core.findings.ids import FINDINGS
from generator.core.layout import shown_path

CONFIG_FILE = ".stagegen.yaml"
PYPROJECT = "pyproject.toml"
_KEYS = ("ignore", "strict")


@dataclass(frozen=True)
class Policy:
    """The finding ids silenced, and whether warnings fail the run."""

    ignore: frozenset[str] = frozenset()
    strict: bool = False
    #: Where the configuration was read from ("" when none).
    source: str = ""

    def keep(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` without the ignored kinds."""
        return [p for p in problems if p.id not in self.ignore]

    def failing(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems that fail the run: errors, and warnings too when strict."""
        fail = ("error", "warning") if self.strict else ("error",)
        return [p for p in problems if p.severity in fail]


def check_ids(ids: Iterable[str]) -> None:
    """A usage error naming the first id that is not a finding id, with a suggestion."""
    for finding_id in ids:
        if finding_id not in FINDINGS:
            raise UsageError(
                f'--ignore: unknown finding id "{finding_id}"{suggest(finding_id, FINDINGS)}; '
                "the ids are listed in docs/validation.md"
            )


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``, up to the git work tree's top."""
    folder = start.resolve() if start.is_dir() else start.resolve().parent
    for here in (folder, *folder.parents):
        own = here / CONFIG_FILE
        pyproject = here / PYPROJECT
        in_pyproject = pyproject.is_file() and "[tool.stagegen" in _text(pyproject)
        if own.is_file() and in_pyproject:
            raise UsageError(
                f"{own} and [tool.stagegen] in {pyproject}: configure gen in one place"
            )
        if own.is_file():
            return own
        if in_pyproject:
            return pyproject
        if (here / ".git").exists():
            return None
    return None


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def load_policy(start: Path | None) -> Policy:
    """The configured policy for files at ``start`` (an empty one when there is none)."""
    path = find_config(start) if start is not None else None
    if path is None:
        return Policy()
    shown = shown_path(path)
    if path.name == PYPROJECT:
        import tomllib

        try:
            table = tomllib.loads(_text(path)).get("tool", {}).get("stagegen", {})
        except tomllib.TOMLDecodeError as exc:
            problem = Problem(shown, message=f"not valid TOML: {exc}", id="toml-syntax")
            raise InputError([problem]) from None
        return _policy(table, shown, lambda *_: (0, 0), "tool.stagegen.")
    from generator.yamlio.source import YamlLoadError, load_yaml

    try:
        doc = load_yaml(path, shown)
    except YamlLoadError as exc:
        raise InputError([exc.problem]) from None
    data = doc.data if doc.data is not None else {}
    return _policy(data, shown, lambda *at: doc.locate(at), "")


def _policy(data: Any, file: str, locate: Any, prefix: str) -> Policy:
    """The policy a parsed configuration says; InputError with every problem in it."""
    problems: list[Problem] = []

    def bad(at: tuple[str | int, ...], message: str, finding_id: str) -> None:
        line, column = locate(*at)
        key = prefix + ".".join(str(a) if isinstance(a, str) else f"[{a}]" for a in at)
        problems.append(Problem(file, line, column, key.replace(".[", "["), message, id=finding_id))

    if not isinstance(data, dict):
        bad((), f"must be a mapping, got {describe(data)}", "wrong-type")
        raise InputError(problems)
    for key in data:
        if key not in _KEYS:
            bad((key,), f'unknown field "{key}"{suggest(str(key), _KEYS)}', "unknown-field")
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list):
        bad(("ignore",), f"must be a list of finding ids, got {describe(ignore)}", "wrong-type")
        ignore = []
    for index, finding_id in enumerate(ignore):
        if finding_id not in FINDINGS:
            message = f"unknown finding id {describe(finding_id)}"
            bad(
                ("ignore", index),
                message + suggest(str(finding_id), FINDINGS),
                "unknown-finding-id",
            )
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        bad(("strict",), f"must be a boolean (true or false), got {describe(strict)}", "wrong-type")
    if problems:
        raise InputError(problems)
    return Policy(frozenset(ignore), strict is True, file)


def resolve(start: Path | None, ignore: Sequence[str], strict: bool | None) -> Policy:
    """The configured policy with the command line's ``--ignore`` and ``--strict`` applied."""
    check_ids(ignore)
    policy = load_policy(start)
    return Policy(
        policy.ignore | frozenset(ignore),
        policy.strict if strict is None else strict,
        policy.source,
    )
