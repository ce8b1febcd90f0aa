"""ApplicationSet git generators whose paths match nothing in their repository.

A git generator's ``directories`` or ``files`` path that matches no folder (no file) of the
repository is accepted by Argo CD, and the ApplicationSet then generates no Application at all,
silently: a renamed folder empties a whole layer. When the generator's repository is checked
out here (a :class:`~generator.validation.manifests.repository.RepoMap`), each path that is not
templated and not an ``exclude`` entry must match something.

To report no false alarm, a path is matched the most permissive way Argo CD may read it: ``*``
and ``**`` also cross ``/`` (the git file generator's default, "greedy" globbing), so a
pattern is reported only when no reading of it can match. The work tree is read as it is,
whatever ``revision`` says.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from generator.core.layout import shown_path
from generator.core.model import DocPath
from generator.validation.argo import templated
from generator.validation.manifests.repository import RepoMap, near_path
from generator.yamlio.manifests import Finding, Manifest, as_dict

#: The generators that hold other generators.
_NESTING = ("matrix", "merge")


def _git_generators(generators: Any, at: DocPath) -> Iterator[tuple[DocPath, Mapping[str, Any]]]:
    """Every git generator of a ``generators`` list, also inside matrix and merge."""
    for index, generator in enumerate(generators if isinstance(generators, list) else ()):
        here = (*at, index)
        entry = as_dict(generator)
        if isinstance(entry.get("git"), dict):
            yield (*here, "git"), entry["git"]
        for nesting in _NESTING:
            inner = as_dict(entry.get(nesting)).get("generators")
            yield from _git_generators(inner, (*here, nesting, "generators"))


def _tree(root: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folders and files under ``root`` (relative, ``.git`` left out)."""
    folders: list[str] = []
    files: list[str] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/"):
            continue
        (folders if path.is_dir() else files).append(rel)
    return tuple(folders), tuple(files)


def _matches(pattern: str, names: tuple[str, ...]) -> bool:
    # fnmatch's "*" crosses "/": the most permissive reading of Argo CD's globs.
    wanted = pattern.strip("/")
    return any(fnmatch.fnmatchcase(name, wanted) for name in names)


def _literal_prefix(pattern: str) -> str:
    """The folders of ``pattern`` before its first glob character."""
    head = pattern
    for char in "*?[":
        head = head.split(char, 1)[0]
    return head.rsplit("/", 1)[0] if "/" in head else ""


def generator_findings(docs: list[Manifest], repos: RepoMap) -> Iterator[Finding]:
    """A warning for each git generator path of the ApplicationSets among ``docs`` that matches
    nothing in its repository's checkout."""
    tree = cache(_tree)
    for doc in docs:
        if doc.kind != "ApplicationSet" or not doc.api_version.startswith("argoproj.io/"):
            continue
        spec = as_dict(as_dict(doc.data).get("spec"))
        for at, git in _git_generators(spec.get("generators"), ("spec", "generators")):
            url = git.get("repoURL")
            if not isinstance(url, str) or templated(doc, url):
                continue
            root = repos.root_for(url)
            if root is None:
                continue
            folders, files = tree(root.resolve())
            for kind, names in (("directories", folders), ("files", files)):
                entries = git.get(kind)
                for index, item in enumerate(entries if isinstance(entries, list) else ()):
                    entry = as_dict(item)
                    pattern = entry.get("path")
                    if not isinstance(pattern, str) or entry.get("exclude") is True:
                        continue
                    if "{{" in pattern or _matches(pattern, names):
                        continue
                    yield doc.finding(
                        (*at, kind, index, "path"),
                        _message(kind, pattern, root, url),
                        "warning",
                        id="generator-matches-nothing",
                    )


def _message(kind: str, pattern: str, root: Path, url: str) -> str:
    what = "folder" if kind == "directories" else "file"
    if not any(char in pattern for char in "*?["):  # a plain path: the nearest that exists
        close = near_path(root, pattern.strip("/"))
        hint = f' (did you mean "{close}"?)' if close else ""
    else:  # a glob: the nearest folder before its first glob character
        prefix = _literal_prefix(pattern)
        close = near_path(root, prefix) if prefix and not (root / prefix).is_dir() else None
        hint = f' (did you mean "{close}{pattern[len(prefix) :]}"?)' if close else ""
    return (
        f'{kind} path "{pattern}" matches no {what} in {url} (checked in {shown_path(root)}): '
        f"the ApplicationSet generates no Application from it{hint}"
    )
