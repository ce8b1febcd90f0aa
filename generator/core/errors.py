"""Problems (what is wrong, and where) and the one exception family the library raises.

Library code never prints or exits: it collects :class:`Problem` values and raises
:class:`GenError` (or a subclass) carrying them. The CLI's error handler maps each class to an
exit code in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
"""``error`` fails a run (exit 2); ``warning`` fails it only with ``--strict``; ``note`` never does
(information, such as fields of a live object that were accepted)."""

#: Characters that end a line for ``str.splitlines``: a problem is always one line of text.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with line breaks written as escapes (``\\n``), so a value cannot split it."""
    return _LINE_BREAKS.sub(lambda match: json.dumps(match.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as the input allows.

    ``file`` is the path as the user would type it (relative to the project root when inside
    it); ``line`` and ``column`` are 1-based; ``key`` is the dotted path of the offending key
    (``apps[0].sync``), empty when the problem concerns the whole file. ``id`` is the finding's
    stable identifier (``respect-ignore-differences``, ``unknown-field``, ...), the name people
    use to silence or accept a kind of finding (every id is listed in
    :mod:`generator.core.findings.ids` and documented in docs/validation.md). Printed as
    ``file:line:column: [warning: |note: ]key: message [id]``.
    """

    file: str
    line: int = 0
    column: int = 0
    key: str = ""
    message: str = ""
    severity: Severity = "error"
    id: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        prefix = f"{where}: "
        if self.severity != "error":
            prefix += f"{self.severity}: "
        if self.key:
            prefix += f"{self.key}: "
        suffix = f" [{self.id}]" if self.id else ""
        return _one_line(prefix + self.message + suffix)

    def to_json(self) -> dict[str, object]:
        """The documented machine-readable shape of a problem."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "key": self.key,
            "message": self.message,
            "severity": self.severity,
            "id": self.id,
        }


class GenError(Exception):
    """Base class of every error the generator reports to a user (exit code 2)."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = sorted(problems)


class _ProblemsError(GenError):
    """An error made of problems; its message counts the errors among them ``in`` a place."""

    found_in = ""

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = sorted(problems)
        errors = [p for p in found if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        super().__init__(f"{len(errors)} {noun} in {self.found_in}", found)


class InputError(_ProblemsError):
    """config.yaml, layers.yaml or a group file is invalid; ``problems`` says where."""

    found_in = "the input"


class OutputError(_ProblemsError):
    """A rendered document would be rejected by Argo CD or Kubernetes."""

    found_in = "the rendered output"


class UsageError(GenError):
    """The command line asks for something that does not exist (an unknown environment...)."""


def key_path(parts: Iterable[str | int]) -> str:
    """Format a path into a document the way messages show it: ``apps[0].source.helm``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = str(part)
    return out


class RefusedError(GenError):
    """An operator verb declined to act (no cost action, app not enabled, not synced yet...);
    the message says why, and nothing was changed."""
