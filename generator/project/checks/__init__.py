"""Checks across the input files over the typed model: names and references, config.yaml's values,
AppProject references, repository paths, and dependencies that sync waves do not enforce.
"""
