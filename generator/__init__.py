"""stagegen: an offline generator of staged Argo CD bring-up.

``config.yaml`` + ``catalog/`` go in; per-environment AppProjects, per-layer ApplicationSets and
the auto- and manual-sync Applications come out as ``{relative path: text}``.
"""

__version__ = "0.1.0"
