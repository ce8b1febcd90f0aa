"""Set a top-level scalar of config.yaml (``targetRevision``, ``rootName``) in place, with
the rules of :mod:`generator.yamlio.config_edit`: the one line changes (or one is added), the
rest is kept byte for byte, and the result is parsed back and compared before anyone writes
it. ``gen import`` uses it for the revision its ApplicationSets follow and a free root name."""

from __future__ import annotations

from typing import Any

from generator.core.errors import UsageError
from generator.yamlio.config_edit import (
    ValueEdit,
    _insert_at,
    _load,
    _replace_value,
    _same,
    plain_data,
    split_lines,
)
from generator.yamlio.emit import scalar


def set_top_level(text: str, key: str, value: str, comment: str = "") -> ValueEdit:
    """Set the top-level scalar ``key`` (``targetRevision``, ``rootName``) of config.yaml to
    ``value``: in place when it is written (same quoting), else as a new line above the
    ``environments:`` block and its comments, under a ``# comment`` line when one is given."""
    loaded = _load(text)
    if not isinstance(loaded, dict) or "environments" not in loaded:
        raise UsageError("config.yaml: expected a mapping with `environments:`")
    data: Any = loaded  # a ruamel CommentedMap: it knows where each key is (``lc``)
    lines = split_lines(text)
    old = data.get(key)
    if key in data:
        if _same(old, value):
            return ValueEdit(text, key, int(data.lc.value(key)[0]) + 1, old, value)
        line, col = data.lc.value(key)
        if not _replace_value(lines, int(line), int(col), value, False):
            raise UsageError(
                f"config.yaml:{line + 1}: {key}: not a one-line value; edit it by hand"
            )
        row = int(line)
    else:
        index = int(data.lc.key("environments")[0])
        while index > 0 and lines[index - 1].lstrip().startswith("#"):
            index -= 1
        new = [f"{key}: {scalar(value)}", ""]
        if comment:
            new.insert(0, f"# {comment}")
        _insert_at(lines, index, new)
        row = index + (1 if comment else 0)
    data[key] = value
    new_text = "".join(lines)
    if plain_data(_load(new_text)) != plain_data(data):
        raise UsageError(
            f"config.yaml: could not set {key} by itself; set `{key}: {value}` by hand"
        )
    return ValueEdit(new_text, key, row + 1, old, value)
