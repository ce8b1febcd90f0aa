"""``gen resolve-groups``: which groups each environment renders, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import UsageError
from generator.project.load import load_project
from generator.project.resolve import Decision, decide


@dataclass(frozen=True)
class Row:
    """One group in one environment."""

    environment: str
    decision: Decision

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of a row."""
        d = self.decision
        return {
            "environment": self.environment,
            "layer": d.group.layer,
            "group": d.group.name,
            "enabled": d.enabled,
            "why": d.why,
            "where": str(d.where),
            "apps": [app.name for app in d.group.apps],
            "conditions": [
                {
                    "setting": c.setting,
                    "allowed": list(c.allowed),
                    "value": c.value.value,
                    "holds": c.holds,
                    "key": c.value.key,
                    "where": str(c.value.where),
                }
                for c in d.conditions
            ],
            "dormant": [
                {"setting": v.name, "key": v.key, "where": str(v.where)} for v in d.dormant
            ],
        }


def run(root: Path, environments: Sequence[str] | None = None) -> list[Row]:
    """Every group of the catalog, per environment, in bring-up order."""
    project = load_project(root)
    names = list(environments) if environments else list(project.config.environments)
    for name in names:
        if name not in project.config.environments:
            raise UsageError(
                f"unknown environment {name!r}; choose from: "
                + ", ".join(project.config.environments)
            )
    return [
        Row(name, decision)
        for name in names
        for decision in decide(project, project.config.environments[name])
    ]
