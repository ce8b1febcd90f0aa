"""How the CLI shows results: colour on terminals only, JSON for machines, progress on long runs.

Colour goes through ``click.style`` and ``click.echo``, which drop the escape codes when the
stream is not a terminal; ``NO_COLOR`` (any non-empty value, https://no-color.org) turns colour
off everywhere. The progress bar is drawn on stderr, only when stderr is a terminal and a run
renders at least :data:`PROGRESS_MIN_ENVIRONMENTS` environments.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

#: Runs rendering fewer environments than this finish too fast to need a progress bar.
PROGRESS_MIN_ENVIRONMENTS = 6
#: ``gen render`` lists at most this many written (and removed) files, then counts the rest.
MAX_LISTED = 20


def terminal_width() -> int | None:
    """The width tables must fit: ``COLUMNS`` when set, else the terminal's when stdout is one;
    None (no limit) when the output goes to a file or a pipe."""
    import shutil

    if os.environ.get("COLUMNS") or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def color_default() -> bool | None:
    """False when ``NO_COLOR`` is set; None lets click decide per stream (terminal or not)."""
    return False if os.environ.get("NO_COLOR") else None


def echo_json(data: Any) -> None:
    """One JSON document on stdout."""
    click.echo(json.dumps(data, indent=2))


def style_patch(patch: str) -> str:
    """A unified diff with added lines green, removed lines red and hunk headers cyan."""
    out = []
    for line in patch.splitlines():
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        else:
            out.append(line)
    return "".join(line + "\n" for line in out)


def echo_files(title: str, names: Sequence[str], color: str, limit: int | None = None) -> None:
    """``  written: rendered/...`` lines, at most ``limit`` of them, then a count of the rest."""
    shown = names if limit is None else names[:limit]
    for name in shown:
        click.echo(f"  {click.style(title, fg=color)}: {name}")
    if len(names) > len(shown):
        click.echo(f"  ... and {len(names) - len(shown)} more {title}")


def table(
    rows: Sequence[Sequence[str]], styles: dict[int, Callable[[str], dict[str, Any]]] | None = None
) -> None:
    """Left-aligned columns; the last column is not padded. ``styles[column](cell)`` gives the
    click.style keywords of a cell (applied after padding, so colour never breaks alignment)."""
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        cells.append(row[-1])
        if styles and index:
            cells = [
                click.style(cell, **styles[i](row[i])) if styles.get(i) else cell
                for i, cell in enumerate(cells)
            ]
        click.echo("  ".join(cells).rstrip())


class ProgressBar:
    """A ``(environment, done, total)`` callback drawing a bar on ``stream`` when it is a
    terminal and the run is long; does nothing otherwise."""

    def __init__(self, stream: TextIO, minimum: int = PROGRESS_MIN_ENVIRONMENTS) -> None:
        self.stream = stream
        self.minimum = minimum
        self.bar: Any = None

    def __call__(self, name: str, done: int, total: int) -> None:
        if total < self.minimum or not self.stream.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=total,
                label="rendering",
                file=self.stream,
                item_show_func=lambda item: item,
            )
        self.bar.update(1, current_item=name)
        if done == total:
            self.close()

    def close(self) -> None:
        """Finish the bar's line (also after an error part-way through)."""
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


@contextlib.contextmanager
def progress(stream: TextIO | None = None) -> Iterator[ProgressBar]:
    """A :class:`ProgressBar` on stderr (or ``stream``) for the duration of a command."""
    bar = ProgressBar(stream if stream is not None else sys.stderr)
    try:
        yield bar
    finally:
        bar.close()


def echo_warnings(warnings: Sequence[Any], quiet: bool = False) -> None:
    """Each warning on stderr, in yellow on a terminal; nothing with ``--quiet``."""
    if quiet:
        return
    for warning in warnings:
        click.echo(click.style(str(warning), fg="yellow"), err=True)


def display_path(out_dir: Path, root: Path) -> str:
    """``out_dir`` relative to the project root, as messages show it."""
    try:
        return out_dir.relative_to(root).as_posix()
    except ValueError:
        return str(out_dir)


def echo_render_summary(result: Any, label: str) -> None:
    """The one-line summary of a render, then the files it wrote and removed."""
    s = result.summary
    click.echo(
        f"{label}/: {len(result.environments)} environment(s): {len(s.written)} written, "
        f"{s.unchanged} unchanged, {len(s.removed)} removed"
    )
    echo_files("written", [f"{label}/{n}" for n in s.written], "green", MAX_LISTED)
    echo_files("removed", [f"{label}/{n}" for n in s.removed], "red", MAX_LISTED)
