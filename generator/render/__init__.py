"""From a project to files: the Argo CD and kustomize objects as data, and the templates that
turn them into text."""
