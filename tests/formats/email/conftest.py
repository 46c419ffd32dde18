"""Fixtures shared by the tests in this folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build
from tests.formats.email.helpers import (
    ROOT,
    SAMPLES,
    render_edition,
)


@pytest.fixture(scope="module")
def samples_rendered() -> dict[str, dict[str, bytes]]:
    return {name: render_edition(ROOT / "content" / name) for name in SAMPLES}


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("email")
    for name in SAMPLES:
        shutil.copytree(ROOT / "content" / name, project / "content" / name)
    results = list(build(SAMPLES, content=project / "content", out=project / "build",
                         formats=["email"]))
    for result in results:
        assert result.ok, result.problems
        assert result.warnings == [], result.warnings
    return project / "build"


