"""Tests of writing a draft as an edition: its kind, the report, replacing and refusing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from folio.content import load_edition
from folio.errors import FolioError
from folio.importers import import_draft
from tests.importers.conftest import HARBOUR


def test_long_draft_is_an_annual_review(tmp_path: Path) -> None:
    draft = tmp_path / "long.txt"
    paragraph = "This sentence has exactly eight words in it. " * 25
    draft.write_text("A long year\n\n" + "\n".join([paragraph] * 8), encoding="utf-8")
    report = import_draft(draft, tmp_path / "content", "long")
    assert report.kind == "annual-review"
    assert load_edition(tmp_path / "content" / "long").config.kind == "annual-review"


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    content = tmp_path / "content"
    import_draft(HARBOUR, content, "harbour")
    marker = content / "harbour" / "01-introduction.md"
    marker.write_text(marker.read_text() + "\nEdited by hand.\n")
    with pytest.raises(FolioError, match=r"already exists.*--force"):
        import_draft(HARBOUR, content, "harbour")
    assert "Edited by hand." in marker.read_text()
    import_draft(HARBOUR, content, "harbour", force=True)
    assert "Edited by hand." not in marker.read_text()
    assert sorted(p.name for p in content.iterdir()) == ["harbour"]


def test_force_replaces_a_bigger_edition_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "news").mkdir(parents=True)
    (content / "news" / "07-old.md").write_text("---\ntitle: Old\n---\n")
    import_draft(HARBOUR, content, "news", force=True)
    assert not (content / "news" / "07-old.md").exists()
    load_edition(content / "news")


def test_empty_draft(tmp_path: Path) -> None:
    draft = tmp_path / "empty.txt"
    draft.write_text("\n\n   \n")
    with pytest.raises(FolioError, match="no text"):
        import_draft(draft, tmp_path / "content", "empty")


def test_report_lists_sections(tmp_path: Path) -> None:
    report = import_draft(HARBOUR, tmp_path / "content", "harbour")
    text = str(report)
    assert re.search(r"01-introduction\.md\s+Introduction", text)
    assert "05-looking-ahead.md" in text and "Your" not in text.split("\n")[0]
