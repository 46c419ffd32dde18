"""The PDF format: structure, metadata, tags, fonts, determinism and the resource fence.

Every fact is read back from the PDF with pypdf (and `pdffonts` for fonts), never from
the HTML that produced it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from folio.build import build
from folio.content import load_edition
from folio.errors import ContentError, ResourceError, TemplateError
from folio.fetcher import Refused, ResourcePolicy
from folio.markup import plain, render_sections
from folio.sources import BUILTIN_THEMES
from folio.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4


# --- helpers ------------------------------------------------------------------------


def build_pdf(project: Path, edition: str = "mini", *, keep_html: bool = False,
              force: bool = True) -> Path:
    """Build one edition's PDF in `project`; fail on any problem; return the PDF's path."""
    results = list(build([edition], content=project / "content", out=project / "build",
                         formats=["pdf"], force=force, keep_html=keep_html))
    assert results[0].ok, "\n".join(str(p) for p in results[0].problems)
    return project / "build" / edition / f"{edition}.pdf"


def render_pdf(folder: Path, body_html: dict[str, str] | None = None) -> dict[str, bytes]:
    """Render the edition in `folder` with the PDF format directly (no build cache).

    `body_html` replaces sections' HTML by slug, as if the Markdown stage had let it
    through, so that the PDF's own fence is tested on its own.
    """
    import dataclasses

    from folio.formats import pdf

    edition = load_edition(folder)
    if body_html is None:
        edition = render_sections(edition)
    else:
        edition = dataclasses.replace(edition, sections=tuple(
            dataclasses.replace(s, html=body_html.get(s.slug, s.body))
            for s in edition.sections))
    theme = load_theme(edition.config.theme, folder.parent.parent, edition.root)
    return pdf.render(edition, theme)


def set_pdf(folder: Path, **settings: object) -> None:
    """Append a `pdf:` block to an edition's edition.yaml."""
    lines = "".join(f"  {key}: {str(value).lower() if isinstance(value, bool) else value}\n"
                    for key, value in settings.items())
    with open(folder / "edition.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"pdf:\n{lines}")


def write_section(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def section_titles(folder: Path) -> list[str]:
    return [plain(s.meta.title) for s in load_edition(folder).sections]


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    """Return the top-level outline as (title, 1-based page number)."""
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def contents_numbers(reader: PdfReader, titles: list[str]) -> dict[str, int]:
    """Read the page number the contents page prints after each title."""
    text = " ".join(reader.pages[1].extract_text().split())
    found = {}
    for title in titles:
        match = re.search(re.escape(title) + r"[\s.]*?(\d+)\b", text)
        assert match, f"'{title}' is not on the contents page: {text}"
        found[title] = int(match[1])
    return found


def resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def struct_kinds(reader: PdfReader) -> dict[str, int]:
    """Count the structure elements of the tag tree by type (`/P`, `/H2`, `/Figure` ...)."""
    counts: dict[str, int] = {}
    root = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = resolve(stack.pop())
        if id(node) in seen or not isinstance(node, DictionaryObject):
            continue
        seen.add(id(node))
        if "/S" in node:
            counts[str(node["/S"])] = counts.get(str(node["/S"]), 0) + 1
        kids = resolve(node.get("/K"))
        if isinstance(kids, ArrayObject):
            stack.extend(kids)
        elif kids is not None:
            stack.append(kids)
    return counts


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfReader]:
    """The shipped reflections-2025 sample, built once with --keep-html."""
    project = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content" / "reflections-2025", project / "content" / "reflections-2025")
    path = build_pdf(project, "reflections-2025", keep_html=True)
    return project, PdfReader(path)


@pytest.fixture(scope="module")
def mini_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PdfReader]:
    """The `mini` fixture edition (every layout), built once."""
    project = tmp_path_factory.mktemp("mini")
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini", project / "content" / "mini")
    return project, PdfReader(build_pdf(project))


# --- the document -------------------------------------------------------------------


def test_page_count(sample: tuple[Path, PdfReader], mini_pdf: tuple[Path, PdfReader]) -> None:
    for project, reader in (sample, mini_pdf):
        edition = next((project / "content").iterdir())
        sections = len(load_edition(edition).sections)
        pages = len(reader.pages)
        # Cover, contents, one opening page per section at least, back cover; even, so
        # that the back cover is the last left-hand page of the printed booklet.
        assert pages >= 2 + sections + 1
        assert pages % 2 == 0
        assert "Contents" in reader.pages[1].extract_text()
    # mini: cover, contents, six sections on a page each, a blank left page, back cover.
    assert len(mini_pdf[1].pages) == 10


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


def test_contents_entries_are_links(mini_pdf: tuple[Path, PdfReader]) -> None:
    _project, reader = mini_pdf
    links = [resolve(a) for a in reader.pages[1].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) >= len(bookmarks(reader))


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


def test_tagged_pdf_ua(sample: tuple[Path, PdfReader]) -> None:
    _project, reader = sample
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    kinds = struct_kinds(reader)
    assert kinds.get("/Document") == 1
    assert kinds.get("/H1") == 1 and kinds.get("/H2", 0) >= 12  # cover, contents, sections
    assert kinds.get("/Figure", 0) >= 2 and kinds.get("/Table", 0) >= 2
    xmp = resolve(catalog["/Metadata"]).get_data()
    assert b"pdfuaid:part=\"1\"" in xmp or b"<pdfuaid:part>1<" in xmp


def test_running_furniture_is_not_read_out(sample: tuple[Path, PdfReader]) -> None:
    """Headers and page numbers are artifacts; every tagged piece of text is in the tree."""
    _project, reader = sample
    tree = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    nums = resolve(tree["/ParentTree"])["/Nums"]
    parents = {nums[i]: resolve(nums[i + 1]) for i in range(0, len(nums), 2)}
    for index, page in enumerate(reader.pages[1:], start=1):
        data = page.get_contents().get_data().decode("latin-1")
        if "/MCID" not in data:
            continue  # the blank page before the back cover
        assert len(re.findall(r"/Artifact\s+BMC", data)) >= 3  # header, section, page
        for mcid in map(int, re.findall(r"/MCID (\d+)", data)):
            element = resolve(parents[index][mcid])
            node = element
            while "/P" in node:  # climb to the root: no tagged text is left loose
                node = resolve(node["/P"])
            assert node.get("/Type") == "/StructTreeRoot"


def test_figures_have_alt_text(mini_pdf: tuple[Path, PdfReader]) -> None:
    _project, reader = mini_pdf
    root = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    figures, stack = [], [root]
    while stack:
        node = resolve(stack.pop())
        if not isinstance(node, DictionaryObject):
            continue
        if node.get("/S") == "/Figure":
            figures.append(node)
        kids = resolve(node.get("/K"))
        if isinstance(kids, ArrayObject):
            stack.extend(kids)
    assert figures
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    assert any(f["/Alt"] == "A plain blue rectangle." for f in figures)


def test_every_font_embedded_and_subset(sample: tuple[Path, PdfReader]) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (Debian poppler-utils) is not installed")
    project, _reader = sample
    out = subprocess.run(["pdffonts", str(project / "build" / "reflections-2025" /
                                          "reflections-2025.pdf")],
                         capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        # name, type..., encoding, emb, sub, uni, object, id
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
    names = " ".join(row[0] for row in rows)
    assert "Lato" in names and "Source-Serif-Pro" in names
    assert "Liberation" not in names and "DejaVu" not in names  # no system fallback


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


def read_pdf_bytes(data: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(data))


# --- settings -----------------------------------------------------------------------


def test_paper_sizes(project: Path) -> None:
    reader = PdfReader(build_pdf(project))
    width, height = (float(v) for v in reader.pages[3].mediabox[2:])
    assert (round(width / MM), round(height / MM)) == (210, 297)
    set_pdf(project / "content" / "mini", paper="letter")
    reader = PdfReader(build_pdf(project))
    assert [round(float(v)) for v in reader.pages[3].mediabox[2:]] == [612, 792]


def test_print_ready_has_bleed_and_crop_marks(project: Path) -> None:
    set_pdf(project / "content" / "mini", print_ready=True)
    reader = PdfReader(build_pdf(project))
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert round((trim[2] - trim[0]) / MM) == 210 and round((trim[3] - trim[1]) / MM) == 297
        assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3, 3]
        assert [round((b - t) / MM, 2) for t, b in zip(trim[2:], bleed[2:], strict=True)] == [3, 3]
        # The marks sit in a slug outside the bleed, where the cut never shows them.
        assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM
        data = page.get_contents().get_data().decode("latin-1")
        marks = re.findall(r"(-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l S", data)
        assert len(marks) == 8
        for x1, y1, x2, y2 in marks:
            outside = [not (trim[0] - 1 < float(x) < trim[2] + 1 and
                            trim[1] - 1 < float(y) < trim[3] + 1)
                       for x, y in ((x1, y1), (x2, y2))]
            assert all(outside)


def test_pdf_a_3b(project: Path) -> None:
    set_pdf(project / "content" / "mini", variant="pdf/a-3b")
    reader = PdfReader(build_pdf(project))
    catalog = reader.trailer["/Root"]
    xmp = resolve(catalog["/Metadata"]).get_data()
    assert b"pdfaid" in xmp and b"3" in xmp and b"B" in xmp
    assert "/OutputIntents" in catalog
    assert "/StructTreeRoot" in catalog  # still tagged: archives are read aloud too
    assert catalog["/Lang"] == "en-GB"


def test_sections_can_run_on(project: Path) -> None:
    broken = len(PdfReader(build_pdf(project)).pages)
    set_pdf(project / "content" / "mini", section_breaks=False)
    reader = PdfReader(build_pdf(project))
    assert len(reader.pages) < broken
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


# --- the resource fence -------------------------------------------------------------


HOSTILE = {
    "relative": "![secret](../../../../../../../../etc/passwd)",
    "absolute": '<img src="/etc/passwd" alt="secret">',
    "encoded": '<img src="images/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="x">',
    "network": "![secret](http://example.com/tracker.png)",
    "protocol-relative": '<img src="//example.com/tracker.png" alt="secret">',
    "file-url": '<img src="file:///etc/passwd" alt="secret">',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_picture_is_refused_naming_the_section(project: Path, kind: str) -> None:
    folder = project / "content" / "mini"
    path = write_section(folder, "07-leak.md",
                         f"---\ntitle: Leak\n---\nBefore.\n\n{HOSTILE[kind]}\n")
    results = list(build(["mini"], content=project / "content", out=project / "build",
                         formats=["pdf"], keep_html=True))
    problems = results[0].problems
    if kind == "file-url":
        # The sanitiser already removed the address: nothing to refuse, nothing leaks.
        assert not problems
    else:
        assert problems, kind
        assert all(Path(p.path) == path for p in problems)
        assert problems[0].line == 6
        assert "picture '" in problems[0].message  # refused when the Markdown is read
        assert not (project / "build" / "mini" / "mini.pdf").exists()
    for output in (project / "build").rglob("*"):
        if output.is_file():
            assert b"root:x:0:0" not in output.read_bytes()


@pytest.mark.parametrize("kind", sorted(set(HOSTILE) - {"file-url"}))
def test_the_pdf_fence_refuses_on_its_own(project: Path, kind: str) -> None:
    """Were the Markdown stage to let a hostile address through, the PDF still refuses it."""
    from folio.markup import render_markdown

    folder = project / "content" / "mini"
    path = write_section(folder, "07-leak.md",
                         f"---\ntitle: Leak\n---\nBefore.\n\n{HOSTILE[kind]}\n")
    html, _ = render_markdown(HOSTILE[kind], "leak")
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"leak": html})
    [problem, *_] = caught.value.problems
    assert Path(problem.path) == path and problem.line == 6
    assert "will not read" in problem.message


def test_symlink_out_of_the_edition_is_refused(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "images" / "passwd.png").symlink_to("/etc/passwd")
    write_section(folder, "07-leak.md", "---\ntitle: Leak\n---\n![x](images/passwd.png)\n")
    with pytest.raises(ContentError, match="outside the edition"):
        render_pdf(folder)  # the Markdown stage refuses it...
    with pytest.raises(ResourceError) as caught:  # ...and so does the PDF on its own
        render_pdf(folder, {"leak": '<p><img alt="x" src="images/passwd.png"></p>'})
    assert caught.value.problems[0].path == folder / "07-leak.md"
    assert "outside" in caught.value.problems[0].message


def test_missing_picture_is_reported_with_its_section(project: Path) -> None:
    folder = project / "content" / "mini"
    write_section(folder, "07-gone.md", "---\ntitle: Gone\n---\n![x](images/nowhere.png)\n")
    with pytest.raises(ContentError, match="does not exist"):
        render_pdf(folder)
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"gone": '<p><img alt="x" src="images/nowhere.png"></p>'})
    (problem,) = caught.value.problems
    assert problem.path == folder / "07-gone.md" and "does not exist" in problem.message


def test_theme_cannot_read_outside_either(project: Path) -> None:
    """The fetcher itself refuses what a theme template asks for while rendering."""
    theme = project / "templates" / "sneaky"
    (theme / "pdf").mkdir(parents=True)
    (theme / "theme.yaml").write_text(
        "name: sneaky\nbody_font: {family: Lato}\nheading_font: {family: Lato}\n")
    (theme / "pdf" / "back.html").write_text(
        '<footer class="back"><img src="file:///etc/passwd" alt="x"></footer>\n')
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: sneaky\n")
    with pytest.raises(ResourceError) as caught:
        render_pdf(project / "content" / "mini")
    assert "file:///etc/passwd" in str(caught.value)


CSS_ATTACKS = {
    "import-file": '@import url("file:///etc/passwd");',
    "import-relative": '@import "../../../../../../../../etc/passwd";',
    "url-relative": '.back { background: url("../../../../../../../../etc/passwd"); }',
    "url-metadata": ".back { background: url(http://169.254.169.254/latest/meta-data/); }",
}


@pytest.mark.parametrize("kind", sorted(CSS_ATTACKS))
def test_theme_css_cannot_reach_out(project: Path, kind: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`url()` and `@import` in a print stylesheet are fenced like pictures are."""
    import socket

    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    theme = project / "templates" / "styled"
    shutil.copytree(BUILTIN_THEMES / "default" / "pdf", theme / "pdf")
    (theme / "theme.yaml").write_text("name: styled\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    css = theme / "pdf" / "print.css"
    css.write_text(CSS_ATTACKS[kind] + "\n" + css.read_text())
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: styled\n")
    if kind.startswith("import"):
        with pytest.raises(TemplateError) as stopped:
            render_pdf(project / "content" / "mini")
        [problem] = stopped.value.problems
        assert Path(problem.path) == css and problem.line == 1
        assert "@import is not supported" in problem.message
    else:
        with pytest.raises(ResourceError) as caught:
            render_pdf(project / "content" / "mini")
        assert "will not read" in str(caught.value)
    assert attempts == []  # refused before any connection was tried


def test_attachments_are_never_embedded(project: Path) -> None:
    theme = project / "templates" / "attaching"
    (theme / "pdf").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: attaching\nbody_font: {family: Lato, package: "
                                      "font_lato, files: {regular: Lato-Regular.ttf}}\n"
                                      "heading_font: {family: Lato}\n")
    (theme / "pdf" / "back.html").write_text(
        '<footer class="back"><link rel="attachment" href="images/pic.png">'
        '<a rel="attachment" href="images/pic.png">picture</a></footer>\n')
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: attaching\n")
    data = render_pdf(project / "content" / "mini")["mini.pdf"]
    reader = read_pdf_bytes(data)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            assert resolve(annotation).get("/Subtype") != "/FileAttachment"
    assert b"/EmbeddedFile" not in data


def test_policy() -> None:
    policy = ResourcePolicy.of([ROOT / "tests" / "fixtures" / "content" / "mini"])
    base = (ROOT / "tests" / "fixtures" / "content" / "mini").as_uri() + "/"
    assert policy.locate("images/pic.png", base).name == "pic.png"
    for url in ("../../../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
                "http://example.com/x.png", "https://example.com/x.png",
                "//example.com/x.png", "file://example.com/x.png", "data:text/plain,hi",
                "images/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "ftp://example.com/x", "images/missing.png"):
        with pytest.raises(Refused):
            policy.locate(url, base)


def test_checking_never_imports_weasyprint() -> None:
    code = ("import sys, folio.fetcher, folio.formats.pdf; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "False"


def test_svg_cannot_smuggle_a_file_in(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/>'
        '<rect width="5" height="5" fill="url(#g)"/></svg>')
    path = write_section(folder, "07-chart.md",
                         "---\ntitle: Chart\n---\n![A chart](images/chart.svg)\n")
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder)
    (problem,) = caught.value.problems
    assert problem.path == path and "file:///etc/passwd" in problem.message


def test_svg_pictures_are_drawn(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Bars</title>'
        '<rect width="5" height="10" fill="#0a5c8a"/></svg>')
    write_section(folder, "07-chart.md",
                  "---\ntitle: Chart\n---\n![Two bars](images/chart.svg)\n")
    files = render_pdf(folder)
    assert read_pdf_bytes(files["mini.pdf"]).outline[-1].title == "Chart"


def test_no_renderer_warnings(sample: tuple[Path, PdfReader]) -> None:
    project, _reader = sample
    results = list(build(["reflections-2025"], content=project / "content",
                         out=project / "build", formats=["pdf"], force=True))
    assert results[0].ok and results[0].warnings == []


def _generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_command_line_head_start_gives_the_same_pdf(project: Path) -> None:
    """A cold command-line build lays the PDF out in a helper process: same bytes."""
    data = build_pdf(project).read_bytes()  # in this process
    done = _generate(project, "build", "mini", "--format", "pdf", "--force", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "mini" / "mini.pdf").read_bytes() == data


def test_command_line_refusals_come_back_from_the_helper(project: Path) -> None:
    theme = project / "templates" / "styled"
    shutil.copytree(BUILTIN_THEMES / "default" / "pdf", theme / "pdf")
    (theme / "theme.yaml").write_text("name: styled\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    css = theme / "pdf" / "print.css"
    css.write_text(CSS_ATTACKS["url-relative"] + "\n" + css.read_text())
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: styled\n")
    done = _generate(project, "build", "mini", "--format", "pdf", "--jobs", "1")
    assert done.returncode == 1
    assert ("error: templates/styled: a template of theme 'styled' asks for "
            "'file:///etc/passwd', which the PDF will not read") in done.stderr
    assert "Traceback" not in done.stderr
