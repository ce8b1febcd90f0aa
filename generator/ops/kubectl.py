"""The kubectl runner: builds ``kubectl [--context C] ARGS``, runs it, parses its JSON.

Every cluster read and write (``gen root``, ``up``, ``down``, ``doctor``, ``smoke``) goes
through :class:`Kubectl`, so that each command line can be shown exactly (``--dry-run`` prints
:meth:`Kubectl.line` and runs nothing) and tests can stand a recording ``kubectl`` first on
PATH. The executable is a name found on PATH or a path (the CLI's ``--kubectl``, default
``$KUBECTL``, else ``kubectl``).
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.errors import GenError

#: Environment variable naming the kubectl executable (read by the CLI's ``--kubectl``).
KUBECTL_VARIABLE = "KUBECTL"
DEFAULT_KUBECTL = "kubectl"
#: A kubectl call that takes longer than this is stopped (a cluster that does not answer).
TIMEOUT_SECONDS = 120
#: What kubectl prints when a named object does not exist.
_NOT_FOUND = "(NotFound)"


class KubectlError(GenError):
    """kubectl is missing, failed, or printed something that is not the JSON asked for."""


@dataclass(frozen=True)
class Result:
    """One finished kubectl call."""

    argv: tuple[str, ...]
    stdout: str
    stderr: str

    @property
    def line(self) -> str:
        """The command line as a shell would take it."""
        return shlex.join(self.argv)


@dataclass(frozen=True)
class Kubectl:
    """kubectl against one context (None: kubectl's current context). ``workdir`` is the folder
    kubectl runs in, where relative paths of its arguments (``apply -k rendered/...``) are read
    (None: this process's own)."""

    context: str | None = None
    executable: str = DEFAULT_KUBECTL
    workdir: Path | None = None

    def argv(self, args: Sequence[str]) -> tuple[str, ...]:
        """The full argument vector: ``kubectl [--context C] ARGS``."""
        context = ("--context", self.context) if self.context else ()
        return (self.executable, *context, *args)

    def line(self, args: Sequence[str]) -> str:
        """The command line ``--dry-run`` prints for ``args``."""
        return shlex.join(self.argv(args))

    def run(self, args: Sequence[str], missing_ok: bool = False) -> Result | None:
        """Run kubectl; a failure raises :class:`KubectlError` with kubectl's own message.
        With ``missing_ok``, a NotFound answer returns None instead."""
        argv = self.argv(args)
        if shutil.which(self.executable) is None:
            raise KubectlError(
                f"{self.executable} not found on PATH: install kubectl, or give its path "
                f"(--kubectl PATH, or {KUBECTL_VARIABLE}=PATH); --dry-run needs no kubectl"
            )
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                cwd=self.workdir,
            )
        except subprocess.TimeoutExpired:
            raise KubectlError(
                f"`{shlex.join(argv)}` did not finish within {TIMEOUT_SECONDS} s"
            ) from None
        except OSError as error:
            raise KubectlError(f"cannot run `{shlex.join(argv)}`: {error.strerror}") from None
        if done.returncode != 0:
            if missing_ok and _NOT_FOUND in done.stderr:
                return None
            # kubectl's last line is its verdict (client-go logs retries above it).
            said = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
            raise KubectlError(f"`{shlex.join(argv)}` failed (exit {done.returncode}): {said}")
        return Result(argv, done.stdout, done.stderr)

    def get_json(self, args: Sequence[str], missing_ok: bool = False) -> dict[str, Any] | None:
        """Run a ``get ... -o json`` and parse the object it prints (None: NotFound, with
        ``missing_ok``)."""
        result = self.run(args, missing_ok)
        if result is None:
            return None
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError:
            raise KubectlError(f"`{result.line}` printed no JSON object") from None
        if not isinstance(data, dict):
            raise KubectlError(f"`{result.line}` printed JSON that is not an object")
        return data
