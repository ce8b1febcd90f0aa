"""Adopting hand-written Argo CD manifests (``gen import``): read them with every loss found,
convert to catalog entries, and prove the round trip."""
