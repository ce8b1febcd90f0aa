"""Finding ids: every finding the code emits has one, every id is registered in
generator/core/findings/ids.py, documented in docs/validation.md, and used.

Adding a finding: give it ``id="new-id"``, add the id to FINDINGS, and a "### `new-id`" entry
(an example and how to fix it) under "## Finding ids" in docs/validation.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from conftest import REPO_ROOT

from generator.core.errors import Problem
from generator.core.findings.ids import FINDINGS

PACKAGE = REPO_ROOT / "generator"
DOCS = REPO_ROOT / "docs" / "validation.md"
#: Calls that build a finding: each passes an ``id`` (a keyword, or Problem's 7th argument).
BUILDERS = {"Problem", "problem", "_problem", "finding", "Finding", "Explained"}
#: Helpers that take a finding's id positionally (project/cost_actions.py), read for ids only.
ID_TAKERS = {"_located"}
REGISTRY = PACKAGE / "core" / "finding_ids.py"
#: The index of ``id`` among the positional arguments of the builders that take it so.
POSITIONAL_ID = {"Problem": 6, "finding": 4, "Finding": 5, "_located": 3}
#: A helper's own ``_problem(where, key, message, "some-id")``: a kebab-case string argument.
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")


def _positional_ids(node: ast.Call) -> list[str]:
    """The ids among a call's positional arguments: at the builder's id index, or (for a
    module's own ``_problem`` helper) any kebab-case string constant or ``*_id`` name."""
    name = _name(node)
    index = POSITIONAL_ID.get(name)
    if index is not None:
        argument = node.args[index] if len(node.args) > index else None
        return [str(argument.value)] if isinstance(argument, ast.Constant) else []
    return [
        str(a.value)
        for a in node.args
        if isinstance(a, ast.Constant) and isinstance(a.value, str) and KEBAB.fullmatch(a.value)
    ]


def _passes_id(node: ast.Call) -> bool:
    """Whether a builder call passes an id: a keyword, its id position, a kebab-case string, a
    variable named like an id, or (settings' ``_problem(where, key, found[1], found[0])``) an
    item of a found ``(id, message)`` pair."""
    if any(k.arg in ("id", "problem_id", None) for k in node.keywords):
        return True
    index = POSITIONAL_ID.get(_name(node))
    if index is not None and len(node.args) > index:
        return True
    return (
        bool(_positional_ids(node))
        or any(isinstance(a, ast.Name) and a.id.endswith(("id", "id_")) for a in node.args)
        or any(isinstance(a, ast.Subscript) for a in node.args[3:4] if _name(node) == "_problem")
    )


def _name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else str(getattr(func, "attr", ""))


def _calls() -> Iterator[tuple[Path, ast.Call, str]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        # An import loss (adopt/findings.py's Loss) gets its id from what is done about it.
        in_loss = {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _name(node) == "Loss"
            for arg in node.args
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in BUILDERS and id(node) not in in_loss:
                yield path, node, _name(node)


def _id_calls() -> Iterator[tuple[Path, ast.Call]]:
    """Every builder call, and every call of a helper that takes an id positionally."""
    yield from ((path, node) for path, node, _ in _calls())
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and _name(node) in ID_TAKERS:
                yield path, node


def _literal_ids() -> dict[str, str]:
    """Every id written as a literal ``id="..."`` (or Problem's 7th argument): where."""
    found: dict[str, str] = {}
    for path, node in _id_calls():
        where = f"{path.relative_to(REPO_ROOT)}:{node.lineno}"
        for keyword in node.keywords:
            if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                found.setdefault(str(keyword.value.value), where)
        for found_id in _positional_ids(node):
            found.setdefault(found_id, where)
    return found


def _documented() -> list[str]:
    text = DOCS.read_text("utf-8")
    section = text.split("## Finding ids", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^### `([a-z0-9-]+)`$", section, re.M)


def test_every_finding_is_built_with_an_id() -> None:
    missing = []
    for path, node, _ in _calls():
        if not node.args and not node.keywords:
            continue  # Finding.problem(): the conversion, not a new finding
        if _passes_id(node):
            continue
        missing.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert missing == [], "give each of these an id=... (see this file's docstring)"


def test_every_id_used_is_registered() -> None:
    unknown = {i: where for i, where in _literal_ids().items() if i not in FINDINGS}
    assert unknown == {}, "add these to generator/core/findings/ids.py"


def test_every_registered_id_is_used() -> None:
    code = "\n".join(p.read_text("utf-8") for p in sorted(PACKAGE.rglob("*.py")) if p != REGISTRY)
    unused = [i for i in FINDINGS if f'"{i}"' not in code]
    assert unused == []


def test_ids_are_kebab_case_and_sorted() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in FINDINGS)
    assert list(FINDINGS) == sorted(FINDINGS)


def test_docs_list_every_id_once_in_order() -> None:
    documented = _documented()
    assert documented == sorted(FINDINGS), "docs/validation.md, ## Finding ids"


def test_each_documented_id_has_an_example_and_a_fix() -> None:
    section = DOCS.read_text("utf-8").split("## Finding ids", 1)[1].split("\n## ", 1)[0]
    entries = re.split(r"^### `", section, flags=re.M)[1:]
    for entry in entries:
        name = entry.split("`", 1)[0]
        assert f"[{name}]" in entry, f"{name}: no example message ending in [{name}]"
        assert "Fix:" in entry, f"{name}: no Fix:"


def test_a_problem_prints_its_id_and_severity() -> None:
    problem = Problem("a.yaml", 3, 5, "spec.x", "bad", "warning", "unknown-field")
    assert str(problem) == "a.yaml:3:5: warning: spec.x: bad [unknown-field]"
    note = Problem("a.yaml", 1, 1, "", "fyi", "note", "live-object-fields")
    assert str(note) == "a.yaml:1:1: note: fyi [live-object-fields]"
    assert problem.to_json()["id"] == "unknown-field"
