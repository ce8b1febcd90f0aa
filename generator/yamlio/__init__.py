"""YAML in and out: the positioned readers (YAML 1.2 for input, 1.1 for manifests), the
deterministic emitter, and the writers that edit config.yaml and catalog files in place."""
