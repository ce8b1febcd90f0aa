"""Typed settings: declared in catalog/settings.yaml and set in config.yaml, what they do to groups
(``when``/``needs``/``wants``), ``${settings.NAME}`` in catalog values, and the refusal of
credentials.
"""
