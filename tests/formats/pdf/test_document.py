"""The print document laid out: pages, contents, running heads, footnotes, options."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from folio.build import build
from folio.content import load_edition
from folio.markup import plain
from tests.formats.pdf.helpers import (
    MM,
    all_text,
    bookmarks,
    build_pdf,
    contents_numbers,
    read_pdf_bytes,
    render_pdf,
    resolve,
    section_titles,
    set_pdf,
    write_section,
)


def test_page_count(sample: tuple[Path, PdfReader], mini_pdf: tuple[Path, PdfReader]) -> None:
    for project, reader in (sample, mini_pdf):
        edition = next((project / "content").iterdir())
        sections = len(load_edition(edition).sections)
        pages = len(reader.pages)
        # Cover, contents, sections running on (fewer pages than sections), back cover.
        assert 4 <= pages < 2 + sections + 1
        assert "Contents" in reader.pages[1].extract_text()
        assert reader.pages[-2].extract_text().strip()  # no blank page before the back
    # mini: cover, contents, the key figures' page, the other five sections, back cover.
    assert len(mini_pdf[1].pages) == 7


def test_print_ready_pads_to_an_even_count_and_says_so(project: Path) -> None:
    set_pdf(project / "content" / "mini", print_ready=True)
    results = list(build(["mini"], content=project / "content", out=project / "build",
                         formats=["pdf"], force=True))
    reader = PdfReader(project / "build" / "mini" / "mini.pdf")
    assert len(reader.pages) == 8  # 7 and a blank page: the back cover is a left page
    assert not reader.pages[-2].extract_text().strip()
    assert any("page 7 left blank" in w for w in results[0].warnings), results[0].warnings


def test_bookmarks_are_the_section_titles(sample: tuple[Path, PdfReader],
                                          mini_pdf: tuple[Path, PdfReader]) -> None:
    for project, reader in (sample, mini_pdf):
        edition = next((project / "content").iterdir())
        assert [title for title, _ in bookmarks(reader)] == section_titles(edition)


def test_contents_numbers_are_the_bookmark_pages(sample: tuple[Path, PdfReader],
                                                 mini_pdf: tuple[Path, PdfReader]) -> None:
    for _project, reader in (sample, mini_pdf):
        marks = bookmarks(reader)
        printed = contents_numbers(reader, [title for title, _ in marks])
        assert printed == dict(marks)
        assert [page for _, page in marks] == sorted(page for _, page in marks)
        assert marks[0][1] == 3  # cover, contents, then the first section


def test_contents_entries_link_to_their_headings(sample: tuple[Path, PdfReader],
                                                 mini_pdf: tuple[Path, PdfReader]) -> None:
    """Each contents entry is a link to the page and place where its section's heading is."""
    import pdfplumber

    for project, reader in (sample, mini_pdf):
        edition = next((project / "content").iterdir())
        titles = section_titles(edition)
        rows: dict[str, list[float]] = {}  # destination -> the area its links cover
        for link in (resolve(a) for a in reader.pages[1].get("/Annots", [])):
            if "/Dest" not in link:
                continue  # a web address in a section that starts on this page
            x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
            box = rows.setdefault(str(link["/Dest"]), [x0, y0, x1, y1])
            box[:] = [min(box[0], x0, x1), min(box[1], y0, y1), max(box[2], x0, x1),
                      max(box[3], y0, y1)]
        with pdfplumber.open(project / "build" / edition.name / f"{edition.name}.pdf") as pdf:
            height = pdf.pages[1].height
            linked = {}
            for name, (x0, y0, x1, y1) in rows.items():
                entry = " ".join(pdf.pages[1].crop(
                    (x0, height - y1, x1, height - y0)).extract_text().split())
                [title] = [t for t in titles if t in entry]  # one entry, one title
                destination = reader.named_destinations[name]
                page = pdf.pages[reader.get_destination_page_number(destination)]
                [heading] = [line for line in page.extract_text_lines()
                             if " ".join(line["text"].split()) == title]
                assert height - float(destination.top) <= heading["top"], (title, name)
                linked[title] = page.page_number
        assert linked == dict(bookmarks(reader))  # every section, on its heading's page


def test_running_header_and_page_numbers(sample: tuple[Path, PdfReader]) -> None:
    _project, reader = sample
    pages = len(reader.pages)
    cover = reader.pages[0].extract_text()
    assert "Page 1 of" not in cover
    fourth = reader.pages[3].extract_text()
    assert f"Page 4 of {pages}" in fourth
    assert "REFLECTIONS 2025 THE YEAR IN NUMBERS" in fourth.upper()  # edition, section


def test_metadata_and_language(sample: tuple[Path, PdfReader]) -> None:
    project, reader = sample
    config = load_edition(project / "content" / "reflections-2025").config
    info = reader.metadata
    assert info is not None
    assert info.title == "Reflections 2025"
    assert info.author == config.organisation
    assert info.subject == plain(config.description)
    assert info["/Keywords"] == ", ".join(config.keywords)
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_footnotes_and_addresses_for_paper(mini_pdf: tuple[Path, PdfReader]) -> None:
    _project, reader = mini_pdf
    first = reader.pages[2].extract_text()  # the introduction
    assert "A footnote for the record." in first
    assert "example.org/about" in first  # a link's address, as a footnote
    text = all_text(reader)
    assert "example.org/join" in text  # the call to action's address
    assert "example.org/webinar" in text  # an event's address


def test_two_builds_are_identical(project: Path, tmp_path: Path) -> None:
    first = build_pdf(project).read_bytes()
    second = build_pdf(project).read_bytes()
    assert first == second
    third = render_pdf(project / "content" / "mini")["mini.pdf"]
    assert third == first
    # The folder the project lives in leaves no trace either.
    elsewhere = tmp_path / "elsewhere" / "project"
    shutil.copytree(project / "content", elsewhere / "content")
    assert build_pdf(elsewhere).read_bytes() == first


def test_creation_date_only_when_asked(project: Path) -> None:
    set_pdf(project / "content" / "mini", creation_date=True)
    info = PdfReader(build_pdf(project)).metadata
    assert info is not None and "/CreationDate" in info


def test_print_html_kept_only_when_asked(project: Path) -> None:
    build_pdf(project)
    assert not (project / "build" / "mini" / "print.html").exists()
    build_pdf(project, keep_html=True)
    html = (project / "build" / "mini" / "print.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html and "<title>Mini Review</title>" in html
    assert "@font-face" in html and "@page" in html  # the print stylesheet is inline
    assert 'class="footnote"' in html


def test_print_html_renders_the_same_pdf(project: Path) -> None:
    """print.html is what WeasyPrint got: rendered alone, it gives the same pages."""
    from weasyprint import HTML

    files = render_pdf(project / "content" / "mini")
    alone = HTML(string=files["print.html"].decode(), base_url=str(project)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True)
    ours, theirs = read_pdf_bytes(files["mini.pdf"]), read_pdf_bytes(alone)
    assert len(ours.pages) == len(theirs.pages)
    assert [p.extract_text() for p in ours.pages] == [p.extract_text() for p in theirs.pages]


def test_paper_sizes(project: Path) -> None:
    reader = PdfReader(build_pdf(project))
    width, height = (float(v) for v in reader.pages[3].mediabox[2:])
    assert (round(width / MM), round(height / MM)) == (210, 297)
    set_pdf(project / "content" / "mini", paper="letter")
    reader = PdfReader(build_pdf(project))
    assert [round(float(v)) for v in reader.pages[3].mediabox[2:]] == [612, 792]


def test_sections_can_each_open_a_page(project: Path) -> None:
    running_on = len(PdfReader(build_pdf(project)).pages)
    set_pdf(project / "content" / "mini", section_breaks=True)
    reader = PdfReader(build_pdf(project))
    assert len(reader.pages) > running_on
    starts = [page for _, page in bookmarks(reader)]
    assert len(set(starts)) == len(starts)  # each section on a page of its own
    marks = bookmarks(reader)
    assert contents_numbers(reader, [t for t, _ in marks]) == dict(marks)


def test_event_rows_never_split(project: Path) -> None:
    folder = project / "content" / "mini"
    events = "".join(
        f"  - {{date: 2026-03-{day:02d}, title: \"Regional meeting number {day} on a long "
        f"subject that wraps\", place: \"City {day}\", url: \"https://example.org/e{day}\"}}\n"
        for day in range(1, 29))
    write_section(folder, "05-dates.md",
                  f"---\ntitle: Dates\nlayout: events\nevents:\n{events}---\n")
    reader = PdfReader(build_pdf(project))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    for day in range(1, 29):
        holding = [i for i, text in enumerate(pages) if f"number {day} on" in text]
        assert len(holding) == 1, day
        text = pages[holding[0]]
        assert f"City {day}" in text and f"example.org/e{day}" in text, day
    headers = sum(1 for text in pages if "DATE EVENT PLACE" in text.upper())
    assert headers >= 2  # the table split across pages, its header repeated


def test_svg_pictures_are_drawn(project: Path) -> None:
    """An SVG picture is drawn on its section's page: its two bars, in their colours, where
    the drawing puts them (read from the page rendered by poppler's pdftoppm)."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    folder = project / "content" / "mini"
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><title>Bars</title>'
        '<rect width="80" height="100" fill="#d81b7a"/>'
        '<rect x="120" y="40" width="80" height="60" fill="#16a383"/></svg>')
    write_section(folder, "07-chart.md",
                  "---\ntitle: Chart\n---\n![Two bars](images/chart.svg)\n")
    data = render_pdf(folder)["mini.pdf"]
    page = dict(bookmarks(read_pdf_bytes(data)))["Chart"]
    (project / "mini.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "50", "-png",
                    "-singlefile", str(project / "mini.pdf"), str(project / "page")], check=True)
    image = Image.open(project / "page.png").convert("RGB")
    pixels = image.load()
    assert pixels is not None

    def where(colour: tuple[int, int, int]) -> list[tuple[int, int]]:
        return [(x, y) for y in range(image.height) for x in range(image.width)
                if all(abs(a - b) <= 16 for a, b in zip(pixels[x, y], colour, strict=True))]

    tall, short = where((0xD8, 0x1B, 0x7A)), where((0x16, 0xA3, 0x83))
    assert len(tall) > 200 and len(short) > 100, "the SVG's bars are not on its page"
    assert 1.4 < len(tall) / len(short) < 1.9  # 100 by 80 and 60 by 80: both drawn whole
    assert max(x for x, _ in tall) < min(x for x, _ in short)  # side by side, as drawn
    assert max(y for _, y in tall) == max(y for _, y in short)  # on the same baseline


def test_no_renderer_warnings(sample: tuple[Path, PdfReader]) -> None:
    project, _reader = sample
    results = list(build(["reflections-2025"], content=project / "content",
                         out=project / "build", formats=["pdf"], force=True))
    assert results[0].ok and results[0].warnings == []
