"""From a snapshot to files: the one build every command consumes (build), the Argo CD and
kustomize objects as data (objects, roots), and the templates that turn them into text
(templates)."""
