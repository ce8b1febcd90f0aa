"""Would Argo CD permit everything reachable from a root? Checked over a :class:`Tree`.

Argo CD refuses, at sync time, an Application whose AppProject does not allow its source
repository or its destination, and a resource whose kind or namespace the AppProject of the
Application deploying it does not allow. For each level of the tree:

- the root Application and its bootstrap AppProject: its repository and destination; each object
  of the profile folder (the layers' AppProjects and ApplicationSets): its kind
  (``namespaceResourceWhitelist``/``Blacklist``, or ``clusterResourceWhitelist``) and its
  namespace on the root's destination cluster;
- each group app an ApplicationSet generates, against its layer's AppProject: the same for the
  group app itself and for the Applications of the group folder it syncs;
- each workload Application: its repositories and destination against its own AppProject.

The permission rules themselves are :mod:`generator.validation.privilege`'s (the one place
they are written). An AppProject the tree does not define (Argo CD's ``default``, config.yaml's
``externalProjects``) is not checked here: it is not in git.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from generator.core.appspec import spec_repositories
from generator.core.errors import Problem
from generator.plan.expand import Document, Path_
from generator.plan.tree import Tree
from generator.validation.privilege import destination_allowed, kind_allowed, repo_allowed

#: Argo CD's own kinds, all namespaced; any other kind is taken as namespaced when the object
#: names a namespace, else as cluster-scoped.
_ARGO_KINDS = {"Application", "ApplicationSet", "AppProject"}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _spec(data: Any) -> dict[str, Any]:
    spec = data.get("spec") if isinstance(data, dict) else None
    return spec if isinstance(spec, dict) else {}


def _app_problems(
    doc: Document, at: Path_, spec: dict[str, Any], projects: dict[str, Document], what: str
) -> Iterator[Problem]:
    """An Application (or a generated one, ``at`` its spec in ``doc``) against its project."""
    name = str(spec.get("project", ""))
    project_doc = projects.get(name)
    if project_doc is None:
        return
    project = _spec(project_doc.data)
    for where, url in spec_repositories(at, spec):
        if not repo_allowed(project, url):
            yield doc.problem(
                where[:-1] if where[len(at)] == "source" else where,
                f'{what}: repository "{url}" is not allowed by AppProject "{name}"',
                id="repo-not-permitted",
            )
    dest = spec.get("destination")
    if (
        isinstance(dest, dict)
        and destination_allowed(_list(project.get("destinations")), dest) is False
    ):
        shown = ", ".join(f"{k}={v}" for k, v in dest.items())
        yield doc.problem(
            (*at, "destination"),
            f'{what}: destination {shown} is not allowed by AppProject "{name}"',
            id="destination-not-permitted",
        )


def _deployed_problems(
    owner: str,
    spec: dict[str, Any],
    documents: Iterable[Document],
    projects: dict[str, Document],
) -> Iterator[Problem]:
    """Each object an Application deploys: its kind and namespace against the Application's
    AppProject (destination cluster: the Application's)."""
    name = str(spec.get("project", ""))
    project_doc = projects.get(name)
    if project_doc is None:
        return
    project = _spec(project_doc.data)
    found = spec.get("destination")
    dest: dict[str, Any] = found if isinstance(found, dict) else {}
    for doc in documents:
        api = str(doc.data.get("apiVersion", "")) if isinstance(doc.data, dict) else ""
        group = api.split("/", 1)[0] if "/" in api else ""
        meta = doc.data.get("metadata") if isinstance(doc.data, dict) else None
        namespace = meta.get("namespace") if isinstance(meta, dict) else None
        namespaced = doc.kind in _ARGO_KINDS or namespace is not None
        if not kind_allowed(project, group, doc.kind, namespaced):
            yield doc.problem(
                ("kind",),
                f'{owner} deploys {group or "core"}/{doc.kind}, which AppProject "{name}" '
                "does not permit",
                id="kind-not-permitted",
            )
        if namespaced:
            target = {**dest, "namespace": namespace or dest.get("namespace", "")}
            if destination_allowed(_list(project.get("destinations")), target) is False:
                yield doc.problem(
                    ("metadata", "namespace"),
                    f'{owner} deploys {doc.kind} "{doc.name}" to namespace '
                    f'"{target["namespace"]}", which AppProject "{name}" does not permit',
                    id="destination-not-permitted",
                )


def tree_problems(tree: Tree) -> list[Problem]:
    """Everything in ``tree`` that Argo CD would refuse for want of a permission."""
    projects = tree.projects
    problems: list[Problem] = []
    if tree.root is not None:
        spec = _spec(tree.root.data)
        owner = f'root Application "{tree.root.name}"'
        problems += _app_problems(tree.root, ("spec",), spec, projects, owner)
        problems += _deployed_problems(owner, spec, tree.deployed, projects)
    for node in tree.groups:
        spec = _spec(node.generated.application)
        owner = f'group app "{node.name}"'
        problems += _app_problems(node.appset, ("spec", "template", "spec"), spec, projects, owner)
        problems += _deployed_problems(owner, spec, node.documents, projects)
        for doc in node.applications:
            what = f'Application "{doc.name}"'
            problems += _app_problems(doc, ("spec",), _spec(doc.data), projects, what)
    return sorted(set(problems))
