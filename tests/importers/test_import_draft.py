"""Tests of `import_draft`, the entry point: which sources and edition names it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.errors import FolioError
from folio.importers import import_draft
from tests.importers.conftest import HARBOUR


@pytest.mark.parametrize(("file", "message"), [("missing.txt", "no such file"),
                                               ("draft.doc", "imports .docx, .md and .txt"),
                                               ("draft.pdf", "imports .docx, .md and .txt"),
                                               ("README", "without an extension")])
def test_bad_sources(tmp_path: Path, file: str, message: str) -> None:
    if file != "missing.txt":
        (tmp_path / file).write_text("x")
    with pytest.raises(FolioError, match=message):
        import_draft(tmp_path / file, tmp_path / "content", "x")


@pytest.mark.parametrize("name", ["../escape", "Has Spaces", "UPPER", "", "a/b", "-x"])
def test_bad_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(FolioError, match="cannot name an edition"):
        import_draft(HARBOUR, tmp_path / "content", name)
