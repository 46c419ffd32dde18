"""Review with Word: export the sample edition, edit the .docx as a reviewer would, import it.

The reviewer's edits are made in the package's XML the way Word writes them (w:ins, w:del
with a deleted paragraph mark, w:comment ranges), through python-docx and lxml.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from folio.check import check_edition
from folio.cli import main
from folio.content import load_edition
from folio.review import export_edition, import_review
from folio.review.blocks import units
from folio.review.inline import plain, spans_of

ROOT = Path(__file__).resolve().parents[2]
EDITION = "reflections-2025"
DATE = "2026-01-05T10:00:00Z"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content" / EDITION, tmp_path / "content" / EDITION)
    shutil.copytree(ROOT / "content" / "february-2026", tmp_path / "content" / "february-2026")
    return tmp_path / "content"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def paragraph(document, start: str):
    found = [p for p in document.paragraphs if p.text.startswith(start)]
    assert len(found) == 1, start
    return found[0]


def text_element(text: str, deleted: bool = False):
    node = OxmlElement("w:delText" if deleted else "w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = text
    return node


def tracked(kind: str, change_id: int):
    mark = OxmlElement(f"w:{kind}")
    mark.set(qn("w:id"), str(change_id))
    mark.set(qn("w:author"), "A. Reviewer")
    mark.set(qn("w:date"), DATE)
    return mark


def tracked_insertion(para, before: str, inserted: str) -> None:
    """Insert `inserted` before the words `before`, as a tracked insertion (w:ins)."""
    run = next(r for r in para.runs if before in r.text)
    head, tail = run.text.split(before, 1)
    run.text = head
    insertion = tracked("ins", 901)
    new_run = OxmlElement("w:r")
    new_run.append(text_element(inserted))
    insertion.append(new_run)
    rest = OxmlElement("w:r")
    rest.append(text_element(before + tail))
    run._r.addnext(insertion)
    insertion.addnext(rest)


def tracked_deletion_of_paragraph(para) -> None:
    """Delete a whole paragraph with its mark, as Word tracks it."""
    for run in list(para._p.iter(qn("w:r"))):
        for node in run.findall(qn("w:t")):
            node.tag = qn("w:delText")
        deletion = tracked("del", 902)
        run.addprevious(deletion)
        deletion.append(run)
    properties = para._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    mark.append(tracked("del", 903))
    properties.append(mark)


def review(path: Path, out: Path) -> None:
    """Make the reviewer's six kinds of edit in the exported document; save it as `out`."""
    document = docx.Document(str(path))
    tracked_insertion(paragraph(document, "This edition gathers"), "highlights", "main ")
    tracked_deletion_of_paragraph(paragraph(document, "In November, we appeared"))
    dates = paragraph(document, "Dates are provisional")
    dates.runs[0].text = dates.runs[0].text.replace("may change", "may still change")
    paragraph(document, "We also hosted a webinar").insert_paragraph_before(
        "The meetings were chaired by members in turn.")
    views = paragraph(document, "Their views are not an optional extra")
    document.add_comment(views.runs, text="Please name the countries.", author="A. Reviewer",
                         initials="AR")
    may = paragraph(document, "May:")
    bold, rest = may.runs[0], may.runs[1]
    assert bold.bold and bold.text == "May:"
    bold.text = "In May"  # the edit runs across the bold word and the plain words after it
    rest.text = rest.text.replace(" we published", ", we published", 1)
    document.save(str(out))


EXPECTED = {
    "01-introduction.md": ("This edition gathers the highlights.",
                           "This edition gathers the main highlights."),
    "08-evolving-threats.md": ("In November, we appeared on BBC CrimeWatch Live, raising "
                               "awareness of these risks with a wide audience.\n\n", ""),
    "10-dates-for-2026.md": ("Dates are provisional and may change.",
                             "Dates are provisional and may still change."),
    "04-convening-members.md": ("\n\nWe also hosted a webinar",
                                "\n\nThe meetings were chaired by members in turn.\n\n"
                                "We also hosted a webinar"),
    "05-research.md": ("- **May:** we published", "- **In May**, we published"),
}


@pytest.fixture
def exported(content: Path, tmp_path: Path) -> tuple[Path, Path]:
    path = export_edition(EDITION, content, tmp_path / "build")
    reviewed = tmp_path / "reviewed.docx"
    review(path, reviewed)
    return path, reviewed


def expected_files(before: dict[str, bytes]) -> dict[str, bytes]:
    after = dict(before)
    for name, (old, new) in EXPECTED.items():
        text = before[name].decode()
        assert text.count(old) == 1, name
        after[name] = text.replace(old, new).encode()
    return after


def test_export_is_written_atomically_in_the_build_folder(content: Path, tmp_path: Path) -> None:
    path = export_edition(EDITION, content, tmp_path / "build")
    assert path == tmp_path / "build" / EDITION / f"{EDITION}.docx"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    again = export_edition(EDITION, content, tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()  # same edition, same bytes


def test_exactly_the_reviewers_edits_land(content: Path, exported: tuple[Path, Path]) -> None:
    folder = content / EDITION
    before = snapshot(folder)
    outcome = import_review(exported[1], EDITION, content)
    after = snapshot(folder)
    listing = after.pop("review.yaml")
    assert after == expected_files(before)
    assert outcome.edits == 5
    load_edition(folder)  # the sections still load
    assert b"Please name the countries." in listing and b"A. Reviewer" in listing


def test_the_comment_is_a_check_finding_at_its_file_and_line(
        content: Path, exported: tuple[Path, Path]) -> None:
    import_review(exported[1], EDITION, content)
    folder = content / EDITION
    found = [f for f in check_edition(folder) if f.rule == "review-comment"]
    section = folder / "06-child-and-survivor-voices.md"
    line = section.read_text().split("\n").index(
        next(x for x in section.read_text().split("\n") if x.startswith("Their views"))) + 1
    assert len(found) == 1
    assert found[0].file.endswith("06-child-and-survivor-voices.md")
    assert found[0].line == line and found[0].severity == "error"
    assert "A. Reviewer" in found[0].message and "Please name the countries." in found[0].message
    # Lines added above the paragraph: the finding follows it.
    section.write_text(section.read_text().replace("\n\nIn July,", "\n\nNew.\n\nIn July,", 1))
    moved = [f for f in check_edition(folder) if f.rule == "review-comment"]
    assert moved[0].line == line + 2
    # Deleted from the list, the comment is dealt with.
    (folder / "review.yaml").write_text("comments: []\n")
    assert not [f for f in check_edition(folder) if f.rule == "review-comment"]


def test_strict_build_refuses_while_a_comment_is_open(
        content: Path, exported: tuple[Path, Path], tmp_path: Path) -> None:
    from folio.build import build

    import_review(exported[1], EDITION, content)
    [result] = [r for r in build([EDITION], content=content, out=tmp_path / "out",
                                 formats=["web"], checks="strict") if r.edition == EDITION]
    assert not result.ok
    assert any(f.rule == "review-comment" for f in result.slips)
    assert not (tmp_path / "out" / EDITION / "index.html").exists()


def test_rejecting_the_tracked_changes_keeps_the_plain_edits(
        content: Path, exported: tuple[Path, Path]) -> None:
    folder = content / EDITION
    before = snapshot(folder)
    import_review(exported[1], EDITION, content, reject=True)
    after = snapshot(folder)
    after.pop("review.yaml")
    kept = {k: v for k, v in EXPECTED.items()
            if k not in ("01-introduction.md", "08-evolving-threats.md")}
    expected = dict(before)
    for name, (old, new) in kept.items():
        expected[name] = before[name].decode().replace(old, new).encode()
    assert after == expected


def test_dry_run_prints_a_diff_and_writes_nothing(
        content: Path, exported: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder = content / EDITION
    before = snapshot(folder)
    status = main(["import", str(exported[1]), "--into", EDITION, "--content", str(content),
                   "--dry-run"])
    out = capsys.readouterr().out
    assert status == 0
    assert snapshot(folder) == before
    assert "-Dates are provisional and may change." in out
    assert "+Dates are provisional and may still change." in out
    assert "+++ b/" in out and "review.yaml" in out


def test_a_conflict_is_refused_with_nothing_written(
        content: Path, exported: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder = content / EDITION
    section = folder / "10-dates-for-2026.md"
    section.write_text(section.read_text().replace("Dates are provisional",
                                                   "All dates are provisional"))
    before = snapshot(folder)
    status = main(["import", str(exported[1]), "--into", EDITION, "--content", str(content)])
    err = capsys.readouterr().err
    assert status == 1
    assert snapshot(folder) == before
    line = section.read_text().split("\n").index(
        next(x for x in section.read_text().split("\n") if x.startswith("All dates"))) + 1
    assert f"10-dates-for-2026.md, line {line}:" in err
    assert "All dates are provisional and may change." in err  # the file's version
    assert "Dates are provisional and may still change." in err  # the reviewer's
    assert "--force" in err and "Traceback" not in err

    assert main(["import", str(exported[1]), "--into", EDITION, "--content", str(content),
                 "--force"]) == 0
    assert "Dates are provisional and may still change." in section.read_text()


def test_markdown_changes_the_reviewer_did_not_touch_are_kept(
        content: Path, exported: tuple[Path, Path]) -> None:
    folder = content / EDITION
    section = folder / "04-convening-members.md"
    edited = section.read_text().replace("The Alliance now brings", "Today the Alliance brings")
    section.write_text(edited)
    import_review(exported[1], EDITION, content)
    text = section.read_text()
    assert "Today the Alliance brings" in text
    assert "The meetings were chaired by members in turn." in text


def test_a_document_that_is_not_an_export_of_this_edition_is_refused(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain_document = tmp_path / "draft.docx"
    document = docx.Document()
    document.add_paragraph("Some text from elsewhere.")
    document.save(str(plain_document))
    other = export_edition("february-2026", content, tmp_path / "build")
    before = snapshot(content)
    for path in (plain_document, other):
        assert main(["import", str(path), "--into", EDITION, "--content", str(content)]) == 1
        err = capsys.readouterr().err
        assert f"import {path.name} --name NEW" in err and "Traceback" not in err
    assert "february-2026" in err
    assert snapshot(content) == before


def test_import_needs_one_of_name_and_into(content: Path, exported: tuple[Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(exported[1]), "--content", str(content)]) == 1
    assert "--name" in capsys.readouterr().err


def test_a_package_with_a_dtd_is_refused(content: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = export_edition(EDITION, content, tmp_path / "build")
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>', 1)
            target.writestr(info, data)
    assert main(["import", str(hostile), "--into", EDITION, "--content", str(content)]) == 1
    assert "entities" in capsys.readouterr().err


def test_the_export_reads_as_the_edition(content: Path, tmp_path: Path) -> None:
    path = export_edition(EDITION, content, tmp_path / "build")
    document = docx.Document(str(path))
    edition = load_edition(content / EDITION)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.meta.title for s in edition.sections]
    assert document.styles["Normal"].font.name == "Lato"
    assert document.styles["Heading 1"].font.name == "Source Serif Pro"
    assert str(document.styles["Heading 1"].font.color.rgb) == "0A5C8A"
    quote = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quote == [edition.sections[6].meta.quote]
    figures = document.tables[0]
    assert [c.text for c in figures.rows[0].cells] == ["345", "members worldwide"]
    described = {e.get("descr") for e in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")}
    assert edition.sections[4].meta.image_alt in described
    links = {r.target_ref for r in document.part.rels.values() if r.is_external}
    assert {"https://www.weforum.org", "https://example.org/webinars/"} <= links
    # Every paragraph with words is tied to its section, invisibly (a hidden bookmark).
    for para in document.paragraphs:
        if para.text.strip():
            names = [b.get(qn("w:name")) for b in para._p.iter(qn("w:bookmarkStart"))]
            assert any(re.match(r"_folio_\d+", n) for n in names), para.text


def test_pandoc_reads_every_sections_words(content: Path, tmp_path: Path) -> None:
    path = export_edition(EDITION, content, tmp_path / "build")
    done = subprocess.run(["pandoc", str(path), "-t", "plain", "--wrap=none"],
                          capture_output=True, text=True, timeout=120, check=True)
    words = set(re.findall(r"\w+", done.stdout))
    for section in load_edition(content / EDITION).sections:
        text = section.path.read_text()
        expected = set(re.findall(r"\w+", section.meta.title))
        for unit in units(text):
            if unit.editable:
                expected |= set(re.findall(r"\w+", plain(spans_of(unit.inline, {}))))
        assert expected <= words, (section.path.name, expected - words)
    assert hashlib.sha256(path.read_bytes()).hexdigest()  # python-docx read it above too


def test_an_unreadable_review_list_is_a_finding_not_a_crash(content: Path) -> None:
    folder = content / EDITION
    (folder / "review.yaml").write_text("comments: [unclosed\n")
    found = [f for f in check_edition(folder) if f.rule == "review-comment"]
    assert len(found) == 1 and found[0].file.endswith("review.yaml")
    assert "cannot be read" in found[0].message
    (folder / "review.yaml").write_text("comments:\n- file: ../../etc/passwd\n  line: 1\n"
                                        "  author: X\n  comment: Y\n")
    found = [f for f in check_edition(folder) if f.rule == "review-comment"]
    assert "not a file of the edition" in found[0].message


def test_the_export_command_and_a_new_edition_from_an_export(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from folio.importers import import_draft

    assert main(["export", EDITION, "--content", str(content), "--out",
                 str(tmp_path / "build")]) == 0
    assert f"--into {EDITION}" in capsys.readouterr().out
    path = tmp_path / "build" / EDITION / f"{EDITION}.docx"
    import_draft(path, content, "copy-2025")  # `import --name` still reads it as a draft
    copied = load_edition(content / "copy-2025")
    assert "_folio_" not in "".join(s.body for s in copied.sections)
    assert "This edition gathers the highlights." in "".join(s.body for s in copied.sections)


def test_options_of_the_other_mode_are_refused(content: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "x.docx", "--into", EDITION, "--language", "fr",
                 "--content", str(content)]) == 1
    assert "--language goes with --name" in capsys.readouterr().err
    assert main(["import", "x.docx", "--name", "new-one", "--dry-run",
                 "--content", str(content)]) == 1
    assert "--dry-run goes with --into" in capsys.readouterr().err
