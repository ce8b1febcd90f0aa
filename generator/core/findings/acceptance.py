"""Accepted warnings: an ``accept:`` entry of an app, group or AppProject names a finding id
its owner chose to live with, and why (generator/project/declarations/accepts.py applies them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.core.errors import Problem
from generator.core.location import Location


@dataclass(frozen=True)
class Acceptance:
    """One ``accept:`` entry: a warning (by finding id) that the owner accepts, and why.
    Accepted warnings are not printed again; ``gen validate --show-accepted`` lists them."""

    id: str
    reason: str
    where: Location


@dataclass(frozen=True, order=True)
class Accepted:
    """A warning and the ``accept:`` entry that accepts it."""

    problem: Problem
    acceptance: Acceptance = field(compare=False)
