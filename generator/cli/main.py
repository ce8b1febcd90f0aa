"""The ``gen`` command line: parses options, calls one command function, prints its result.

Heavy modules (Jinja, jsonschema, ruamel.yaml, the loaders) are imported inside the commands so
that ``gen --help`` and shell completion stay instant and ``gen check`` starts fast.
"""

from __future__ import annotations

import gc

import click

from generator import __version__
from generator.cli.commands import adopt, graph, ops, render, root, toggle, validate, views
from generator.cli.error_handler import error_handler


class _Gen(click.Group):
    """The ``gen`` group: whatever a command raises goes through the one error handler, so an
    unexpected exception anywhere (options, printing) exits 3 with a crash log, never 1."""

    def invoke(self, ctx: click.Context) -> object:
        # A run makes millions of objects that live until it ends and almost no reference
        # cycles (a render of 10,000 Applications leaves about 2,000 objects to collect): each
        # collection walks the young objects in vain. Collecting every 700 allocations (the
        # default) cost a large render a fifth of its CPU time, every 200,000 still 3%; a
        # short-lived process does not collect at all.
        gc.disable()
        with error_handler():
            return super().invoke(ctx)


@click.group(cls=_Gen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Render staged Argo CD bring-up from config.yaml and catalog/ into rendered/.

    Colour is used on terminals only; set NO_COLOR=1 to turn it off. Shell completion:
    eval "$(_GEN_COMPLETE=bash_source gen)" (zsh_source, fish_source for other shells).

    \b
    Example:
      gen render            # write rendered/<env>/ for every environment
      gen check             # exit 1 with a diff when rendered/ is stale
      gen enable demos --env ai-dev
    """
    from generator.cli.display import color_default

    if color_default() is False:
        ctx.color = False


for _command in (
    render.render,
    render.check,
    views.resolve_groups,
    views.plan,
    toggle.enable,
    toggle.disable,
    toggle.set_,
    views.explain,
    views.profile,
    adopt.init,
    adopt.import_,
    validate.validate,
    root.root,
    ops.up,
    ops.down,
    ops.doctor,
    ops.smoke,
    graph.graph,
):
    main.add_command(_command)
