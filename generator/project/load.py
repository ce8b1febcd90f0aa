"""Load config.yaml and the catalog from a snapshot into a validated
:class:`~generator.core.model.Project`.

The steps: take the files from the snapshot (:mod:`generator.fs.inputs`; this module opens no
file), parse each (positions kept), check each against its JSON Schema, build the typed model
with field-level checks (:mod:`generator.project.typed`), then run the cross-file checks in
:mod:`generator.project.checks.references`. Every problem of every file is collected; if there is
any, one :class:`~generator.core.errors.InputError` carries them all.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from generator.core.errors import InputError, Problem
from generator.core.layout import CATALOG_DIR, CONFIG_FILE, LAYERS_FILE, SETTINGS_FILE
from generator.core.model import CatalogProject, Group, Project, SettingDeclaration
from generator.fs.inputs import Inputs, read_inputs
from generator.fs.memo import Memo
from generator.project.checks.references import check_project
from generator.project.declarations.accepts import Acceptor, accept_problems
from generator.project.overrides import apply_overrides
from generator.project.schema import SchemaChecker
from generator.project.settings.conditions import (
    apply_settings,
    catalog_problems,
    environment_problems,
)
from generator.project.settings.declared import build_declarations, value_problems
from generator.project.typed import build_config, build_group, build_layers, build_project
from generator.project.waves import dependency_problems
from generator.yamlio.source import SourceDoc, YamlLoadError, decode, parse_yaml

#: Folder of catalog/ holding AppProject files (``<name>.yaml``) instead of group files.
PROJECTS_DIR = "projects"


class _Reader:
    """Parses and schema-checks files of the snapshot, collecting problems instead of stopping
    at the first."""

    def __init__(self, inputs: Inputs, memo: Memo | None = None) -> None:
        self.inputs = inputs
        self.problems: list[Problem] = list(inputs.problems)
        self.schemas = SchemaChecker()
        self.memo = memo

    def read(self, rel: str, schema: str) -> SourceDoc | None:
        raw = self.inputs.files.get(rel)
        if raw is None:
            if not any(p.file == rel for p in self.inputs.problems):
                self.problems.append(Problem(rel, 0, 0, "", "file not found", id="file-missing"))
            return None
        if self.memo is not None:
            # These very bytes parsed before and passed their schema without a word.
            known = self.memo.source(rel, schema, raw)
            if known is not None:
                return SourceDoc(rel, known[0], known[1])
        try:
            doc = parse_yaml(decode(raw, rel), rel)
        except YamlLoadError as exc:
            self.problems.append(exc.problem)
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(
                doc.problem((), "the file must be a mapping of keys to values", id="wrong-type")
            )
            return None
        found = self.schemas.check(doc, schema)
        self.problems.extend(found)
        if found:
            return None if any(p.severity == "error" for p in found) else doc
        if self.memo is not None:
            self.memo.keep_source(rel, schema, raw, (doc.data, dict(doc.positions)))
        return doc


def _by_folder(rel: str) -> list[str]:
    return rel.split("/")


def group_files(inputs: Inputs) -> list[str]:
    """Every group file of the snapshot's ``catalog/`` (sub-folders included; ``projects/``,
    layers.yaml and settings.yaml excluded), in a stable order."""
    skip = (f"{CATALOG_DIR}/{LAYERS_FILE}", f"{CATALOG_DIR}/{SETTINGS_FILE}")
    projects = f"{CATALOG_DIR}/{PROJECTS_DIR}/"
    found = [rel for rel in inputs.under(CATALOG_DIR) if rel not in skip]
    return sorted((rel for rel in found if not rel.startswith(projects)), key=_by_folder)


def project_files(inputs: Inputs) -> list[str]:
    """The AppProject files of the snapshot's ``catalog/projects/``, in a stable order."""
    return sorted(inputs.under(f"{CATALOG_DIR}/{PROJECTS_DIR}"), key=_by_folder)


def _stem(rel: str) -> str:
    return PurePosixPath(rel).stem


def _load_groups(reader: _Reader) -> tuple[dict[str, Group], dict[str, SourceDoc], bool]:
    """The catalog's groups by name, their documents, and whether every group file loaded."""
    groups: dict[str, Group] = {}
    docs_by_group: dict[str, SourceDoc] = {}
    group_docs = [(rel, reader.read(rel, "group")) for rel in group_files(reader.inputs)]
    complete = all(doc is not None for _, doc in group_docs)
    for rel, doc in group_docs:
        if doc is None:
            continue
        group = build_group(doc, reader.problems)
        if group.name != _stem(rel):
            reader.problems.append(
                doc.problem(
                    ("name",), f'must equal the file name "{_stem(rel)}"', id="name-mismatch"
                )
            )
        if group.name in groups:
            first = groups[group.name].where
            reader.problems.append(
                doc.problem(
                    ("name",),
                    f'group "{group.name}" is already defined at {first}',
                    id="duplicate-name",
                )
            )
            continue
        groups[group.name] = group
        docs_by_group[group.name] = doc
    return groups, docs_by_group, complete


def _load_projects(reader: _Reader) -> tuple[dict[str, CatalogProject], bool]:
    """The catalog's AppProjects by name, and whether every project file loaded."""
    projects: dict[str, CatalogProject] = {}
    complete = True
    for rel in project_files(reader.inputs):
        doc = reader.read(rel, "project")
        if doc is None:
            complete = False
            continue
        found = build_project(doc, _stem(rel), reader.problems)
        if found.name in projects:
            first = projects[found.name].where
            reader.problems.append(
                doc.problem(
                    ("manifest", "metadata", "name"),
                    f"already defined at {first}",
                    id="duplicate-name",
                )
            )
            continue
        projects[found.name] = found
    return projects, complete


def load(inputs: Inputs, memo: Memo | None = None) -> Project:
    """Load and validate the project a snapshot holds; raise InputError with every problem.

    Nothing is read from disk: a snapshot with edits laid over it (``gen enable``, ``gen
    import``) loads as the project would be after them. ``memo`` (:mod:`generator.fs.memo`)
    remembers the files that parsed and passed their schema: the same bytes are not parsed
    again."""
    reader = _Reader(inputs, memo)
    config_doc = reader.read(CONFIG_FILE, "config")
    layers_doc = reader.read(f"{CATALOG_DIR}/{LAYERS_FILE}", "layers")
    groups, docs_by_group, complete = _load_groups(reader)
    projects, projects_complete = _load_projects(reader)
    complete = complete and projects_complete and not inputs.problems
    settings, declared = _declarations(reader)
    if config_doc is None or layers_doc is None:
        raise InputError(reader.problems)
    config = build_config(config_doc, reader.problems)
    env_groups = apply_overrides(
        config,
        config_doc,
        groups,
        docs_by_group,
        build_group,
        reader.schemas,
        reader.problems,
        complete,
    )
    project = Project(
        root=inputs.root,
        config=config,
        layers=build_layers(layers_doc, reader.problems),
        groups=groups,
        env_groups=env_groups,
        projects=projects,
        settings=settings,
    )
    problems = reader.problems + check_project(project, complete)
    problems += dependency_problems(project, complete)
    problems += value_problems(config, settings, declared)
    problems += catalog_problems(project, declared, complete)
    problems += accept_problems(project)
    if not any(p.severity == "error" for p in problems):
        problems += environment_problems(project)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    warnings, accepted = Acceptor(project).split(sorted(set(problems)))
    return dataclasses.replace(
        project,
        warnings=tuple(warnings),
        env_groups=apply_settings(project),
        accepted=tuple(accepted),
    )


def _declarations(reader: _Reader) -> tuple[dict[str, SettingDeclaration], bool]:
    """catalog/settings.yaml's declarations (none without the file), and whether it loaded."""
    rel = f"{CATALOG_DIR}/{SETTINGS_FILE}"
    if rel not in reader.inputs.files and not any(p.file == rel for p in reader.inputs.problems):
        return {}, True
    doc = reader.read(rel, "settings")
    if doc is None:
        return {}, False
    return build_declarations(doc, reader.problems), True


def load_project(root: Path) -> Project:
    """Read ``root``'s input (:func:`generator.fs.inputs.read_inputs`) and :func:`load` it."""
    return load(read_inputs(root))
