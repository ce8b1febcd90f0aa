"""Read rendered manifests as Argo CD and ``kubectl apply -k`` do, and expand ApplicationSets.

Offline and without a cluster: ``argocd appset generate`` needs a server (Argo CD issue #11129).
Three readers, each for exactly what the generator emits, failing clearly on anything else:

- :func:`kustomize`: a kustomization's ``resources`` (files and folders, recursively); any other
  kustomization field is refused rather than ignored;
- :func:`directory`: an Argo CD directory source (the ``*.yaml``, ``*.yml`` and ``*.json`` files
  of one folder; ``directory.recurse``, ``include`` and ``exclude`` as Argo CD applies them), or
  a kustomization when the folder has one and the source does not say ``directory``;
- :func:`expand_appset`: a ``goTemplate: true`` ApplicationSet with ``list`` generators, its
  template rendered for each element by :mod:`generator.plan.gotemplate` (``missingkey=error``
  included).

Files are parsed by :mod:`generator.yamlio.source` with YAML 1.1 rules (like Kubernetes' own
reader); positions are kept so problems name file:line:column and the key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import KUSTOMIZATION_FILES, MANIFEST_SUFFIXES
from generator.core.errors import OutputError, Problem, key_path
from generator.plan.gotemplate import TemplateError, missing_key_mode, render_value
from generator.yamlio.source import YamlLoadError, parse_all, read_text

Path_ = tuple[str | int, ...]
_JSON_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Document:
    """One YAML document of a rendered file, with the position of every key and item."""

    file: str
    data: Any
    positions: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)

    def problem(self, path: Path_, message: str, id: str = "") -> Problem:
        """A problem at ``path`` (or its nearest located ancestor) in this document."""
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        line, column = self.positions.get(probe, (0, 0))
        return Problem(self.file, line, column, key_path(path), message, id=id)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "")) if isinstance(self.data, dict) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""


def load_documents(path: Path, display: str) -> list[Document]:
    """Every non-empty YAML document of ``path`` (YAML 1.1, as Kubernetes reads it);
    ``display`` names it in problems."""
    try:
        docs = parse_all(read_text(path, display), display, "1.1")
    except YamlLoadError as exc:
        raise OutputError([exc.problem]) from None
    return [Document(display, doc.data, doc.positions) for doc in docs]


def _file_error(file: str, message: str, id: str = "plan-unsupported") -> OutputError:
    """The error of a whole file or folder (no key to point at)."""
    return OutputError([Problem(file, message=message, id=id)])


class Reader:
    """Reads files under ``root`` and names them relative to it in problems."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def kustomization_file(self, folder: Path) -> Path | None:
        for name in KUSTOMIZATION_FILES:
            if (folder / name).is_file():
                return folder / name
        return None

    def _kustomization(self, folder: Path, seen: frozenset[Path]) -> Document:
        """``folder``'s kustomization file: there, one mapping, and not including itself."""
        file = self.kustomization_file(folder)
        if file is None:
            raise _file_error(self.display(folder), "no kustomization.yaml in this folder")
        if folder in seen:
            raise _file_error(
                self.display(file), "kustomization includes itself", "kustomization-cycle"
            )
        display = self.display(file)
        docs = load_documents(file, display)
        if len(docs) != 1 or not isinstance(docs[0].data, dict):
            raise _file_error(display, "a kustomization is one mapping", "wrong-type")
        return docs[0]

    def kustomize(self, folder: Path, seen: frozenset[Path] = frozenset()) -> list[Document]:
        """The documents a kustomization in ``folder`` lists, in order (resources only)."""
        folder = folder.resolve()
        doc = self._kustomization(folder, seen)
        problems = [
            doc.problem(
                (key,),
                "gen plan reads only a kustomization's resources, not this field",
                id="plan-unsupported",
            )
            for key in doc.data
            if key not in ("apiVersion", "kind", "resources")
        ]
        resources = doc.data.get("resources") or []
        if not isinstance(resources, list):
            problems.append(doc.problem(("resources",), "must be a list", id="wrong-type"))
            resources = []
        found: list[Document] = []
        for index, entry in enumerate(resources):
            found.extend(self._resource(doc, folder, index, entry, seen | {folder}, problems))
        if problems:
            raise OutputError(problems)
        return found

    def _resource(
        self,
        doc: Document,
        folder: Path,
        index: int,
        entry: Any,
        seen: frozenset[Path],
        problems: list[Problem],
    ) -> list[Document]:
        """The documents of entry ``index`` of the resources of ``folder``'s kustomization (a
        local file or folder); for anything else a problem appended, and nothing."""
        at = ("resources", index)
        if not isinstance(entry, str) or "://" in entry:
            message = "gen plan reads local files and folders only"
            problems.append(doc.problem(at, message, id="plan-unsupported"))
            return []
        target = (folder / entry).resolve()
        if target.is_dir():
            return self.kustomize(target, seen)
        if target.is_file():
            return load_documents(target, self.display(target))
        problems.append(doc.problem(at, f"{entry}: no such file or folder", id="missing-path"))
        return []

    def directory(self, folder: Path, options: Directory | None = None) -> list[Document]:
        """What an Argo CD source of ``folder`` deploys. Without ``options`` (no
        ``source.directory``) Argo CD detects the type: a kustomization is built, a Helm chart
        refused here, else the folder's manifest files are read. With ``options`` the source is
        a directory source whatever the folder holds (a kustomization.yaml is then one more
        manifest file, as in Argo CD)."""
        if options is None:
            if self.kustomization_file(folder) is not None:
                return self.kustomize(folder)
            if (folder / "Chart.yaml").is_file():
                raise _file_error(
                    self.display(folder), "a Helm chart: gen plan reads plain folders"
                )
            options = Directory()
        found: list[Document] = []
        for path in manifest_paths(folder, options):
            if path.suffix == ".jsonnet":
                raise _file_error(self.display(path), "jsonnet: gen plan does not evaluate it")
            found.extend(load_documents(path, self.display(path)))
        return found


@dataclass(frozen=True)
class Directory:
    """An Argo CD directory source's ``recurse``, ``include`` and ``exclude``."""

    recurse: bool = False
    include: str = ""
    exclude: str = ""


def manifest_paths(folder: Path, options: Directory) -> list[Path]:
    """The files an Argo CD directory source of ``folder`` reads, in Argo CD's order.

    As the repo server does (reposerver/repository/repository.go, getPotentiallyValidManifests):
    walk the folder in lexical order, into sub-folders only with ``recurse``; keep the files
    named ``*.yaml``, ``*.yml``, ``*.json`` or ``*.jsonnet``; drop a file whose path relative to
    the folder matches ``exclude``, then one that does not match ``include`` (Argo CD's globs,
    generator/core/globs.py)."""
    from generator.core.globs import glob_match

    found: list[Path] = []

    def walk(current: Path) -> None:
        for path in sorted(current.iterdir(), key=lambda p: p.name):
            if path.is_dir():
                if options.recurse:
                    walk(path)
                continue
            if not path.is_file() or path.suffix not in (*MANIFEST_SUFFIXES, ".jsonnet"):
                continue
            relative = path.relative_to(folder).as_posix()
            if options.exclude and glob_match(options.exclude, relative):
                continue
            if options.include and not glob_match(options.include, relative):
                continue
            found.append(path)

    walk(folder)
    return found


@dataclass(frozen=True)
class Generated:
    """One Application an ApplicationSet generates: its list element and rendered template."""

    appset: Document
    element: int
    application: dict[str, Any]

    @property
    def name(self) -> str:
        meta = self.application.get("metadata") or {}
        return str(meta.get("name", ""))


_UNSUPPORTED_SPEC = {
    "templatePatch": "templatePatch is not evaluated by gen plan",
    "strategy": "progressive syncs (strategy) are not modelled by gen plan",
}


def _json_like(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_like(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_like(v) for v in value)
    return isinstance(value, _JSON_SCALARS)


def _elements(
    doc: Document, generators: Any, problems: list[Problem]
) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if not isinstance(generators, list) or not generators:
        problems.append(
            doc.problem(("spec", "generators"), "needs a list of generators", id="missing-field")
        )
        return
    for g, generator in enumerate(generators):
        at: Path_ = ("spec", "generators", g)
        if not isinstance(generator, dict) or set(generator) != {"list"}:
            kinds = ", ".join(sorted(generator)) if isinstance(generator, dict) else "?"
            problems.append(
                doc.problem(
                    at,
                    f"gen plan expands list generators only, not: {kinds}",
                    id="plan-unsupported",
                )
            )
            continue
        body = generator["list"]
        if not isinstance(body, dict):
            problems.append(doc.problem((*at, "list"), "must be a mapping", id="wrong-type"))
            continue
        for key in body:
            if key != "elements":
                problems.append(
                    doc.problem(
                        (*at, "list", key),
                        "gen plan reads only the list's elements",
                        id="plan-unsupported",
                    )
                )
        elements = body.get("elements") or []
        if not isinstance(elements, list):
            problems.append(
                doc.problem((*at, "list", "elements"), "must be a list", id="wrong-type")
            )
            continue
        for e, element in enumerate(elements):
            where = (*at, "list", "elements", e)
            if not isinstance(element, dict) or not _json_like(element):
                problems.append(
                    doc.problem(
                        where, "an element must be a mapping of JSON values", id="wrong-type"
                    )
                )
                continue
            yield where, element


def _spec_problems(doc: Document, spec: dict[str, Any]) -> list[Problem]:
    """What keeps gen plan from expanding an ApplicationSet's spec: no Go template, a feature
    it does not evaluate, bad template options, no template."""
    problems: list[Problem] = []
    if spec.get("goTemplate") is not True:
        problems.append(
            doc.problem(
                ("spec", "goTemplate"),
                "gen plan expands goTemplate: true ApplicationSets",
                id="plan-unsupported",
            )
        )
    for key, message in _UNSUPPORTED_SPEC.items():
        if key in spec:
            problems.append(doc.problem(("spec", key), message, id="plan-unsupported"))
    try:
        missing_key_mode(spec.get("goTemplateOptions") or [])
    except TemplateError as error:
        problems.append(doc.problem(("spec", "goTemplateOptions"), str(error), id="template-error"))
    if not isinstance(spec.get("template"), dict):
        problems.append(
            doc.problem(
                ("spec", "template"), "an ApplicationSet needs a template", id="missing-field"
            )
        )
    return problems


def _element_problem(
    doc: Document, error: TemplateError, where: Path_, element: Mapping[str, Any]
) -> Problem:
    """The template's failure for one element, at the template's key, naming the element."""
    problem = doc.problem(("spec", "template", *error.path), error.message, id="template-error")
    label = element.get("name")
    which = key_path(where) + (f" ({label})" if isinstance(label, str) else "")
    return dataclasses.replace(problem, message=f"{error.message} [element {which}]")


def expand_appset(doc: Document) -> list[Generated]:
    """The Applications ``doc`` (an ApplicationSet) generates, in element order.

    Raises :class:`~generator.core.errors.OutputError` with every problem: a template failing for an
    element (``map has no entry for key``...), or a feature gen plan does not evaluate.
    """
    spec = doc.data.get("spec")
    if not isinstance(spec, dict):
        raise OutputError(
            [doc.problem(("spec",), "an ApplicationSet needs a spec", id="missing-field")]
        )
    problems = _spec_problems(doc, spec)
    elements = list(_elements(doc, spec.get("generators"), problems))
    if problems:
        raise OutputError(problems)
    template, options = spec["template"], spec.get("goTemplateOptions") or []
    generated = []
    for index, (where, element) in enumerate(elements):
        try:
            generated.append(Generated(doc, index, render_value(template, element, options)))
        except TemplateError as error:
            problems.append(_element_problem(doc, error, where, element))
    if problems:
        raise OutputError(problems)
    return generated
