"""stagegen: an offline generator of staged Argo CD bring-up.

``config.yaml`` + ``catalog/`` go in; per-environment AppProjects, per-layer ApplicationSets and
the auto- and manual-sync Applications come out as ``{relative path: text}``.

The stages, each a package, in the order data flows through them:

- ``fs``: the input read once into a snapshot; all-or-nothing writes; the run cache and memo.
- ``yamlio``: YAML read with source positions, emitted deterministically, edited in place.
- ``project``: the typed model checked and resolved: schemas, overrides, ``settings/``,
  ``checks/`` across files, ``declarations/`` (app-of-apps, cost actions, smoke, accepts),
  groups per environment, sync waves.
- ``render``: the one build every command consumes, and the objects and templates it renders.
- ``validation``: rendered or hand-written manifests checked as Argo CD would (``manifests/``:
  ``gen validate PATH``).
- ``plan``: reading rendered/ as Argo CD does, from the root down.
- ``graph``, ``adopt`` (``gen import``), ``ops`` (kubectl and Argo CD for the cluster verbs).
- ``commands``: one function per command, returning data; ``cli``: the thin command line.
- ``core``: the vocabulary every stage shares (problems, the model, locations, finding ids).
"""

__version__ = "0.1.0"
