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


def test_an_imported_edition_is_a_draft_in_a_folder_like_new_makes(tmp_path: Path) -> None:
    """It stays out of the archive, the feed and `publish` until the writer says it is ready."""
    import os

    from folio.build import build
    from folio.content import load_edition
    from folio.scaffold import new_edition

    content = tmp_path / "content"
    made = new_edition(content, "ready-2026")
    report = import_draft(HARBOUR, content, "harbour")
    assert load_edition(report.edition).config.draft is True
    assert "`draft: true`" in str(report)
    assert report.edition.stat().st_mode & 0o777 == made.stat().st_mode & 0o777
    mask = os.umask(0o022)
    os.umask(mask)
    assert report.edition.stat().st_mode & 0o777 == 0o777 & ~mask  # 0o755, not mkdtemp's 0o700
    for _result in build(content=content, out=tmp_path / "build", formats=["web"]):
        pass
    archive = (tmp_path / "build" / "index.html").read_text()
    assert "ready-2026" in archive and "harbour/" not in archive
