"""Findings as people and tools see them: the registry of finding ids, accepted warnings, and the
words messages use.
"""
