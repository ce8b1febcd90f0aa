"""Every exit code of ``gen``, and how exceptions become messages, in one place.

| code | meaning |
| 0 | success (``gen check``: rendered/ is up to date) |
| 1 | stale or unhealthy: ``gen check`` found differences, ``gen doctor``/``gen smoke`` found
      the cluster unhealthy (set by the command itself) |
| 2 | bad input or usage, an operator verb refused (``gen up/down``; ``gen root`` narrowing
      without --confirm, set by the command itself) or kubectl failed, or the environment
      refused a write (no space, permission denied...): a
      :class:`~generator.core.errors.GenError`, every problem printed, nothing written |
| 3 | unexpected error (a bug): one line on stderr pointing to the crash log |
| 130 / 143 | interrupted (SIGINT) / terminated (SIGTERM), after clean-up |
| 141 | the reader of the output went away (``gen plan | head``) |

The crash log is written like pre-commit's (``~/.cache/pre-commit/pre-commit.log``): the
versions, the command line and the traceback, in the stagegen cache folder
(``~/.cache/stagegen/stagegen.log``), so that a crash is told apart from a stale ``rendered/``
by the pre-commit hook and by scripts, and its report can be attached to an issue.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from generator.core.errors import GenError

EXIT_OK = 0
EXIT_STALE = 1
EXIT_UNHEALTHY = 1
EXIT_INVALID = 2
#: A request refused for want of confirmation (``gen root`` narrowing without --confirm).
EXIT_REFUSED = 2
EXIT_CRASH = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143
CRASH_LOG = "stagegen.log"


def report(error: GenError) -> None:
    """Print an error and each of its problems to stderr."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"error: {error.message}", err=True)


def crash_log() -> Path:
    """Where the report of the last unexpected error is written."""
    from generator.fs.cache import cache_dir

    return cache_dir() / CRASH_LOG


def write_crash_log(error: BaseException) -> Path:
    """Write the report of ``error`` (versions, command line, traceback); OSError if it
    cannot be written."""
    import platform
    import traceback

    from generator import __version__

    path = crash_log()
    lines = [
        "### version information",
        "",
        f"gen version: {__version__}",
        f"python: {sys.version.split()[0]} ({sys.executable})",
        f"platform: {platform.platform()}",
        f"command: {' '.join(['gen', *sys.argv[1:]])}",
        f"folder: {Path.cwd()}",
        "",
        "### error information",
        "",
        *traceback.format_exception(error),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", "utf-8")
    return path


def _crash(error: Exception) -> None:
    import traceback

    summary = " ".join(f"{type(error).__name__}: {error}".split())
    try:
        where = f"the details are in {write_crash_log(error)}"
    except OSError as exc:
        traceback.print_exception(error, file=sys.stderr)
        where = f"the crash log could not be written ({exc.strerror or exc}): traceback above"
    click.echo(f"error: unexpected error ({summary}): a bug in gen; {where}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` (staging clean-up) runs."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Turn a GenError into its report and exit code 2, any other exception into a crash log
    and exit code 3; Ctrl-C into 130 and SIGTERM into 143, after the clean-up of whatever was
    interrupted. click's own exits (usage errors, ``--help``) pass through."""
    previous = None
    with contextlib.suppress(ValueError):  # ValueError: not the main thread
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except GenError as error:
        report(error)
        sys.exit(EXIT_INVALID)
    except Terminated:
        click.echo("terminated", err=True)
        sys.exit(EXIT_TERMINATED)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except BrokenPipeError:
        # Nothing more can be printed; keep the interpreter from failing to flush at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    except Exception as error:
        _crash(error)
        sys.exit(EXIT_CRASH)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
