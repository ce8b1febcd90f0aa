"""Kubernetes' rules for names, keys and label values, each defined once.

As the API server validates them (k8s.io/apimachinery/pkg/util/validation): a DNS-1123 label
(namespaces, and the generator's own names: environments, layers, groups, apps), a DNS-1123
subdomain (object names), a qualified name (label and annotation keys: ``[prefix/]name``, the
prefix a subdomain) and a label value. Each ``*_problem`` function says why a value breaks its
rule, or returns None.
"""

from __future__ import annotations

import functools
import json
import re

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_LABEL = re.compile(rf"^{_LABEL}$")
DNS_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
QUALIFIED_NAME = re.compile(rf"^{_NAME}$")
LABEL_VALUE = re.compile(rf"^({_NAME})?$")
#: The longest DNS-1123 label, qualified name and label value.
MAX_LABEL = 63
#: The longest DNS-1123 subdomain.
MAX_SUBDOMAIN = 253


def _dns_problem(
    value: str, name: str, pattern: re.Pattern[str], longest: int, characters: str
) -> str | None:
    if len(value) > longest:
        return f'"{value}" is {len(value)} characters; a {name} has at most {longest}'
    if not pattern.match(value):
        return (
            f'"{value}" is not a {name} ({characters}, starting and ending with a letter or digit)'
        )
    return None


def dns_label_problem(value: str) -> str | None:
    """Why ``value`` is not a DNS-1123 label, or None when it is one."""
    characters = 'lowercase letters, digits and "-"'
    return _dns_problem(value, "DNS-1123 label", DNS_LABEL, MAX_LABEL, characters)


def dns_subdomain_problem(value: str) -> str | None:
    """Why ``value`` is not a DNS-1123 subdomain (an object name), or None when it is one."""
    characters = 'lowercase letters, digits, "-" and "."'
    return _dns_problem(value, "DNS-1123 subdomain", DNS_SUBDOMAIN, MAX_SUBDOMAIN, characters)


@functools.lru_cache(maxsize=8192)  # a render checks the same few hundred keys many times
def key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid label or annotation key (``[prefix/]name``), or None."""
    prefix, slash, name = key.rpartition("/")
    if slash and not prefix:
        return f'"{key}" has an empty prefix before "/"'
    if prefix and (len(prefix) > MAX_SUBDOMAIN or not DNS_SUBDOMAIN.match(prefix)):
        return f'the prefix "{prefix}" of "{key}" is not a DNS-1123 subdomain (like example.com)'
    if len(name) > MAX_LABEL:
        return f'the name "{name}" of "{key}" is {len(name)} characters; at most {MAX_LABEL}'
    if not QUALIFIED_NAME.match(name):
        return (
            f'"{key}" is not a valid key: the name after the optional "prefix/" takes letters, '
            'digits, "-", "_" and ".", starting and ending with a letter or digit'
        )
    return None


def label_value_problem(value: object) -> str | None:
    """Why ``value`` is not a valid label value, or None (also for a non-string: the schema
    reports its type)."""
    if not isinstance(value, str):
        return None
    return _label_value_problem(value)


@functools.lru_cache(maxsize=8192)
def _label_value_problem(value: str) -> str | None:
    if len(value) > MAX_LABEL:
        return f"label values have at most {MAX_LABEL} characters (this one has {len(value)})"
    if not LABEL_VALUE.match(value):
        return (
            f"{json.dumps(value)} is not a valid label value: letters, digits, "
            '"-", "_" and "." only, starting and ending with a letter or digit'
        )
    return None
