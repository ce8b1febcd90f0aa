"""Per-environment app overrides: ``environments.<env>.apps.<app>`` in config.yaml.

An override is deep-merged over the app as the catalog writes it:

- maps merge key by key (``source.helm.valuesObject`` keeps the keys the override does not set);
- lists and scalars replace (``syncOptions: [...]`` is the whole new list);
- ``null`` removes the key (``wave: null`` drops an explicit wave so it is computed);
- setting one of ``source``, ``sources`` and ``sourceHydrator`` drops the catalog's others.

The merged app goes through the same checks as a catalog app (the group schema and
:func:`generator.project.load.build_group`), so a bad override is reported like a bad catalog entry,
located in config.yaml. Only the problems an override introduces are reported here; the catalog's
own are reported at the group file. The loader calls :func:`apply_overrides` and keeps the result on
:attr:`generator.core.model.Project.env_groups`, so every later step (resolve, render, plan,
explain) sees each environment's apps through :meth:`~generator.core.model.Project.groups_for`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from generator.core.constants import LABEL_PREFIX, SOURCE_FORMS, WAVE_ANNOTATION
from generator.core.errors import Problem, key_path
from generator.core.k8s_names import dns_label_problem
from generator.core.model import App, Config, DocPath, Group, Location
from generator.project.schema import SchemaChecker, suggest
from generator.yamlio.source import SourceDoc

BuildGroup = Callable[[SourceDoc, list[Problem]], Group]
_APP = "apps[0]"


def deep_merge(base: Any, override: Any) -> Any:
    """``override`` over ``base``: maps merge recursively, anything else replaces, None removes."""
    if not isinstance(override, dict):
        return override
    merged = dict(base) if isinstance(base, dict) else {}
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = deep_merge(merged.get(key), value)
    return merged


def merge_app(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """An app's fields with an environment's override applied (see the module docstring)."""
    merged: dict[str, Any] = deep_merge(dict(base), dict(override))
    for key in SOURCE_FORMS:
        if override.get(key) is not None:
            for other in SOURCE_FORMS:
                if other != key:
                    merged.pop(other, None)
    return merged


def _rekey(key: str, prefix: str) -> str:
    return prefix + key[len(_APP) :] if key.startswith(_APP) else key


def _app_places(group_docs: Mapping[str, SourceDoc]) -> dict[str, tuple[str, int]]:
    """Each catalog app's group and index in its group file (the first, for a duplicate)."""
    places: dict[str, tuple[str, int]] = {}
    for group_name, doc in group_docs.items():
        for index, raw in enumerate(doc.data.get("apps", [])):
            if isinstance(raw, dict) and isinstance(raw.get("name"), str):
                places.setdefault(raw["name"], (group_name, index))
    return places


class _OverrideChecker:
    """Builds one overridden app through the catalog's own checks."""

    def __init__(
        self,
        config_doc: SourceDoc,
        group_docs: Mapping[str, SourceDoc],
        build: BuildGroup,
        schemas: SchemaChecker,
        catalog_complete: bool,
    ) -> None:
        self.config_doc = config_doc
        self.group_docs = group_docs
        self.build = build
        self.schemas = schemas
        self.catalog_complete = catalog_complete
        self.places = _app_places(group_docs)

    def run(
        self, group_doc: SourceDoc, raw: dict[str, Any], at: tuple[str | int, ...]
    ) -> tuple[list[Problem], App | None]:
        """Problems of the group file with only ``raw`` as its app, located at ``at`` in
        config.yaml; and the app, when it has no error."""
        size = len(at)
        positions = {
            ("apps", 0, *path[size:]): place
            for path, place in self.config_doc.positions.items()
            if path[:size] == at
        }
        positions[()] = self.config_doc.locate(at)
        doc = SourceDoc(self.config_doc.file, {**group_doc.data, "apps": [raw]}, positions)
        found = self.schemas.check(doc, "group")
        if any(p.severity == "error" for p in found):
            return found, None
        group = self.build(doc, found)
        errors = any(p.severity == "error" for p in found)
        return found, None if errors or not group.apps else group.apps[0]

    def merged(
        self, group_doc: SourceDoc, base: dict[str, Any], override: Mapping[str, Any], at: DocPath
    ) -> tuple[list[Problem], App | None]:
        """The problems ``override`` brings to the catalog's ``base`` (located in config.yaml
        under ``at``), and the merged app when it brings no error."""
        prefix = key_path(at)
        before, _ = self.run(group_doc, base, at)
        known = {(p.key, p.message) for p in before}
        found, built = self.run(group_doc, merge_app(base, override), at)
        added = [
            dataclasses.replace(p, key=_rekey(p.key, prefix))
            for p in found
            if (p.key, p.message) not in known
        ]
        if built is None or any(p.severity == "error" for p in added):
            return added, None
        return [*added, *_field_problems(override, built, self.config_doc, at)], built

    def apply(
        self, groups: dict[str, Group], name: str, override: Mapping[str, Any], at: DocPath
    ) -> list[Problem]:
        """Replace app ``name`` in ``groups`` by its overridden self (unless the override has
        an error); the problems the override brings."""
        if name not in self.places:
            if not self.catalog_complete:
                return []
            message = f'unknown app "{name}"' + suggest(name, set(self.places))
            return [self.config_doc.problem(at, message, id="unknown-app")]
        if "name" in override:
            message = "an override cannot rename an app"
            return [self.config_doc.problem((*at, "name"), message, id="override-renames-app")]
        group_name, index = self.places[name]
        if "accept" in override:
            message = (
                "an override cannot accept warnings: write `accept:` on the app in "
                f"{self.group_docs[group_name].file}, where it holds for every environment"
            )
            return [self.config_doc.problem((*at, "accept"), message, id="override-accepts")]
        group = groups.get(group_name)
        base_app = next((a for a in group.apps if a.name == name), None) if group else None
        if group is None or base_app is None:
            return []  # the catalog entry itself is invalid and reported at its file
        doc = self.group_docs[group_name]
        problems, built = self.merged(doc, doc.data["apps"][index], override, at)
        if built is not None:
            prefix = key_path(at)
            app = dataclasses.replace(
                built,
                where=base_app.where,
                fields=_fields(base_app, built, override, prefix),
                positions=_positions(base_app, built, prefix),
            )
            groups[group_name] = dataclasses.replace(
                group, apps=tuple(app if a.name == name else a for a in group.apps)
            )
        return problems


def _field_problems(
    override: Mapping[str, Any], app: App, doc: SourceDoc, at: tuple[str | int, ...]
) -> list[Problem]:
    """The cross-file app checks (generator/project/checks/references.py) for the keys an override
    sets."""
    problems: list[Problem] = []
    if "namespace" in override and app.namespace:
        bad = dns_label_problem(app.namespace)
        if bad:
            problems.append(doc.problem((*at, "namespace"), bad, id="invalid-name"))
    for kind, values in (("labels", app.labels), ("annotations", app.annotations)):
        if kind not in override:
            continue
        for key in values:
            if key.startswith(LABEL_PREFIX):
                problems.append(
                    doc.problem(
                        (*at, kind), f'"{LABEL_PREFIX}" keys are set by gen', id="reserved-key"
                    )
                )
    if "annotations" in override and WAVE_ANNOTATION in app.annotations:
        problems.append(
            doc.problem((*at, "annotations"), 'set the "wave" key instead', id="reserved-key")
        )
    return problems


def _fields(base: App, built: App, override: Mapping[str, Any], prefix: str) -> dict[str, Location]:
    """Where each key of the overridden app was written: config.yaml for the keys the
    override sets, the group file for the others."""
    fields = {
        key: place for key, place in base.fields.items() if key.split("[", 1)[0] not in override
    }
    for key, place in built.fields.items():
        if key.split("[", 1)[0] in override:
            fields[key] = dataclasses.replace(place, key=_rekey(place.key, prefix))
    return fields


def _positions(base: App, built: App, prefix: str) -> dict[DocPath, Location]:
    """Where each key and item of the overridden app is written: config.yaml for what the
    override writes (maps merge, so a key it leaves out keeps its place in the group file)."""
    merged = dict(base.positions)
    for path, place in built.positions.items():
        if path:  # the app itself stays where the catalog defines it
            merged[path] = dataclasses.replace(place, key=_rekey(place.key, prefix))
    return merged


def apply_overrides(
    config: Config,
    config_doc: SourceDoc,
    groups: Mapping[str, Group],
    group_docs: Mapping[str, SourceDoc],
    build: BuildGroup,
    schemas: SchemaChecker,
    problems: list[Problem],
    catalog_complete: bool = True,
) -> dict[str, dict[str, Group]]:
    """Each environment's groups with its app overrides applied (only environments that have
    overrides); every problem found is appended to ``problems``."""
    checker = _OverrideChecker(config_doc, group_docs, build, schemas, catalog_complete)
    result: dict[str, dict[str, Group]] = {}
    for env in config.environments.values():
        if not env.app_overrides:
            continue
        env_groups = dict(groups)
        for name, override in env.app_overrides.items():
            at: DocPath = ("environments", env.name, "apps", name)
            problems.extend(checker.apply(env_groups, name, override, at))
        result[env.name] = env_groups
    return result
