"""ApplicationSets that make one app-of-apps per group become layers.

The layout this reads (the staged bring-up the project replaces): an ApplicationSet per layer,
named ``layer-<layer>``, whose generator lists the groups (a git-files generator over a groups
file, or a list generator) and whose template points each group's app-of-apps at the group's
folder of Applications::

    generators:
      - git: {repoURL: ..., files: [{path: clusters/ai-dev/groups.generated.yaml}]}
        selector: {matchLabels: {layer: platform, enabled: "true"}}
    template:
      metadata: {name: "group-{{.name}}"}
      spec: {source: {path: "{{.catalogPath}}", directory: {recurse: true}}, ...}

Each element of the groups file (or of the list) that the selector picks, with its ``enabled``
requirement left out, is a group of the ApplicationSet's layer: its name is the parameter the
template names its app after, its folder the template's path (relative to the repository root,
like the groups file), and it is on when the whole selector picks it (that is: exactly when the
ApplicationSet generates its app). The groups' order is the groups file's.

Nothing is raised for the user's input: what cannot be followed is a loss or an error in the
:class:`LayerPlan` (the command decides).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.adopt.appsets.template import (
    GroupTemplate,
    appset_name_pattern,
    read_template,
    substitute,
)
from generator.adopt.findings import Loss, Path_
from generator.adopt.read import SrcDoc
from generator.core.errors import Problem
from generator.core.k8s_names import dns_label_problem
from generator.yamlio.source import SourceDoc, YamlLoadError, decode, parse_yaml

#: The element key whose requirement in a selector switches a group on and off.
ENABLED_KEY = "enabled"
_SPEC_KEYS = ("generators", "template", "goTemplate", "goTemplateOptions")
_METADATA_KEYS = ("name", "namespace")


@dataclass(frozen=True)
class GroupPlan:
    """A group an ApplicationSet makes an app-of-apps for."""

    name: str
    layer: str
    enabled: bool
    #: The group's folder, relative to the repository root (POSIX).
    folder: str
    directory: dict[str, Any]
    #: Where the element is written (``groups.generated.yaml:5``).
    where: str
    #: The element's file and line, for the groups file's order.
    order: tuple[str, int] = ("", 0)

    def holds(self, rel: str) -> bool:
        """Whether the file at ``rel`` (relative to the repository root) is one of the
        group's, as Argo CD reads its folder (``recurse``, ``include``, ``exclude``)."""
        from generator.core.globs import glob_match

        folder = PurePosixPath(self.folder)
        path = PurePosixPath(rel)
        if folder not in path.parents:
            return False
        inside = path.relative_to(folder).as_posix()
        if "/" in inside and not self.directory.get("recurse", False):
            return False
        include = self.directory.get("include")
        exclude = self.directory.get("exclude")
        if isinstance(include, str) and not glob_match(include, inside):
            return False
        return not (isinstance(exclude, str) and glob_match(exclude, inside))


@dataclass
class LayerPlan:
    """What the ApplicationSets of an import say: layers (in order), their groups, and each
    layer's ``appOfApps``."""

    layers: list[str] = field(default_factory=list)
    groups: list[GroupPlan] = field(default_factory=list)
    app_of_apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The revision the templates follow, and where (``appsets/platform.yaml:35``).
    revision: tuple[str, str] | None = None
    losses: list[Loss] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def group_of(self, rel: str) -> GroupPlan | None:
        """The group whose folder holds the file at ``rel`` (repository-relative)."""
        for group in self.groups:
            if group.holds(rel):
                return group
        return None


@dataclass
class _Elements:
    """The parameter sets of one generator, each with where it is written."""

    items: list[tuple[dict[str, str], tuple[str, int]]] = field(default_factory=list)


def _flat(value: Any) -> str:
    """A parameter value as Argo CD gives it to selectors and templates (text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _params(doc: SourceDoc, at: Path_, value: Any) -> tuple[dict[str, str], tuple[str, int]] | None:
    if not isinstance(value, dict):
        return None
    line, _ = doc.locate(at)
    params = {str(k): _flat(v) for k, v in value.items() if not isinstance(v, dict | list)}
    return params, (doc.file, line)


class _Reader:
    """Reads the ApplicationSets of one import (groups files read once)."""

    def __init__(self, repo_root: Path | None, namespace: str) -> None:
        self.repo_root = repo_root
        self.namespace = namespace
        self.files: dict[str, SourceDoc | Problem] = {}
        self.plan = LayerPlan()

    def groups_file(self, src: SrcDoc, at: Path_, rel: str) -> SourceDoc | None:
        if self.repo_root is None:
            self.plan.errors.append(
                src.doc.problem(
                    at,
                    f"the groups file {rel!r} is relative to the repository root, and SRC is "
                    "not in a git work tree: pass --repo-root DIR",
                    id="import-groups-file",
                )
            )
            return None
        if rel not in self.files:
            path = self.repo_root / rel
            try:
                # Named from the repository root, as the ApplicationSet names it.
                self.files[rel] = parse_yaml(decode(path.read_bytes(), rel), rel)
            except OSError as exc:
                message = (
                    f"the groups file {rel!r} cannot be read under {self.repo_root}: {exc.strerror}"
                )
                self.files[rel] = src.doc.problem(at, message, id="import-groups-file")
            except YamlLoadError as exc:
                self.files[rel] = exc.problem
        found = self.files[rel]
        if isinstance(found, Problem):
            if found not in self.plan.errors:
                self.plan.errors.append(found)
            return None
        return found

    def generator(self, src: SrcDoc, index: int, item: Any) -> _Elements | None:
        at: Path_ = ("spec", "generators", index)
        out = _Elements()
        kinds = [k for k in item if k != "selector"] if isinstance(item, dict) else []
        if kinds == ["list"] and isinstance(item["list"].get("elements"), list):
            for n, element in enumerate(item["list"]["elements"]):
                found = _params(src.doc, (*at, "list", "elements", n), element)
                if found is not None:
                    out.items.append(found)
            return out
        if kinds == ["git"] and isinstance(item["git"].get("files"), list):
            git = item["git"]
            for key in git:
                if key not in ("repoURL", "revision", "files"):
                    message = f"a git generator's {key!r} cannot be followed"
                    self.plan.losses.append(
                        Loss(src.doc.problem((*at, "git", key), message), "skip")
                    )
            for n, entry in enumerate(git["files"]):
                where = (*at, "git", "files", n, "path")
                rel = entry.get("path") if isinstance(entry, dict) else None
                if not isinstance(rel, str) or any(c in rel for c in "*?["):
                    message = "the import follows a files generator over one file (no glob)"
                    self.plan.losses.append(Loss(src.doc.problem(where, message), "skip"))
                    continue
                doc = self.groups_file(src, where, rel)
                if doc is None:
                    continue
                items = doc.data if isinstance(doc.data, list) else [doc.data]
                for k, element in enumerate(items):
                    path: Path_ = (k,) if isinstance(doc.data, list) else ()
                    found = _params(doc, path, element)
                    if found is not None:
                        out.items.append(found)
            return out
        kind = kinds[0] if kinds else "generator"
        message = (
            f"a {kind} generator cannot be followed: the import reads a git-files generator over "
            "a groups file, or a list generator"
        )
        self.plan.losses.append(Loss(src.doc.problem((*at, kind), message), "skip"))
        return None


def _requirement(key: str, operator: str, values: list[str], params: dict[str, str]) -> bool:
    if operator == "In":
        return params.get(key) in values
    if operator == "NotIn":
        return params.get(key) not in values
    if operator == "Exists":
        return key in params
    return key not in params  # DoesNotExist


def _requirements(selector: Any) -> list[tuple[str, str, list[str]]]:
    if not isinstance(selector, dict):
        return []
    out = [(str(k), "In", [_flat(v)]) for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or ():
        values = [_flat(v) for v in expression.get("values") or ()]
        out.append((str(expression.get("key")), str(expression.get("operator")), values))
    return out


def _skip(plan: LayerPlan, src: SrcDoc, path: Path_, message: str) -> None:
    plan.losses.append(Loss(src.doc.problem(path, message), "skip"))


def _drop(plan: LayerPlan, src: SrcDoc, path: Path_, message: str) -> None:
    plan.losses.append(Loss(src.doc.problem(path, message), "drop", path))


def _layer(reader: _Reader, src: SrcDoc) -> tuple[str, str] | None:
    """The layer an ApplicationSet stands for and its name pattern; losses for the keys of
    the ApplicationSet itself that a layer's cannot carry."""
    data = src.doc.data
    plan = reader.plan
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = metadata.get("name")
    if not isinstance(name, str) or dns_label_problem(name):
        _skip(plan, src, ("metadata", "name"), "an ApplicationSet needs a DNS-label name")
        return None
    layer, pattern = appset_name_pattern(name)
    bad = dns_label_problem(layer)
    if bad:
        _skip(plan, src, ("metadata", "name"), f"layer {layer!r}: {bad}")
        return None
    for key in metadata:
        if key not in _METADATA_KEYS:
            _drop(plan, src, ("metadata", key), f"the layer's ApplicationSet cannot carry {key!r}")
    if metadata.get("namespace", reader.namespace) != reader.namespace:
        message = f"ApplicationSets are rendered into {reader.namespace!r} (argocdNamespace)"
        plan.losses.append(Loss(src.doc.problem(("metadata", "namespace"), message)))
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    for key in spec:
        if key not in _SPEC_KEYS:
            _drop(plan, src, ("spec", key), f"the layer's ApplicationSet cannot carry {key!r}")
    return layer, pattern


def _members(
    reader: _Reader, src: SrcDoc, generators: Any
) -> list[tuple[dict[str, str], tuple[str, int], bool]] | None:
    """The elements the generators give that the selector places in this layer (its
    ``enabled`` requirement left out), each with whether the whole selector picks it."""
    if not isinstance(generators, list) or not generators:
        _skip(reader.plan, src, ("spec",), "an ApplicationSet needs generators")
        return None
    members: list[tuple[dict[str, str], tuple[str, int], bool]] = []
    for index, item in enumerate(generators):
        elements = reader.generator(src, index, item)
        if elements is None:
            return None
        requirements = _requirements(item.get("selector"))
        placing = [r for r in requirements if r[0] != ENABLED_KEY]
        for params, where in elements.items:
            if all(_requirement(*r, params) for r in placing):
                on = all(_requirement(*r, params) for r in requirements)
                members.append((params, where, on))
    return members


def _appset(reader: _Reader, src: SrcDoc) -> None:
    plan = reader.plan
    found = _layer(reader, src)
    if found is None:
        return
    layer, pattern = found
    spec = src.doc.data.get("spec") if isinstance(src.doc.data.get("spec"), dict) else {}
    members = _members(reader, src, spec.get("generators"))
    if members is None:
        return
    template = read_template(src, reader.namespace, spec.get("goTemplate") is True)
    plan.losses += template.losses
    if any(loss.action == "skip" for loss in template.losses):
        return
    _groups(reader, src, layer, template, members)
    plan.app_of_apps[layer] = {"name": pattern, **template.app_of_apps}
    _revision(plan, src, template)


def _revision(plan: LayerPlan, src: SrcDoc, template: GroupTemplate) -> None:
    """Every layer's group apps follow config.yaml's one revision: the templates' must agree."""
    if template.revision is None:
        return
    at: Path_ = ("spec", "template", "spec", "source", "targetRevision")
    line, _ = src.doc.locate(at)
    if plan.revision is None:
        plan.revision = (template.revision, f"{src.doc.file}:{line}")
    elif template.revision != plan.revision[0]:
        message = (
            f"targetRevision {template.revision!r} differs from {plan.revision[0]!r} at "
            f"{plan.revision[1]}: every layer follows config.yaml's one revision"
        )
        plan.losses.append(Loss(src.doc.problem(at, message)))


def _groups(
    reader: _Reader,
    src: SrcDoc,
    layer: str,
    template: GroupTemplate,
    members: list[tuple[dict[str, str], tuple[str, int], bool]],
) -> None:
    plan = reader.plan
    at: Path_ = ("spec", "template", "spec", "source", "path")
    for params, order, on in members:
        where = f"{order[0]}:{order[1]}"
        name = params.get(template.group_key)
        folder = substitute(template.path, params)
        if name is None or folder is None:
            message = (
                f"the element at {where} has no {template.group_key!r} or no parameter of "
                f"{template.path!r}"
            )
            plan.losses.append(Loss(src.doc.problem(at, message), "skip"))
            continue
        bad = dns_label_problem(name)
        if bad:
            plan.losses.append(
                Loss(src.doc.problem(at, f"group {name!r} (at {where}): {bad}"), "skip")
            )
            continue
        folder = PurePosixPath(folder.strip("/")).as_posix()
        first = next((g for g in plan.groups if g.name == name), None)
        if first is not None:
            message = (
                f'group "{name}" (at {where}) is also made by the layer "{first.layer}" at '
                f"{first.where}"
            )
            plan.errors.append(src.doc.problem(("metadata", "name"), message, id="import-conflict"))
            continue
        plan.groups.append(
            GroupPlan(name, layer, on, folder, dict(template.directory), where, order)
        )


def read_appsets(appsets: list[SrcDoc], repo_root: Path | None, namespace: str) -> LayerPlan:
    """The layers the ApplicationSets ``appsets`` stand for (see the module's docstring)."""
    reader = _Reader(repo_root, namespace)
    for src in appsets:
        _appset(reader, src)
    plan = reader.plan
    plan.groups.sort(key=lambda group: group.order)
    # Layers in the order the groups file first names them, then those without a group.
    order = list(dict.fromkeys(group.layer for group in plan.groups))
    order += [layer for layer in plan.app_of_apps if layer not in order]
    plan.layers = order
    return plan
