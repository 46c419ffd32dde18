"""Tests of writing a draft as an edition: its kind, the report, replacing and refusing."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

import folio.importers.write as write
from folio.content import MAX_SECTION_BYTES, load_edition
from folio.errors import FolioError
from folio.importers import import_draft
from folio.importers.draft import Draft, DraftSection, Picture
from folio.importers.write import ANNUAL_REVIEW_WORDS, write_edition
from tests.importers.conftest import HARBOUR, _png


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


# --- the edition written, exactly ------------------------------------------------------

LONG_TITLE = ("A title long enough that YAML would fold it onto a second line, as it runs well "
              "past eighty characters")


def draft(*sections: DraftSection, **fields) -> Draft:
    return Draft(**{"title": "Harbour news", "sections": list(sections), **fields})


def written(folder: Path) -> dict[str, str | bytes]:
    """Return every file of an edition folder: text for YAML and Markdown, else bytes."""
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") if p.suffix in (".yaml", ".md")
            else p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


DRAFT_LINES = ("# A draft: left out of the archive, the feed and `publish` until you delete\n"
               "# this line (or set it to false) once the edition is ready.\n"
               "draft: true\n")
"""How an imported edition.yaml ends: an imported edition is a draft until made ready."""


def test_the_files_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["folio"])
    picture = _png((200, 40, 40))
    report = write_edition(draft(
        DraftSection("Café opening", ["We opened the café.", "![](images/cafe.png)"]),
        DraftSection("  ", ["No title here.", '<img alt="" src="images/map.png">']),
        DraftSection("Café opening", ["Again: ![](images/cafe.png)"]),
        DraftSection(LONG_TITLE, ["Short."]),
        title="Les nouvelles du port", subtitle="  Été 2026 ", language="fr",
        pictures=[Picture("cafe.png", picture, ""), Picture("map.png", picture, "A map")],
        comments=["a comment"], changes=["a change"], notes=["a note"],
    ), tmp_path / "harbour.docx", tmp_path / "new" / "content" / "summer")
    folder = tmp_path / "new" / "content" / "summer"
    assert written(folder) == {
        "edition.yaml": (
            "# Imported from harbour.docx by `folio import`.\n"
            "# Check the title, set the organisation, and add names and acronyms to\n"
            "# `words:` so that `folio check` knows them.\n"
            "title: Les nouvelles du port\n"
            "subtitle: Été 2026\n"
            "organisation: Your organisation  # change this to the publishing organisation's "
            "name\n"
            f"date: {datetime.date.today().isoformat()}\n"
            "language: fr\n"
            "kind: newsletter\n"
            "words: []\n" + DRAFT_LINES +
            "# For the email, say where its pictures will be uploaded:\n"
            "# email:\n"
            "#   asset_base_url: https://example.org/summer/email-images/\n"),
        "01-cafe-opening.md": ("---\ntitle: Café opening\n---\n\n"
                               "We opened the café.\n\n![](images/cafe.png)\n"),
        "02-section-2.md": ('---\ntitle: Section 2\n---\n\n'
                            'No title here.\n\n<img alt="" src="images/map.png">\n'),
        "03-cafe-opening-2.md": "---\ntitle: Café opening\n---\n\nAgain: ![](images/cafe.png)\n",
        "04-a-title-long-enough-that-yaml-would.md": (
            f"---\ntitle: {LONG_TITLE}\n---\n\nShort.\n"),
        "images/cafe.png": picture,
        "images/map.png": picture,
    }
    assert report.edition == folder
    assert report.source == tmp_path / "harbour.docx"
    assert (report.title, report.kind) == ("Les nouvelles du port", "newsletter")
    # titles count, and so do the words of a picture's address (images, cafe, png)
    assert report.words == (2 + 4 + 3) + (3 + 6) + (2 + 1 + 3) + (len(LONG_TITLE.split()) + 1)
    assert report.sections == [("01-cafe-opening.md", "Café opening"),
                               ("02-section-2.md", "Section 2"),
                               ("03-cafe-opening-2.md", "Café opening"),
                               ("04-a-title-long-enough-that-yaml-would.md", LONG_TITLE)]
    assert report.pictures == [("cafe.png", ""), ("map.png", "A map")]
    assert report.missing_alt == [("cafe.png", "01-cafe-opening.md"),
                                  ("map.png", "02-section-2.md"),
                                  ("cafe.png", "03-cafe-opening-2.md")]
    assert (report.comments, report.changes, report.notes) == (["a comment"], ["a change"],
                                                                ["a note"])
    assert sorted(p.name for p in folder.parent.iterdir()) == ["summer"]  # no staging left


def test_no_subtitle_no_pictures(tmp_path: Path) -> None:
    write_edition(draft(DraftSection("One", ["Text."]), subtitle="   "), tmp_path / "a.txt",
                  tmp_path / "content" / "plain")
    settings = (tmp_path / "content" / "plain" / "edition.yaml").read_text("utf-8")
    assert "subtitle" not in settings and "email" not in settings
    assert settings.endswith("kind: newsletter\nwords: []\n" + DRAFT_LINES)
    assert not (tmp_path / "content" / "plain" / "images").exists()


@pytest.mark.parametrize("given, declared, expected", [
    ("de", "fr", "de"), (None, "fr", "fr"), (None, "", "en-GB"), ("de", "", "de"),
])
def test_the_language_written(tmp_path: Path, given: str | None, declared: str,
                              expected: str) -> None:
    write_edition(draft(DraftSection("One", ["Text."]), language=declared), tmp_path / "a.txt",
                  tmp_path / "content" / "x", language=given)
    assert load_edition(tmp_path / "content" / "x").config.language == expected


@pytest.mark.parametrize("stem, expected", [("harbour_notes--2026", "Harbour notes 2026"),
                                            ("élan", "Élan"), ("___", "Untitled edition")])
def test_a_draft_without_a_title_is_named_after_its_file(tmp_path: Path, stem: str,
                                                          expected: str) -> None:
    report = write_edition(draft(DraftSection("One", ["Text."]), title="  "),
                           tmp_path / f"{stem}.docx", tmp_path / "content" / "x")
    assert report.title == expected
    assert load_edition(tmp_path / "content" / "x").config.title == expected


def test_words_counted_and_the_kind_at_its_limit(tmp_path: Path) -> None:
    text = "Don't re-read snake_case 3.5 «café» — ok"
    report = write_edition(draft(DraftSection("Two words", [text])), tmp_path / "a.txt",
                           tmp_path / "content" / "count")
    assert report.words == 2 + 8  # don't, re-read, snake, case, 3, 5, café, ok
    body = " ".join(["word"] * (ANNUAL_REVIEW_WORDS - 1))  # the title is one more word
    at_limit = write_edition(draft(DraftSection("Title", [body])), tmp_path / "a.txt",
                             tmp_path / "content" / "at")
    assert (at_limit.words, at_limit.kind) == (ANNUAL_REVIEW_WORDS, "newsletter")
    over = write_edition(draft(DraftSection("Title", [body + " word"])), tmp_path / "a.txt",
                         tmp_path / "content" / "over")
    assert (over.words, over.kind) == (ANNUAL_REVIEW_WORDS + 1, "annual-review")


def test_at_most_99_sections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sections = [DraftSection(f"Part {n}", ["Text."]) for n in range(1, 101)]
    report = write_edition(draft(*sections[:99]), tmp_path / "big.docx",
                           tmp_path / "content" / "ok")
    assert report.sections[-1] == ("99-part-99.md", "Part 99")
    with pytest.raises(FolioError) as caught:
        write_edition(draft(*sections), tmp_path / "big.docx", tmp_path / "content" / "no")
    assert str(caught.value) == ("big.docx: the draft has 100 sections; an edition holds at "
                                 "most 99, so join some first")
    assert not (tmp_path / "content" / "no").exists()


def test_a_section_at_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    limit = MAX_SECTION_BYTES - 10_000
    fits = "é" + "a" * (limit - 2)  # counted in UTF-8 bytes, not characters
    write_edition(draft(DraftSection("Fits", [fits])), tmp_path / "big.docx",
                  tmp_path / "content" / "ok")
    assert load_edition(tmp_path / "content" / "ok").sections[0].body.strip() == fits
    title = "A part with a title of more than sixty characters, cut short here"
    for body, size in ((fits + "a", "1.0"), ("a" * 1_350_000, "1.4")):
        with pytest.raises(FolioError) as caught:
            write_edition(draft(DraftSection(title, [body])), tmp_path / "big.docx",
                          tmp_path / "content" / "no")
        assert str(caught.value) == (
            f"big.docx: the part '{title[:60]}' is {size} MB of text, over Folio's 1 MB "
            "limit for a section; add headings in the draft to split it, then import it again")
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["ok"]


def test_the_edition_is_staged_beside_its_target(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    staged: list[Path] = []
    real_load = write.load_edition

    def load(folder: Path):
        staged.append(folder)
        return real_load(folder)

    monkeypatch.setattr(write, "load_edition", load)
    write_edition(draft(DraftSection("One", ["Text."])), tmp_path / "a.txt",
                  tmp_path / "content" / "spring")
    assert len(staged) == 1
    assert staged[0].parent == tmp_path / "content"
    assert staged[0].name.startswith(".spring-")
    assert not staged[0].exists()


def test_a_replaced_edition_left_by_a_crash_is_cleared(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_edition(draft(DraftSection("Old", ["Old."])), tmp_path / "a.txt", content / "spring")
    left = content / ".spring-replaced"  # an earlier swap that was interrupted
    (left / "images").mkdir(parents=True)
    (left / "01-old.md").write_text("old")
    write_edition(draft(DraftSection("New", ["New."])), tmp_path / "a.txt", content / "spring")
    assert sorted(p.name for p in content.iterdir()) == ["spring"]
    assert [s.meta.title for s in load_edition(content / "spring").sections] == ["New"]
