"""The Go text/template subset: every expected output here was produced by Go 1.19's
text/template with the same data (decoded by encoding/json, as Argo CD decodes list elements)
and the template named "base", as Argo CD names it."""

from __future__ import annotations

import pytest

from generator.plan.gotemplate import (
    TemplateError,
    UnsupportedTemplate,
    execute,
    go_float,
    missing_key_mode,
    parse,
    render_value,
)

DATA = {
    "name": "x",
    "a": {"b": "deep", "c": {"d": 7}},
    "z": None,
    "b": True,
    "é": "u",
}
ERROR = ["missingkey=error"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{.name}}", "x"),
        ("{{ .name }}", "x"),
        ("pre-{{ .a.b }}-post", "pre-deep-post"),
        ("{{.a.c.d}}", "7"),
        ("{{.b}}", "true"),
        ("{{.z}}", "<no value>"),
        ("{{-  .name  -}}", "x"),
        ("a {{- .name -}} b", "axb"),
        ("  {{- .name -}}  \n", "x"),
        ("}}{{.name}}", "}}x"),
        ("{{.é}}", "u"),
        ("no action", "no action"),
    ],
)
def test_fields_render_like_go(template: str, expected: str) -> None:
    assert execute(template, DATA, ERROR) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{.missing}}",
            'template: base:1:2: executing "base" at <.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "{{ .missing }}",
            'template: base:1:3: executing "base" at <.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "{{.a.x}}",
            'template: base:1:4: executing "base" at <.a.x>: map has no entry for key "x"',
        ),
        (
            "{{.a.c.missing}}",
            'template: base:1:4: executing "base" at <.a.c.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "{{.missing.x}}",
            'template: base:1:10: executing "base" at <.missing.x>: '
            'map has no entry for key "missing"',
        ),
        (
            "{{.a.b}}{{.missing}}",
            'template: base:1:10: executing "base" at <.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "x\n{{ .missing }}",
            'template: base:2:3: executing "base" at <.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "é{{ .missing }}",
            'template: base:1:5: executing "base" at <.missing>: '
            'map has no entry for key "missing"',
        ),
        (
            "{{.name.x}}",
            'template: base:1:7: executing "base" at <.name.x>: '
            "can't evaluate field x in type interface {}",
        ),
        (
            "{{.z.x}}",
            'template: base:1:4: executing "base" at <.z.x>: nil pointer evaluating interface {}.x',
        ),
    ],
)
def test_missing_key_error_is_argos_message(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        execute(template, DATA, ERROR)
    assert str(caught.value) == f"failed to execute go template {template}: {message}"


@pytest.mark.parametrize(
    ("options", "template", "expected"),
    [
        ([], "{{.missing}}", "<no value>"),
        ([], "{{.missing.x}}", "<no value>"),
        (["missingkey=default"], "{{.a.x}}", "<no value>"),
        (["missingkey=invalid"], "{{.a.c.missing}}", "<no value>"),
        (["missingkey=zero"], "{{.a.x}}", "<no value>"),
    ],
)
def test_other_missingkey_modes_print_no_value(
    options: list[str], template: str, expected: str
) -> None:
    assert execute(template, DATA, options) == expected


def test_missingkey_zero_then_field_is_nil_pointer() -> None:
    with pytest.raises(TemplateError, match=r"nil pointer evaluating interface \{\}\.x$"):
        execute("{{.missing.x}}", DATA, ["missingkey=zero"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1000000, "1e+06"),
        (123456, "123456"),
        (1234567, "1.234567e+06"),
        (-1234567, "-1.234567e+06"),
        (1.5, "1.5"),
        (0.00001, "1e-05"),
        (0.0001, "0.0001"),
        (0.00012, "0.00012"),
        (100000.5, "100000.5"),
        (12345.678, "12345.678"),
        (1e20, "1e+20"),
        (1e21, "1e+21"),
        (123456789012, "1.23456789012e+11"),
        (-3, "-3"),
        (0, "0"),
        (-0.0, "-0"),
        (1e-7, "1e-07"),
    ],
)
def test_numbers_print_as_go_float64(value: float, expected: str) -> None:
    assert go_float(float(value)) == expected
    assert execute("{{ .n }}", {"n": value}) == expected


@pytest.mark.parametrize(
    "template",
    ["{{ .name | upper }}", "{{.}}", "{{ if .b }}y{{ end }}", "{{/* c */}}", "{{ $x }}", "{{}}"],
)
def test_unsupported_constructs_fail_clearly(template: str) -> None:
    with pytest.raises(UnsupportedTemplate, match="gen plan evaluates only field actions"):
        execute(template, DATA, ERROR)


def test_printing_a_map_is_refused_not_guessed() -> None:
    with pytest.raises(UnsupportedTemplate, match="prints a map"):
        execute("{{ .a }}", DATA, ERROR)


def test_unclosed_action_is_a_parse_error() -> None:
    with pytest.raises(TemplateError) as caught:
        execute("ok {{ .name", DATA, ERROR)
    assert str(caught.value) == (
        "failed to parse template ok {{ .name: template: base:1: unclosed action"
    )


def test_unknown_option_is_refused() -> None:
    with pytest.raises(UnsupportedTemplate, match="unsupported goTemplateOptions entry"):
        missing_key_mode(["missingkey=maybe"])
    assert missing_key_mode(["missingkey=error"]) == "error"
    assert missing_key_mode([]) == "invalid"


def test_parse_splits_text_and_fields() -> None:
    parts = parse("a-{{ .x.y }}-b")
    assert parts[0] == "a-" and parts[2] == "-b"
    field = parts[1]
    assert not isinstance(field, str)
    assert field.names == ("x", "y") and field.text == ".x.y"


def test_render_value_renders_keys_and_values_and_reports_the_path() -> None:
    template = {"metadata": {"name": "{{ .name }}", "labels": {"{{ .name }}-key": "v"}}, "n": 3}
    assert render_value(template, DATA, ERROR) == {
        "metadata": {"name": "x", "labels": {"x-key": "v"}},
        "n": 3,
    }
    with pytest.raises(TemplateError) as caught:
        render_value({"spec": {"paths": ["ok", "{{ .nope }}"]}}, DATA, ERROR)
    assert caught.value.path == ("spec", "paths", 1)
