"""Fixtures shared by the tests in this folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.formats.pdf.helpers import (
    ROOT,
    build_pdf,
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfReader]:
    """The shipped reflections-2025 sample, built once with --keep-html."""
    project = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content" / "reflections-2025", project / "content" / "reflections-2025")
    path = build_pdf(project, "reflections-2025", keep_html=True)
    return project, PdfReader(path)


@pytest.fixture(scope="module")
def mini_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfReader]:
    """The `mini` fixture edition (every layout), built once."""
    project = tmp_path_factory.mktemp("mini")
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini", project / "content" / "mini")
    return project, PdfReader(build_pdf(project))
