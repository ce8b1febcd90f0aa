"""The ``gen`` command line: option parsing, display, exit codes. Thin: each command calls one
function of :mod:`generator.commands`."""
