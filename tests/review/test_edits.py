"""Review with Word: more of what reviewers do, one kind of edit at a time, on a small edition."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from folio.review import export_edition, import_review

SECTION = """\
---
title: News
layout: quote
quote: We were there.
---

First paragraph with a [link](https://example.org/a) in it.

Second paragraph, about *the year*.

- one;
- two;
- three.

Last paragraph.[^n]

[^n]: The note's text.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "small"
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text("title: Small\norganisation: Us\ndate: 2026-01-01\n"
                                         "language: en-GB\n")
    (folder / "01-news.md").write_text(SECTION)
    return tmp_path / "content"


def round_trip(content: Path, tmp_path: Path, edit, **options) -> str:
    path = export_edition("small", content, tmp_path / "build")
    document = docx.Document(str(path))
    edit(document)
    reviewed = tmp_path / "reviewed.docx"
    document.save(str(reviewed))
    import_review(reviewed, "small", content, **options)
    return (content / "small" / "01-news.md").read_text()


def find(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


def test_an_untouched_export_changes_nothing(content: Path, tmp_path: Path) -> None:
    assert round_trip(content, tmp_path, lambda d: None) == SECTION


def test_a_split_paragraph_becomes_two(content: Path, tmp_path: Path) -> None:
    def split(document) -> None:
        para = find(document, "Second paragraph")
        para.runs[0].text = "Second paragraph."
        rest = copy.deepcopy(para._p)
        for bookmark in rest.findall(qn("w:bookmarkStart")):
            rest.remove(bookmark)
        rest.findall(qn("w:r"))[0].find(qn("w:t")).text = "About "
        para._p.addnext(rest)
        for run in para._p.findall(qn("w:r"))[1:]:
            para._p.remove(run)

    text = round_trip(content, tmp_path, split)
    assert text == SECTION.replace("Second paragraph, about *the year*.",
                                   "Second paragraph.\n\nAbout *the year*.")


def test_a_new_list_item_joins_its_list(content: Path, tmp_path: Path) -> None:
    text = round_trip(content, tmp_path, lambda d: find(d, "three.").insert_paragraph_before(
        "two and a half;", style="List Bullet"))
    assert text == SECTION.replace("- two;\n", "- two;\n- two and a half;\n")


def test_a_link_and_italics_added_in_word(content: Path, tmp_path: Path) -> None:
    def link(document) -> None:
        para = find(document, "Last paragraph")
        run = para.runs[0]
        run.text = "Last "
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), para.part.relate_to(
            "https://example.org/b", "http://schemas.openxmlformats.org/officeDocument/2006/"
            "relationships/hyperlink", is_external=True))
        new = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "paragraph"
        new.append(text)
        hyperlink.append(new)
        run._r.addnext(hyperlink)
        para.runs[0].italic = True

    text = round_trip(content, tmp_path, link)
    assert text == SECTION.replace("Last paragraph.[^n]\n",
                                   "*Last* [paragraph](https://example.org/b)[^n]\n")


def test_a_field_hyperlink_is_read_as_a_link(content: Path, tmp_path: Path) -> None:
    def field(document) -> None:
        para = find(document, "Last paragraph")
        para.runs[0].text = "Last "
        anchor = para.runs[0]._r
        for kind, value in (("begin", None), ("instr", ' HYPERLINK "https://example.org/c" '),
                            ("separate", None), ("text", "words"), ("end", None)):
            run = OxmlElement("w:r")
            if kind == "instr":
                node = OxmlElement("w:instrText")
                node.text = value
            elif kind == "text":
                node = OxmlElement("w:t")
                node.text = value
            else:
                node = OxmlElement("w:fldChar")
                node.set(qn("w:fldCharType"), kind)
            run.append(node)
            anchor.addnext(run)
            anchor = run

    text = round_trip(content, tmp_path, field)
    assert "Last [words](https://example.org/c)[^n]" in text


def test_a_moved_paragraph_moves(content: Path, tmp_path: Path) -> None:
    def move(document) -> None:
        last = find(document, "Last paragraph")
        first = find(document, "First paragraph")
        first._p.addprevious(last._p)  # cut and paste, bookmark and all

    text = round_trip(content, tmp_path, move)
    assert text == SECTION.replace("Last paragraph.[^n]\n\n", "").replace(
        "---\n\nFirst", "---\n\nLast paragraph.[^n]\n\nFirst")


def test_the_footnote_text_and_the_quote(content: Path, tmp_path: Path) -> None:
    def edit(document) -> None:
        find(document, "1 The note").runs[-1].text = "The note's new text."
        find(document, "We were there").runs[0].text = "We were not there."

    path = export_edition("small", content, tmp_path / "build")
    assert find(docx.Document(str(path)), "1 The note")  # a number where Markdown has [^n]
    text = round_trip(content, tmp_path, edit)
    assert text == SECTION.replace("[^n]: The note's text.", "[^n]: The note's new text.")


def test_deleting_a_list_item_and_the_last_paragraph(content: Path, tmp_path: Path) -> None:
    def delete(document) -> None:
        for start in ("two;", "1 The note"):
            para = find(document, start)
            para._p.getparent().remove(para._p)

    text = round_trip(content, tmp_path, delete)
    assert text == SECTION.replace("- two;\n", "").replace("\n[^n]: The note's text.\n", "")


def test_comments_on_a_title_and_on_an_added_paragraph(content: Path, tmp_path: Path) -> None:
    def comment(document) -> None:
        document.add_comment(find(document, "News").runs, text="A better title?", author="T")
        added = find(document, "Second paragraph").insert_paragraph_before("Added words.")
        document.add_comment(added.runs, text="Source?", author="S")

    text = round_trip(content, tmp_path, comment)
    listing = (content / "small" / "review.yaml").read_text()
    lines = text.split("\n")
    assert f"line: {lines.index('Added words.') + 1}\n  author: S" in listing
    assert f"line: {lines.index('title: News') + 1}\n  author: T" in listing


def test_a_right_to_left_edition_reads_right_to_left(content: Path, tmp_path: Path) -> None:
    yaml_file = content / "small" / "edition.yaml"
    yaml_file.write_text(yaml_file.read_text().replace("en-GB", "ar"))
    path = export_edition("small", content, tmp_path / "build")
    normal = docx.Document(str(path)).styles["Normal"].element
    assert normal.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert normal.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == "ar"


def test_a_paragraph_typed_before_another_that_took_its_tie(content: Path,
                                                            tmp_path: Path) -> None:
    def before(document) -> None:
        para = find(document, "Second paragraph")
        new = para.insert_paragraph_before("A paragraph before the second.")._p
        for bookmark in para._p.findall(qn("w:bookmarkStart")):  # as Word may leave it
            new.insert(0, bookmark)

    text = round_trip(content, tmp_path, before)
    assert text == SECTION.replace("Second paragraph,",
                                   "A paragraph before the second.\n\nSecond paragraph,")


@pytest.mark.parametrize("reject", [False, True])
def test_a_tracked_formatting_change(content: Path, tmp_path: Path, reject: bool) -> None:
    def embolden(document) -> None:
        run = find(document, "Second paragraph").runs[0]
        run.bold = True
        change = OxmlElement("w:rPrChange")
        change.set(qn("w:id"), "7")
        change.set(qn("w:author"), "R")
        change.append(OxmlElement("w:rPr"))
        run._r.get_or_add_rPr().append(change)

    text = round_trip(content, tmp_path, embolden, reject=reject)
    assert text == (SECTION if reject else SECTION.replace(
        "Second paragraph, about", "**Second paragraph, about**"))


@pytest.mark.parametrize("reject", [False, True])
def test_a_tracked_move(content: Path, tmp_path: Path, reject: bool) -> None:
    def move(document) -> None:
        last = find(document, "Last paragraph")
        copied = copy.deepcopy(last._p)
        for bookmark in copied.findall(qn("w:bookmarkStart")):
            copied.remove(bookmark)
        for paragraph, kind in ((last._p, "moveFrom"), (copied, "moveTo")):
            for run in paragraph.findall(qn("w:r")):
                wrapper = OxmlElement(f"w:{kind}")
                wrapper.set(qn("w:id"), "5")
                wrapper.set(qn("w:author"), "M")
                run.addprevious(wrapper)
                wrapper.append(run)
            mark = OxmlElement("w:rPr")
            mark.append(OxmlElement(f"w:{kind}"))
            properties = paragraph.find(qn("w:pPr"))
            if properties is None:
                properties = OxmlElement("w:pPr")
                paragraph.insert(0, properties)
            properties.append(mark)
        find(document, "First paragraph")._p.addprevious(copied)

    text = round_trip(content, tmp_path, move, reject=reject)
    assert text == (SECTION if reject else SECTION.replace("Last paragraph.[^n]\n\n", "").replace(
        "---\n\nFirst", "---\n\nLast paragraph.[^n]\n\nFirst"))


def test_word_splitting_runs_and_marking_spelling_changes_nothing(content: Path,
                                                                    tmp_path: Path) -> None:
    def resave_like_word(document) -> None:
        body = document.element.body
        for paragraph in body.iter(qn("w:p")):
            paragraph.set(qn("w:rsidR"), "00A1B2C3")
            for run in list(paragraph.iter(qn("w:r"))):
                node = run.find(qn("w:t"))
                if node is None or len(node.text or "") < 2:
                    continue
                twin = copy.deepcopy(run)
                half = len(node.text) // 2
                twin.find(qn("w:t")).text = node.text[half:]
                twin.find(qn("w:t")).set(qn("xml:space"), "preserve")
                node.text = node.text[:half]
                node.set(qn("xml:space"), "preserve")
                run.addnext(twin)
                spelling = OxmlElement("w:proofErr")
                spelling.set(qn("w:type"), "spellStart")
                run.addnext(spelling)
                twin.find(qn("w:t")).addprevious(OxmlElement("w:lastRenderedPageBreak"))

    path = export_edition("small", content, tmp_path / "build")
    document = docx.Document(str(path))
    resave_like_word(document)
    document.save(str(tmp_path / "resaved.docx"))
    outcome = import_review(tmp_path / "resaved.docx", "small", content)
    assert outcome.edits == 0 and not outcome.changes
    assert (content / "small" / "01-news.md").read_text() == SECTION


def test_importing_the_same_document_twice_changes_nothing_more(content: Path,
                                                                 tmp_path: Path) -> None:
    def edit(document) -> None:
        find(document, "Second paragraph").runs[0].text = "Second paragraph, all about "
        find(document, "three.").insert_paragraph_before("two and a half;", style="List Bullet")
        document.add_comment(find(document, "First").runs, text="Check.", author="C")

    once = round_trip(content, tmp_path, edit)
    import_review(tmp_path / "reviewed.docx", "small", content)
    assert (content / "small" / "01-news.md").read_text() == once
    listing = (content / "small" / "review.yaml").read_text()
    assert listing.count("Check.") == 1


def test_a_file_with_windows_line_ends_and_a_bom_keeps_them(content: Path,
                                                             tmp_path: Path) -> None:
    section = content / "small" / "01-news.md"
    section.write_bytes(b"\xef\xbb\xbf" + SECTION.replace("\n", "\r\n").encode())
    text = round_trip(content, tmp_path, lambda d: setattr(
        find(d, "Second paragraph").runs[0], "text", "Second paragraph, all about "))
    data = section.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\ntitle: News\r\n")
    assert data.count(b"\r\n") == SECTION.count("\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert "Second paragraph, all about *the year*." in text


TABLE = """
| Country | Measure |
| --- | --- |
| Brazil | Digital *Statute* |
| Chile | a \\| b |
"""


def test_a_table_cell_edit_rewrites_its_row_only(content: Path, tmp_path: Path) -> None:
    section = content / "small" / "01-news.md"
    section.write_text(SECTION + TABLE)

    def edit(document) -> None:
        cell = document.tables[0].rows[1].cells[0]
        cell.paragraphs[0].runs[0].text = "Brasil"

    text = round_trip(content, tmp_path, edit)
    assert text == SECTION + TABLE.replace("| Brazil | Digital *Statute* |",
                                           "| Brasil | Digital *Statute* |")


def test_a_row_added_to_a_table_is_not_applied_but_said(content: Path, tmp_path: Path) -> None:
    section = content / "small" / "01-news.md"
    section.write_text(SECTION + TABLE)
    path = export_edition("small", content, tmp_path / "build")
    document = docx.Document(str(path))
    document.tables[0].add_row().cells[0].text = "Peru"
    document.save(str(tmp_path / "reviewed.docx"))
    outcome = import_review(tmp_path / "reviewed.docx", "small", content)
    assert section.read_text() == SECTION + TABLE
    assert any("changed a table" in note and "line 19" in note for note in outcome.notes)
