"""Adopting hand-written Argo CD manifests (``gen import``): read them with every loss found
and their comments (read), convert each Application field by field (convert, fields), collect
them into groups and AppProjects (sources, collect), read the ApplicationSets that stage them
into layers and plan layers.yaml and config.yaml (appsets/), plan the catalog
files with the owner's comments and reasons (catalog, comments), say a staged build's problems
at the owner's files and accept the owner's deliberate choices (staging), and prove the round
trip on the project built in memory (verify, roundtrip)."""
