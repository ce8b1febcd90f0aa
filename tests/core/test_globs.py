"""Argo CD's globs (generator/core/globs.py): gobwas/glob compiled without separators, the way
Argo CD's repo server matches a directory source's ``include`` and ``exclude`` against each
file's path relative to the source folder."""

from __future__ import annotations

import pytest

from generator.core.globs import GlobError, compile_glob, glob_match


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # No separators: "*" and "?" cross "/" (so "*.yaml" also takes sub-folders' files).
        ("*.yaml", "app.yaml", True),
        ("*.yaml", "sub/app.yaml", True),
        ("*.yaml", "app.yml", False),
        ("**.yaml", "a/b/c.yaml", True),
        ("sub/*", "sub/app.yaml", True),
        ("sub/*", "sub/deep/app.yaml", True),
        ("sub/*", "other/app.yaml", False),
        ("a?c.yaml", "abc.yaml", True),
        ("a?c.yaml", "a/c.yaml", True),
        # The whole path must match.
        ("config.yaml", "config.yaml", True),
        ("config.yaml", "sub/config.yaml", False),
        ("config", "config.yaml", False),
        # Alternatives, nested; character classes, ranges and negation; quoting.
        ("{*.yml,*.yaml}", "x.yml", True),
        ("{*.yml,*.yaml}", "x.json", False),
        ("{config.json,env-usw2/*}", "env-usw2/configmap.yaml", True),
        ("{config.json,env-usw2/*}", "env-use2/configmap.yaml", False),
        ("{a,b{c,d}}.yaml", "bd.yaml", True),
        ("{a,b{c,d}}.yaml", "b.yaml", False),
        ("[ab]*.yaml", "b1.yaml", True),
        ("[!ab]*.yaml", "b1.yaml", False),
        ("[!ab]*.yaml", "c1.yaml", True),
        ("v[0-9].yaml", "v7.yaml", True),
        ("v[0-9].yaml", "vx.yaml", False),
        ("\\*.yaml", "*.yaml", True),
        ("\\*.yaml", "a.yaml", False),
        # Outside braces "," and "}" are plain characters.
        ("a,b}.yaml", "a,b}.yaml", True),
        ("a.yaml", "aXyaml", False),
    ],
)
def test_matches_like_argo_cd(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{*.yaml,*.yml", 'a "{" without its "}"'),
        ("[abc.yaml", 'a "[" without its "]"'),
        ("[]", 'an empty character class "[]"'),
        ("[!]x", 'an empty character class "[]"'),
        ("x\\", 'ends with an unfinished "\\"'),
        ("[z-a]", 'the range "z-a" runs backwards'),
    ],
)
def test_patterns_argo_cd_cannot_compile(pattern: str, message: str) -> None:
    with pytest.raises(GlobError) as caught:
        compile_glob(pattern)
    assert str(caught.value) == message
    # Argo CD logs a warning and matches nothing.
    assert glob_match(pattern, "anything") is False
