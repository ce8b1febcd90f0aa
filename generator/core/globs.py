"""Argo CD's glob patterns, as its directory sources match ``include`` and ``exclude``.

Argo CD's repo server matches each manifest file's path relative to the source's folder
(``sub/app.yaml``) with ``glob.Match(pattern, path)`` of its util/glob package: gobwas/glob
compiled *without separators*, so ``*`` and ``?`` also match ``/`` (``*.yaml`` matches
``sub/app.yaml``). The syntax (gobwas/glob's): ``*`` and ``**`` any sequence, ``?`` any one
character, ``[abc]``, ``[a-z]`` and ``[!abc]`` character classes, ``{a,b}`` alternatives (which
nest), ``\\`` quotes the next character; everything else is itself, and the whole path must
match. A pattern that does not compile matches nothing in Argo CD (it logs a warning); here it
raises :class:`GlobError`, so that the generator can report it. Standard library only.
"""

from __future__ import annotations

import re
from functools import lru_cache


class GlobError(ValueError):
    """A pattern gobwas/glob would not compile."""


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char

    def sequence(self, in_braces: int) -> str:
        """Terms up to the end, or (inside braces) up to an unquoted ``,`` or ``}``."""
        out = []
        while self.at < len(self.text):
            char = self.peek()
            if in_braces and char in ",}":
                break
            self.take()
            if char == "*":
                while self.peek() == "*":
                    self.take()
                out.append(".*")
            elif char == "?":
                out.append(".")
            elif char == "\\":
                if not self.peek():
                    raise GlobError('ends with an unfinished "\\"')
                out.append(re.escape(self.take()))
            elif char == "[":
                out.append(self.char_class())
            elif char == "{":
                out.append(self.alternatives(in_braces + 1))
            else:
                out.append(re.escape(char))
        return "".join(out)

    def alternatives(self, depth: int) -> str:
        options = [self.sequence(depth)]
        while self.peek() == ",":
            self.take()
            options.append(self.sequence(depth))
        if self.take() != "}":
            raise GlobError('a "{" without its "}"')
        return "(?:" + "|".join(options) + ")"

    def char_class(self) -> str:
        negate = self.peek() == "!"
        if negate:
            self.take()
        parts = []
        while True:
            char = self.take()
            if not char:
                raise GlobError('a "[" without its "]"')
            if char == "]":
                break
            if char == "\\":
                char = self.take()
                if not char:
                    raise GlobError('ends with an unfinished "\\"')
            if self.peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("", "]"):
                self.take()
                high = self.take()
                if high == "\\":
                    high = self.take()
                if high < char:
                    raise GlobError(f'the range "{char}-{high}" runs backwards')
                parts.append(f"{re.escape(char)}-{re.escape(high)}")
            else:
                parts.append(re.escape(char))
        if not parts:
            raise GlobError('an empty character class "[]"')
        return "[" + ("^" if negate else "") + "".join(parts) + "]"


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """``pattern`` as a regular expression matching whole paths; raises GlobError."""
    parser = _Parser(pattern)
    body = parser.sequence(0)
    return re.compile(body + r"\Z", re.DOTALL)


def glob_match(pattern: str, path: str) -> bool:
    """Whether ``path`` matches ``pattern`` as Argo CD matches it (False when the pattern does
    not compile, as in Argo CD)."""
    try:
        return compile_glob(pattern).match(path) is not None
    except GlobError:
        return False
