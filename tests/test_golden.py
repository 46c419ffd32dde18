"""Golden files: the `mini` fixture's web page and email, compared byte for byte.

A change to a template or to the Markdown stage shows up here as a readable diff. When the
change is intended, refresh the expected files and review them in the commit:

    FOLIO_REFRESH_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from folio.build import build

GOLDEN = Path(__file__).resolve().parent / "golden" / "mini"
FILES = ["index.html", "email.html", "email.txt"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from tests.conftest import FIXTURES

    project = tmp_path_factory.mktemp("golden")
    shutil.copytree(FIXTURES / "content" / "mini", project / "content" / "mini")
    [result, archive] = build(content=project / "content", out=project / "build",
                              formats=["web", "email"])
    assert result.ok and archive.ok, result.problems + archive.problems
    return project / "build" / "mini"


@pytest.mark.parametrize("name", FILES)
def test_output_matches_golden_file(built: Path, name: str) -> None:
    produced = (built / name).read_text()
    expected = GOLDEN / name
    if os.environ.get("FOLIO_REFRESH_GOLDEN") == "1":
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(produced)
    assert expected.is_file(), "run with FOLIO_REFRESH_GOLDEN=1 to create the golden files"
    assert produced == expected.read_text(), (
        f"{name} differs from tests/golden/mini/{name}; if the change is intended, refresh "
        "with FOLIO_REFRESH_GOLDEN=1 python -m pytest tests/test_golden.py")
