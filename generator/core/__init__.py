"""The vocabulary every stage shares: problems and errors, the typed model, where files are."""
