"""Expand what Argo CD will run for an environment and profile, starting at its root.

root (``<env>/roots/<profile>/``: the bootstrap AppProject and the root Application) -> the
profile folder the root syncs (layer AppProjects and ApplicationSets) -> each ApplicationSet's
group app-of-apps Applications -> the group folders they sync (the workload Applications).

Everything is read from files under one folder (the project, or an older revision of it
extracted by :mod:`generator.plan.gitrev`), with the readers of :mod:`generator.plan.expand`;
nothing comes from the in-memory render. An Application's source is followed only into this
repository (``repoURL``), at a path inside the project (``repoPath``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.core.errors import OutputError, Problem
from generator.core.model import LABEL_PREFIX, Config
from generator.plan.expand import Directory, Document, Generated, Path_, Reader, expand_appset


@dataclass(frozen=True)
class GroupNode:
    """One group app-of-apps Application an ApplicationSet generates, and what it syncs."""

    layer: str
    appset: Document
    generated: Generated
    #: The repository path it syncs (``rendered/<env>/groups/<group>``).
    path: str
    #: The documents of that folder, as an Argo CD directory source reads them.
    documents: tuple[Document, ...]

    @property
    def name(self) -> str:
        return self.generated.name

    @property
    def group(self) -> str:
        meta = self.generated.application.get("metadata") or {}
        return str((meta.get("labels") or {}).get(f"{LABEL_PREFIX}group", self.name))

    @property
    def applications(self) -> list[Document]:
        return [doc for doc in self.documents if doc.kind == "Application"]


@dataclass(frozen=True)
class Tree:
    """Everything reachable from one environment's root for one profile."""

    environment: str
    profile: str
    #: The root Application and its bootstrap AppProject (None: the tree has no roots/ folder,
    #: as before roots existed; it is then read from the profile folder).
    root: Document | None
    root_project: Document | None
    #: The repository path of the profile folder (what the root syncs).
    profile_path: str
    #: What the root deploys: the layers' AppProjects and ApplicationSets, in order.
    deployed: tuple[Document, ...]
    layers: tuple[str, ...]
    groups: tuple[GroupNode, ...]

    @property
    def projects(self) -> dict[str, Document]:
        """Every AppProject of the tree by name (the root's and the layers')."""
        found = [*([self.root_project] if self.root_project else []), *self.deployed]
        return {doc.name: doc for doc in found if doc.kind == "AppProject"}

    @property
    def applications(self) -> list[tuple[GroupNode, Document]]:
        """Every workload Application with the group app that creates it."""
        return [(node, doc) for node in self.groups for doc in node.applications]


def _spec(data: Any) -> dict[str, Any]:
    spec = data.get("spec") if isinstance(data, dict) else None
    return spec if isinstance(spec, dict) else {}


def directory_options(
    doc: Document, at: Path_, source: Any, problems: list[Problem]
) -> Directory | Literal[False] | None:
    """A source's ``directory`` (None: it has none, Argo CD detects the type; False: it is
    one gen plan cannot read, with a problem)."""
    raw = source.get("directory") if isinstance(source, dict) else None
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(doc.problem((*at, "directory"), "must be a mapping", id="wrong-type"))
        return False
    unread = sorted(set(raw) - {"recurse", "include", "exclude"})
    if unread:
        problems.append(
            doc.problem(
                (*at, "directory", unread[0]),
                "gen plan reads a directory's recurse, include and exclude only",
                id="plan-unsupported",
            )
        )
        return False
    recurse, include, exclude = raw.get("recurse", False), raw.get("include"), raw.get("exclude")
    if not isinstance(recurse, bool):
        problems.append(
            doc.problem((*at, "directory", "recurse"), "must be true or false", id="wrong-type")
        )
        return False
    for key, value in (("include", include), ("exclude", exclude)):
        if value is not None and not isinstance(value, str):
            problems.append(
                doc.problem((*at, "directory", key), "must be a glob (a string)", id="wrong-type")
            )
            return False
    return Directory(recurse, include or "", exclude or "")


class TreeReader:
    """Reads trees from the files under ``base`` (a project root, or a revision of it)."""

    def __init__(self, base: Path, config: Config) -> None:
        self.base = base
        self.config = config
        self.reader = Reader(base)
        self.repo_prefix = "" if config.repo_path == "." else config.repo_path + "/"

    def folder(self, *parts: str) -> Path:
        """A folder under the rendered folder (``<rendered>/<env>/roots/<profile>``)."""
        return self.base.joinpath(self.config.rendered_dir, *parts)

    def local(
        self, doc: Document, at: Path_, spec: dict[str, Any], name: str, problems: list[Problem]
    ) -> tuple[str, Path] | None:
        """The repository path and local folder an Application's single source syncs; None
        (with a problem) when it is not a plain folder of this repository inside the project."""
        source = spec.get("source")
        if not isinstance(source, dict) or "sources" in spec:
            problems.append(
                doc.problem(at, "gen plan reads a single source with a path", id="plan-unsupported")
            )
            return None
        extra = sorted(set(source) - {"repoURL", "targetRevision", "path", "directory"})
        if extra:
            problems.append(
                doc.problem(
                    (*at, "source", extra[0]),
                    "gen plan reads plain directory sources",
                    id="plan-unsupported",
                )
            )
        config = self.config
        if source.get("repoURL") != config.repo_url:
            problems.append(
                doc.problem(
                    (*at, "source", "repoURL"),
                    f"{source.get('repoURL')} is not this repository ({config.repo_url}); "
                    "gen plan reads only this repository's files",
                    id="plan-unsupported",
                )
            )
            return None
        path = posixpath.normpath(str(source.get("path", "")))
        escapes = path == ".." or path.startswith(("../", "/"))
        if escapes or not path.startswith(self.repo_prefix):
            problems.append(
                doc.problem(
                    (*at, "source", "path"),
                    f"{name}: path {path} is outside this project ({config.repo_path})",
                    id="plan-unsupported",
                )
            )
            return None
        folder = self.base / path[len(self.repo_prefix) :]
        if not folder.is_dir():
            problems.append(
                doc.problem(
                    (*at, "source", "path"),
                    f"{name}: {path} does not exist in {self.base.name}/; "
                    "Argo CD would fail to generate its manifests",
                    id="missing-path",
                )
            )
            return None
        return path, folder

    def _root(self, env: str, profile: str) -> tuple[Document, Document | None, str, Path]:
        """The root Application, its AppProject, and the profile folder it syncs."""
        folder = self.folder(env, "roots", profile)
        docs = self.reader.kustomize(folder)
        display = self.reader.display(folder / "kustomization.yaml")
        apps = [d for d in docs if d.kind == "Application"]
        if len(apps) != 1:
            raise OutputError(
                [
                    Problem(
                        display,
                        message=f"a root lists one Application, not {len(apps)}",
                        id="plan-unsupported",
                    )
                ]
            )
        root = apps[0]
        problems: list[Problem] = []
        spec = _spec(root.data)
        found = self.local(root, ("spec",), spec, root.name, problems)
        if found is None:
            raise OutputError(problems)
        project = next(
            (d for d in docs if d.kind == "AppProject" and d.name == spec.get("project")), None
        )
        return root, project, *found

    def expand(self, env: str, profile: str, fallback: bool = False) -> Tree:
        """The tree of ``env`` for ``profile``. ``fallback``: read a tree without roots/ (an
        older revision) from its profile folder, and a tree without even that as empty."""
        root: Document | None = None
        project: Document | None = None
        root_folder = self.folder(env, "roots", profile)
        profile_folder = self.folder(env, "profiles", profile)
        profile_path = posixpath.normpath(
            posixpath.join(
                self.config.repo_path, self.config.rendered_dir, env, "profiles", profile
            )
        )
        if self.reader.kustomization_file(root_folder) is not None or not fallback:
            if self.reader.kustomization_file(root_folder) is None:
                raise OutputError(
                    [
                        Problem(
                            self.reader.display(root_folder / "kustomization.yaml"),
                            message="not found; run `gen render`",
                            id="not-rendered",
                        )
                    ]
                )
            root, project, profile_path, profile_folder = self._root(env, profile)
        elif self.reader.kustomization_file(profile_folder) is None:
            return Tree(env, profile, None, None, profile_path, (), (), ())
        deployed = self.reader.kustomize(profile_folder)
        layers, groups = self._layers(deployed)
        return Tree(env, profile, root, project, profile_path, tuple(deployed), layers, groups)

    def _layers(self, deployed: list[Document]) -> tuple[tuple[str, ...], tuple[GroupNode, ...]]:
        layers: list[str] = []
        groups: list[GroupNode] = []
        problems: list[Problem] = []
        for doc in deployed:
            if doc.kind != "ApplicationSet":
                continue
            labels = (doc.data.get("metadata") or {}).get("labels") or {}
            layer = str(labels.get(f"{LABEL_PREFIX}layer", doc.name))
            if layer not in layers:
                layers.append(layer)
            try:
                generated = expand_appset(doc)
            except OutputError as error:
                problems.extend(error.problems)
                continue
            for item in generated:
                at = ("spec", "template", "spec")
                spec = _spec(item.application)
                found = self.local(doc, at, spec, item.name, problems)
                options = directory_options(doc, (*at, "source"), spec.get("source"), problems)
                if found is None or options is False:
                    continue
                path, folder = found
                documents = tuple(self.reader.directory(folder, options))
                groups.append(GroupNode(layer, doc, item, path, documents))
        if problems:
            raise OutputError(problems)
        return tuple(layers), tuple(groups)
