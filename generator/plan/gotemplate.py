"""A small, honest evaluator of the Go ``text/template`` subset that ApplicationSets use here.

Argo CD renders a ``goTemplate: true`` ApplicationSet by running every string of its template
(map keys included) through Go's ``text/template`` with the generator's parameters as ``.``.
This module does the same for the constructs the generator emits, and nothing more:

- text, and actions that print a field: ``{{.key}}``, ``{{ .key }}``, nested ``{{ .a.b }}``;
- the trim markers ``{{- `` and `` -}}``;
- the ``missingkey`` option: ``error`` (a missing key is an error), ``default`` / ``invalid``
  (prints ``<no value>``) and ``zero``;
- values printed as Go's ``fmt`` prints what ``encoding/json`` decoded: strings as they are,
  ``true`` / ``false``, every number as a float64 (``1000000`` prints ``1e+06``), null as
  ``<no value>``.

Anything else (pipelines, functions, ``if`` / ``range``, variables, comments, ``{{ . }}``, a map or
list printed whole) raises :class:`UnsupportedTemplate` instead of guessing. Error texts are Go's
own, wrapped as Argo CD wraps them: ``failed to execute go template {{ .x }}: template: base:1:3:
executing "base" at <.x>: map has no entry for key "x"`` (checked against Go 1.19's output).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Argo CD parses every template as a clone of a template named "base".
TEMPLATE_NAME = "base"
NO_VALUE = "<no value>"
_SPACE = " \t\r\n"
_FIELD = re.compile(r"\.([^\W\d]\w*)")
_MISSING_KEY_OPTIONS = {
    "default": "invalid",
    "invalid": "invalid",
    "zero": "zero",
    "error": "error",
}


class TemplateError(Exception):
    """The template fails as it would in Argo CD; ``str(error)`` is Argo's message.

    ``path`` is where the failing string sits in the value given to :func:`render_value`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: tuple[str | int, ...] = ()


class UnsupportedTemplate(TemplateError):
    """The template uses Go template syntax this evaluator does not implement."""


@dataclass(frozen=True)
class Field:
    """One ``{{ .a.b }}`` action: the names of the chain and Go's position for errors."""

    names: tuple[str, ...]
    #: Byte offset Go reports errors at: the first field, or the second one of a chain.
    offset: int

    @property
    def text(self) -> str:
        return "".join("." + name for name in self.names)


def is_template(text: str) -> bool:
    """Whether ``text`` contains an action (Go would treat it as a template)."""
    return "{{" in text


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse(template: str) -> list[str | Field]:
    """Split ``template`` into text and field actions (trim markers applied to the text)."""
    parts: list[str | Field] = []
    pos = 0
    trim_next = False
    while True:
        start = template.find("{{", pos)
        text = template[pos:] if start < 0 else template[pos:start]
        if trim_next:
            text = text.lstrip(_SPACE)
        if start < 0:
            if text:
                parts.append(text)
            return parts
        inner = start + 2
        if template[inner : inner + 1] == "-" and template[inner + 1 : inner + 2] in tuple(_SPACE):
            text = text.rstrip(_SPACE)
            inner += 2
        if text:
            parts.append(text)
        end = template.find("}}", inner)
        if end < 0:
            line = 1 + template.count("\n", 0, start)
            raise TemplateError(
                f"failed to parse template {template}: template: {TEMPLATE_NAME}:{line}: "
                "unclosed action"
            )
        stop = end
        trim_next = False
        if end - inner >= 2 and template[end - 1] == "-" and template[end - 2] in _SPACE:
            stop = end - 2
            trim_next = True
        parts.append(_field(template, inner, stop))
        pos = end + 2


def _field(template: str, start: int, stop: int) -> Field:
    body = template[start:stop]
    lead = len(body) - len(body.lstrip(_SPACE))
    chain = body.strip(_SPACE)
    names = _FIELD.findall(chain)
    if not names or "".join("." + n for n in names) != chain:
        raise UnsupportedTemplate(
            f"unsupported Go template action {{{{{body}}}}} in {template!r}: gen plan evaluates "
            "only field actions such as {{ .key }} and {{ .a.b }}"
        )
    first = start + lead
    at = first if len(names) == 1 else first + 1 + len(names[0])
    return Field(tuple(names), _byte_offset(template, at))


def missing_key_mode(options: Sequence[str]) -> str:
    """The ``missingkey`` behaviour selected by ``goTemplateOptions`` (Go's default: invalid)."""
    mode = "invalid"
    for option in options:
        key, _, value = option.partition("=")
        if key != "missingkey" or value not in _MISSING_KEY_OPTIONS:
            raise UnsupportedTemplate(
                f"unsupported goTemplateOptions entry {option!r}: gen plan knows "
                + ", ".join(f"missingkey={v}" for v in _MISSING_KEY_OPTIONS)
            )
        mode = _MISSING_KEY_OPTIONS[value]
    return mode


_INVALID = object()


def execute(template: str, data: Mapping[str, Any], options: Sequence[str] = ()) -> str:
    """Render ``template`` with ``data`` as dot, as Argo CD's ApplicationSet controller does."""
    parts = parse(template)
    mode = missing_key_mode(options)
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = _lookup(template, part, data, mode)
        out.append(_print(template, part, value))
    return "".join(out)


def _context(template: str, field: Field) -> str:
    raw = template.encode("utf-8")
    before = raw[: field.offset]
    line = 1 + before.count(b"\n")
    column = field.offset - (before.rfind(b"\n") + 1) if line > 1 else field.offset
    return (
        f'template: {TEMPLATE_NAME}:{line}:{column}: executing "{TEMPLATE_NAME}" at <{field.text}>'
    )


def _fail(template: str, field: Field, message: str) -> TemplateError:
    return TemplateError(
        f"failed to execute go template {template}: {_context(template, field)}: {message}"
    )


def _lookup(template: str, field: Field, data: Mapping[str, Any], mode: str) -> Any:
    value: Any = data
    for name in field.names:
        if value is _INVALID:
            continue
        if value is None:
            raise _fail(template, field, f"nil pointer evaluating interface {{}}.{name}")
        if not isinstance(value, Mapping):
            raise _fail(template, field, f"can't evaluate field {name} in type interface {{}}")
        if name in value:
            value = value[name]
        elif mode == "error":
            raise _fail(template, field, f'map has no entry for key "{name}"')
        else:
            value = None if mode == "zero" else _INVALID
    return value


def _print(template: str, field: Field, value: Any) -> str:
    if value is None or value is _INVALID:
        return NO_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_float(float(value))
    if isinstance(value, str):
        return value
    kind = "a map" if isinstance(value, Mapping) else type(value).__name__
    raise UnsupportedTemplate(
        f"{{{{ {field.text} }}}} in {template!r} prints {kind}; gen plan prints only strings, "
        "numbers, booleans and null"
    )


def go_float(value: float) -> str:
    """``fmt.Sprint(float64)``: shortest digits, ``%e`` form below 1e-4 and from 1e+06 up."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    exact = Decimal(repr(abs(value))).normalize()
    _, digit_tuple, exponent = exact.as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    point = len(digits) + int(exponent)  # position of the decimal point in ``digits``
    power = point - 1
    if power < -4 or power >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def render_value(
    value: Any, data: Mapping[str, Any], options: Sequence[str], path: tuple[str | int, ...] = ()
) -> Any:
    """Render every string (and string map key) inside ``value``, like Argo's deep replace.

    A failure raises :class:`TemplateError` with ``path`` set to the failing string's place.
    """
    try:
        if isinstance(value, str):
            return execute(value, data, options) if is_template(value) else value
    except TemplateError as error:
        error.path = path
        raise
    if isinstance(value, Mapping):
        rendered: dict[Any, Any] = {}
        for key, item in value.items():
            new_item = render_value(item, data, options, (*path, key))
            new_key = (
                render_value(key, data, options, (*path, key)) if isinstance(key, str) else key
            )
            rendered[new_key] = new_item
        return rendered
    if isinstance(value, list):
        return [render_value(item, data, options, (*path, i)) for i, item in enumerate(value)]
    return value
