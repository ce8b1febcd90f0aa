"""The Jinja side of rendering: the environment the project's templates run in (its filters
emit catalog values as YAML data, never as template source), and how a template that only emits
the object is recognised, so that Python emits it instead (generator/render/templates.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from generator.yamlio.emit import block, dump, scalar

if TYPE_CHECKING:
    import jinja2


def _defined(emit: Callable[..., str]) -> Callable[..., str]:
    """A filter that reports a template's undefined name as Jinja does (``'dict object' has no
    attribute 'x'``) instead of trying to emit it."""
    import jinja2

    def wrapped(value: Any, *args: Any) -> str:
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return emit(value, *args)

    return wrapped


def emits_document(source: str, env: jinja2.Environment) -> bool:
    """Whether a template's whole output is ``{{ document | document }}`` (after an optional
    ``{{ header }}``, blank lines and comments): then its text is the emitted object."""
    from jinja2 import nodes

    body = env.parse(source).body
    if len(body) != 1 or not isinstance(body[0], nodes.Output):
        return False
    items = list(body[0].nodes)
    if items and isinstance(items[0], nodes.Name) and items[0].name == "header":
        items = items[1:]
    # Blank lines around the object are stripped from every file, so they change nothing.
    rest = [i for i in items if not (isinstance(i, nodes.TemplateData) and not i.data.strip("\n"))]
    if len(rest) != 1:
        return False
    node = rest[0]
    return (
        isinstance(node, nodes.Filter)
        and node.name == "document"
        and isinstance(node.node, nodes.Name)
        and node.node.name == "document"
        and not node.args
        and not node.kwargs
        and node.dyn_args is None
        and node.dyn_kwargs is None
    )


#: What a template that only emits the object is, after its leading ``{#- ... -#}`` comments.
_EMIT_ONLY = "{{ document | document }}"


def plainly_emits_document(source: str) -> bool:
    """Whether a template is, plainly from its text, leading ``{#- ... -#}`` comments (whose
    dashes strip the whitespace around them) then ``{{ document | document }}`` and newlines:
    the built-in templates' form. A sufficient condition for :func:`emits_document`, which
    needs Jinja; any other form is left to it."""
    text = source
    while text.startswith("{#-"):
        end = text.find("#}")
        if end < 3 or text[end - 1] != "-":
            return False
        text = text[end + 2 :].lstrip()
    return text.startswith(_EMIT_ONLY) and not text[len(_EMIT_ONLY) :].strip("\n")


def environment(templates: Mapping[str, str]) -> jinja2.Environment:
    import jinja2

    def source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        text = templates.get(name)
        return None if text is None else (text, name, lambda: True)

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(source),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = _defined(scalar)
    env.filters["yaml"] = _defined(block)
    env.filters["document"] = _defined(dump)
    return env
