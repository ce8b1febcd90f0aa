"""One build for every command: a snapshot in; the project, the rendered files and every
problem out.

:func:`build` is the whole pipeline: load the project from the snapshot
(:func:`generator.project.load.load`), render it with the snapshot's templates
(:class:`generator.render.templates.Renderer`) and validate every rendered file
(:func:`generator.validation.rendered.validate_rendered`). Commands differ only in what they do
with the result: ``render`` writes it, ``check`` diffs it, ``validate`` reports it, ``plan``,
``explain``, ``profile`` and ``resolve-groups`` read its project, ``enable``/``disable`` and
``import`` build an edited snapshot and write their edit only when that build has no error.

The project is loaded when the build is made (an invalid input raises
:class:`~generator.core.errors.InputError` at once); the files are rendered and validated
together the first time the files or the problems are asked for, once: a command that needs only
the project does not pay for rendering, and no command can have files that were not validated.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from generator.core.errors import OutputError, Problem, UsageError
from generator.core.model import Accepted, Project
from generator.fs.inputs import Inputs
from generator.project.load import load
from generator.render.incremental import Plan, plan, remember

if TYPE_CHECKING:
    from generator.fs.memo import Memo
    from generator.render.templates import Output, Progress
    from generator.render.units import Units
    from generator.validation.crd import CrdSchemas

    #: What a build records in its memo once its files are emitted (see :meth:`Build.remember`).
    _Later = tuple[Units | None, Plan, frozenset[str]]


class _Rendered(NamedTuple):
    """What a build's render and validation gave (:attr:`Build._rendered`)."""

    output: Output
    problems: tuple[Problem, ...]
    accepted: tuple[Accepted, ...]
    later: _Later


@dataclass(frozen=True)
class Build:
    """The project a snapshot holds and, on first use, what it renders and what is wrong.

    ``environments`` are the environments rendered; ``scope`` is what was asked for (None: every
    environment, and then the whole rendered folder is the build's)."""

    inputs: Inputs
    project: Project
    environments: tuple[str, ...]
    scope: tuple[str, ...] | None
    crds: CrdSchemas | None = field(default=None, repr=False)
    on_environment: Progress | None = field(default=None, repr=False, compare=False)
    #: The per-file memo (generator/fs/memo.py): files whose exact input was emitted and found
    #: clean before are not emitted or checked again. None: every file is (the full run).
    memo: Memo | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def _rendered(self) -> _Rendered:
        """Render and validate, together and once: there are no files without a verdict.
        Warnings an ``accept:`` entry accepts are set apart
        (generator/project/declarations/accepts.py)."""
        from generator.project.declarations.accepts import Acceptor, unused_accepts
        from generator.render.templates import Renderer
        from generator.validation.rendered import check_rendered

        renderer = Renderer(self.project, self.inputs, self.memo)
        output = renderer.render(self.environments, self.on_environment)
        found = Plan()
        if self.memo is not None:
            found = plan(self.memo, output, self.project.config.rendered_dir, renderer.units)
        verdict = check_rendered(
            self.project,
            output.files,
            self.crds,
            documents=output.documents,
            known_clean=found.known,
            exempt=found.exempt,
        )
        kept, accepted = Acceptor(self.project).split(verdict.problems)
        accepted = sorted([*self.project.accepted, *accepted])
        if self.scope is None:  # every environment rendered: an unused entry is unused
            kept.extend(unused_accepts(self.project, accepted))
        problems = tuple(sorted([*self.project.warnings, *kept]))
        later = (renderer.units, found, verdict.flagged)
        return _Rendered(output, problems, tuple(accepted), later)

    @property
    def output(self) -> Output:
        """The rendered files, and the objects emitted directly (see :class:`Output`)."""
        return self._rendered.output

    @property
    def files(self) -> Mapping[str, str]:
        """``{path under the rendered folder: text}`` (validated: see :attr:`problems`)."""
        return self._rendered.output.files

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The input's warnings, then every problem of the rendered files, sorted."""
        return self._rendered.problems

    @property
    def accepted(self) -> tuple[Accepted, ...]:
        """The warnings left out of :attr:`problems` because an ``accept:`` entry accepts them."""
        return self._rendered.accepted

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a write."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are only reported."""
        return [p for p in self.problems if p.severity == "warning"]

    def only(self, environments: Sequence[str]) -> Build:
        """This build narrowed to ``environments`` (the same project: nothing is loaded again;
        what it renders is rendered on first use, like any build's)."""
        names = _chosen(self.project, environments)
        return dataclasses.replace(self, environments=names, scope=names)

    def raise_for_errors(self) -> None:
        """Raise OutputError with every problem (warnings too) when there is an error."""
        if self.errors:
            raise OutputError(self.problems)

    def remember(self) -> None:
        """Record this build's clean files in its memo (nothing without one). Files not yet
        emitted are emitted for their digests: call it after the files were written or
        compared, which emits the ones the memo did not know."""
        if self.memo is None:
            return
        units, found, flagged = self._rendered.later
        remember(self.memo, self._rendered.output, found, flagged, units)


def build(
    inputs: Inputs,
    environments: Sequence[str] | None = None,
    *,
    crds: CrdSchemas | None = None,
    on_environment: Progress | None = None,
    memo: Memo | None = None,
) -> Build:
    """Load the project of ``inputs`` for ``environments`` (default: every one).

    Raises InputError when the input is invalid and UsageError for an unknown environment;
    rendering and validation happen on first use of the result's ``files`` or ``problems``.
    ``memo``: see :attr:`Build.memo` (ignored with ``crds``, which it does not key on)."""
    memo = memo if crds is None else None
    project = load(inputs, memo)
    if not environments:
        names = tuple(project.config.environments)
        return Build(inputs, project, names, None, crds, on_environment, memo)
    names = _chosen(project, environments)
    return Build(inputs, project, names, names, crds, on_environment, memo)


def _chosen(project: Project, environments: Sequence[str]) -> tuple[str, ...]:
    """``environments`` without repeats; UsageError for one the project does not have."""
    known = project.config.environments
    unknown = [name for name in environments if name not in known]
    if unknown:
        raise UsageError(f"unknown environment {unknown[0]!r}; choose from: {', '.join(known)}")
    return tuple(dict.fromkeys(environments))
