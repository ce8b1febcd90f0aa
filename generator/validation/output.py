"""Validate Argo CD manifests: the project's rendered output, or any files given.

:class:`OutputValidator` holds the validators (built once per run, on first use) and checks
documents in three passes: the strict schema of their kind (the project's own
``schemas/argocd.schema.json`` for Argo CD kinds and Kustomization, kubernetes-validate for core
kinds, and the real CRDs too when ``--crds DIR`` gives them), the Argo details of
:mod:`generator.validation.argo`, and the cross-object checks of :mod:`generator.validation.cross`.

For the project (``gen render``/``check``/``validate``), what the templates emit is checked: a
file written by a built-in template is checked as the object the template emitted (its text
reads back as exactly that object: the ``document`` filter round-trips, which the emitter's
property tests prove), and a file from a template the project overrides is parsed back. Either
way positions are computed only when a problem needs them, and a problem in a value that came
from the catalog is reported where the catalog says it:
``catalog/serving/vllm.yaml:31:13: apps[0].ignoreDifferences[0].jsonPointers[0]: ...``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.core.constants import (
    ARGO_API,
    ARGO_KINDS,
    BUILTIN_PROJECT,
    KUSTOMIZATION_FILES,
    KUSTOMIZE_GROUP,
    LAYER_LABEL,
    MANUAL_REASON,
    WAVE_ANNOTATION,
)
from generator.core.errors import Problem
from generator.core.humanize import Explained
from generator.core.model import App, DocPath, Project
from generator.project.resolve import enabled_groups
from generator.project.schema import suggest
from generator.schemas import schema_bytes
from generator.schemas.compiled import Rejected, screen
from generator.validation.argo import check_document
from generator.validation.core_kinds import KubeSchemas
from generator.validation.crd import CrdSchemas
from generator.validation.cross import check_duplicates, check_set
from generator.validation.privilege import unused_grants
from generator.yamlio.manifests import (
    Finding,
    Manifest,
    as_dict,
    load_rendered,
)
from generator.yamlio.source import YamlLoadError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


#: The bundled schema of what the generator emits (generator/schemas/argocd.schema.json).
OUTPUT_SCHEMA = "argocd"


def load_output_schema() -> dict[str, Any]:
    """The project's own strict schema of what it emits (all kinds, in ``$defs``)."""
    schema: dict[str, Any] = json.loads(schema_bytes(OUTPUT_SCHEMA))
    return schema


#: What a patch (a partial object) may lack: fields, and a kind (a JSON 6902 patch is a list).
PARTIAL_EXEMPT = frozenset({"missing-field", "respect-ignore-differences", "not-an-object"})


class OutputValidator:
    """Validates manifests. Build one per run: each validator is built once, on first use.

    The project's own schema is checked by its compiled copy first
    (:mod:`generator.schemas.compiled`, shipped as generated code): jsonschema runs only on a
    document the compiled check rejects, to say what is wrong (tests prove the two agree)."""

    def __init__(self, crds: CrdSchemas | None = None) -> None:
        self.crds = crds
        self.kube = KubeSchemas()
        self._schema: dict[str, Any] | None = None
        self._validators: dict[str, Validator] = {}

    def _schema_of(self, kind: str) -> dict[str, Any]:
        if self._schema is None:
            self._schema = load_output_schema()
        return {**self._schema, "$ref": f"#/$defs/{kind}"}

    def screen(self, kind: str) -> Callable[[Any], Any]:
        """The compiled validator of ``kind``: returns when the data is valid, else raises
        :class:`~generator.schemas.compiled.Rejected`."""
        return screen(OUTPUT_SCHEMA, kind)

    def _validator(self, kind: str) -> Validator:
        validator = self._validators.get(kind)
        if validator is None:
            from jsonschema import Draft202012Validator

            validator = Draft202012Validator(self._schema_of(kind))
            self._validators[kind] = validator
        return validator

    def schema_findings(self, doc: Manifest, strict_kinds: bool) -> Iterator[Finding]:
        """The strict schema problems of one document. ``strict_kinds``: a kind without a
        schema is an error (rendered output) rather than a warning (hand-written files)."""
        data = doc.data
        if not isinstance(data, dict):
            yield doc.finding((), "expected a Kubernetes object (a mapping)", id="not-an-object")
            return
        kind, api = data.get("kind"), data.get("apiVersion")
        # The file's name (str, not Path: this runs for every rendered document).
        is_kustomization = doc.file.rpartition("/")[2] in KUSTOMIZATION_FILES or kind in (
            "Kustomization",
            "Component",
        )
        if is_kustomization and (api is None or str(api).startswith(KUSTOMIZE_GROUP + "/")):
            yield from self._own(doc, "Kustomization")
            return
        if not isinstance(kind, str) or not isinstance(api, str):
            missing = [k for k in ("apiVersion", "kind") if not isinstance(data.get(k), str)]
            yield doc.finding(
                (),
                f"not a Kubernetes object: no {' or '.join(missing)}; not checked",
                "error" if strict_kinds else "warning",
                id="not-an-object",
            )
            return
        group = api.rpartition("/")[0]
        if group == "argoproj.io" and kind in ARGO_KINDS:
            if api != ARGO_API:
                yield doc.finding(
                    ("apiVersion",), f'{kind} is "{ARGO_API}", not "{api}"', id="wrong-api-version"
                )
            else:
                yield from self._own(doc, kind)
                yield from self._crds(doc)
        elif group == "argoproj.io":
            yield doc.finding(
                ("kind",),
                f'unknown Argo CD kind "{kind}"' + suggest(kind, ARGO_KINDS),
                id="unknown-kind",
            )
        elif self.kube.knows(api, kind):
            yield from _findings(doc, self.kube.validate(data))
        elif self.crds is not None and self.crds.schema(api, kind) is not None:
            yield from self._crds(doc)
        else:
            yield doc.finding(
                ("kind",),
                f"no schema for {api} {kind}; not validated",
                "error" if strict_kinds else "warning",
                id="no-schema",
            )

    def _own(self, doc: Manifest, kind: str) -> Iterator[Finding]:
        try:
            self.screen(kind)(doc.data)
            return
        except Rejected:
            pass  # jsonschema says what is wrong, in full
        from generator.core.humanize import explain

        for error in self._validator(kind).iter_errors(doc.data):
            yield from _findings(doc, explain(error))

    def _crds(self, doc: Manifest) -> Iterator[Finding]:
        if self.crds is not None:
            yield from _findings(doc, self.crds.errors(doc.data), " (CRD)")

    def document_findings(
        self, doc: Manifest, *, standalone: bool, partial: bool = False
    ) -> list[Finding]:
        """Schema and Argo-detail problems of one document. ``partial``: the document is a
        patch, which sets some fields of an object: what it lacks is not a problem."""
        found = list(self.schema_findings(doc, strict_kinds=not standalone))
        found.extend(check_document(doc, self.kube, standalone))
        if partial:
            found = [f for f in found if f.id not in PARTIAL_EXEMPT]
        return _dedupe(found)


def _findings(doc: Manifest, found: Iterable[Explained], suffix: str = "") -> Iterator[Finding]:
    for each in found:
        yield doc.finding(each.path, each.message + suffix, at_parent=each.at_parent, id=each.id)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Drop a CRD finding that repeats one of the project's own schema at the same path."""
    out: list[Finding] = []
    seen: set[tuple[DocPath, str]] = set()
    for finding in findings:
        base = finding.message.removesuffix(" (CRD)")
        if (finding.path, base) in seen or (
            finding.message.endswith(" (CRD)") and any(f.path == finding.path for f in out)
        ):
            continue
        seen.add((finding.path, base))
        out.append(finding)
    return out


# --- the project's rendered output ---------------------------------------------------------


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
            return Problem(
                where.file,
                where.line,
                where.column,
                key,
                finding.message,
                finding.severity,
                finding.id,
            )
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
    validator = validator or OutputValidator(crds)
    label = project.config.rendered_dir
    by_env: dict[str, list[Manifest]] = {}
    broken: set[str] = set()  # environments with a file that does not parse
    flagged: set[str] = set()
    findings: list[Finding] = []
    problems: list[Problem] = []
    origins = _Origins(project)
    for rel in files:
        try:
            document = documents.get(rel) if documents is not None else None
            if document is not None:
                docs = [Manifest(f"{label}/{rel}", document, text_of=_text_of(files, rel))]
            else:
                docs = load_rendered(files[rel], f"{label}/{rel}")
        except YamlLoadError as exc:
            problems.append(exc.problem)
            broken.add(_object_set(rel))
            flagged.add(rel)
            continue
        clean = rel in known_clean
        # A document checked before needs its catalog app only to place a cross-object
        # finding about it: found then (below), not for every file.
        origin = None if clean else origins(rel)
        for doc in docs:
            doc.origin = origin
            by_env.setdefault(_object_set(rel), []).append(doc)
            if not clean:
                found = validator.document_findings(doc, standalone=False)
                if found:
                    findings.extend(found)
                    flagged.add(rel)
    skipped = {f"{label}/{rel}" for rel in exempt}
    for finding in _cross_findings(project, by_env, broken, skipped):
        doc = finding.manifest
        if doc.file.startswith(f"{label}/"):
            rel = doc.file[len(label) + 1 :]
            flagged.add(rel)
            if doc.origin is None:
                doc.origin = origins(rel)
        findings.append(finding)
    problems.extend(_relocate(f) for f in findings)
    return RenderedVerdict(sorted(set(problems)), frozenset(flagged))


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
