"""Tests of the Word reader: .docx drafts built with python-docx -> editions that load and check."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from folio.check import check_edition, format_findings
from folio.content import load_edition
from folio.errors import FolioError
from folio.importers import ImportReport, import_draft
from tests.importers.conftest import HARBOUR, _png, bodies, titles


def make_docx(path: Path) -> Path:
    """Write a Word draft with every feature the importer handles (python-docx)."""
    import docx
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Inches

    document = docx.Document()
    document.add_paragraph("Reflections 2025", style="Title")
    document.add_paragraph("A year of shared progress", style="Subtitle")
    opening = document.add_paragraph("An opening with ")
    opening.add_run("bold").bold = True
    opening.add_run(" and ")
    opening.add_run("italic").italic = True
    opening.add_run(" words.")

    document.add_heading("International momentum", level=1)
    commented = document.add_paragraph("More than 1,000 leaders took part.")
    document.add_comment(commented.runs, text="Check this figure", author="Ann Bell",
                         initials="AB")
    linked = document.add_paragraph("Read ")
    rid = document.part.relate_to("https://example.org/report", RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)
    linked._p.append(parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r>'
                               "<w:t>the Global Threat Assessment</w:t></w:r></w:hyperlink>"))
    linked.add_run(".")
    document.add_paragraph("first point", style="List Bullet")
    document.add_paragraph("second point", style="List Bullet")
    document.add_paragraph("step one", style="List Number")
    document.add_paragraph("step two", style="List Number")
    document.add_heading("Policy", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Country", "Measure"), ("Brazil", "Digital Statute"),
                                 ("Australia", "Social media delay")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    document.add_heading("Details", level=3)
    noted = document.add_paragraph("A claim with a source")
    noted.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    noted.add_run(" in the text.")

    document.add_heading("Research", level=1)
    changed = document.add_paragraph("The report was ")
    changed._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="11" w:author="Bo Chen" w:date="2025-05-01T00:00:00Z">'
        "<w:r><w:t>warmly </w:t></w:r></w:ins>"))
    changed._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="12" w:author="Bo Chen" w:date="2025-05-01T00:00:00Z">'
        "<w:r><w:delText>coldly </w:delText></w:r></w:del>"))
    changed.add_run("received.")
    described = document.add_picture(io.BytesIO(_png((10, 90, 140))), width=Inches(1))
    described._inline.docPr.set("descr", "A timeline of the research year")
    document.add_picture(io.BytesIO(_png((240, 170, 0))), width=Inches(1))

    notes = (f'<w:footnotes {nsdecls("w")}>'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
             "<w:continuationSeparator/></w:r></w:p></w:footnote>"
             '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r>'
             '<w:t xml:space="preserve"> Global Threat Assessment 2025, page 12.</w:t></w:r>'
             "</w:p></w:footnote></w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES,
                notes.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(str(path))
    return path


@pytest.fixture
def word_edition(tmp_path: Path) -> tuple[Path, ImportReport]:
    draft = make_docx(tmp_path / "review.docx")
    report = import_draft(draft, tmp_path / "content", "review-2025")
    return tmp_path / "content" / "review-2025", report


def test_docx_sections_and_settings(word_edition: tuple[Path, ImportReport]) -> None:
    folder, _ = word_edition
    edition = load_edition(folder)
    config = edition.config
    assert (config.title, config.subtitle) == ("Reflections 2025", "A year of shared progress")
    assert config.organisation == "Your organisation" and config.language == "en-US"
    assert config.date == datetime.date.today() and config.kind == "newsletter"
    assert [s.path.name for s in edition.sections] == [
        "01-introduction.md", "02-international-momentum.md", "03-research.md"]
    assert "change this" in (folder / "edition.yaml").read_text()


def test_docx_keeps_formatting(word_edition: tuple[Path, ImportReport]) -> None:
    folder, _ = word_edition
    text = bodies(folder)
    assert text["01-introduction.md"] == "An opening with **bold** and *italic* words."
    momentum = text["02-international-momentum.md"]
    assert "[the Global Threat Assessment](https://example.org/report)" in momentum
    assert "- first point\n- second point" in momentum
    assert "1. step one\n2. step two" in momentum
    assert "| Country | Measure |\n| --- | --- |\n| Brazil | Digital Statute |" in momentum
    assert "\n# Policy\n" in momentum and "\n## Details\n" in momentum
    assert "A claim with a source[^1] in the text." in momentum
    assert momentum.rstrip().endswith("[^1]: Global Threat Assessment 2025, page 12.")


def test_docx_pictures_comments_and_changes(word_edition: tuple[Path, ImportReport]) -> None:
    folder, report = word_edition
    research = bodies(folder)["03-research.md"]
    assert "The report was warmly received." in research
    assert "coldly" not in research
    assert "![A timeline of the research year](images/image-1.png)" in research
    assert "![](images/image-2.png)" in research
    assert sorted(p.name for p in (folder / "images").iterdir()) == ["image-1.png",
                                                                      "image-2.png"]
    assert report.missing_alt == [("image-2.png", "03-research.md")]
    assert report.comments == ['Ann Bell on "More than 1,000 leaders took part.": '
                               '"Check this figure"']
    assert report.changes == ['insertion by Bo Chen: "warmly"', 'deletion by Bo Chen: "coldly"']
    assert "Check this figure" not in "".join(bodies(folder).values())
    text = str(report)
    for expected in ("03-research.md", "NO ALT TEXT", "Ann Bell", "Bo Chen", "image-1.png",
                     "check review-2025"):
        assert expected in text


def test_docx_import_checks_with_real_slips_only(word_edition: tuple[Path, ImportReport]) -> None:
    folder, _ = word_edition
    findings = check_edition(folder)
    assert sorted((f.rule, Path(f.file).name) for f in findings) == [
        ("email-images", "edition.yaml"), ("image-alt", "03-research.md"),
        ("placeholder", "edition.yaml")], format_findings(findings, "text")


def test_docx_external_file_access_stays_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    import mammoth

    seen: dict[str, object] = {}
    real = mammoth.convert_to_html

    def spy(*args: object, **kwargs: object) -> object:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(mammoth, "convert_to_html", spy)
    import_draft(make_docx(tmp_path / "d.docx"), tmp_path / "content", "d")
    assert seen["external_file_access"] is False


@pytest.mark.parametrize("data", [b"not a word file at all", b"PK\x03\x04broken zip",
                                  b""])
def test_unreadable_docx(tmp_path: Path, data: bytes) -> None:
    draft = tmp_path / "broken.docx"
    draft.write_bytes(data)
    with pytest.raises(FolioError, match="not a Word document"):
        import_draft(draft, tmp_path / "content", "broken")
    assert not (tmp_path / "content" / "broken").exists()


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    draft = tmp_path / "archive.docx"
    with zipfile.ZipFile(draft, "w") as package:
        package.writestr("hello.txt", "hello")
    with pytest.raises(FolioError, match="not a Word document"):
        import_draft(draft, tmp_path / "content", "archive")


def make_harbour_docx(path: Path) -> Path:
    """Write the harbour year-in-review as a Word document, styled as an editor would."""
    import docx

    document = docx.Document()
    lines = [line for line in HARBOUR.read_text(encoding="utf-8").split("\n") if line.strip()]
    document.add_paragraph(lines[0], style="Title")
    headings = {"A growing network", "Research and learning", "Money and governance",
                "Looking ahead"}
    rows = [line.split("\t") for line in lines if "\t" in line and not line.startswith("•")]
    for line in lines[1:]:
        if line in headings:
            document.add_heading(line, level=1)
        elif line.startswith("•\t"):
            document.add_paragraph(line[2:], style="List Bullet")
        elif "\t" in line:
            if line.split("\t") == rows[0]:
                table = document.add_table(rows=len(rows), cols=len(rows[0]))
                for r, cells in enumerate(rows):
                    for c, text in enumerate(cells):
                        table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def test_real_year_in_review_word_draft(tmp_path: Path) -> None:
    draft = make_harbour_docx(tmp_path / "harbour.docx")
    import_draft(draft, tmp_path / "content", "harbour")
    folder = tmp_path / "content" / "harbour"
    assert titles(folder) == ["Introduction", "A growing network", "Research and learning",
                              "Money and governance", "Looking ahead"]
    research = bodies(folder)["03-research-and-learning.md"]
    assert "| Town | Groups | Young people |\n| --- | --- | --- |\n| Falmouth | 32 | 1,450 |" in (
        research)
    findings = check_edition(folder)
    assert [(f.rule, Path(f.file).name) for f in findings] == [
        ("placeholder", "edition.yaml"), ("link-text", "03-research-and-learning.md")], (
        format_findings(findings, "text"))
