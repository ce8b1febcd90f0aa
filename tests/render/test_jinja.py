"""Recognising a template that only emits the object without Jinja (the built-in templates'
form) never says yes where Jinja's parse says no."""

from __future__ import annotations

import pytest

from generator.core.layout import builtin_templates
from generator.render.jinja import emits_document, environment, plainly_emits_document

VARIANTS = {
    "bare": ("{{ document | document }}", True),
    "newlines after": ("{{ document | document }}\n\n", True),
    "stripped comment": ("{#- note -#}\n{{ document | document }}\n", True),
    "two stripped comments": ("{#- a -#}\n\n{#- b\nc -#}\n  {{ document | document }}\n", True),
    "comment without dashes": ("{# note #}\n{{ document | document }}\n", None),
    "dash on one side only": ("{#- note #}\n{{ document | document }}\n", None),
    "spaces after": ("{{ document | document }}  \n", False),
    "text before": ("x\n{{ document | document }}\n", False),
    "header first": ("{{ header }}\n{{ document | document }}\n", None),
    "another filter": ("{{ document | yaml(2) }}\n", False),
    "two objects": ("{{ document | document }}\n{{ document | document }}\n", False),
    "comment closing early": ("{#- a #} -#}\n{{ document | document }}\n", False),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_plain_recognition_agrees_with_jinja(name: str) -> None:
    source, plain = VARIANTS[name]
    jinja = emits_document(source, environment({"t": source}))
    found = plainly_emits_document(source)
    if plain is None:  # left to Jinja
        assert not found
    else:
        assert found is plain
    assert not found or jinja  # never yes where Jinja says no


def test_every_built_in_template_is_recognised_without_jinja() -> None:
    for path in sorted(builtin_templates().glob("*.j2")):
        assert plainly_emits_document(path.read_text("utf-8")), path.name
