"""Map the generator's exceptions to messages and exit codes, in one place.

0: success. 1: ``gen check`` found differences (set by the command itself). 2: invalid input or
usage (any :class:`~generator.errors.GenError`). 130: interrupted.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from generator.errors import GenError

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_INVALID = 2
EXIT_INTERRUPTED = 130


def report(error: GenError) -> None:
    """Print an error and each of its problems to stderr."""
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(f"error: {error.message}", err=True)


@contextlib.contextmanager
def error_handler() -> Iterator[None]:
    """Turn a GenError into its report and exit code 2; Ctrl-C into exit code 130."""
    try:
        yield
    except GenError as error:
        report(error)
        sys.exit(EXIT_INVALID)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
