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


def test_language_is_written_into_the_edition(tmp_path: Path) -> None:
    from folio.content import load_edition

    draft = tmp_path / "bilan.md"
    draft.write_text("# Bilan 2025\n\n## Introduction\n\nNous avons organisé une réunion.\n",
                     encoding="utf-8")
    report = import_draft(draft, tmp_path / "content", "bilan", language="fr")
    assert "language: fr\n" in (report.edition / "edition.yaml").read_text("utf-8")
    assert load_edition(report.edition).config.language == "fr"


def test_language_from_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "generate.py"), "import", str(HARBOUR),
                           "--name", "harbour", "--language", "ar", "--content",
                           str(tmp_path / "content")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "language: ar\n" in (tmp_path / "content" / "harbour" / "edition.yaml").read_text()


@pytest.mark.parametrize("language", ["French", "fr_FR", "", "fr CA"])
def test_bad_languages(tmp_path: Path, language: str) -> None:
    with pytest.raises(FolioError, match="is not a language tag"):
        import_draft(HARBOUR, tmp_path / "content", "harbour", language=language)
