"""Core Kubernetes kinds, checked with the strict schemas bundled in kubernetes-validate.

Two uses: a rendered or hand-written Deployment, Namespace, ... is validated strictly (an unknown
field is an error, every error reported, not only the first), and an ``ignoreDifferences``
JSON pointer aimed at a core kind must name a path that exists in that kind's schema
(``/spec/replica`` on an apps Deployment is an error, with a suggestion).

Only built-in API groups count as core (``""``, single-word groups like ``apps``, and
``*.k8s.io``); custom resources are left to their own CRDs. kubernetes-validate and jsonschema
are imported on first use.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.findings.humanize import Explained, explain

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_DEFS_PREFIX = "/api/_definitions.json#/$defs/"


def is_core_group(group: str) -> bool:
    """Whether ``group`` is a built-in Kubernetes API group (``""``, ``apps``, ``*.k8s.io``)."""
    return group == "" or "." not in group or group.endswith(".k8s.io")


def split_api_version(api_version: str) -> tuple[str, str]:
    """``("apps", "v1")`` for ``apps/v1``; ``("", "v1")`` for ``v1``."""
    group, _, version = api_version.rpartition("/")
    return group, version


@cache
def _schema_dir() -> Path:
    """kubernetes-validate's strict schemas of the newest Kubernetes version it bundles (found
    without importing the package, which would import much more than these files need)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise ModuleNotFoundError("kubernetes-validate is not installed")
    base = Path(spec.origin).parent / "kubernetes-json-schema"

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.name))

    return max(base.glob("v*-local-strict"), key=version)


@cache
def _definitions() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_schema_dir() / "_definitions.json").read_text("utf-8"))
    return data


@cache
def _kind_file(group: str, version: str, kind: str) -> dict[str, Any] | None:
    """The top-level schema of ``group/version kind``, if kubernetes-validate bundles it."""
    if not is_core_group(group):
        return None
    short = group.split(".")[0]
    name = f"{kind.lower()}-{short}-{version}.json" if group else f"{kind.lower()}-{version}.json"
    path = _schema_dir() / name
    if not path.is_file():
        return None
    schema: dict[str, Any] = json.loads(path.read_text("utf-8"))
    for gvk in schema.get("x-kubernetes-group-version-kind", []):
        if gvk.get("group") == group and gvk.get("kind") == kind and gvk.get("version") == version:
            return schema
    return None


@cache
def _versions(kind: str) -> tuple[tuple[str, str], ...]:
    """Every ``(group, version)`` a core kind is bundled under, stable versions first."""
    found = set()
    prefix = kind.lower() + "-"
    # deployment-apps-v1.json, namespace-v1.json; "deploymentspec-..." has another prefix.
    for path in _schema_dir().glob(prefix + "*.json"):
        if len(path.stem[len(prefix) :].split("-")) > 2:
            continue
        schema = json.loads(path.read_text("utf-8"))
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            if gvk.get("kind") == kind:
                found.add((str(gvk.get("group", "")), str(gvk.get("version", ""))))
    return tuple(sorted(found, key=lambda gv: (gv[0], _version_rank(gv[1]))))


def _version_rank(version: str) -> tuple[int, int, int]:
    match = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not match:
        return (9, 0, 0)
    stage = {"alpha": 2, "beta": 1, None: 0}[match.group(2)]
    return (stage, -int(match.group(1)), -int(match.group(3) or 0))


def core_groups_of(kind: str) -> list[str]:
    """The built-in API groups that define ``kind`` (``["apps"]`` for Deployment)."""
    return sorted({group for group, _ in _versions(kind)})


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 20:
        ref = node["$ref"]
        name = ref.split("#/$defs/", 1)[-1]
        node = _definitions()["$defs"].get(name, {})
        seen += 1
    return node


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("type")
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


class KubeSchemas:
    """Validators for core kinds, each built once on first use."""

    def __init__(self) -> None:
        self._validators: dict[tuple[str, str], Validator] = {}

    def knows(self, api_version: str, kind: str) -> bool:
        """Whether ``api_version kind`` is a core kind kubernetes-validate has a schema for."""
        group, version = split_api_version(api_version)
        return _kind_file(group, version, kind) is not None

    def validate(self, doc: dict[str, Any]) -> Iterator[Explained]:
        """Every way ``doc`` breaks its kind's strict schema, in words."""
        key = (str(doc.get("apiVersion")), str(doc.get("kind")))
        validator = self._validators.get(key)
        if validator is None:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource

            group, version = split_api_version(key[0])
            schema = _kind_file(group, version, key[1])
            if schema is None:
                return
            registry: Registry[Any] = Registry().with_resources(
                [
                    (str(schema["$id"]), Resource.from_contents(schema)),
                    (
                        "https://kubernetes.io/api/_definitions.json",
                        Resource.from_contents(_definitions()),
                    ),
                ]
            )
            validator = Draft202012Validator(schema, registry=registry)
            self._validators[key] = validator
        for error in validator.iter_errors(doc):
            yield from explain(error)

    def pointer_problem(self, group: str, kind: str, tokens: list[str]) -> str | None:
        """Why the JSON pointer ``tokens`` names no path of core kind ``group/kind``; None if
        it does, or if ``group/kind`` is not a core kind this module knows."""
        versions = [v for g, v in _versions(kind) if g == group]
        if not versions:
            return None
        node = _resolve(_kind_file(group, versions[0], kind) or {})
        at = ""
        for index, raw in enumerate(tokens):
            token = raw.replace("~1", "/").replace("~0", "~")
            node = _resolve(node)
            if node.get("x-kubernetes-preserve-unknown-fields"):
                return None
            properties = node.get("properties")
            additional = node.get("additionalProperties")
            types = _types(node)
            if isinstance(properties, dict) and properties:
                if token not in properties:
                    close = difflib.get_close_matches(token, list(properties), n=1)
                    hint = f' (did you mean "{close[0]}"?)' if close else ""
                    return f'{kind} has no field "{token}" at {at or "/"}{hint}'
                node = properties[token]
            elif isinstance(additional, dict):
                node = additional
            elif "array" in types:
                if not (token.isdigit() or token == "-"):
                    return f'{at or "/"} is a list: the next part must be an index, not "{token}"'
                node = node.get("items", {})
            elif "object" in types and not properties:
                return None  # a free-form object
            else:
                rest = "/" + "/".join(tokens[index:])
                return f"{at} is a value, not an object: nothing is below it ({rest})"
            at += "/" + raw
        return None

    def string_map_at(self, group: str, kind: str, tokens: list[str]) -> int | None:
        """If the pointer runs into a map of strings (labels, annotations, nodeSelector...) with
        more than one token left, the index of the token where that map's key starts."""
        versions = [v for g, v in _versions(kind) if g == group]
        if not versions:
            return None
        node = _resolve(_kind_file(group, versions[0], kind) or {})
        for index, raw in enumerate(tokens):
            node = _resolve(node)
            token = raw.replace("~1", "/").replace("~0", "~")
            properties = node.get("properties")
            additional = node.get("additionalProperties")
            if isinstance(properties, dict) and token in properties:
                node = properties[token]
            elif isinstance(additional, dict):
                if "string" in _types(_resolve(additional)) and len(tokens) - index > 1:
                    return index
                node = additional
            elif "array" in _types(node):
                node = node.get("items", {})
            else:
                return None
        return None
