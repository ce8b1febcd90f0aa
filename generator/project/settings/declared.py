"""Typed settings: declared in catalog/settings.yaml, set in config.yaml, resolved per environment.

A declaration gives a setting's ``type`` (string, boolean or integer), optionally its allowed
values (``enum``) or a ``pattern``, a ``default`` and a ``description``. config.yaml sets values
under ``settings:`` (every environment) and ``environments.<env>.settings:`` (that environment;
it wins). Every value is checked against its declaration: unknown names (with a did-you-mean),
wrong types, values outside the enum (listing the allowed ones), pattern mismatches, and values
that look like credentials (settings are committed in plain text, so those are refused with a
hint to use a secret store; see :mod:`generator.project.settings.credentials`).

An environment's value of a setting is its own, else the global one, else the default, else
unset; each remembers the key and file:line that set it (:class:`SettingValue`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.core.errors import Problem, key_path
from generator.core.layout import CATALOG_DIR, SETTINGS_FILE
from generator.core.model import (
    Config,
    DocPath,
    Environment,
    Location,
    Project,
    SettingDeclaration,
    SettingScalar,
    SettingValue,
    format_setting,
)
from generator.project.schema import describe, suggest
from generator.project.settings.credentials import credential_kind
from generator.yamlio.source import SourceDoc

#: A setting's name: it is written ``${settings.NAME}`` in catalog values.
NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")
SETTINGS_PATH = f"{CATALOG_DIR}/{SETTINGS_FILE}"
_TYPES: dict[str, type] = {"string": str, "boolean": bool, "integer": int}
_WANTED = {"string": "a string", "boolean": "true or false", "integer": "an integer"}
SECRET_HINT = (
    "keep it in a secret store (an ExternalSecret, a Sealed Secret) and set the secret's name "
    "here instead"
)


def has_type(value: Any, kind: str) -> bool:
    """Whether ``value`` is of the declared ``kind`` (a boolean is not an integer here)."""
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def same_value(a: Any, b: Any) -> bool:
    """Equality that keeps types apart (``True`` is not ``1``)."""
    return type(a) is type(b) and a == b


def type_problem(value: Any, kind: str) -> str | None:
    """Why ``value`` is not of the declared ``kind``, or None."""
    if has_type(value, kind):
        return None
    message = f"must be {_WANTED[kind]}, got {describe(value)}"
    if kind == "boolean" and isinstance(value, str):
        message += "; write true or false without quotes"
    elif kind == "string" and isinstance(value, bool | int | float):
        message += "; put it in quotes"
    elif value is None:
        message += '; write "" for an empty value' if kind == "string" else ""
    return message


def value_problem(decl: SettingDeclaration, value: Any) -> tuple[str, str] | None:
    """``(id, message)`` for the first way ``value`` breaks ``decl``, or None when it fits.

    The credential check comes first, so that no later message echoes a secret."""
    if isinstance(value, str):
        kind = credential_kind(value)
        if kind is not None:
            return (
                "credential-in-setting",
                f"the value looks like a credential ({kind}); settings are committed in plain "
                f"text and copied into rendered/: {SECRET_HINT}",
            )
    bad_type = type_problem(value, decl.type)
    if bad_type:
        return "setting-type", bad_type
    if decl.enum is not None and not any(same_value(value, v) for v in decl.enum):
        allowed = ", ".join(format_setting(v) for v in decl.enum)
        hint = suggest(value, [str(v) for v in decl.enum]) if isinstance(value, str) else ""
        return (
            "setting-value-not-allowed",
            f"must be one of: {allowed}; got {describe(value)}{hint}",
        )
    pattern = decl.pattern
    if (
        pattern is not None
        and isinstance(value, str)
        and value
        and not re.fullmatch(pattern, value)
    ):
        return (
            "setting-pattern-mismatch",
            f"{describe(value)} does not match the pattern {pattern} declared at "
            f"{decl.where_of('pattern')}",
        )
    return None


def _loc(doc: SourceDoc, path: tuple[str | int, ...]) -> Location:
    line, column = doc.locate(path)
    return Location(doc.file, line, column, key_path(path))


def _rule_problems(name: str, raw: dict[str, Any]) -> Iterator[tuple[DocPath, str, str]]:
    """``(path under the declaration, message, id)`` for each rule of a declaration that its
    schema cannot say: the name's form, no secrets, enum and pattern fitting the type."""
    kind = raw["type"]
    if not NAME.fullmatch(name):
        yield (
            (),
            'a setting\'s name is letters, digits, "_" and "-", starting with a letter '
            "(it is written ${settings.NAME} in catalog values)",
            "bad-setting-declaration",
        )
    if raw.get("secret") is True:
        yield (
            ("secret",),
            "settings are never secrets: they are committed in plain text and copied into "
            "rendered/; keep the credential in a secret store (an ExternalSecret, a Sealed "
            "Secret) and, if apps must find it, declare a setting for the secret's name",
            "secret-setting",
        )
    enum, pattern = raw.get("enum"), raw.get("pattern")
    if enum is not None and kind == "boolean":
        yield (
            ("enum",),
            "a boolean setting takes no enum: true and false are its values",
            "bad-setting-declaration",
        )
    elif enum is not None and pattern is not None:
        yield ("pattern",), 'give either "enum" or "pattern", not both', "bad-setting-declaration"
    elif pattern is not None and kind != "string":
        yield ("pattern",), '"pattern" is for string settings', "bad-setting-declaration"
    for index, item in enumerate(enum or ()):
        wrong = type_problem(item, kind)
        if wrong:
            yield ("enum", index), wrong, "bad-setting-declaration"


def _declaration(
    doc: SourceDoc, name: str, raw: dict[str, Any], problems: list[Problem]
) -> SettingDeclaration:
    at: DocPath = ("settings", name)

    def bad(path: DocPath, message: str, problem_id: str) -> None:
        where = _loc(doc, (*at, *path))
        problems.append(where.problem(message, id=problem_id, key=where.key))

    for path, message, problem_id in _rule_problems(name, raw):
        bad(path, message, problem_id)
    kind, enum, pattern = raw["type"], raw.get("enum"), raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            bad(("pattern",), f"not a valid regular expression: {exc}", "bad-setting-declaration")
            pattern = None
    decl = SettingDeclaration(
        name=name,
        type=kind,
        description=raw["description"],
        where=_loc(doc, at),
        enum=None if enum is None or kind == "boolean" else tuple(enum),
        pattern=pattern if kind == "string" else None,
        default=raw.get("default"),
        fields={key: _loc(doc, (*at, key)) for key in raw},
    )
    if "default" in raw:
        found = value_problem(decl, raw["default"])
        if found:
            bad(("default",), found[1], found[0])
    return decl


def build_declarations(doc: SourceDoc, problems: list[Problem]) -> dict[str, SettingDeclaration]:
    """The declarations of a schema-valid catalog/settings.yaml, in the order written."""
    return {
        name: _declaration(doc, name, raw, problems) for name, raw in doc.data["settings"].items()
    }


def config_values(
    doc: SourceDoc, at: tuple[str, ...], raw: Mapping[str, Any]
) -> dict[str, SettingValue]:
    """The values a ``settings:`` mapping of config.yaml writes (``at``: its path), as written."""
    prefix = ".".join(at)
    return {
        name: SettingValue(name, value, f"{prefix}.{name}", _loc(doc, (*at, name)))
        for name, value in raw.items()
    }


def unknown_setting(name: str, declarations: Mapping[str, SettingDeclaration]) -> str:
    """The message for a name no declaration has: a did-you-mean, else the declared names."""
    if not declarations:
        return f'unknown setting "{name}": no settings are declared; declare it in {SETTINGS_PATH}'
    hint = suggest(name, declarations)
    if hint:
        return f'unknown setting "{name}"{hint}'
    return f'unknown setting "{name}"; {SETTINGS_PATH} declares: {", ".join(declarations)}'


def value_problems(
    config: Config, declarations: Mapping[str, SettingDeclaration], declared: bool = True
) -> list[Problem]:
    """Every setting value of config.yaml checked against its declaration. ``declared`` is
    False when catalog/settings.yaml failed to load: then names are not checked."""
    values = list(config.setting_values.values())
    for env in config.environments.values():
        values.extend(env.setting_values.values())
    problems = []
    for value in values:
        decl = declarations.get(value.name)
        if decl is None:
            if declared:
                message = unknown_setting(value.name, declarations)
                problems.append(value.where.problem(message, id="unknown-setting", key=value.key))
            continue
        found = value_problem(decl, value.value)
        if found:
            problems.append(value.where.problem(found[1], id=found[0], key=value.key))
    return problems


def unset(decl: SettingDeclaration) -> SettingValue:
    """What a setting is where config.yaml does not set it: its default, or unset."""
    if decl.default is None:
        return SettingValue(decl.name, None, "", decl.where)
    return SettingValue(decl.name, decl.default, "", decl.where_of("default"))


def effective_values(project: Project, env: Environment) -> dict[str, SettingValue]:
    """Every declared setting's value in ``env``, in declaration order: the environment's own,
    else config.yaml's global one, else the default, else unset."""
    config = project.config
    out = {}
    for name, decl in project.settings.items():
        value = env.setting_values.get(name) or config.setting_values.get(name)
        out[name] = value if value is not None else unset(decl)
    return out


def as_text(value: SettingScalar | None) -> str:
    """How a value is written into a catalog string: ``true``/``false``, digits, the text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
