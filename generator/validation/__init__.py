"""Checks of rendered or hand-written Argo CD manifests: strict schemas, Argo CD's own rules,
cross-object checks, real CRDs and core Kubernetes kinds."""
