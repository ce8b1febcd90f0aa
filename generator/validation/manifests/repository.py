"""Repository contents: does what an Application points at exist in its repository?

The commonest real mistake is an Application whose ``path`` does not exist (a folder named
``kube-vip`` referenced as ``kubevip``) or a ``$values/...`` value file that is not there: Argo
CD accepts the object and fails only when it generates manifests. When the repository an
Application names is checked out locally (a :class:`RepoMap`), each in-repository source is
checked: ``path`` is a folder holding manifests, a kustomization or a ``Chart.yaml``; Helm value
files exist (``$ref/...`` in the repository of the source with that ``ref``; plain ones next to
the chart); ``directory.include``/``exclude`` globs match a file. The work tree is checked as it
is, whatever ``targetRevision`` says.

A source's ``repoURL`` is matched to a checkout by repository identity: ``https://host/org/r``,
``https://host/org/r.git``, ``git@host:org/r.git`` and ``ssh://git@host/org/r`` are the same.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core.constants import KUSTOMIZATION_FILES, MANIFEST_SUFFIXES
from generator.core.errors import Problem, Severity
from generator.core.layout import shown_path
from generator.core.model import DocPath, Project
from generator.validation.argo import templated
from generator.yamlio.manifests import Finding, Manifest, as_dict

_MANIFESTS = MANIFEST_SUFFIXES
_APP_FILES = (*KUSTOMIZATION_FILES, "Chart.yaml")
_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")


def repo_identity(url: str) -> str:
    """``host/path`` of a repository URL, the same for its https, ssh and scp-like forms."""
    text = url.strip()
    scp = _SCP.match(text)
    if scp and "://" not in text:
        text = f"{scp.group(1)}/{scp.group(2)}"
    else:
        text = re.sub(r"^[a-z+]+://", "", text)
        text = re.sub(r"^[^@/]+@", "", text)
    text = text.lower().rstrip("/").removesuffix(".git").rstrip("/")
    return re.sub(r":\d+/", "/", text, count=1) if text.count(":") == 1 else text


@dataclass(frozen=True)
class RepoMap:
    """Local checkouts by repository identity; ``fallback`` stands for every repository (a
    ``--repo-root`` that is not a git work tree with a remote)."""

    roots: Mapping[str, Path] = field(default_factory=dict)
    fallback: Path | None = None

    def root_for(self, url: str) -> Path | None:
        """The checkout of ``url``, or None when it is not checked out here."""
        return self.roots.get(repo_identity(url), self.fallback)


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def work_tree(path: Path) -> Path | None:
    """The top of the git work tree ``path`` is in, if any."""
    folder = path if path.is_dir() else path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def remotes(top: Path) -> list[str]:
    """The URLs of the work tree's remotes."""
    listing = _git(top, "config", "--get-regexp", r"^remote\..*\.url$") or ""
    return [line.split(None, 1)[1] for line in listing.splitlines() if " " in line]


def repo_map(
    paths: Sequence[Path], repo_root: Path | None, mappings: Sequence[tuple[str, Path]]
) -> RepoMap | None:
    """Where repositories are checked out: ``--repo URL=DIR`` mappings, ``--repo-root`` (the
    repository its remotes name, or every repository when it has none), else the git work tree
    the ``paths`` are in (for the repositories its remotes name). None when nothing is known."""
    roots = {repo_identity(url): folder for url, folder in mappings}
    fallback = None
    if repo_root is not None:
        found = remotes(repo_root)
        roots.update((repo_identity(url), repo_root) for url in found)
        fallback = None if found else repo_root
    elif not mappings:
        for path in paths:
            top = work_tree(path)
            if top is not None:
                roots.update((repo_identity(url), top) for url in remotes(top))
    if not roots and fallback is None:
        return None
    return RepoMap(roots, fallback)


# --- the checks ------------------------------------------------------------------------------

Issue = tuple[DocPath, str, Severity, str]
"""``(path relative to the source, message, severity, id)``."""


def near_path(root: Path, rel: str) -> str | None:
    """A path under ``root`` like ``rel`` that exists (``kubevip`` -> ``kube-vip``), or None."""
    parts = [p for p in rel.strip("/").split("/") if p not in ("", ".")]
    here = root
    for index, part in enumerate(parts):
        if (here / part).exists():
            here = here / part
            continue
        if not here.is_dir():
            return None
        names = sorted(p.name for p in here.iterdir() if not p.name.startswith("."))
        squash = {re.sub(r"[-_.]", "", n.lower()): n for n in names}
        close = squash.get(re.sub(r"[-_.]", "", part.lower()))
        if close is None:
            matches = difflib.get_close_matches(part, names, n=1, cutoff=0.6)
            close = matches[0] if matches else None
        if close is None:
            return None
        return "/".join([*parts[:index], close, *parts[index + 1 :]])
    return None


def _missing(what: str, rel: str, root: Path, url: str, prefix: str = "") -> str:
    close = near_path(root, rel)
    hint = f' (did you mean "{prefix}{close}"?)' if close else ""
    return f'{what} "{prefix}{rel}" does not exist in {url} (checked in {shown_path(root)}){hint}'


def _expand(pattern: str) -> list[str]:
    """Brace alternatives, as Argo's globs allow: ``{*.yml,*.yaml}``."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if match is None:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [x for alt in match.group(1).split(",") for x in _expand(head + alt + tail)]


def _files(folder: Path, recurse: bool) -> list[str]:
    found = folder.rglob("*") if recurse else folder.iterdir()
    return sorted(p.relative_to(folder).as_posix() for p in found if p.is_file())


def check_source(source: Mapping[str, Any], root: Path, url: str) -> Iterator[Issue]:
    """What is missing from the checkout at ``root`` of one source's ``path`` and directory
    globs (value files: :func:`check_value_files`)."""
    rel = source.get("path")
    if not isinstance(rel, str) or "{{" in rel or source.get("chart"):
        return
    folder = root / rel
    if not folder.is_dir():
        yield ("path",), _missing("path", rel, root, url), "error", "missing-path"
        return
    directory = as_dict(source.get("directory"))
    recurse = directory.get("recurse") is True
    files = _files(folder, recurse)
    app_file = any(f.rsplit("/", 1)[-1] in _APP_FILES for f in files)
    if "plugin" not in source and not app_file and not any(f.endswith(_MANIFESTS) for f in files):
        message = (
            f'path "{rel}" holds no manifests (*.yaml, *.yml, *.json), kustomization or '
            "Chart.yaml: Argo CD would deploy nothing"
        )
        yield ("path",), message, "warning", "empty-path"
    for key, severity in (("include", "error"), ("exclude", "warning")):
        pattern = directory.get(key)
        if isinstance(pattern, str) and pattern and "{{" not in pattern:
            globs = _expand(pattern)
            if not any(fnmatch.fnmatchcase(f, g) for f in files for g in globs):
                message = f'{key} "{pattern}" matches no file in "{rel}"'
                yield ("directory", key), message, severity, "glob-matches-nothing"  # type: ignore[misc]


def check_value_files(
    source: Mapping[str, Any], root: Path | None, url: str, refs: Mapping[str, tuple[Path, str]]
) -> Iterator[Issue]:
    """Helm value files that do not exist: ``$ref/...`` in the ref source's checkout, plain
    ones next to the chart of a path source (unless ``ignoreMissingValueFiles``)."""
    helm = as_dict(source.get("helm"))
    files = helm.get("valueFiles")
    if not isinstance(files, list) or helm.get("ignoreMissingValueFiles") is True:
        return
    for index, name in enumerate(files):
        if not isinstance(name, str) or "{{" in name or "://" in name:
            continue
        where: DocPath = ("helm", "valueFiles", index)
        if name.startswith("$"):
            ref, _, rest = name[1:].partition("/")
            if ref in refs and not (refs[ref][0] / rest).is_file():
                found = _missing("value file", rest, refs[ref][0], refs[ref][1], f"${ref}/")
                yield where, found, "error", "missing-path"
        elif root is not None and isinstance(source.get("path"), str):
            rel = f"{source['path'].rstrip('/')}/{name}"
            if (root / source["path"]).is_dir() and not (root / rel).is_file():
                yield where, _missing("value file", rel, root, url), "error", "missing-path"


def _sources(spec: dict[str, Any], at: DocPath) -> list[tuple[DocPath, dict[str, Any]]]:
    if isinstance(spec.get("sources"), list):
        return [
            ((*at, "sources", i), s) for i, s in enumerate(spec["sources"]) if isinstance(s, dict)
        ]
    source = spec.get("source")
    return [((*at, "source"), source)] if isinstance(source, dict) else []


def source_findings(docs: Sequence[Manifest], repos: RepoMap) -> Iterator[Finding]:
    """Every missing path, value file and unmatched glob of the Applications (and
    ApplicationSet templates) among ``docs`` whose repositories ``repos`` knows."""
    for doc in docs:
        data = as_dict(doc.data)
        at: DocPath = ("spec",)
        spec = as_dict(data.get("spec"))
        if doc.kind == "ApplicationSet":
            spec = as_dict(as_dict(spec.get("template")).get("spec"))
            at = ("spec", "template", "spec")
        elif doc.kind != "Application" or not doc.api_version.startswith("argoproj.io/"):
            continue
        sources = _sources(spec, at)
        refs: dict[str, tuple[Path, str]] = {}
        for _, source in sources:
            url, ref = source.get("repoURL"), source.get("ref")
            if isinstance(url, str) and isinstance(ref, str) and not templated(doc, url):
                checkout = repos.root_for(url)
                if checkout is not None:
                    refs[ref] = (checkout, url)
        for where, source in sources:
            url = source.get("repoURL")
            if not isinstance(url, str) or templated(doc, url):
                continue
            root = repos.root_for(url)
            issues = list(check_source(source, root, url)) if root is not None else []
            issues += check_value_files(source, root, url, refs)
            for path, message, severity, finding_id in issues:
                yield doc.finding((*where, *path), message, severity, id=finding_id)


def catalog_source_problems(project: Project) -> list[Problem]:
    """``--check-sources``: the catalog's sources in the project's own repository (no
    ``repoURL``, or config.yaml's) exist in the work tree the project is in, located where the
    catalog (or config.yaml, for an environment's override) writes them."""
    config = project.config
    depth = 0 if config.repo_path in ("", ".") else len(config.repo_path.split("/"))
    top = project.root.resolve()
    for _ in range(depth):
        top = top.parent
    own = repo_identity(config.repo_url)
    found: set[Problem] = set()
    for env in config.environments:
        for app in project.apps_for(env).values():
            for index, source in enumerate(app.sources):
                url = source.get("repoURL", config.repo_url)
                if not isinstance(url, str) or repo_identity(url) != own:
                    continue
                at: DocPath = ("sources", index) if app.multi_source else ("source",)
                issues = [*check_source(source, top, url), *check_value_files(source, top, url, {})]
                for path, message, severity, finding_id in issues:
                    where = app.locate(*at, *path)
                    found.add(where.problem(message, severity=severity, id=finding_id))
    return sorted(found)
