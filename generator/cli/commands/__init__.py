"""The ``gen`` commands, grouped by what they do; each parses its options and calls one function of
:mod:`generator.commands`.
"""
