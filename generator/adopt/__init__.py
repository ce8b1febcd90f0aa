"""Adopting hand-written Argo CD manifests (``gen import``): read them with every loss found
(read), convert each Application field by field (convert, fields), collect them into groups
and AppProjects (collect), plan the catalog files (catalog), and prove the round trip on the
project built in memory (verify, roundtrip)."""
