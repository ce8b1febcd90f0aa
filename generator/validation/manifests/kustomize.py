"""Kustomizations among the files given to ``gen validate``: which documents are whole objects
and which are patches, what each build holds, and whether each patch finds its target.

A kustomization's ``resources`` are whole objects; what its ``patches``,
``patchesStrategicMerge`` and ``patchesJson6902`` name are partial ones (a patch of an
Application sets a few fields and leaves ``destination`` or ``source`` to the base), so they are
validated for unknown fields and wrong types but not for missing ones. A patch that matches no
resource of its kustomization (``kubectl kustomize`` fails on it, or, with a ``target``
selector, silently patches nothing) is a ``patch-target-missing`` error. What a kustomization
cannot show offline (remote resources, Helm charts, generators and transformers of its own)
makes its target check undecidable, and it is skipped.

Matching follows kustomize: a strategic-merge patch names its target by kind and name (and
namespace, when it gives one); a ``target`` selector's ``kind``, ``name`` and ``namespace``
are anchored regular expressions, ``group`` and ``version`` compared exactly. A resource is
known by its name as written and as a ``namePrefix``/``nameSuffix`` on the way renames it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import KUSTOMIZATION_FILES
from generator.core.findings.humanize import suggest
from generator.core.model import DocPath
from generator.yamlio.manifests import Finding, Manifest, as_dict, parse_manifests
from generator.yamlio.source import YamlLoadError

#: Fields whose output gen cannot see without running kustomize.
_OPAQUE = ("helmCharts", "helmChartInflationGenerator", "generators", "transformers")
_REMOTE = re.compile(r"^(https?://|git@|ssh://|github\.com/|gitlab\.com/)|\?ref=|//")

Loader = Callable[[Path], list[Manifest]]
"""Documents of a file (parsed once, cached); an empty list when it cannot be read."""


@dataclass
class Patch:
    """One patch of a kustomization: its documents (a strategic-merge patch) or operations
    (a JSON 6902 patch), its ``target`` selector, and where the kustomization lists it."""

    entry: DocPath
    docs: list[Manifest] = field(default_factory=list)
    operations: list[Any] | None = None
    target: dict[str, Any] | None = None
    file: Path | None = None
    #: Every document read for the patch (operations included): none is a whole object.
    read: list[Manifest] = field(default_factory=list)


@dataclass
class Kustomization:
    """A parsed kustomization file."""

    manifest: Manifest
    folder: Path
    resources: list[Path] = field(default_factory=list)
    patches: list[Patch] = field(default_factory=list)
    generated: list[tuple[str, str]] = field(default_factory=list)
    #: Something gen cannot see offline is part of the build: no patch-target check.
    opaque: bool = False

    @property
    def component(self) -> bool:
        """A Component's patches target the resources of whoever includes it."""
        return self.manifest.kind == "Component"

    @property
    def name_affixes(self) -> tuple[str, str]:
        data = as_dict(self.manifest.data)
        return str(data.get("namePrefix") or ""), str(data.get("nameSuffix") or "")


def is_kustomization(path: Path) -> bool:
    """Whether ``path`` is named like a kustomization file."""
    return path.name in KUSTOMIZATION_FILES


def kustomization_in(folder: Path) -> Path | None:
    """The kustomization file of ``folder``, if it has one."""
    return next((folder / n for n in KUSTOMIZATION_FILES if (folder / n).is_file()), None)


def parse_kustomization(path: Path, doc: Manifest, load: Loader) -> Kustomization:
    """The resources and patches ``doc`` (the document of ``path``) lists."""
    found = Kustomization(doc, path.parent)
    data = as_dict(doc.data)
    found.opaque = any(key in data for key in _OPAQUE)
    for key in ("resources", "components", "bases"):
        for entry in data.get(key) or []:
            if not isinstance(entry, str) or _REMOTE.search(entry):
                found.opaque = True
            else:
                found.resources.append((found.folder / entry).resolve())
    for key in ("configMapGenerator", "secretGenerator"):
        kind = "ConfigMap" if key == "configMapGenerator" else "Secret"
        for entry in data.get(key) or []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                found.generated.append((kind, entry["name"]))
    for index, entry in enumerate(data.get("patches") or []):
        if isinstance(entry, dict):
            found.patches.append(_patch(found, ("patches", index), entry, load))
    for index, entry in enumerate(data.get("patchesStrategicMerge") or []):
        if isinstance(entry, str):
            found.patches.append(_patch(found, ("patchesStrategicMerge", index), entry, load))
    for index, entry in enumerate(data.get("patchesJson6902") or []):
        if isinstance(entry, dict):
            found.patches.append(_patch(found, ("patchesJson6902", index), entry, load))
    return found


def _patch(owner: Kustomization, at: DocPath, entry: Any, load: Loader) -> Patch:
    """A patch from a ``patches``/``patchesJson6902`` mapping or a ``patchesStrategicMerge``
    string (a file name, or the patch itself)."""
    patch = Patch(at)
    if isinstance(entry, dict):
        patch.target = entry["target"] if isinstance(entry.get("target"), dict) else None
        inline, name = entry.get("patch"), entry.get("path")
    else:
        inline, name = (entry, None) if "\n" in entry or ":" in entry else (None, entry)
    if isinstance(name, str):
        patch.file = (owner.folder / name).resolve()
        docs = load(patch.file)
    elif isinstance(inline, str):
        try:
            docs = parse_manifests(inline, owner.manifest.file)
        except YamlLoadError:
            docs = []
        # An inline patch is reported where the kustomization lists it.
        for doc in docs:
            doc.positions = {(): owner.manifest.locate(at)}
    else:
        return patch
    patch.read = docs
    if len(docs) == 1 and isinstance(docs[0].data, list):
        patch.operations = docs[0].data
    else:
        patch.docs = [d for d in docs if isinstance(d.data, dict)]
    return patch


@dataclass(frozen=True)
class Resource:
    """A document a build holds, with every name it may be patched by."""

    doc: Manifest
    names: frozenset[str]


def build_set(
    kustomization: Kustomization,
    kustomizations: dict[Path, Kustomization],
    load: Loader,
    seen: frozenset[Path] = frozenset(),
) -> tuple[list[Resource], bool]:
    """Every resource ``kustomization`` builds (its files' documents and, recursively, its
    bases'), and whether the set is complete (nothing opaque or unreadable on the way)."""
    prefix, suffix = kustomization.name_affixes
    complete = not kustomization.opaque
    out: list[Resource] = []
    for path in kustomization.resources:
        if path.is_dir():
            file = kustomization_in(path)
            base = kustomizations.get(file) if file is not None else None
            if base is None and file is not None:
                docs = load(file)
                base = parse_kustomization(file, docs[0], load) if docs else None
            if base is None or file is None or file in seen:
                complete = False
                continue
            kustomizations[file] = base
            inner, whole = build_set(base, kustomizations, load, seen | {file})
            complete = complete and whole
            out.extend(inner)
        else:
            docs = load(path)
            complete = complete and bool(docs)
            out.extend(Resource(d, frozenset({d.name})) for d in docs)
    renamed = [Resource(r.doc, r.names | {prefix + n + suffix for n in r.names}) for r in out]
    return renamed, complete


def _selects(pattern: Any, value: str) -> bool:
    if not isinstance(pattern, str) or pattern == "":
        return True
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return pattern == value


def _labels_match(selector: Any, labels: dict[str, Any]) -> bool:
    """``a=b,c!=d,e`` selectors; anything fancier (set-based) is taken to match."""
    if not isinstance(selector, str) or not selector.strip():
        return True
    for term in selector.split(","):
        term = term.strip()
        if " in " in term or "(" in term or term.startswith("!"):
            return True
        if "!=" in term:
            key, value = term.split("!=", 1)
            if str(labels.get(key.strip())) == value.strip():
                return False
        elif "=" in term:
            key, value = term.replace("==", "=").split("=", 1)
            if str(labels.get(key.strip())) != value.strip():
                return False
        elif term not in labels:
            return False
    return True


def _matches(target: dict[str, Any], resource: Resource) -> bool:
    doc = resource.doc
    group, _, version = doc.api_version.rpartition("/")
    meta = as_dict(as_dict(doc.data).get("metadata"))
    return (
        target.get("group", group) in (group, None)
        and target.get("version", version) in (version, None)
        and _selects(target.get("kind"), doc.kind)
        and any(_selects(target.get("name"), name) for name in resource.names)
        and _selects(target.get("namespace"), str(meta.get("namespace") or ""))
        and _labels_match(target.get("labelSelector"), as_dict(meta.get("labels")))
        and _labels_match(target.get("annotationSelector"), as_dict(meta.get("annotations")))
    )


def _smp_target(doc: Manifest) -> dict[str, Any]:
    """A strategic-merge patch's target: its kind, name and namespace (kustomize matches the
    namespace too: a patch without one matches only objects without one, or "default")."""
    meta = as_dict(as_dict(doc.data).get("metadata"))
    namespace = str(meta.get("namespace") or "")
    target: dict[str, Any] = {
        "kind": re.escape(doc.kind),
        "name": re.escape(doc.name),
        "namespace": "(|default)" if namespace in ("", "default") else re.escape(namespace),
    }
    if doc.api_version:
        target["group"] = doc.api_version.rpartition("/")[0]
    return target


def target_findings(
    kustomization: Kustomization, resources: list[Resource], generated: list[tuple[str, str]]
) -> Iterator[Finding]:
    """A ``patch-target-missing`` error for each patch that matches none of ``resources``."""
    pseudo = [
        Resource(
            Manifest("", {"apiVersion": "v1", "kind": k, "metadata": {"name": n}}),
            frozenset({n}),
        )
        for k, n in generated
    ]
    known = [*resources, *pseudo]
    owner = kustomization.manifest
    for patch in kustomization.patches:
        if patch.target is not None:
            if not any(_matches(patch.target, r) for r in known):
                yield owner.finding(
                    (*patch.entry, "target"),
                    f"the target {_show(patch.target)} matches no resource of this "
                    "kustomization: the patch changes nothing",
                    id="patch-target-missing",
                )
            continue
        for doc in patch.docs:
            if doc.kind and doc.name and not any(_matches(_smp_target(doc), r) for r in known):
                yield _missing_target(owner, doc, known)


def _missing_target(owner: Manifest, doc: Manifest, known: list[Resource]) -> Finding:
    namespace = str(as_dict(as_dict(doc.data).get("metadata")).get("namespace") or "")
    same = [r for r in known if r.doc.kind == doc.kind and doc.name in r.names]
    if same:  # the name is there, in another namespace: kustomize matches namespaces too
        theirs = str(as_dict(as_dict(same[0].doc.data).get("metadata")).get("namespace") or "")
        hint = f'; {doc.kind} "{doc.name}" is in namespace "{theirs}": add metadata.namespace'
        if namespace:
            hint = f'; {doc.kind} "{doc.name}" is in namespace "{theirs}", not "{namespace}"'
        where: DocPath = ("metadata", "namespace") if namespace else ("metadata", "name")
    else:
        names = {n for r in known if r.doc.kind == doc.kind for n in r.names}
        hint, where = suggest(doc.name, names), ("metadata", "name")
    shown = f' in namespace "{namespace}"' if namespace else ""
    return doc.finding(
        where,
        f'this patch targets {doc.kind} "{doc.name}"{shown}, which is not among the resources '
        f"of {owner.file}{hint}",
        id="patch-target-missing",
    )


def _show(target: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in target.items()) + "}"


_OPS = {"add": "value", "replace": "value", "test": "value", "remove": None}
_MOVES = ("move", "copy")


def operation_findings(
    owner: Manifest, patch: Patch, pointer_problem: Callable[[str], str | None]
) -> Iterator[Finding]:
    """The operations of a JSON 6902 patch (RFC 6902): a known ``op``, a valid ``path``
    pointer, and the ``value`` or ``from`` the op needs. Reported at the kustomization."""
    at = patch.entry
    for index, op in enumerate(patch.operations or []):
        where = (*at, "patch" if patch.file is None else "path")
        name = op.get("op") if isinstance(op, dict) else None
        if name not in _OPS and name not in _MOVES:
            yield owner.finding(
                where,
                f"operation {index}: op must be one of add, remove, replace, move, copy, test; "
                f"got {name!r}",
                id="invalid-value",
            )
            continue
        assert isinstance(op, dict)
        needed = "from" if name in _MOVES else _OPS[str(name)]
        if needed is not None and needed not in op:
            yield owner.finding(
                where, f'operation {index} ({name}) needs "{needed}"', id="missing-field"
            )
        for key in ("path", "from"):
            value = op.get(key)
            bad = pointer_problem(value) if isinstance(value, str) else None
            if key == "path" and not isinstance(value, str):
                bad = 'needs a "path" (a JSON pointer)'
            if bad:
                yield owner.finding(where, f"operation {index}: {bad}", id="json-pointer-syntax")
