"""Argo CD details a schema cannot see, checked document by document.

Each of these is a mistake Argo CD accepts without a word and then acts on differently than
meant: an ``ignoreDifferences`` pointer with an unescaped ``/`` ignores nothing (and selfHeal then
reverts a manual scale-down); ``RespectIgnoreDifferences=True`` is not the option Argo looks for;
a label value with a space is rejected only when the object is applied; a manual-sync
(cost-gated) app with ``automated`` deploys on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.core.constants import MANUAL_REASON, RESPECT_IGNORE, SYNC_LABEL
from generator.core.errors import Severity
from generator.core.model import App, DocPath
from generator.project.schema import suggest
from generator.validation.core_kinds import KubeSchemas, core_groups_of, is_core_group
from generator.validation.labels import label_findings
from generator.yamlio.manifests import Finding, Manifest, as_dict

#: Maps whose keys are label or annotation keys: a ``/`` in such a key must be written ``~1``.
_KEYED_MAPS = frozenset({"annotations", "labels", "matchLabels", "nodeSelector"})

#: Application-level sync options Argo CD (and its gitops engine) understand, with the values
#: each accepts. Argo compares the whole "Key=value" string, so anything else does nothing.
SYNC_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "ApplyOutOfSyncOnly": ("true", "false"),
    "ClientSideApplyMigration": ("true", "false"),
    "CreateNamespace": ("true", "false"),
    "Delete": ("false", "confirm", "true"),
    "FailOnSharedResource": ("true", "false"),
    "Force": ("true", "false"),
    "Prune": ("false", "confirm", "true"),
    "PruneLast": ("true", "false"),
    "PrunePropagationPolicy": ("foreground", "background", "orphan"),
    "Replace": ("true", "false"),
    "RespectIgnoreDifferences": ("true", "false"),
    "ServerSideApply": ("true", "false"),
    "SkipDryRunOnMissingResource": ("true", "false"),
    "Validate": ("false", "true"),
}


def quiet(doc: Manifest) -> Severity:
    """The severity of a mistake Argo CD accepts without a word (a pointer that ignores
    nothing, an option it does not know): an error, except in a catalog app written in the long
    form, which is rendered exactly as written (an adopted repository must still render), where
    it is a warning."""
    return "warning" if isinstance(doc.origin, App) and doc.origin.long_sync else "error"


def templated(doc: Manifest, value: object) -> bool:
    """Whether ``value`` is an ApplicationSet template expression Argo fills in later (in any
    other kind, ``{{`` is just text)."""
    return isinstance(value, str) and "{{" in value and doc.kind == "ApplicationSet"


def _show(value: str) -> str:
    return json.dumps(value)


def pointer_syntax_problem(pointer: str) -> str | None:
    """Why ``pointer`` is not an RFC 6901 JSON pointer Argo can use, or None."""
    if pointer == "":
        return 'the empty pointer means the whole object; name a field, like "/spec/replicas"'
    if not pointer.startswith("/"):
        return f'{_show(pointer)} must start with "/" (RFC 6901), like "/{pointer.lstrip("./")}"'
    bad = re.search(r"~(?![01])", pointer)
    if bad:
        return f'{_show(pointer)}: "~" must be followed by 0 or 1 ("~0" is "~", "~1" is "/")'
    if pointer.endswith("/"):
        return f'{_show(pointer)} ends with "/", which names an empty key; drop the "/"'
    return None


def _escaped(tokens: list[str], start: int) -> str:
    return "/" + "/".join([*tokens[:start], "~1".join(tokens[start:])])


def _pointer_findings(
    doc: Manifest, at: DocPath, group: str, kind: str, pointer: str, kube: KubeSchemas
) -> Iterator[Finding]:
    bad = pointer_syntax_problem(pointer)
    if bad:
        yield doc.finding(at, bad, quiet(doc), id="json-pointer-syntax")
        return
    tokens = pointer[1:].split("/")
    start = None
    core = is_core_group(group) and bool(core_groups_of(kind)) and group in core_groups_of(kind)
    if core:
        start = kube.string_map_at(group, kind, tokens)
    else:
        for index, token in enumerate(tokens[:-2]):
            if token in _KEYED_MAPS:
                start = index + 1
                break
    if start is not None:
        yield doc.finding(
            at,
            f'{_show(pointer)} reads like an unescaped key: "/" inside a key is written "~1" '
            f'in a JSON pointer (RFC 6901); write "{_escaped(tokens, start)}"',
            quiet(doc),
            id="json-pointer-unescaped",
        )
        return
    if core:
        missing = kube.pointer_problem(group, kind, tokens)
        if missing:
            yield doc.finding(
                at, f"{_show(pointer)}: {missing}", quiet(doc), id="json-pointer-no-such-field"
            )


def _ignore_differences(
    doc: Manifest, at: DocPath, rules: Any, kube: KubeSchemas
) -> Iterator[Finding]:
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, dict):
            yield from _ignore_rule(doc, (*at, index), rule, kube)


def _ignore_rule(
    doc: Manifest, here: DocPath, rule: dict[str, Any], kube: KubeSchemas
) -> Iterator[Finding]:
    """One ignoreDifferences rule: its API group as Argo CD matches it, and what it ignores."""
    group, kind = rule.get("group", ""), rule.get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return
    if templated(doc, kind) or templated(doc, group):
        return
    if "/" in group:
        yield doc.finding(
            (*here, "group"),
            f'"{group}" includes a version; ignoreDifferences takes the API group alone: '
            f'"{group.split("/")[0]}"',
            quiet(doc),
            id="ignore-group-version",
        )
        return
    if group == "core":
        yield doc.finding(
            (*here, "group"),
            'the core API group is "" (or leave "group" out)',
            quiet(doc),
            id="ignore-group-core",
        )
        return
    groups = core_groups_of(kind) if kind != "*" else []
    if groups and group not in groups and is_core_group(group):
        where = " or ".join(f'"{g}"' for g in groups)
        yield doc.finding(
            (*here, "group") if "group" in rule else (*here, "kind"),
            f'{kind} is in API group {where}, not "{group}"',
            quiet(doc),
            id="ignore-wrong-group",
        )
    if not any(rule.get(k) for k in ("jsonPointers", "jqPathExpressions", "managedFieldsManagers")):
        yield doc.finding(
            here,
            "ignores nothing: add jsonPointers, jqPathExpressions or managedFieldsManagers",
            quiet(doc),
            id="ignore-matches-nothing",
        )
    pointers = rule.get("jsonPointers")
    if isinstance(pointers, list):
        for number, pointer in enumerate(pointers):
            if isinstance(pointer, str) and not templated(doc, pointer):
                yield from _pointer_findings(
                    doc, (*here, "jsonPointers", number), group, kind, pointer, kube
                )


def _sync_options(doc: Manifest, at: DocPath, options: Any) -> Iterator[Finding]:
    if not isinstance(options, list):
        return
    for index, option in enumerate(options):
        if not isinstance(option, str) or templated(doc, option):
            continue
        key, equals, value = option.partition("=")
        if not equals:
            yield doc.finding(
                (*at, index),
                f'{_show(option)} is not "Key=value" (like "CreateNamespace=true")',
                quiet(doc),
                id="sync-option-value",
            )
        elif key not in SYNC_OPTIONS:
            yield doc.finding(
                (*at, index),
                f'unknown sync option "{key}"{suggest(key, SYNC_OPTIONS)}; Argo CD ignores it',
                quiet(doc),
                id="unknown-sync-option",
            )
        elif value not in SYNC_OPTIONS[key]:
            allowed = ", ".join(f'"{key}={v}"' for v in SYNC_OPTIONS[key])
            yield doc.finding(
                (*at, index),
                f"{_show(option)} is not a value Argo CD recognises ({allowed}); "
                "it compares the text exactly",
                quiet(doc),
                id="sync-option-value",
            )


def _value_refs(doc: Manifest, at: DocPath, sources: list[Any]) -> Iterator[Finding]:
    """``$values/...`` in a multi-source helm source must name a source's ``ref``."""
    refs = {str(s["ref"]) for s in sources if isinstance(s, dict) and isinstance(s.get("ref"), str)}
    for index, source in enumerate(sources):
        helm = source.get("helm") if isinstance(source, dict) else None
        files = helm.get("valueFiles") if isinstance(helm, dict) else None
        if not isinstance(files, list):
            continue
        for number, name in enumerate(files):
            if not isinstance(name, str) or not name.startswith("$") or templated(doc, name):
                continue
            ref = name[1:].split("/", 1)[0]
            if ref not in refs:
                known = ", ".join(sorted(f'"{r}"' for r in refs)) or "none"
                yield doc.finding(
                    (*at, index, "helm", "valueFiles", number),
                    f'"${ref}" names no source "ref" of this app (refs: {known})'
                    + suggest(ref, refs),
                    id="unknown-value-ref",
                )


def _destination(doc: Manifest, at: DocPath, dest: Any) -> Iterator[Finding]:
    """The destination names its cluster once: by ``server`` or by ``name``."""
    if not isinstance(dest, dict):
        return
    if "server" in dest and "name" in dest:
        yield doc.finding(
            at, 'set either "server" or "name" of the cluster, not both', id="one-of-fields"
        )
    elif "server" not in dest and "name" not in dest:
        yield doc.finding(
            at, 'needs the cluster: "server" (an API URL) or "name"', id="missing-field"
        )


def _sources(doc: Manifest, at: DocPath, spec: dict[str, Any]) -> Iterator[Finding]:
    """One source form, ``$values`` refs that resolve, and each source's own conflicts."""
    has = [key for key in ("source", "sources", "sourceHydrator") if spec.get(key)]
    if "source" in has and "sources" in has:
        yield doc.finding(
            (*at, "sources"),
            'set either "source" or "sources", not both',
            quiet(doc),
            id="one-of-fields",
        )
    elif not has:
        yield doc.finding(
            (*at, "source"), 'needs a "source" or "sources"', at_parent=True, id="missing-field"
        )
    sources = spec.get("sources") if isinstance(spec.get("sources"), list) else None
    singles: list[tuple[DocPath, Any]] = [((*at, "source"), spec.get("source"))]
    if sources is not None:
        singles = [((*at, "sources", i), s) for i, s in enumerate(sources)]
        yield from _value_refs(doc, (*at, "sources"), sources)
    for where, source in singles:
        if isinstance(source, dict) and source.get("chart") and source.get("path"):
            yield doc.finding(
                where,
                'a source has either a "chart" or a "path", not both',
                quiet(doc),
                id="path-and-chart",
            )
        helm = source.get("helm") if isinstance(source, dict) else None
        if isinstance(helm, dict) and "values" in helm and "valuesObject" in helm:
            yield doc.finding(
                (*where, "helm", "values"),
                '"valuesObject" wins over "values" (Argo CD drops this one); keep one',
                "warning",
                id="values-and-values-object",
            )


def _sync_policy(
    doc: Manifest,
    at: DocPath,
    spec: dict[str, Any],
    manual: bool,
    standalone: bool,
) -> Iterator[Finding]:
    """Sync options Argo CD knows, ignoreDifferences respected by a sync, and no automated
    sync on a ``manual`` (cost-gated) app."""
    rules = spec.get("ignoreDifferences")
    policy = as_dict(spec.get("syncPolicy"))
    options = policy.get("syncOptions")
    yield from _sync_options(doc, (*at, "syncPolicy", "syncOptions"), options)
    # A long-form catalog app is rendered as written (the input check warns about it).
    as_written = isinstance(doc.origin, App) and doc.origin.long_sync
    if rules and not as_written and not (isinstance(options, list) and RESPECT_IGNORE in options):
        yield doc.finding(
            (*at, "syncPolicy") if policy else (*at, "ignoreDifferences"),
            f'ignoreDifferences without "{RESPECT_IGNORE}" in syncPolicy.syncOptions: a sync '
            "still overwrites the ignored fields",
            "warning" if standalone else "error",
            id="respect-ignore-differences",
        )
    if manual and "automated" in policy:
        yield doc.finding(
            (*at, "syncPolicy", "automated"),
            "a manual-sync (cost-gated) app must not have automated sync: it would deploy "
            "by itself",
            id="manual-app-automated",
        )


def check_app_spec(
    doc: Manifest,
    at: DocPath,
    spec: Any,
    labels: Any,
    annotations: Any,
    kube: KubeSchemas,
    standalone: bool,
) -> Iterator[Finding]:
    """Checks of an Application spec (or an ApplicationSet's template spec at ``at``)."""
    if not isinstance(spec, dict):
        return
    yield from _destination(doc, (*at, "destination"), spec.get("destination"))
    yield from _sources(doc, at, spec)
    rules = spec.get("ignoreDifferences")
    yield from _ignore_differences(doc, (*at, "ignoreDifferences"), rules, kube)
    manual = (isinstance(labels, dict) and labels.get(SYNC_LABEL) == "manual") or (
        isinstance(annotations, dict) and MANUAL_REASON in annotations
    )
    yield from _sync_policy(doc, at, spec, manual, standalone)


def _labels(doc: Manifest, at: DocPath, values: Any, label_values: bool) -> Iterator[Finding]:
    # Only an ApplicationSet's values are templates (see templated).
    maybe = templated if doc.kind == "ApplicationSet" else None
    return label_findings(doc, at, values, label_values, maybe)


__all__ = ["check_app_spec", "check_document"]


def check_document(doc: Manifest, kube: KubeSchemas, standalone: bool) -> Iterator[Finding]:
    """Every Argo detail problem of one document (after its schema check)."""
    data = doc.data
    if not isinstance(data, dict):
        return
    meta = as_dict(data.get("metadata"))
    labels, annotations = meta.get("labels"), meta.get("annotations")
    yield from _labels(doc, ("metadata", "labels"), labels, True)
    yield from _labels(doc, ("metadata", "annotations"), annotations, False)
    spec = data.get("spec")
    if not isinstance(spec, dict) or not doc.api_version.startswith("argoproj.io/"):
        return
    if doc.kind == "Application":
        yield from check_app_spec(doc, ("spec",), spec, labels, annotations, kube, standalone)
        ns_meta = as_dict(spec.get("syncPolicy")).get("managedNamespaceMetadata")
        if isinstance(ns_meta, dict):
            at = ("spec", "syncPolicy", "managedNamespaceMetadata")
            yield from _labels(doc, (*at, "labels"), ns_meta.get("labels"), True)
    elif doc.kind == "ApplicationSet":
        template = spec.get("template")
        if isinstance(template, dict):
            tmeta = as_dict(template.get("metadata"))
            tat: DocPath = ("spec", "template", "metadata")
            yield from _labels(doc, (*tat, "labels"), tmeta.get("labels"), True)
            yield from _labels(doc, (*tat, "annotations"), tmeta.get("annotations"), False)
            yield from check_app_spec(
                doc,
                ("spec", "template", "spec"),
                template.get("spec"),
                tmeta.get("labels"),
                tmeta.get("annotations"),
                kube,
                standalone,
            )
        ignores = spec.get("ignoreApplicationDifferences")
        for index, rule in enumerate(ignores if isinstance(ignores, list) else []):
            pointers = rule.get("jsonPointers") if isinstance(rule, dict) else None
            for number, pointer in enumerate(pointers if isinstance(pointers, list) else []):
                bad = pointer_syntax_problem(pointer) if isinstance(pointer, str) else None
                if bad:
                    where = ("spec", "ignoreApplicationDifferences", index, "jsonPointers", number)
                    yield doc.finding(where, bad, id="json-pointer-syntax")
