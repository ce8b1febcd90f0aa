"""Map the generator's exceptions to messages and exit codes, in one place.

0: success. 1: ``gen check`` found differences, or ``gen doctor``/``gen smoke`` found the cluster
unhealthy (set by the command itself). 2: invalid input or usage, or an operator verb refused or
kubectl failed (any :class:`~generator.core.errors.GenError`). 130: interrupted (SIGINT).
143: terminated (SIGTERM).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator

import click

from generator.core.errors import GenError

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_UNHEALTHY = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


def report(error: GenError) -> None:
    """Print an error and each of its problems to stderr."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"error: {error.message}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` (staging clean-up) runs."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Turn a GenError into its report and exit code 2; Ctrl-C into exit code 130 and SIGTERM
    into 143, after the clean-up of whatever was interrupted."""
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
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
