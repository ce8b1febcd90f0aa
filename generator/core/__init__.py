"""The vocabulary every stage shares: problems and errors, the typed model, where files are,
the names Argo CD and the generator agree on (constants), text tables (table), and
findings as people see them (findings/: ids, accepted warnings, messages)."""
