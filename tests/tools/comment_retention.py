#!/usr/bin/env python3
"""How many of the owner's comment lines an import carried into the catalog.

    python3 tests/tools/comment_retention.py SRC_FOLDER... --catalog PROJECT/catalog

Every comment line of the YAML files under the SRC folders (a comment on a line of its own, or
after a value: the generator's own scanner finds them, so a ``#`` inside a string is not one)
counts once; it is retained when the same comment text is a comment line of the catalog's
files (as many times as the sources have it). Prints the count, the share, and the comment
lines that were not carried. Used by tests/adopt/test_import_layers.py (a fixture) and the
acceptance test on the reference repository.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from generator.yamlio.comments import find_comments

SUFFIXES = (".yaml", ".yml")


def comment_texts(folder: Path) -> Counter[str]:
    """Every comment of the YAML files under ``folder``, by its text (from ``#``)."""
    found: Counter[str] = Counter()
    for path in sorted(folder.rglob("*")):
        if path.suffix in SUFFIXES and path.is_file():
            found.update(c.text.rstrip() for c in find_comments(path.read_text("utf-8")))
    return found


def retention(sources: list[Path], catalog: Path) -> tuple[int, int, list[str]]:
    """``(retained, total, missing texts)`` of the comment lines of ``sources``."""
    wanted: Counter[str] = Counter()
    for source in sources:
        wanted.update(comment_texts(source))
    have = comment_texts(catalog)
    missing = list((wanted - have).elements())
    total = sum(wanted.values())
    return total - len(missing), total, sorted(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--catalog", type=Path, required=True)
    args = parser.parse_args(argv)
    kept, total, missing = retention(args.sources, args.catalog)
    share = 100.0 * kept / total if total else 100.0
    print(f"{kept} of {total} comment lines are in {args.catalog} ({share:.1f}%)")
    for text in missing:
        print(f"  not carried: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
