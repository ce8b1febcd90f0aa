"""``gen validate``: the project's input and rendered output, or any manifest files given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.errors import Problem, UsageError


@dataclass(frozen=True)
class ValidateResult:
    """Every problem found (errors and warnings) and how many files were checked."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        """The problems that make ``gen validate`` exit 2."""
        return [p for p in self.problems if p.severity == "error"]


def run(
    root: Path | None,
    paths: Sequence[Path] = (),
    crds_dir: Path | None = None,
    environments: Sequence[str] | None = None,
) -> ValidateResult:
    """Validate ``paths`` (files or folders of Argo CD manifests) or, without paths, the project
    at ``root``: its build (:func:`generator.render.build.build`): the input, then every
    document it renders (in memory; nothing is written).

    Raises InputError when the project's input is invalid (nothing can be rendered then)."""
    from generator.validation.crd import load_crd_schemas
    from generator.validation.output import validate_paths

    crds = load_crd_schemas(crds_dir) if crds_dir is not None else None
    if paths:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {', '.join(missing)}")
        from generator.yamlio.manifests import manifest_files

        count = len(list(manifest_files(paths)))
        return ValidateResult(validate_paths(paths, crds), count)
    if root is None:
        raise UsageError("no project root and no PATH to validate")
    from generator.fs.inputs import read_inputs
    from generator.project.waves import profile_dependency_warnings
    from generator.render.build import build

    result = build(read_inputs(root), environments, crds=crds)
    # gen plan and gen explain report the profile warnings too; render and check do not.
    problems = [*result.problems, *profile_dependency_warnings(result.project)]
    return ValidateResult(sorted(problems), len(result.files))
