"""Reading rendered/ the way Argo CD does: kustomize, directory sources, ApplicationSet expansion
through a Go-template evaluator."""
