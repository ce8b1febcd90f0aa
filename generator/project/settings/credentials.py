"""Recognise a setting value that looks like a credential, so that it is refused.

Settings are committed to git in plain text and copied into rendered/; a token or password there
is leaked the moment it is pushed. The check is deliberately conservative (a false alarm on a
domain name or an ordinary word would teach people to ignore it), so a value counts as a
credential only when it has an unmistakable shape:

- the published formats of well-known tokens (GitHub, GitLab, Slack, AWS access key ids, Google
  API keys, OpenAI and Anthropic keys, Hugging Face, Stripe, npm), a JSON Web Token, a private
  key block;
- a URL with a password in it (``https://user:secret@host``);
- a long random string: 32 to 256 characters of the base64/base62 alphabet (no dots or spaces),
  with upper case, lower case and digits, switching between them as often as random text does
  and with few runs of four or more lower-case letters. Identifiers written in CamelCase switch
  about once per word and are mostly such runs, so they stay below the bar; a random token
  occasionally does too (about one in ten of 32 characters, fewer when longer): a miss is
  cheaper than refusing an ordinary value.

Standard library only; no value is ever echoed in a message (the caller names only its kind).
"""

from __future__ import annotations

import itertools
import re

#: (kind, pattern) for the well-known formats, searched anywhere in the value.
_KNOWN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("a URL with a password in it", re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
    (
        "a GitHub token",
        re.compile(r"(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_\w{50,})"),
    ),
    ("a GitLab token", re.compile(r"(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")),
    ("a Google API key", re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}")),
    ("a Stripe secret key", re.compile(r"(?<![A-Za-z0-9])[rs]k_live_[A-Za-z0-9]{20,}")),
    ("an npm token", re.compile(r"(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}")),
    (
        "a JSON Web Token",
        re.compile(r"(?<![A-Za-z0-9])eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}"),
    ),
)
#: Prefixed keys whose rest must also look random (``sk-`` starts ordinary names too).
_PREFIXED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an API secret key (sk-...)", re.compile(r"(?<![A-Za-z0-9])sk-(?:ant-|proj-)?([\w-]{20,})")),
    ("a Hugging Face token", re.compile(r"(?<![A-Za-z0-9])hf_([A-Za-z]{30,})")),
)
_TOKEN_ALPHABET = re.compile(r"[A-Za-z0-9+/=_-]{32,256}")
#: Share of neighbouring letters and digits that differ in class (upper, lower, digit): about
#: 0.6 in random base62 text, 0.2 to 0.4 in CamelCase identifiers.
_RANDOM_SWITCHES = 0.4
#: Share of the text in runs of four or more lower-case letters (words): below this in random text.
_WORDY = 0.25
_WORD = re.compile(r"[a-z]{4,}")


def _char_class(char: str) -> int:
    return 0 if char.isupper() else 1 if char.islower() else 2


def _looks_random(text: str, need_digit: bool = True) -> bool:
    """Mixed case (and digits), switching class as often as random text does."""
    alnum = [c for c in text if c.isascii() and c.isalnum()]
    if len(alnum) < 16:
        return False
    classes = [_char_class(c) for c in alnum]
    if 0 not in classes or 1 not in classes or (need_digit and 2 not in classes):
        return False
    switches = sum(1 for a, b in itertools.pairwise(classes) if a != b)
    if switches / (len(classes) - 1) < _RANDOM_SWITCHES:
        return False
    return sum(len(word) for word in _WORD.findall(text)) / len(text) < _WORDY


def credential_kind(value: str) -> str | None:
    """What ``value`` looks like (``"a GitHub token"``) if it looks like a credential, else None."""
    for kind, pattern in _KNOWN:
        if pattern.search(value):
            return kind
    for kind, pattern in _PREFIXED:
        for match in pattern.finditer(value):
            if _looks_random(match.group(1), need_digit=kind.startswith("an API")):
                return kind
    if _TOKEN_ALPHABET.fullmatch(value) and _looks_random(value):
        return "a long random string (an API key or a password?)"
    return None
