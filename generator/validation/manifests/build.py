"""``gen validate --kustomize``: validate what ``kubectl kustomize`` builds, not its parts.

Each top kustomization among the files given (one no other given kustomization includes) is
built with ``kubectl kustomize DIR``; every document of the output is validated as a whole
object, and each problem is reported where the value is written: in the patch that sets it
(the last one wins, as in the build), else in the resource file, else at the kustomization.
A build that fails is a ``kustomize-build-failed`` error with kubectl's own message.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from generator.core.errors import UsageError
from generator.validation.manifests.kustomize import (
    Kustomization,
    Loader,
    Resource,
    build_set,
    kustomization_in,
)
from generator.validation.output import OutputValidator
from generator.yamlio.manifests import Finding, Manifest, parse_manifests
from generator.yamlio.source import YamlLoadError

#: kubectl kustomize of a large overlay takes seconds; a hung one must not hang a commit.
BUILD_TIMEOUT_SECONDS = 120


def kubectl() -> str:
    """The kubectl on PATH; a usage error that says so when there is none."""
    found = shutil.which("kubectl")
    if found is None:
        raise UsageError(
            "--kustomize runs `kubectl kustomize DIR`, and kubectl is not on PATH; install "
            "kubectl, or leave --kustomize out to validate the kustomizations' resources and "
            "patches as written"
        )
    return found


def _top(kustomizations: dict[Path, Kustomization]) -> list[Path]:
    """The kustomizations no other given kustomization includes (components excluded)."""
    included = {
        kustomization_in(folder)
        for k in kustomizations.values()
        for folder in k.resources
        if folder.is_dir()
    }
    return [p for p, k in kustomizations.items() if not k.component and p not in included]


def validate_builds(
    kustomizations: dict[Path, Kustomization],
    load: Loader,
    validator: OutputValidator,
) -> tuple[list[Finding], set[Path]]:
    """Findings of each top kustomization's build, and every file the builds consumed (not
    to be validated again piece by piece)."""
    binary = kubectl()
    findings: list[Finding] = []
    consumed: set[Path] = set()
    for path in list(_top(kustomizations)):
        kustomization = kustomizations[path]
        resources, _ = build_set(kustomization, kustomizations, load)
        consumed.add(path)
        consumed.update(Path(r.doc.file).resolve() for r in resources)
        consumed.update(p.file for p in kustomization.patches if p.file is not None)
        built = _build(binary, kustomization)
        if isinstance(built, Finding):
            findings.append(built)
            continue
        for doc in built:
            sources = _sources(doc, resources, kustomization)
            found = validator.document_findings(doc, standalone=True)
            findings.extend(_relocate(f, sources, kustomization) for f in found)
    return findings, consumed


def _build(binary: str, kustomization: Kustomization) -> list[Manifest] | Finding:
    owner = kustomization.manifest
    try:
        done = subprocess.run(
            [binary, "kustomize", str(kustomization.folder)],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return owner.finding((), f"kubectl kustomize failed: {exc}", id="kustomize-build-failed")
    if done.returncode != 0:
        reason = _reason(done.stderr) or f"exit code {done.returncode}"
        return owner.finding((), f"kubectl kustomize failed: {reason}", id="kustomize-build-failed")
    try:
        return parse_manifests(done.stdout, f"{owner.file} (built)")
    except YamlLoadError as exc:
        return owner.finding((), exc.problem.message, id="kustomize-build-failed")


def _reason(stderr: str) -> str:
    """kubectl's error without its log prefix and deprecation warnings."""
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("#")]
    text = " ".join(" ".join(lines).split())
    quoted = re.search(r'err="((?:[^"\\]|\\.)*)"', text)
    return quoted.group(1).replace('\\"', '"') if quoted else text


def _sources(
    doc: Manifest, resources: list[Resource], kustomization: Kustomization
) -> list[Manifest]:
    """Where a built document's fields may be written, latest first: the patches that target
    it, then the resource it was built from."""
    found = [r.doc for r in resources if r.doc.kind == doc.kind and doc.name in _names(r, doc.name)]
    patches = [
        d
        for p in kustomization.patches
        for d in p.docs
        if d.kind == doc.kind and (not found or d.name in {n for r in resources for n in r.names})
    ]
    return [*reversed(patches), *found[:1]]


def _names(resource: Resource, built: str) -> set[str]:
    return {n for n in resource.names if built == n or built.endswith(n) or built.startswith(n)}


def _has(doc: Manifest, path: tuple[str | int, ...]) -> bool:
    value = doc.data
    for part in path:
        if isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
            continue
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def _relocate(finding: Finding, sources: list[Manifest], kustomization: Kustomization) -> Finding:
    """The finding at the first source that writes its path, else at the kustomization."""
    path = finding.path[:-1] if finding.at_parent else finding.path
    for source in sources:
        if _has(source, path):
            return source.finding(
                finding.path, finding.message, finding.severity, finding.at_parent, finding.id
            )
    built = finding.manifest
    return kustomization.manifest.finding(
        (),
        f"{built.describe()} as built: {'.'.join(map(str, finding.path))}: {finding.message}",
        finding.severity,
        id=finding.id,
    )
