"""Tests of `import`: Word, Markdown and plain-text drafts -> editions that load and check."""

from __future__ import annotations

import datetime
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.check import check_edition, format_findings
from folio.content import load_edition
from folio.errors import FolioError
from folio.importer import ImportReport, escape_markdown, import_draft

DRAFTS = Path(__file__).resolve().parent / "fixtures" / "drafts"
HARBOUR = DRAFTS / "harbour-2025.txt"


def bodies(folder: Path) -> dict[str, str]:
    """Return each section file's body (front matter cut off), by file name."""
    edition = load_edition(folder)
    return {s.path.name: s.body.strip() for s in edition.sections}


def titles(folder: Path) -> list[str]:
    return [s.meta.title for s in load_edition(folder).sections]


# --- Word drafts, built with python-docx ----------------------------------------------


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 12), colour).save(buffer, "PNG")
    return buffer.getvalue()


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
    assert config.organisation == "Your organisation" and config.language == "en-GB"
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


# --- Markdown drafts ------------------------------------------------------------------


def test_markdown_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "Chart One.png").write_bytes(_png((0, 0, 0)))
    draft.write_text(
        "Opening words before the title.\n\n# Spring News\n\nIntro paragraph.[^a]\n\n"
        "## First part\n\nText of the first part.\n\n### A detail\n\nMore text, with "
        "[a link][site].\n\n```\n## not a heading\n```\n\n![A chart](pics/Chart%20One.png)\n\n"
        "Second part\n-----------\n\nLast words.\n\n[^a]: The note.\n\n"
        "[site]: https://example.org/\n", encoding="utf-8")
    report = import_draft(draft, tmp_path / "content", "spring")
    folder = tmp_path / "content" / "spring"
    assert load_edition(folder).config.title == "Spring News"
    assert titles(folder) == ["Introduction", "First part", "Second part"]
    text = bodies(folder)
    assert text["01-introduction.md"].split("\n\n") == [
        "Opening words before the title.", "Intro paragraph.[^a]", "[^a]: The note."]
    first = text["02-first-part.md"]
    assert "\n# A detail\n" in first and "## not a heading" in first
    assert "[site]: https://example.org/" in first
    assert "![A chart](images/chart-one.png)" in first
    assert (folder / "images" / "chart-one.png").is_file()
    assert report.pictures == [("chart-one.png", "A chart")]
    assert text["03-second-part.md"] == "Last words."


def test_markdown_draft_with_front_matter_and_missing_picture(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle: From front matter\n---\nText.\n\n![Gone](gone.png)\n")
    report = import_draft(draft, tmp_path / "content", "fm")
    assert load_edition(tmp_path / "content" / "fm").config.title == "From front matter"
    assert any("gone.png" in note for note in report.notes)


# --- plain-text drafts --------------------------------------------------------------


def test_text_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Our Year\n\nA first paragraph before any heading.\n\nGrowing together\n"
        "We grew a lot this year.\nOur members include:\nAlpha Trust\nBeta Network\n"
        "Gamma Fund\nAll three joined in May.\n\nNumbers that matter\n\n•\tone point\n"
        "•\ttwo points\n1. first step\n"
        "2) second step\nTown\tGroups\nTruro\t4\nBude\t2\n"
        "Stars * stay text, as do _underscores_ and <tags>.\n"
        "# Not a heading, escaped, as is 2025. the year\n"
        "See https://example.org/a_b_c or mail a_b@example.org.\nThe end\n",
        encoding="utf-8")
    import_draft(draft, tmp_path / "content", "year")
    folder = tmp_path / "content" / "year"
    assert load_edition(folder).config.title == "Our Year"
    assert titles(folder) == ["Introduction", "Growing together", "Numbers that matter"]
    text = bodies(folder)
    assert text["01-introduction.md"] == "A first paragraph before any heading."
    assert text["02-growing-together.md"].split("\n\n") == [
        "We grew a lot this year.", "Our members include:", "Alpha Trust", "Beta Network",
        "Gamma Fund", "All three joined in May."]
    numbers = text["03-numbers-that-matter.md"].split("\n\n")
    assert numbers[:3] == ["- one point\n- two points", "1. first step\n2. second step",
                           "| Town | Groups |\n| --- | --- |\n| Truro | 4 |\n| Bude | 2 |"]
    assert numbers[3] == "Stars \\* stay text, as do \\_underscores\\_ and &lt;tags>."
    assert numbers[4].startswith("\\# Not a heading")
    assert numbers[5] == "See https://example.org/a_b_c or mail a_b@example.org."
    assert numbers[6] == "The end"


def test_text_draft_wrapped_by_hand(tmp_path: Path) -> None:
    draft = tmp_path / "wrapped.txt"
    draft.write_text("Spring news\n\nWe now count 212 member groups across 14 coastal towns, up\n"
                     "from 180 in 2024, and six new groups joined in the spring\n"
                     "alone.\n\nLooking ahead\n\nMore to come.\n", encoding="utf-8")
    import_draft(draft, tmp_path / "content", "wrapped")
    folder = tmp_path / "content" / "wrapped"
    assert titles(folder) == ["Introduction", "Looking ahead"]
    assert bodies(folder)["01-introduction.md"] == (
        "We now count 212 member groups across 14 coastal towns, up from 180 in 2024, and "
        "six new groups joined in the spring alone.")


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                               ("cp1252", b""), ("utf-16", b"")])
def test_text_draft_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(bom + "Café news\r\n\r\nWe met at the café – twice.\r\n".encode(encoding))
    import_draft(draft, tmp_path / "content", "cafe")
    folder = tmp_path / "content" / "cafe"
    assert load_edition(folder).config.title == "Café news"
    assert bodies(folder)["01-introduction.md"] == "We met at the café – twice."


def test_real_year_in_review_text_draft(tmp_path: Path) -> None:
    report = import_draft(HARBOUR, tmp_path / "content", "harbour")
    folder = tmp_path / "content" / "harbour"
    assert titles(folder) == ["Introduction", "A growing network", "Research and learning",
                              "Money and governance", "Looking ahead"]
    network = bodies(folder)["02-a-growing-network.md"]
    assert "- 1,200+ hours of mentoring delivered by trained volunteers" in network
    findings = check_edition(folder)
    # The only findings are the organisation to fill in and a real slip of the draft: a
    # web address written out bare.
    assert [(f.rule, Path(f.file).name) for f in findings] == [
        ("placeholder", "edition.yaml"), ("link-text", "03-research-and-learning.md")], (
        format_findings(findings, "text"))
    assert report.kind == "newsletter" and report.words > 350


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
                        table.cell(r, c).text = text
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


SLIPS = [("volunteers, partners and funders", "volunteers, partners and and funders",
          "repeated-word"),
         ("reached more young", "reached  more young", "spacing"),
         ("Six new groups", "Six new gruops", "spelling"),
         ("speakers from Kernow", "speakers fromKernow", "run-together-case"),
         ("to organise after-school", "to organize after-school", "spelling-variants"),
         ("Its findings were clear.", "Its findings were clear [JS1].", "placeholder"),
         ("We could not do it", "We couldnot do it", "run-together-words")]


def test_slips_in_a_text_draft_are_found(tmp_path: Path) -> None:
    text = HARBOUR.read_text(encoding="utf-8")
    for before, after, _ in SLIPS:
        assert before in text
        text = text.replace(before, after, 1)
    draft = tmp_path / "slips.txt"
    draft.write_text(text, encoding="utf-8")
    import_draft(draft, tmp_path / "content", "slips")
    findings = check_edition(tmp_path / "content" / "slips")
    found = sorted(f.rule for f in findings if f.rule not in ("link-text",)
                   and Path(f.file).name != "edition.yaml")
    assert found == sorted(rule for _, _, rule in SLIPS), format_findings(findings, "text")


def test_long_draft_is_an_annual_review(tmp_path: Path) -> None:
    draft = tmp_path / "long.txt"
    paragraph = "This sentence has exactly eight words in it. " * 25
    draft.write_text("A long year\n\n" + "\n".join([paragraph] * 8), encoding="utf-8")
    report = import_draft(draft, tmp_path / "content", "long")
    assert report.kind == "annual-review"
    assert load_edition(tmp_path / "content" / "long").config.kind == "annual-review"


# --- refusing, replacing and failing -------------------------------------------------


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


def test_empty_draft(tmp_path: Path) -> None:
    draft = tmp_path / "empty.txt"
    draft.write_text("\n\n   \n")
    with pytest.raises(FolioError, match="no text"):
        import_draft(draft, tmp_path / "content", "empty")


def test_escape_markdown_round_trips_plain_words() -> None:
    assert escape_markdown("Plain words, 2023–2025; 18,000+.") == "Plain words, 2023–2025; 18,000+."
    assert escape_markdown("5 * 3 = 15") == "5 \\* 3 = 15"
    assert escape_markdown("- not a list") == "\\- not a list"


# --- nothing is lost: every paragraph in exactly one section, in order ---------------------


VOCABULARY = ["members", "partners", "young", "people", "research", "online", "safety",
              "alliance", "report", "summit", "policy", "webinar", "year", "work", "future",
              "children", "voices", "growth", "network", "review"]
word = st.sampled_from(VOCABULARY)
short_line = st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(ws).capitalize())
sentence = st.tuples(st.lists(word, min_size=3, max_size=30),
                     st.sampled_from([".", "!", "?", ":", ";", "."])).map(
    lambda t: " ".join(t[0]).capitalize() + t[1])
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
text_lines = st.lists(st.one_of(paragraph, short_line), min_size=1, max_size=30)
blank = st.sampled_from(["\n", "\n\n", "\n\n\n"])


def _import_text(text: str, suffix: str) -> Path:
    temp = Path(tempfile.mkdtemp())
    draft = temp / f"draft{suffix}"
    draft.write_text(text, encoding="utf-8")
    import_draft(draft, temp / "content", "prop")
    return temp / "content" / "prop"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_line, text_lines, st.data())
def test_text_drafts_lose_nothing(title: str, lines: list[str], data: st.DataObject) -> None:
    separators = [data.draw(blank) for _ in lines]
    text = title + data.draw(blank) + "".join(
        line + sep for line, sep in zip(lines, separators, strict=True))
    folder = _import_text(text, ".txt")
    edition = load_edition(folder)
    assert edition.config.title == title
    seen: list[str] = []
    for index, section in enumerate(edition.sections):
        if not (index == 0 and section.meta.title == "Introduction"):
            seen.append(section.meta.title)
        seen += [p for p in section.body.strip().split("\n\n") if p]
    assert seen == lines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_line, st.lists(st.tuples(st.integers(0, 4), short_line,
                                      st.lists(paragraph, max_size=4)), max_size=12),
       st.lists(paragraph, max_size=3))
def test_markdown_drafts_lose_nothing(title: str, parts: list[tuple[int, str, list[str]]],
                                      preamble: list[str]) -> None:
    lines = [f"# {title}", *preamble]
    expected = list(preamble)
    for depth, heading, paragraphs in parts:
        marks = "##" + "#" * depth
        lines.append(f"{marks} {heading}")
        lines += paragraphs
        if depth:
            expected.append("#" * depth + " " + heading)
        expected += paragraphs
    if len(lines) == 1:
        lines.append("Some text.")
        expected.append("Some text.")
    folder = _import_text("\n\n".join(lines) + "\n", ".md")
    edition = load_edition(folder)
    assert edition.config.title == title
    first_section = next((i for i, (depth, _, _) in enumerate(parts) if depth == 0), len(parts))
    introduction = bool(preamble) or first_section > 0 or not parts
    expected_titles = ["Introduction"] * introduction + [h for d, h, _ in parts if d == 0]
    assert [s.meta.title for s in edition.sections] == expected_titles
    seen = [p for s in edition.sections for p in s.body.strip().split("\n\n") if p]
    assert seen == expected


def test_report_lists_sections(tmp_path: Path) -> None:
    report = import_draft(HARBOUR, tmp_path / "content", "harbour")
    text = str(report)
    assert re.search(r"01-introduction\.md\s+Introduction", text)
    assert "05-looking-ahead.md" in text and "Your" not in text.split("\n")[0]
