"""Validate the project's own rendered output (``gen render``/``check``/``validate``): every
file's document checks (:class:`~generator.validation.output.OutputValidator`), then the checks
across the documents of each environment, each problem reported where the catalog writes the
value when it comes from there.

What the templates emit is checked: a file written by a built-in template is checked as the
object the template emitted (its text reads back as exactly that object: the ``document`` filter
round-trips, which the emitter's property tests prove), and a file from a template the project
overrides is parsed back. Either way positions are computed only when a problem needs them, and
a problem in a value that came from the catalog is reported where the catalog says it:
``catalog/serving/vllm.yaml:31:13: apps[0].ignoreDifferences[0].jsonPointers[0]: ...``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.core.constants import BUILTIN_PROJECT, LAYER_LABEL, MANUAL_REASON, WAVE_ANNOTATION
from generator.core.errors import Problem
from generator.core.model import App, DocPath, Project
from generator.project.resolve import enabled_groups
from generator.validation.cross import check_duplicates, check_set
from generator.validation.output import OutputValidator
from generator.validation.privilege import unused_grants
from generator.yamlio.manifests import Finding, Manifest, as_dict, load_rendered
from generator.yamlio.source import YamlLoadError

if TYPE_CHECKING:
    from generator.validation.crd import CrdSchemas


def _catalog_paths(app: App, path: DocPath) -> list[DocPath]:
    """Where a path of an app's rendered Application may come from in its catalog entry, most
    specific first (the first one the catalog entry actually has wins)."""
    head, rest = path[:2], path[2:]
    if head == ("metadata", "name"):
        return [("name",)]
    if head == ("metadata", "labels") and rest:
        return [("labels", *rest)] if rest[0] in app.labels else []
    if head == ("metadata", "annotations") and rest:
        if rest[0] in app.annotations:
            return [("annotations", *rest)]
        special = {WAVE_ANNOTATION: ("wave",), MANUAL_REASON: ("reason",)}.get(str(rest[0]))
        return [special] if special else []
    if path[:1] != ("spec",) or len(path) < 2:
        return []
    # Fields a catalog app carries as written under their Argo CD names (syncPolicy, info,
    # destination, ...) come first; then the catalog's own shorthands.
    found: list[DocPath] = [path[1:]]
    if path[:3] == ("spec", "destination", "namespace"):
        found.append(("namespace",))
    if head == ("spec", "source") and app.multi_source:
        found.remove(path[1:])
    if path[:3] == ("spec", "syncPolicy", "syncOptions") and len(path) > 3:
        index = path[3]
        if isinstance(index, int) and index < len(app.sync_options):
            found.append(("syncOptions", *path[3:]))
    return found


def _relocate(finding: Finding) -> Problem:
    """A finding in a rendered Application, reported at the catalog entry it came from when
    the offending value is written there; else at the rendered file."""
    app = finding.manifest.origin
    if isinstance(app, App):
        target = finding.path[:-1] if finding.at_parent else finding.path
        for source in _catalog_paths(app, target):
            where = app.position(*source)
            if where is None:
                continue
            key = app.locate(*source, finding.path[-1]).key if finding.at_parent else where.key
            return where.problem(finding.message, severity=finding.severity, id=finding.id, key=key)
    return finding.problem()


class _Origins:
    """The catalog app (as its environment sees it) a rendered file is the Application of."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.apps: dict[tuple[str, str], dict[str, App]] = {}

    def __call__(self, rel: str) -> App | None:
        parts = rel.split("/")
        if len(parts) != 4 or parts[1] != "groups":
            return None
        apps = self.apps.get((parts[0], parts[2]))
        if apps is None:
            group = self.project.groups_for(parts[0]).get(parts[2])
            apps = {}
            for app in group.apps if group is not None else ():
                apps.setdefault(f"{app.name}.yaml", app)
            self.apps[(parts[0], parts[2])] = apps
        return apps.get(parts[3])


def _object_set(rel: str) -> str:
    """The objects a file is checked with: its environment's, except a root's folder
    (``<env>/roots/<profile>/``), which is checked alone: the roots of one environment are
    alternatives (one root, re-pointed by ``make root``), not objects that coexist."""
    env, _, rest = rel.partition("/")
    if rest.startswith("roots/") and rest.count("/") > 1:
        return "/".join(rel.split("/")[:3])
    return env


@dataclass(frozen=True)
class RenderedVerdict:
    """Every problem of a render, and the files with a problem of their own (a document check
    or a file that does not parse), which the per-file memo never remembers."""

    problems: list[Problem]
    flagged: frozenset[str]


def validate_rendered(
    project: Project,
    files: Mapping[str, str],
    crds: CrdSchemas | None = None,
    validator: OutputValidator | None = None,
    documents: Mapping[str, dict[str, Any]] | None = None,
) -> list[Problem]:
    """Every problem of ``files`` (``{path under rendered/: text}``) as the project renders
    them, before anything is written. ``documents`` gives, for files the built-in templates
    wrote, the object each one holds (see :class:`generator.render.templates.Output`); other
    files are parsed."""
    return check_rendered(project, files, crds, validator, documents).problems


def check_rendered(
    project: Project,
    files: Mapping[str, str],
    crds: CrdSchemas | None = None,
    validator: OutputValidator | None = None,
    documents: Mapping[str, dict[str, Any]] | None = None,
    known_clean: Collection[str] = frozenset(),
    exempt: Collection[str] = frozenset(),
) -> RenderedVerdict:
    """:func:`validate_rendered`, and which files had a problem (their own, or one found by
    the checks across documents).

    ``known_clean``: files whose document checks are known to find nothing, because this very
    input was checked before (:mod:`generator.fs.memo`); their document checks are not run
    again. ``exempt``: Applications whose own checks against their AppProject are known to find
    nothing, because they and those AppProjects are as they were then
    (:mod:`generator.render.incremental`). Every file still takes part in the checks that
    gather over an environment (duplicates, least privilege)."""
    label = project.config.rendered_dir
    origins = _Origins(project)
    read = _Read(label, origins, validator or OutputValidator(crds))
    for rel in files:
        read.file(rel, files, documents, rel in known_clean)
    skipped = {f"{label}/{rel}" for rel in exempt}
    for finding in _cross_findings(project, read.by_env, read.broken, skipped):
        doc = finding.manifest
        if doc.file.startswith(f"{label}/"):
            rel = doc.file[len(label) + 1 :]
            read.flagged.add(rel)
            if doc.origin is None:
                doc.origin = origins(rel)
        read.findings.append(finding)
    read.problems.extend(_relocate(f) for f in read.findings)
    return RenderedVerdict(sorted(set(read.problems)), frozenset(read.flagged))


class _Read:
    """The rendered files read so far: their documents by object set, and what their own
    checks found."""

    def __init__(self, label: str, origins: _Origins, validator: OutputValidator) -> None:
        self.label, self.origins, self.validator = label, origins, validator
        self.by_env: dict[str, list[Manifest]] = {}
        self.broken: set[str] = set()  # object sets with a file that does not parse
        self.flagged: set[str] = set()
        self.findings: list[Finding] = []
        self.problems: list[Problem] = []

    def file(
        self,
        rel: str,
        files: Mapping[str, str],
        documents: Mapping[str, dict[str, Any]] | None,
        clean: bool,
    ) -> None:
        """Read one file (its object, or its text parsed) and check its documents unless they
        are known ``clean``."""
        label = self.label
        try:
            document = documents.get(rel) if documents is not None else None
            if document is not None:
                docs = [Manifest(f"{label}/{rel}", document, text_of=_text_of(files, rel))]
            else:
                docs = load_rendered(files[rel], f"{label}/{rel}")
        except YamlLoadError as exc:
            self.problems.append(exc.problem)
            self.broken.add(_object_set(rel))
            self.flagged.add(rel)
            return
        # A document checked before needs its catalog app only to place a cross-object
        # finding about it: found then, not for every file.
        origin = None if clean else self.origins(rel)
        for doc in docs:
            doc.origin = origin
            self.by_env.setdefault(_object_set(rel), []).append(doc)
            if not clean:
                found = self.validator.document_findings(doc, standalone=False)
                if found:
                    self.findings.extend(found)
                    self.flagged.add(rel)


def _text_of(files: Mapping[str, str], rel: str) -> Callable[[], str]:
    return lambda: files[rel]


def _cross_findings(
    project: Project,
    by_env: Mapping[str, list[Manifest]],
    broken: Collection[str],
    exempt: Collection[str] = frozenset(),
) -> Iterator[Finding]:
    """The checks across the documents of each environment (each root folder alone); the
    documents of ``exempt`` files are left out of the checks of each document against the
    others (see :func:`check_rendered`)."""
    namespace = project.config.argocd_namespace
    known = {BUILTIN_PROJECT, *project.config.external_projects}
    for env, docs in by_env.items():
        if env in broken:
            continue  # cross-object checks need every document of the environment
        own = [doc for doc in docs if doc.file not in exempt] if exempt else docs
        cross = list(check_set(own, complete=True, argocd_namespace=namespace, known=known))
        yield from cross
        yield from check_duplicates(docs, "error")
        yield from _application_namespaces(project, own)
        if not any(f.severity == "error" for f in cross):
            # Only meaningful when every Application found its project.
            yield from _exact_grants(project, env.split("/", 1)[0], docs)


def _application_namespaces(project: Project, docs: Sequence[Manifest]) -> Iterator[Finding]:
    namespace = project.config.argocd_namespace
    for doc in docs:
        meta = as_dict(as_dict(doc.data).get("metadata"))
        if doc.kind == "Application" and meta.get("namespace") != namespace:
            yield doc.finding(
                ("metadata", "namespace"),
                f'Applications live in the Argo CD namespace "{namespace}"',
                id="application-namespace",
            )


def _exact_grants(project: Project, env: str, docs: Sequence[Manifest]) -> Iterator[Finding]:
    """A generated AppProject grants exactly what its layer's Applications use. The catalog's
    own AppProjects are rendered as written and not held to this."""
    on = enabled_groups(project, project.config.environments[env])

    def declared(doc: Manifest) -> tuple[str, set[tuple[Any, Any]]]:
        labels = as_dict(as_dict(as_dict(doc.data).get("metadata")).get("labels"))
        layer = str(labels.get(LAYER_LABEL))
        pairs = {
            (entry["group"], entry["kind"])
            for group in on
            if group.layer == layer
            for entry in group.cluster_resources
        }
        return layer, pairs

    generated = [d for d in docs if d.kind == "AppProject" and d.file.endswith("/appproject.yaml")]
    return unused_grants(generated, docs, declared)


def validate_output(
    project: Project,
    files: Mapping[str, str],
    crds: CrdSchemas | None = None,
    documents: Mapping[str, dict[str, Any]] | None = None,
) -> list[Problem]:
    """``render`` and ``check``: validate the rendered output before anything else; raise
    OutputError (with the input's warnings too) when there is an error, else return the
    warnings."""
    from generator.core.errors import OutputError

    problems = validate_rendered(project, files, crds, documents=documents)
    if any(p.severity == "error" for p in problems):
        raise OutputError([*project.warnings, *problems])
    return problems
