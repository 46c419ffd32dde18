"""`import --force` keeps the old edition until the new one is complete, and puts it back
when the swap fails."""

from __future__ import annotations

from pathlib import Path

import pytest

import folio.importers.write as write
from folio.errors import FolioError
from folio.importers import import_draft
from tests.importers.conftest import HARBOUR


def old_edition(content: Path) -> dict[str, bytes]:
    """Write an edition by hand and return its files."""
    folder = content / "harbour"
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text("title: Written by hand\n")
    (folder / "01-old.md").write_text("---\ntitle: Old\n---\nKeep me.\n")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_the_old_edition_is_there_while_the_new_one_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    before = old_edition(content)
    seen: list[dict[str, bytes]] = []
    real_load = write.load_edition

    def load_and_look(folder: Path):
        seen.append(snapshot(content / "harbour"))  # the moment the new one is complete
        return real_load(folder)

    monkeypatch.setattr(write, "load_edition", load_and_look)
    import_draft(HARBOUR, content, "harbour", force=True)
    assert seen == [before]
    assert "01-introduction.md" in snapshot(content / "harbour")
    assert sorted(p.name for p in content.iterdir()) == ["harbour"]


def test_a_write_that_fails_keeps_the_old_edition(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    before = old_edition(content)
    real_write = write._write

    def disk_full(*args):
        real_write(*args)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_write", disk_full)
    with pytest.raises(FolioError, match=r"could not be written \(No space left on device\); "
                       "nothing was imported and an edition already there is unchanged"):
        import_draft(HARBOUR, content, "harbour", force=True)
    assert snapshot(content / "harbour") == before
    assert sorted(p.name for p in content.iterdir()) == ["harbour"]  # no staging left


def test_a_failed_swap_puts_the_old_edition_back(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    before = old_edition(content)
    real_rename = Path.rename

    def refuse_staging(self: Path, target):
        if self.name.startswith(".harbour-") and not self.name.endswith("-replaced"):
            raise OSError(16, "Device or resource busy")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    with pytest.raises(OSError, match="busy"):
        import_draft(HARBOUR, content, "harbour", force=True)
    assert snapshot(content / "harbour") == before
    assert sorted(p.name for p in content.iterdir()) == ["harbour"]


def test_a_draft_that_does_not_load_keeps_the_old_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from folio.errors import ContentError, Problem

    content = tmp_path / "content"
    before = old_edition(content)

    def broken(folder: Path):
        raise ContentError([Problem(folder / "edition.yaml", 1, "broken")])

    monkeypatch.setattr(write, "load_edition", broken)
    with pytest.raises(FolioError, match="bug in the importer"):
        import_draft(HARBOUR, content, "harbour", force=True)
    assert snapshot(content / "harbour") == before
    assert sorted(p.name for p in content.iterdir()) == ["harbour"]
