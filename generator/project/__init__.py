"""From input files to a checked project: load with positions, schemas, environment overrides,
cross-file checks, group resolution and sync waves."""
