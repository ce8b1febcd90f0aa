"""``gen validate PATH...``: manifest files as a team keeps them, checked without false alarms.

- Live objects: ``status`` and server-set metadata are accepted (one note says so), everything
  else stays strict (:mod:`generator.validation.manifests.live`).
- Kustomize: a kustomization's resources are whole objects, its patches partial ones, and a
  patch must find its target (:mod:`generator.validation.manifests.kustomize`). With
  ``kustomize_build``, each top kustomization is built with ``kubectl kustomize`` and its output
  validated instead (:mod:`generator.validation.manifests.build`).
- Duplicate objects are reported only between documents applied together: the same file, or
  the same kustomization build.
- Repository contents: with a :class:`~generator.validation.manifests.repository.RepoMap`,
in-repository
  source paths, value files and directory globs must exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.errors import Problem
from generator.core.layout import shown_path
from generator.validation.argo import pointer_syntax_problem
from generator.validation.crd import CrdSchemas
from generator.validation.cross import check_duplicates, check_set
from generator.validation.manifests.generators import generator_findings
from generator.validation.manifests.kustomize import (
    Kustomization,
    build_set,
    is_kustomization,
    operation_findings,
    parse_kustomization,
    target_findings,
)
from generator.validation.manifests.live import live_note, strip_live_fields
from generator.validation.manifests.repository import RepoMap, source_findings
from generator.validation.output import OutputValidator
from generator.yamlio.manifests import Finding, Manifest, load_manifest_file, manifest_files
from generator.yamlio.source import YamlLoadError


def without_nulls(value: Any) -> Any:
    """A patch without its ``key: null`` entries: in a strategic-merge patch, null deletes the
    field it names, which no schema describes."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@dataclass
class _Files:
    """Every file read, once: the given ones (their load problems reported) and the ones
    kustomizations point at outside them (read quietly)."""

    given: set[Path]
    docs: dict[Path, list[Manifest]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def load(self, path: Path) -> list[Manifest]:
        path = path.resolve()
        if path not in self.docs:
            try:
                self.docs[path] = load_manifest_file(path, shown_path(path))
            except YamlLoadError as exc:
                self.docs[path] = []
                if path in self.given:
                    self.problems.append(exc.problem)
        return self.docs[path]


@dataclass(frozen=True)
class PathOptions:
    """What ``gen validate PATH...`` checks besides the documents themselves."""

    crds: CrdSchemas | None = None
    #: Validate each top kustomization's ``kubectl kustomize`` output instead of its parts.
    kustomize_build: bool = False
    #: Where the repositories Applications point at are checked out (None: not checked).
    repos: RepoMap | None = None


def validate_paths(paths: Sequence[Path], options: PathOptions | None = None) -> list[Problem]:
    """Every problem of the manifest files given, and of the files under the folders given."""
    options = options or PathOptions()
    given = [p.resolve() for p in manifest_files(paths)]
    files = _Files(set(given))
    for path in given:
        files.load(path)
    kustomizations: dict[Path, Kustomization] = {}
    for path in given:
        docs = files.docs[path]
        if is_kustomization(path) and len(docs) == 1:
            kustomizations[path] = parse_kustomization(path, docs[0], files.load)
    partial = {id(d) for k in list(kustomizations.values()) for p in k.patches for d in p.read}
    validator = OutputValidator(options.crds)
    findings: list[Finding] = []
    whole: list[Manifest] = []
    built: set[Path] = set()
    if options.kustomize_build:
        from generator.validation.manifests.build import validate_builds

        found, built = validate_builds(kustomizations, files.load, validator)
        findings.extend(found)
    live: list[tuple[Manifest, list[str]]] = []
    for path in given:
        for doc in files.docs[path]:
            if path in built and not is_kustomization(path):
                continue
            live.append((doc, strip_live_fields(doc)))
            is_patch = id(doc) in partial
            if is_patch:
                doc.data = without_nulls(doc.data)
            findings.extend(validator.document_findings(doc, standalone=True, partial=is_patch))
            if id(doc) not in partial:
                whole.append(doc)
    findings.extend(_kustomize_findings(kustomizations, files, built))
    findings.extend(check_set(whole, complete=False))
    for group in _applied_together(given, files, kustomizations):
        findings.extend(check_duplicates(group, "warning"))
    if options.repos is not None:
        findings.extend(source_findings(whole, options.repos))
        findings.extend(generator_findings(whole, options.repos))
    problems = [*files.problems, *(f.problem() for f in findings)]
    note = live_note(live)
    if note is not None:
        problems.append(note)
    return sorted(set(problems))


def _kustomize_findings(
    kustomizations: dict[Path, Kustomization], files: _Files, built: set[Path]
) -> Iterable[Finding]:
    for path, kustomization in list(kustomizations.items()):
        for patch in kustomization.patches:
            if patch.operations is not None:
                yield from operation_findings(kustomization.manifest, patch, pointer_syntax_problem)
        if kustomization.component:
            continue
        resources, complete = build_set(kustomization, kustomizations, files.load)
        if complete:
            # A built kustomization's strategic-merge patches were matched by kubectl; a
            # target selector that matches nothing it lets pass without a word.
            found = target_findings(kustomization, resources, kustomization.generated)
            yield from (f for f in found if path not in built or f.path[-1:] == ("target",))


def _applied_together(
    given: Sequence[Path], files: _Files, kustomizations: dict[Path, Kustomization]
) -> Iterable[list[Manifest]]:
    """The groups of documents applied together: each file, and each kustomization build."""
    for path in given:
        if not is_kustomization(path):
            yield files.docs[path]
    for kustomization in list(kustomizations.values()):
        if not kustomization.component:
            resources, _ = build_set(kustomization, kustomizations, files.load)
            yield [r.doc for r in resources]
