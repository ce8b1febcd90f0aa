"""Names that Argo CD, kustomize and the generator agree on, each spelled once.

Standard library only (no imports at all): the fast paths may use it. Every module that writes
or reads one of these names imports it from here.
"""

from __future__ import annotations

#: The API version of Argo CD's Application, ApplicationSet and AppProject.
ARGO_API = "argoproj.io/v1alpha1"
#: The Argo CD kinds the generator renders and validates.
ARGO_KINDS = ("Application", "ApplicationSet", "AppProject")
#: The API version of the Kustomizations the generator renders.
KUSTOMIZE_API = "kustomize.config.k8s.io/v1beta1"
#: kustomize's API group (a Kustomization or Component without an apiVersion also counts).
KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
#: The files of a folder read as YAML (the catalog, `gen validate DIR`).
YAML_SUFFIXES = (".yaml", ".yml")
#: The files an Argo CD directory source reads (and so `gen plan`, `gen import`, `--crds DIR`).
MANIFEST_SUFFIXES = (*YAML_SUFFIXES, ".json")
#: The names kustomize looks for in a folder, in its order.
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: On an Application: deleting it deletes what it deployed (cascade). On an AppProject, the same
#: name is Argo CD's deletion protection: the project is not deleted while an Application still
#: references it (Argo CD's project specification, docs/operator-manual/project.yaml).
FINALIZER = "resources-finalizer.argocd.argoproj.io"
#: The annotation that orders an Application among its siblings (a string holding an integer).
WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
#: The sync option the generator adds whenever an app ignores differences: without it the next
#: sync resets the ignored fields (ignoreDifferences alone only hides the difference).
RESPECT_IGNORE = "RespectIgnoreDifferences=true"

#: The three exclusive ways an Application says where its manifests come from.
SOURCE_FORMS = ("source", "sources", "sourceHydrator")

#: The cluster Argo CD itself runs in, under both of the names Argo accepts for it.
IN_CLUSTER_SERVER = "https://kubernetes.default.svc"
IN_CLUSTER_NAME = "in-cluster"
#: The AppProject every Argo CD installation has.
BUILTIN_PROJECT = "default"

#: Prefix of the labels and annotations the generator owns on every object it renders.
LABEL_PREFIX = "stagegen.dev/"
#: The labels saying which environment, layer, group and profile an object belongs to.
ENV_LABEL = f"{LABEL_PREFIX}env"
LAYER_LABEL = f"{LABEL_PREFIX}layer"
GROUP_LABEL = f"{LABEL_PREFIX}group"
PROFILE_LABEL = f"{LABEL_PREFIX}profile"
#: The annotation holding a manual-sync app's reason (why it is cost-gated).
MANUAL_REASON = f"{LABEL_PREFIX}manual-reason"
#: On the apps of a dormant group: the empty settings its ``needs:`` name (comma-separated).
DORMANT_ANNOTATION = f"{LABEL_PREFIX}dormant"
#: The label saying whether an Application syncs by itself (``auto``) or only by hand.
SYNC_LABEL = f"{LABEL_PREFIX}sync"
#: The label marking the per-group app-of-apps template of an ApplicationSet.
ROLE_LABEL = f"{LABEL_PREFIX}role"
#: Name prefix of the per-group app-of-apps Applications (kept apart from workload app names).
GROUP_APP_PREFIX = "group-"
