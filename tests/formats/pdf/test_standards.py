"""The PDF keeps its promises: the standard it claims is one validators confirm.

Every sample and fixture edition is built once; `page-validation` checks each PDF
against the standard its variant claims and `outloud` reads it as an accessibility
checker. The structure tree is then read with pikepdf, as a screen reader meets it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import page
import pytest
import yaml
from outloud import check as outloud_check

from folio.build import build
from folio.content import load_edition
from folio.formats.pdf.document import has_contents
from folio.i18n import words_for
from tests.conftest import NO_FONT
from tests.formats.pdf.helpers import ROOT, Tagged, build_pdf, section_titles, set_pdf

EDITIONS = {
    "reflections-2025": ROOT / "content" / "reflections-2025",
    "february-2026": ROOT / "content" / "february-2026",
    "mini": ROOT / "tests" / "fixtures" / "content" / "mini",
    "constructs": ROOT / "tests" / "fixtures" / "content" / "constructs",
    "arabic": ROOT / "tests" / "fixtures" / "content" / "arabic",
}
"""Both samples and the fixture editions; `constructs` holds each construct a writer uses.
The `stress` fixture holds text no font of the theme draws: see the last tests."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with every edition of EDITIONS, its PDFs built once."""
    project = tmp_path_factory.mktemp("standards")
    for name, folder in EDITIONS.items():
        shutil.copytree(folder, project / "content" / name)
    results = list(build(list(EDITIONS), content=project / "content",
                         out=project / "build", formats=["pdf"], force=True))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    return project


def pdf_of(project: Path, name: str) -> Path:
    return project / "build" / name / f"{name}.pdf"


def failed_rules(report: page.ValidationReport) -> list[str]:
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


# --- validators ----------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_passes_pdf_ua_1(built: Path, name: str) -> None:
    report = page.validate_pdf(pdf_of(built, name), profile="ua1")
    assert report.is_compliant, failed_rules(report)
    assert report.checks.failed == 0


@pytest.mark.parametrize("name", EDITIONS)
def test_outloud_finds_no_error(built: Path, name: str) -> None:
    result = outloud_check(str(pdf_of(built, name)))
    assert result.error is None
    errors = [f"{f.rule} p{f.page}: {f.message}" for f in result.sorted_findings()
              if f.severity == "error"]
    assert errors == [] and result.verdict in ("pass", "review")


@pytest.mark.parametrize("variant", ["pdf/a-3a", "pdf/a-3b"])
def test_archival_variants_pass_their_standard(tmp_path: Path, variant: str) -> None:
    shutil.copytree(EDITIONS["constructs"], tmp_path / "content" / "constructs")
    set_pdf(tmp_path / "content" / "constructs", variant=variant)
    path = build_pdf(tmp_path, "constructs")
    profile = variant.removeprefix("pdf/a-")
    report = page.validate_pdf(path, profile=profile)
    assert report.is_compliant, failed_rules(report)
    opened = Tagged(path)
    xmp = opened.pdf.Root.Metadata.read_bytes()
    if variant == "pdf/a-3b":
        assert b"pdfuaid" not in xmp  # it claims nothing about being read aloud
    else:  # archival and accessible: it claims PDF/UA-1 too, and meets it
        assert b'pdfuaid:part="1"' in xmp
        report = page.validate_pdf(path, profile="ua1")
        assert report.is_compliant, failed_rules(report)
        assert outloud_check(str(path)).errors == 0
        tree = Tagged(path)
        assert [tree.text(h) for h in tree.of_kind("/H2")][1:] == section_titles(
            tmp_path / "content" / "constructs")


# --- the structure tree, as a screen reader meets it --------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_heading_outline_is_the_section_titles_once_each(built: Path, name: str) -> None:
    tree = Tagged(pdf_of(built, name))
    [title] = [tree.text(h) for h in tree.of_kind("/H1")]
    assert title
    headings = [tree.text(h) for h in tree.of_kind("/H2")]
    folder = built / "content" / name
    language = yaml.safe_load((folder / "edition.yaml").read_text())["language"]
    contents = [words_for(language, {}).gettext("Contents")]
    assert headings == contents * has_contents(load_edition(folder)) + section_titles(folder)
    for heading in tree.of_kind("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
        inside = tree.walk(heading)[1:]
        assert not any(str(e.S).startswith("/H") for e in inside), "a heading in a heading"


@pytest.mark.parametrize("name", EDITIONS)
def test_every_link_annotation_belongs_to_a_link(built: Path, name: str) -> None:
    tree = Tagged(pdf_of(built, name))
    owners = tree.annotation_owners()
    annotations = [a for p in tree.pdf.pages for a in p.obj.get("/Annots", [])
                   if a.get("/Subtype") == "/Link"]
    assert annotations
    nums = tree.pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for annotation in annotations:
        assert owners.get(annotation.objgen) == ["/Link"], annotation.get("/Contents")
        assert parents[int(annotation.StructParent)].get("/S") == "/Link"
        # described by what the link says, never by an anchor's id
        assert not re.fullmatch(r"#?[\w-]+-title", str(annotation.Contents))


@pytest.mark.parametrize("name", EDITIONS)
def test_each_section_is_one_sect(built: Path, name: str) -> None:
    """WeasyPrint tags page by page; the finishing step joins what a page break split."""
    tree = Tagged(pdf_of(built, name))
    sections = tree.of_kind("/Sect")
    assert len(sections) == len(section_titles(built / "content" / name))
    assert len(tree.of_kind("/Part")) == 1  # <main>, across every page


def test_contents_links_read_as_number_title_and_page(built: Path) -> None:
    tree = Tagged(pdf_of(built, "reflections-2025"))
    links = [tree.text(link) for link in tree.of_kind("/Link")][:11]
    assert links[0] == "01 Introduction 3"
    assert all(re.fullmatch(r"\d\d [A-Z].* \d+", text) for text in links), links


def test_lists_are_items_with_label_and_body(built: Path) -> None:
    tree = Tagged(pdf_of(built, "constructs"))
    items = tree.of_kind("/LI")
    assert len(items) >= 10
    for item in items:
        kinds = [str(k.S) for k in tree.kids(item) if tree.is_element(k)]
        assert kinds in (["/Lbl", "/LBody"], ["/LBody"]), kinds
    loose = next(i for i in items if "two paragraphs" in tree.text(i))
    body = next(k for k in tree.kids(loose) if tree.is_element(k) and k.S == "/LBody")
    assert [str(k.S) for k in tree.kids(body)] == ["/P", "/P"]
    nested = next(i for i in items if "a list inside it" in tree.text(i))
    assert any(e.S == "/L" for e in tree.walk(nested))  # the sub-list is inside its item
    for lst in tree.of_kind("/L"):
        assert all(k.S == "/LI" for k in tree.kids(lst) if tree.is_element(k))


def test_footnotes_are_notes_with_a_label_beside_their_call(built: Path) -> None:
    tree = Tagged(pdf_of(built, "constructs"))
    notes = tree.of_kind("/Note")
    assert len(notes) == 5  # two Markdown notes, three addresses of links
    ids = [str(n.ID) for n in notes]
    assert len(set(ids)) == len(ids)
    first = notes[0]
    label = tree.kids(first)[0]
    assert label.S == "/Lbl" and tree.text(label) == "1"
    assert tree.text(first) == "1 Sixteen young people from nine countries, aged fourteen to " \
                               "nineteen."
    siblings = tree.kids(first.P)
    at = [k.objgen for k in siblings].index(first.objgen)
    call = siblings[at - 1]
    assert call.S == "/Reference" and tree.text(call) == "1"
    assert first.P.S == "/P"  # read where it is called, not at the foot of the page


def test_tables_have_header_cells_with_scope_and_one_body(built: Path) -> None:
    tree = Tagged(pdf_of(built, "constructs"))
    tables = tree.of_kind("/Table")
    long = next(t for t in tables if "Workshop number 60" in tree.text(t))
    pages = {p.objgen for p in [e.get("/Pg") for e in tree.walk(long)] if p is not None}
    assert len(pages) >= 2  # it does cross pages ...
    groups = [str(k.S) for k in tree.kids(long) if tree.is_element(k)]
    assert groups == ["/THead", "/TBody"]  # ... and is still one table, its header once
    rows = [e for e in tree.walk(long) if e.S == "/TR"]
    assert len(rows) == 61
    for cell in tree.of_kind("/TH"):
        assert cell.A.Scope in ("/Column", "/Row")
    heads = {str(c.ID) for c in tree.walk(long) if c.S == "/TH"}
    for cell in (c for c in tree.walk(long) if c.S == "/TD"):
        assert {str(h) for h in cell.A.Headers} <= heads


def test_figures_have_alt_and_caption_and_decoration_is_not_read(built: Path) -> None:
    tree = Tagged(pdf_of(built, "constructs"))
    [figure] = tree.of_kind("/Figure")  # the divider, alt="", is an artifact
    assert str(figure.Alt) == "A plain blue rectangle standing for a photograph."
    captions = [k for k in tree.kids(figure) if tree.is_element(k) and k.S == "/Caption"]
    assert [tree.text(c) for c in captions] == ["A picture with its caption."]
    texts = " ".join(tree.text(e) for e in tree.of_kind("/H2"))
    assert not re.search(r"\b0\d\b", texts)  # the drawn section numbers are decoration


def test_running_heads_are_artifacts_and_text_is_all_tagged(built: Path) -> None:
    tree = Tagged(pdf_of(built, "reflections-2025"))
    tagged = " ".join(tree.text(e) for e in tree.of_kind("/Document"))
    assert "Page 3 of 16" not in tagged  # page numbers are furniture
    assert "Reflections 2025" in tagged  # ... the cover's title is not


# --- whole words in copied and read-aloud text --------------------------------------


def pdftotext(path: Path, *options: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def line_end_hyphens(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"[a-z]-$", line)]


@pytest.mark.parametrize("name", EDITIONS)
def test_copied_text_has_whole_words(built: Path, name: str) -> None:
    """No line ends inside a word: not at a hyphenation, not at a compound's hyphen."""
    path = pdf_of(built, name)
    assert line_end_hyphens(pdftotext(path, "-raw")) == []  # lines as they are drawn
    if name == "reflections-2025":
        text = pdftotext(path)  # pdftotext joins `youth-` + `led` into `youthled`
        assert "youth-led" in text and "youthled" not in text


def test_hyphenation_can_be_turned_on(tmp_path: Path) -> None:
    shutil.copytree(EDITIONS["constructs"], tmp_path / "content" / "constructs")
    set_pdf(tmp_path / "content" / "constructs", hyphenation=True)
    assert line_end_hyphens(pdftotext(build_pdf(tmp_path, "constructs"), "-raw"))


# --- a PDF that would break its claim is never written ------------------------------


def test_build_refuses_a_pdf_whose_content_breaks_its_claim(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(EDITIONS["constructs"], folder)
    good = build_pdf(tmp_path, "constructs")
    before = good.read_bytes()
    (folder / "05-broken.md").write_text(
        "---\ntitle: Broken\n---\nA chart:\n\n![](images/pic.png)\n\n### Too deep\n\nText.\n",
        encoding="utf-8")
    result, *_archive = build(["constructs"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["pdf", "web"], force=True)
    messages = [str(p) for p in result.problems]
    assert any("05-broken.md, line 6" in m and "no alt text" in m and "PDF/UA-1" in m
               for m in messages), messages
    assert good.read_bytes() == before  # the last good PDF stays
    assert "web" in result.built and "pdf" not in result.built  # the rest is built
    # A skipped heading level is reported, and closed in the PDF's outline.
    assert any("05-broken.md, line 8" in w and "skips a level" in w for w in result.warnings)


def test_a_skipped_heading_level_is_closed_in_the_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(EDITIONS["constructs"], folder)
    (folder / "05-deep.md").write_text(
        "---\ntitle: Deep\n---\nText.\n\n### Too deep\n\nText.\n\n#### Deeper\n\nText.\n",
        encoding="utf-8")
    path = build_pdf(tmp_path, "constructs")
    assert page.validate_pdf(path, profile="ua1").is_compliant
    tree = Tagged(path)
    assert [tree.text(h) for h in tree.of_kind("/H3", "/H4", "/H5", "/H6")
            if tree.text(h) in ("Too deep", "Deeper")] == ["Too deep", "Deeper"]
    assert [str(h.S) for h in tree.of_kind("/H3", "/H4", "/H5", "/H6")
            if tree.text(h) in ("Too deep", "Deeper")] == ["/H3", "/H4"]


def test_an_archival_pdf_may_hold_a_picture_without_description(tmp_path: Path) -> None:
    """PDF/A-3B claims nothing about being read aloud: the same content builds."""
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(EDITIONS["constructs"], folder)
    set_pdf(folder, variant="pdf/a-3b")
    (folder / "05-chart.md").write_text("---\ntitle: Chart\n---\n![](images/pic.png)\n",
                                        encoding="utf-8")
    assert page.validate_pdf(build_pdf(tmp_path, "constructs"), profile="3b").is_compliant


def test_a_pdf_that_fails_its_standard_does_not_claim_it(tmp_path: Path) -> None:
    """A theme template can break the claim where content cannot: the file is checked."""
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(EDITIONS["constructs"], folder)
    (folder / "templates" / "pdf").mkdir(parents=True)
    (folder / "templates" / "pdf" / "back.html").write_text(
        '<footer class="back"><img src="images/pic.png"></footer>\n', encoding="utf-8")
    result, *_archive = build(["constructs"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["pdf"], force=True)
    assert result.ok
    [warning] = [w for w in result.warnings if "does not meet PDF/UA-1" in w]
    assert "FIGURE" in warning and "written without claiming it" in warning
    opened = Tagged(pdf_of(tmp_path, "constructs"))
    xmp = opened.pdf.Root.Metadata.read_bytes()
    assert b"pdfuaid:part" not in xmp  # no PDF Folio writes claims what it is not


def test_text_no_font_draws_is_named_and_the_pdf_claims_nothing(tmp_path: Path) -> None:
    """The `stress` fixture holds Chinese and emoji, which the default theme's fonts lack;
    a machine may have a fallback font that draws Chinese, so the test adds characters no
    font has."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "stress",
                    tmp_path / "content" / "stress")
    languages = tmp_path / "content" / "stress" / "04-languages.md"
    languages.write_text(languages.read_text(encoding="utf-8").replace("谢谢你们。", NO_FONT),
                         encoding="utf-8")
    result, *_archive = build(["stress"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["pdf"], force=True)
    [warning] = [w for w in result.warnings if "does not meet PDF/UA-1" in w]
    assert f"04-languages.md, line 9: no font of the theme has '{NO_FONT}'" in warning
    opened = Tagged(pdf_of(tmp_path, "stress"))
    xmp = opened.pdf.Root.Metadata.read_bytes()
    assert b"pdfuaid:part" not in xmp


def test_a_paragraph_split_by_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    """WeasyPrint tags each page's part of a paragraph apart; the reader gets one `P`."""
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(EDITIONS["constructs"], folder)
    sentence = "Members met in every region to share what worked and what did not. "
    (folder / "05-long.md").write_text(
        "---\ntitle: A long paragraph\n---\nFirst words of the long paragraph. "
        + sentence * 90 + "Last words of the long paragraph.\n", encoding="utf-8")
    tree = Tagged(build_pdf(tmp_path, "constructs"))
    [paragraph] = [p for p in tree.of_kind("/P") if "long paragraph" in tree.text(p)]
    text = tree.text(paragraph)
    assert text.startswith("First words") and text.endswith("Last words of the long paragraph.")
    pages = {tree.pages[e.Pg.objgen] for e in tree.walk(paragraph) if "/Pg" in e}
    assert len(pages) >= 2
