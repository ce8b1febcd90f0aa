"""The template of an ApplicationSet that makes one app-of-apps per group, read into what the
catalog says instead: layers.yaml's ``appOfApps`` (its names, project, sync options and
directory) and the folder of each group.

Everything the generator's app-of-apps template would write the same way is accepted (the
in-cluster destination in the Argo CD namespace, the resources finalizer, automated sync with
prune and selfHeal); anything ``appOfApps`` cannot express is a loss at its file:line (refused,
or left out with ``--allow-loss``).

Go-template values (``{{.name}}``; ``{{name}}`` without ``goTemplate``) are followed only when
they are a plain parameter of the generator's elements; anything else (functions, pipelines,
nested parameters) is a templated value the import cannot follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.adopt.findings import Loss, Path_
from generator.adopt.read import SrcDoc
from generator.core.constants import FINALIZER, IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from generator.core.model import GROUP_PLACEHOLDER, LAYER_PLACEHOLDER

#: A parameter reference: ``{{.key}}`` (Go template), ``{{key}}`` (fasttemplate).
_PARAMETER = re.compile(r"\{\{-?\s*(\.?)([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}")
_AUTOMATED = {"prune": True, "selfHeal": True}
_TEMPLATE_KEYS = ("metadata", "spec")
_SPEC_KEYS = ("project", "source", "destination", "syncPolicy")
_SOURCE_KEYS = ("repoURL", "targetRevision", "path", "directory")
_DIRECTORY_KEYS = ("recurse", "include", "exclude")


@dataclass
class GroupTemplate:
    """What one ApplicationSet's template says about its group apps."""

    #: The parameter naming each group (``name`` in ``group-{{.name}}``).
    group_key: str = ""
    #: layers.yaml ``appOfApps`` keys for this layer (``appName``, ``project``...).
    app_of_apps: dict[str, Any] = field(default_factory=dict)
    #: The template of the group's folder (``{{.catalogPath}}``), relative to the repository.
    path: str = ""
    #: The directory options Argo CD applies to the folder (``recurse``, ``include``...).
    directory: dict[str, Any] = field(default_factory=dict)
    revision: str | None = None
    losses: list[Loss] = field(default_factory=list)


def parameters(text: str, go_template: bool) -> list[str] | None:
    """The parameters ``text`` refers to, or None when it holds template syntax that is not a
    plain parameter reference."""
    found = []
    for match in _PARAMETER.finditer(text):
        if bool(match.group(1)) != go_template:
            return None
        found.append(match.group(2))
    rest = _PARAMETER.sub("", text)
    return None if "{{" in rest or "}}" in rest else found


def substitute(text: str, element: dict[str, str]) -> str | None:
    """``text`` with each parameter replaced by the element's value (None: one is missing)."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        if match.group(2) not in element:
            missing = True
            return ""
        return element[match.group(2)]

    result = _PARAMETER.sub(value, text)
    return None if missing else result


def _loss(src: SrcDoc, path: Path_, message: str) -> Loss:
    return Loss(src.doc.problem(path, message), "drop", path)


def _unknown(src: SrcDoc, at: Path_, value: Any, known: tuple[str, ...], what: str) -> list[Loss]:
    if not isinstance(value, dict):
        return []
    return [
        _loss(src, (*at, key), f"{what} cannot express {key!r}: it is not carried")
        for key in value
        if key not in known
    ]


def read_template(src: SrcDoc, namespace: str, go_template: bool) -> GroupTemplate:
    """The group apps of the ApplicationSet ``src`` as the catalog would write them."""
    at: Path_ = ("spec", "template")
    template = src.doc.data["spec"].get("template")
    out = GroupTemplate()
    if not isinstance(template, dict):
        out.losses.append(Loss(src.doc.problem(at, "an ApplicationSet needs a template"), "skip"))
        return out
    what = "the generated app-of-apps (layers.yaml appOfApps)"
    out.losses += _unknown(src, at, template, _TEMPLATE_KEYS, what)
    _metadata(src, template.get("metadata"), namespace, go_template, out)
    spec = template.get("spec")
    if not isinstance(spec, dict):
        out.losses.append(Loss(src.doc.problem(at, "the template needs a spec"), "skip"))
        return out
    out.losses += _unknown(src, (*at, "spec"), spec, _SPEC_KEYS, what)
    if isinstance(spec.get("project"), str):
        out.app_of_apps["project"] = spec["project"]
    _source(src, spec.get("source"), go_template, out)
    _destination(src, spec.get("destination"), namespace, out)
    _sync_policy(src, spec.get("syncPolicy"), out)
    return out


def _metadata(
    src: SrcDoc, metadata: Any, namespace: str, go_template: bool, out: GroupTemplate
) -> None:
    at: Path_ = ("spec", "template", "metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        out.losses.append(Loss(src.doc.problem(at, "the template needs metadata.name"), "skip"))
        return
    name = metadata["name"]
    found = parameters(name, go_template)
    if not found or len(set(found)) != 1:
        out.losses.append(
            Loss(
                src.doc.problem(
                    (*at, "name"),
                    f"{name!r}: the import follows a name made of one parameter of the "
                    "generator's elements (like group-{{.name}}), which names the group",
                ),
                "skip",
            )
        )
        return
    out.group_key = found[0]
    out.app_of_apps["appName"] = _PARAMETER.sub(GROUP_PLACEHOLDER, name)
    if metadata.get("namespace", namespace) != namespace:
        out.losses.append(
            _loss(
                src,
                (*at, "namespace"),
                f"group apps are created in {namespace!r} (argocdNamespace)",
            )
        )
    if metadata.get("finalizers", [FINALIZER]) != [FINALIZER]:
        out.losses.append(
            _loss(src, (*at, "finalizers"), f"group apps always have the finalizer {FINALIZER}")
        )
    for key in metadata:
        if key not in ("name", "namespace", "finalizers"):
            out.losses.append(
                _loss(
                    src,
                    (*at, key),
                    f"layers.yaml appOfApps cannot express {key!r}: it is not carried",
                )
            )


def _source(src: SrcDoc, source: Any, go_template: bool, out: GroupTemplate) -> None:
    at: Path_ = ("spec", "template", "spec", "source")
    if not isinstance(source, dict) or not isinstance(source.get("path"), str):
        message = "the import follows a template with one source and a path per group"
        out.losses.append(Loss(src.doc.problem(at, message), "skip"))
        return
    out.losses += _unknown(src, at, source, _SOURCE_KEYS, "the generated app-of-apps")
    path = source["path"]
    if not parameters(path, go_template):
        message = (
            f"{path!r}: the import follows a path made of the generator's parameters (like "
            "{{.catalogPath}})"
        )
        out.losses.append(Loss(src.doc.problem((*at, "path"), message), "skip"))
        return
    out.path = path
    revision = source.get("targetRevision")
    out.revision = revision if isinstance(revision, str) else None
    directory = source.get("directory")
    if isinstance(directory, dict):
        out.losses += _unknown(
            src, (*at, "directory"), directory, _DIRECTORY_KEYS, "the generated app-of-apps"
        )
        out.directory = {k: v for k, v in directory.items() if k in _DIRECTORY_KEYS}
        if "recurse" in directory:
            # include/exclude decide which files are a group's (the import applies them);
            # the rendered group folder holds exactly those, so only recurse is carried.
            out.app_of_apps["directory"] = {"recurse": directory["recurse"]}


def _destination(src: SrcDoc, destination: Any, namespace: str, out: GroupTemplate) -> None:
    at: Path_ = ("spec", "template", "spec", "destination")
    ok = isinstance(destination, dict) and (
        destination.get("server") == IN_CLUSTER_SERVER or destination.get("name") == IN_CLUSTER_NAME
    )
    if not ok or destination.get("namespace") != namespace or len(destination) != 2:
        out.losses.append(
            _loss(
                src,
                at,
                f"group apps deploy into the Argo CD namespace {namespace!r} of the cluster Argo "
                "CD runs in; another destination is not carried",
            )
        )


def _sync_policy(src: SrcDoc, policy: Any, out: GroupTemplate) -> None:
    at: Path_ = ("spec", "template", "spec", "syncPolicy")
    policy = policy if isinstance(policy, dict) else {}
    automated = policy.get("automated")
    if (
        not isinstance(automated, dict)
        or {k: v for k, v in automated.items() if k != "enabled"} != _AUTOMATED
        or automated.get("enabled", True) is not True
    ):
        out.losses.append(
            _loss(
                src,
                (*at, "automated"),
                "group apps sync automatically with prune and selfHeal; other automated "
                "settings are not carried",
            )
        )
    options = policy.get("syncOptions")
    if isinstance(options, list) and options:
        out.app_of_apps["syncOptions"] = list(options)
    out.losses += _unknown(
        src, at, policy, ("automated", "syncOptions"), "the generated app-of-apps"
    )


def appset_name_pattern(name: str) -> tuple[str, str]:
    """The layer an ApplicationSet stands for (its name without a ``layer-`` prefix) and the
    layers.yaml ``appOfApps.name`` pattern that gives its name back."""
    layer = name.removeprefix("layer-")
    return layer, name[: len(name) - len(layer)] + LAYER_PLACEHOLDER
