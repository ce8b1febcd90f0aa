"""``gen validate``: the project's input and rendered output, or any manifest files given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.errors import Problem, UsageError
from generator.core.findings.acceptance import Accepted
from generator.validation.policy import Policy

if TYPE_CHECKING:
    from generator.validation.crd import CrdSchemas


@dataclass(frozen=True)
class ValidateOptions:
    """Everything ``gen validate`` can be asked besides what to validate."""

    crds_dir: Path | None = None
    environments: Sequence[str] | None = None
    #: ``--ignore`` ids and ``--strict`` (None: as the configuration file says).
    ignore: Sequence[str] = ()
    strict: bool | None = None
    #: ``--kustomize``: validate what ``kubectl kustomize`` builds.
    kustomize: bool = False
    #: ``--repo-root DIR`` and ``--repo URL=DIR``.
    repo_root: Path | None = None
    repos: Sequence[tuple[str, Path]] = ()
    #: ``--check-sources`` (project mode): the catalog's in-repository sources exist.
    check_sources: bool = False


@dataclass(frozen=True)
class ValidateResult:
    """Every problem found (errors, warnings and notes, ignored kinds left out), how many files
    were checked, and the policy that decides which problems fail the run."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    policy: Policy = field(default_factory=Policy)
    #: The project's warnings that an ``accept:`` entry accepts (not in ``problems``).
    accepted: list[Accepted] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems that make ``gen validate`` exit 2 (warnings too with ``--strict``)."""
        return self.policy.failing(self.problems)


def run(
    root: Path | None,
    paths: Sequence[Path] = (),
    crds_dir: Path | None = None,
    environments: Sequence[str] | None = None,
    options: ValidateOptions | None = None,
) -> ValidateResult:
    """Validate ``paths`` (files or folders of Argo CD manifests) or, without paths, the project
    at ``root``: its build: the input, then every document it renders (in memory; nothing is
    written).

    Raises InputError when the project's input is invalid (nothing can be rendered then)."""
    from generator.validation.crd import load_crd_schemas
    from generator.validation.policy import resolve

    options = options or ValidateOptions(crds_dir, environments)
    if paths:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {', '.join(missing)}")
        if options.check_sources:
            raise UsageError("--check-sources checks the project's catalog: give no PATH")
    elif root is None:
        raise UsageError("no project root and no PATH to validate")
    elif options.kustomize or options.repo_root is not None or options.repos:
        raise UsageError(
            "--kustomize, --repo-root and --repo apply to the PATHs given; for the project's "
            "own sources use --check-sources"
        )
    policy = resolve(_common(paths) if paths else root, options.ignore, options.strict)
    dir_ = options.crds_dir or crds_dir
    crds = load_crd_schemas(dir_) if dir_ is not None else None
    accepted: list[Accepted] = []
    if paths:
        problems, count = _paths(paths, crds, options)
    else:
        assert root is not None
        problems, count, accepted = _project(root, crds, options)
    return ValidateResult(sorted(policy.keep(problems)), count, policy, accepted)


def _common(paths: Sequence[Path]) -> Path:
    import os

    return Path(os.path.commonpath([str(p.resolve()) for p in paths]))


def _paths(
    paths: Sequence[Path], crds: CrdSchemas | None, options: ValidateOptions
) -> tuple[list[Problem], int]:
    from generator.validation.manifests.files import PathOptions, validate_paths
    from generator.validation.manifests.repository import repo_map
    from generator.yamlio.manifests import manifest_files

    repos = repo_map(paths, options.repo_root, options.repos)
    found = validate_paths(paths, PathOptions(crds, options.kustomize, repos))
    return found, len(list(manifest_files(paths)))


def _project(
    root: Path, crds: CrdSchemas | None, options: ValidateOptions
) -> tuple[list[Problem], int, list[Accepted]]:
    """The project's build (:func:`generator.render.build.build`): its input, then every
    document it renders, in memory."""
    from generator.fs.inputs import read_inputs
    from generator.project.checks.profiles import profile_dependency_warnings
    from generator.render.build import build

    result = build(read_inputs(root), options.environments, crds=crds)
    # gen plan and gen explain report the profile warnings too; render and check do not.
    problems = [*result.problems, *profile_dependency_warnings(result.project)]
    if options.check_sources:
        from generator.validation.manifests.repository import catalog_source_problems

        problems.extend(catalog_source_problems(result.project))
    return problems, len(result.files), list(result.accepted)
