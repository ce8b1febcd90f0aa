"""Units of an incremental render: the Applications of one group in one environment.

A unit's files are ``<env>/groups/<group>/<app>.yaml``, one Application per app, made by
:func:`generator.render.objects.application_document` and the header above it. Their key
(:meth:`Units.key`) is a digest of everything those functions read, taken from the loaded
model, never from file bytes, so an edit reaches exactly the units it changes:

- the group as the environment sees it (its apps after the environment's overrides and
  settings, dormancy included), every field;
- the environment, every field but its feature flags (which decide *whether* the unit is
  rendered, not what it holds);
- config.yaml's project-wide values (every field but the feature flags and the environments),
  catalog/layers.yaml (layer projects, app-of-apps options), the catalog's AppProjects and the
  setting declarations;
- the sync wave of each of the group's apps in the environment (computed across groups);
- the application template (used only when it emits the object as is; a project template
  rendered by Jinja sees the whole model, so then no unit is remembered and each file is keyed
  by its text instead).

When in doubt a field is in: the model is serialised field by field (every dataclass field
but ``positions``, which only locate problems), so a field added later is covered without a
change here. The differential tests (tests/render/test_incremental.py) compare incremental
runs with full ones over random edits.

A unit found in the memo is not built: its files are known by their digests, their documents
by the extract the cross-object checks read (:func:`extract`), and the objects are built only
if something needs a text (a diff, a write, a problem to locate).
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.core.model import Environment, Group, Location, Project
from generator.fs.memo import Memo, UnitEntry
from generator.fs.store import hash_bytes

#: What the cross-object checks (validation/cross.py, validation/privilege.py,
#: validation/output.py) read of an Application: its identity, project, destination and the
#: repositories it reads (each source's ``repoURL``, or its hydrator's).
_METADATA_READ = ("name", "namespace")
_SPEC_READ = ("project", "destination")
_SOURCE_FORMS = ("source", "sources", "sourceHydrator")


def extract(document: Any) -> Any:
    """What the cross-object checks read of an Application (any other document whole): the
    differential tests hold the checks to the same findings on the extract as on the object,
    and a finding on it is located in the object, built again for it."""
    if not isinstance(document, dict) or document.get("kind") != "Application":
        return document
    meta, spec = document.get("metadata"), document.get("spec")
    if not isinstance(meta, dict) or not isinstance(spec, dict):
        return document
    out = {key: value for key, value in document.items() if key not in ("metadata", "spec")}
    out["metadata"] = {key: meta[key] for key in _METADATA_READ if key in meta}
    kept = {key: spec[key] for key in _SPEC_READ if key in spec}
    for form in _SOURCE_FORMS:
        if form in spec:
            kept[form] = _repositories(spec[form])
    out["spec"] = kept
    return out


def _repositories(value: Any) -> Any:
    """A source (or ``sources``, or a hydrator) with only what names a repository."""
    if isinstance(value, list):
        return [_repositories(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "repoURL" in value:
        return {"repoURL": value["repoURL"]}
    return {k: _repositories(v) for k, v in value.items() if k in ("drySource", "syncSource")}


def _rebuild(*args: Any) -> None:  # pragma: no cover - named by the serialisation, never called
    raise TypeError("a unit key is not meant to be loaded")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        fields = getattr(cls, "__dataclass_fields__", {})
        found = _FIELDS[cls] = tuple(name for name in fields if name != "positions")
    return found


class _Serialiser(pickle.Pickler):
    """Pickles the model's dataclasses field by field (``positions`` left out, sets sorted)."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls is Location:  # the most frequent by far: every key of every app has one
            return _rebuild, ("Location", obj.file, obj.line, obj.column, obj.key)
        if hasattr(cls, "__dataclass_fields__"):
            values = []
            for name in _field_names(cls):
                value = getattr(obj, name)
                if isinstance(value, set | frozenset):
                    value = tuple(sorted(value, key=repr))
                values.append(value)
            return _rebuild, (cls.__qualname__, *values)
        if isinstance(obj, Mapping):
            return dict, (list(obj.items()),)
        return NotImplemented


def digest_of(*values: Any) -> bytes:
    """The digest of model values (see the module docstring); TypeError when one cannot be
    serialised."""
    buffer = io.BytesIO()
    try:
        _Serialiser(buffer, protocol=5).dump(values)
    except (pickle.PicklingError, AttributeError, RecursionError) as exc:
        raise TypeError(str(exc)) from None
    return hash_bytes(buffer.getvalue())


class Units:
    """The memo's units for one render (see the module docstring)."""

    def __init__(self, memo: Memo, project: Project, label: str, template: str) -> None:
        self.memo = memo
        config = dataclasses.replace(project.config, features={}, environments={})
        self.common = digest_of(
            "units", label, template, config, project.layers, project.projects, project.settings
        )
        self._groups: dict[int, tuple[Group, bytes]] = {}
        self._envs: dict[str, bytes] = {}
        #: Units rendered this run, by key: their files' paths (they are remembered when every
        #: file's document checks found nothing).
        self.built: dict[bytes, list[str]] = {}
        #: Units found in the memo this run, by key (remembered again).
        self.hits: dict[bytes, UnitEntry] = {}

    def _group(self, group: Group) -> bytes:
        found = self._groups.get(id(group))
        if found is None or found[0] is not group:
            found = self._groups[id(group)] = (group, digest_of(group))
        return found[1]

    def _env(self, env: Environment) -> bytes:
        found = self._envs.get(env.name)
        if found is None:
            found = self._envs[env.name] = digest_of(dataclasses.replace(env, features={}))
        return found

    def key(self, env: Environment, group: Group, waves: Sequence[int | None]) -> bytes | None:
        """The unit's key (None when the model holds a value that cannot be serialised)."""
        try:
            return hash_bytes(
                self.memo.salt
                + self.common
                + self._env(env)
                + self._group(group)
                + repr(tuple(waves)).encode()
            )
        except TypeError:
            return None

    def find(self, key: bytes) -> UnitEntry | None:
        """The unit remembered under ``key``."""
        found = self.memo.units.get(key)
        if found is not None:
            self.hits[key] = found
        return found


#: Builds a unit's files (path, header, object) when a remembered unit's texts are needed.
UnitBuilder = Callable[[], list[tuple[str, str, Any]]]
