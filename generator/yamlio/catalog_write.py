"""Write catalog files (groups, AppProjects) with ruamel.yaml: block style, readable, exact.

Strings are written plain when no YAML 1.1 or 1.2 reader could take them for anything else,
as literal blocks (``|``) when they span lines, double-quoted otherwise; ``null`` is spelled
out. Every text is parsed back with the catalog's own reader and compared with the data it was
made from, so a value that would not survive the trip is an internal error, never a silent
change.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from generator.adopt.roundtrip import differences
from generator.core.errors import GenError
from generator.yamlio.emit import plain_ok, scalar
from generator.yamlio.source import YamlLoadError, parse_yaml


def _literal_ok(text: str) -> bool:
    """Whether ``text`` reads back exactly from a literal block (``|``): several lines, no
    control character but newlines, no line ending in a space, not starting with a space."""
    if "\n" not in text.rstrip("\n") or text.startswith((" ", "\n")):
        return False
    for char in text:
        code = ord(char)
        if char != "\n" and (
            code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
        ):
            return False
    return not any(line.endswith((" ", "\t")) for line in text.split("\n"))


def _styled(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[key if plain_ok(key) else DoubleQuotedScalarString(key)] = _styled(item)
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq()
        seq.extend(_styled(item) for item in value)
        return seq
    if isinstance(value, str):
        if _literal_ok(value):
            return LiteralScalarString(value)
        return value if plain_ok(value) else DoubleQuotedScalarString(value)
    return value


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.representer.add_representer(
        type(None), lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    # YAML 1.1 floats need a dot ("1e-05" would read back as a string): emit's spelling.
    yaml.representer.add_representer(
        float, lambda rep, data: rep.represent_scalar("tag:yaml.org,2002:float", scalar(data))
    )
    return yaml


def dump_document(
    data: Mapping[str, Any],
    header: Sequence[str] = (),
    item_comments: Mapping[str, Sequence[str]] | None = None,
    file: str = "<catalog>",
) -> str:
    """``data`` as a YAML document opened by ``header`` comment lines. ``item_comments`` maps a
    top-level list key to one comment per item (``{"apps": ["from a.yaml:1", ...]}``)."""
    document = _styled(data)
    if header:
        document.yaml_set_start_comment("\n".join(header))
    for key, comments in (item_comments or {}).items():
        for index, comment in enumerate(comments):
            if comment:
                document[key].yaml_set_comment_before_after_key(index, before=comment, indent=2)
    stream = io.StringIO()
    _yaml().dump(document, stream)
    text = stream.getvalue()
    try:
        back = parse_yaml(text, file).data
    except YamlLoadError as exc:  # pragma: no cover - a bug in this module, not in the input
        raise GenError(f"internal error: {file} would not parse back: {exc.problem}") from None
    changed = differences(dict(data), back)
    if changed:  # pragma: no cover - a bug in this module, not in the input
        raise GenError(f"internal error: {file} would not read back as written: {changed[0]}")
    return text
