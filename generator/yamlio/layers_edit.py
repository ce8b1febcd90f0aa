"""Edit catalog/layers.yaml keeping what people wrote: its comments, the order of its keys and
the style of what the edit does not touch (ruamel.yaml's round trip).

:func:`edit_layers` sets the layer list (names, or ``{name, appOfApps}`` for a layer with its
own app-of-apps keys), the profiles and the top-level ``appOfApps``; anything else in the file
(``smoke:``, comments) is kept. The result is parsed back with the catalog's own reader and
compared with the intended data, so the edit cannot change anything else unnoticed. A file
that already says all of it is returned unchanged, byte for byte.

ruamel.yaml is imported here only, so commands that never edit layers.yaml never load it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from generator.core.errors import GenError, UsageError
from generator.yamlio.config_edit import plain_data
from generator.yamlio.source import YamlLoadError, parse_yaml


def _flow(values: Sequence[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _block(value: Mapping[str, Any]) -> Any:
    """An ``appOfApps`` mapping: block style, its lists and ``directory`` in flow style."""
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    for key, item in value.items():
        if isinstance(item, list):
            out[key] = _flow(item)
        elif isinstance(item, dict):
            inner = CommentedMap(item)
            inner.fa.set_flow_style()
            out[key] = inner
        else:
            out[key] = item
    return out


def edit_layers(
    text: str,
    layers: Sequence[str],
    profiles: Mapping[str, Sequence[str]],
    common: Mapping[str, Any] | None,
    per_layer: Mapping[str, Mapping[str, Any]],
    comment: str = "",
) -> str:
    """layers.yaml's ``text`` with exactly these layers (in this order; ``per_layer`` gives a
    layer its own ``appOfApps``), these profiles and this top-level ``appOfApps`` (None: none).
    ``comment`` goes above a top-level ``appOfApps`` the edit adds."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise UsageError(f"catalog/layers.yaml: cannot parse it to edit: {exc}") from None
    wanted_layers = [
        {"name": name, "appOfApps": dict(per_layer[name])} if name in per_layer else name
        for name in layers
    ]
    wanted = dict(plain_data(data))
    wanted["layers"] = wanted_layers
    wanted["profiles"] = {name: list(members) for name, members in profiles.items()}
    if common is None:
        wanted.pop("appOfApps", None)
    else:
        wanted["appOfApps"] = dict(common)
    if wanted == plain_data(data):
        return text
    _apply(data, layers, profiles, common, per_layer, comment)
    stream = io.StringIO()
    yaml.dump(data, stream)
    out = stream.getvalue()
    try:
        back = parse_yaml(out, "catalog/layers.yaml").data
    except YamlLoadError as exc:  # pragma: no cover - a bug in this module, not in the input
        raise GenError(
            f"internal error: catalog/layers.yaml would not parse: {exc.problem}"
        ) from None
    if back != wanted:  # pragma: no cover - a bug in this module, not in the input
        raise GenError("internal error: catalog/layers.yaml would not read back as intended")
    return out


def _apply(
    data: Any,
    layers: Sequence[str],
    profiles: Mapping[str, Sequence[str]],
    common: Mapping[str, Any] | None,
    per_layer: Mapping[str, Mapping[str, Any]],
    comment: str,
) -> None:
    """Change the round-trip data in place, touching only what differs."""
    from ruamel.yaml.comments import CommentedMap

    seq = data["layers"]
    seq.clear()
    for name in layers:
        own = per_layer.get(name)
        seq.append(name if own is None else CommentedMap({"name": name, "appOfApps": _block(own)}))
    profile_map = data["profiles"]
    for name in [k for k in profile_map if k not in profiles]:
        del profile_map[name]
    for name, members in profiles.items():
        if plain_data(profile_map.get(name)) != list(members):
            profile_map[name] = _flow(list(members))
    if common is None:
        data.pop("appOfApps", None)
    elif plain_data(data.get("appOfApps")) != dict(common):
        added = "appOfApps" not in data
        data["appOfApps"] = _block(common)
        if added and comment:
            data.yaml_set_comment_before_after_key("appOfApps", before=comment)
