"""Shared fixtures for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def argo_crds_dir() -> Path:
    """The official Argo CD CRDs, kept in the workplace's shared/reference (never copied here).

    Outside the workplace the folder does not exist and tests needing it skip; under ``CI=true``
    a missing folder means CI lost its reference data, which must fail rather than pass quietly.
    """
    path = (
        Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "argo-cd-crds"
    ).resolve()
    if not path.is_dir():
        reason = (
            f"official Argo CD CRDs not found at {path}: "
            "they live in the workplace's shared/reference"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path
