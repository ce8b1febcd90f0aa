"""The typed settings of the model (catalog/settings.yaml declarations, config.yaml values) and
a group's soft dependencies (``wants``), each remembering where it is written."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.core.location import Location

#: The types a setting may be declared with (catalog/settings.yaml ``type``).
SettingType = Literal["string", "boolean", "integer"]
#: A setting's value once checked: a str, bool or int, as its declaration's type says.
SettingScalar = str | bool | int


def format_setting(value: Any) -> str:
    """A setting's value as messages show it: ``operator``, ``true``, ``3``, ``""``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and (not value or value != value.strip() or " " in value):
        return json.dumps(value)
    return str(value)


@dataclass(frozen=True)
class SettingDeclaration:
    """One typed setting declared in catalog/settings.yaml: what config.yaml may set, and how.

    ``enum`` lists the allowed values; ``pattern`` (strings only) is a Python regular expression
    a non-empty value must match in full. ``default`` None: unset unless config.yaml sets it."""

    name: str
    type: SettingType
    description: str
    where: Location
    enum: tuple[SettingScalar, ...] | None = None
    pattern: str | None = None
    default: SettingScalar | None = None
    #: Where each key of the declaration was written (``default``, ``enum[1]``...).
    fields: Mapping[str, Location] = field(default_factory=dict)

    def where_of(self, key: str) -> Location:
        """Where ``key`` was written, or the declaration itself when it was not."""
        return self.fields.get(key, self.where)


@dataclass(frozen=True)
class SettingValue:
    """A setting's value in one environment and the place that set it.

    ``key`` is the config.yaml key (``settings.domain``, ``environments.prod.settings.domain``);
    empty when the value is the declaration's default (``where``: that ``default:`` in
    catalog/settings.yaml) or when nothing sets it (``value`` None, ``where``: the
    declaration)."""

    name: str
    value: Any
    key: str
    where: Location

    @property
    def empty(self) -> bool:
        """Unset, or the empty string: what ``needs:`` and interpolation call empty."""
        return self.value is None or self.value == ""

    def describe(self) -> str:
        """``settings.gpu_stack = operator``, ``gpu_stack: default none``, ``domain: unset``."""
        if self.key:
            return f"{self.key} = {format_setting(self.value)}"
        if self.value is None:
            return f"{self.name}: unset"
        return f"{self.name}: default {format_setting(self.value)}"


@dataclass(frozen=True)
class Want:
    """A soft dependency (a group's ``wants``): a warning, never an error, when it is off."""

    group: str
    reason: str
    where: Location
