"""Print that holds for numbers, measured on real layouts: editions nobody tuned (a
data-heavy annual review in English and in Arabic, the stress fixture) and the samples.

pdfplumber reads back where every glyph and word was drawn: none within 5 mm of the trim,
no word drawn over another, no page but the last under 40 % full, and the numbers of a
table's columns flush to their end, digits under digits. (On a machine without an emoji
font, pdfminer, under pdfplumber, reads no text set in Lato Regular from the stress
edition: WeasyPrint gives that face an embedded encoding to draw the missing emoji as
empty boxes, and pdfminer reads encodings by name only; see "Text that copies as it was
written" in docs/explanation/print-that-holds.md. The build's own proof, which reads
WeasyPrint's boxes, covers that text: the `built` fixture asserts it found nothing.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from folio.build import build
from folio.content import load_edition
from tests.formats.pdf.helpers import MM, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "content"
EDITIONS = {
    "data-review": FIXTURES / "data-review",
    "data-review-ar": FIXTURES / "data-review-ar",
    "stress": FIXTURES / "stress",
    "reflections-2025": ROOT / "content" / "reflections-2025",
    "february-2026": ROOT / "content" / "february-2026",
    "fevrier-2026": ROOT / "content" / "fevrier-2026",
}
TOP, BOTTOM = 26 * MM, 24 * MM
"""The page margins of a text page: what lies between them is the text area."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    project = tmp_path_factory.mktemp("holds")
    for name, folder in EDITIONS.items():
        shutil.copytree(folder, project / "content" / name)
    results = list(build(list(EDITIONS), content=project / "content", out=project / "build",
                         formats=["pdf"], force=True, checks="off"))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    # The build's own proof found nothing to warn about either.
    spills = [w for r in results for w in r.warnings if "of the trim" in w or "drawn over" in w]
    assert not spills, spills
    return {name: project / "build" / name / f"{name}.pdf" for name in EDITIONS}


def read(path: Path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [{"number": n, "width": p.width, "height": p.height, "chars": p.chars,
                 "words": p.extract_words(extra_attrs=["size"]), "images": p.images,
                 "full": any(r["width"] > 0.9 * p.width and r["height"] > 0.9 * p.height
                             for r in p.rects)}
                for n, p in enumerate(pdf.pages, 1)]


@pytest.mark.parametrize("name", EDITIONS)
def test_no_glyph_within_5_mm_of_the_trim(built: dict[str, Path], name: str) -> None:
    safe = 5 * MM
    for page in read(built[name]):
        near = [c["text"] for c in page["chars"] if c["text"].strip() and (
            c["x0"] < safe or c["top"] < safe or c["x1"] > page["width"] - safe
            or c["bottom"] > page["height"] - safe)]
        assert not near, f"page {page['number']}: {''.join(near)[:60]!r} near the trim"


def overlaps(first: dict, second: dict) -> bool:
    """Whether two words share more than a third of the smaller one's box."""
    width = min(first["x1"], second["x1"]) - max(first["x0"], second["x0"])
    height = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
    if width <= 0 or height <= 0:
        return False
    smaller = min((w["x1"] - w["x0"]) * (w["bottom"] - w["top"]) for w in (first, second))
    return width * height > smaller / 3


@pytest.mark.parametrize("name", EDITIONS)
def test_no_word_is_drawn_over_another(built: dict[str, Path], name: str) -> None:
    for page in read(built[name]):
        words = sorted((w for w in page["words"] if any(c.isalnum() for c in w["text"])),
                       key=lambda w: w["top"])
        for index, first in enumerate(words):
            for second in words[index + 1:]:
                if second["top"] > first["bottom"]:
                    break
                assert not overlaps(first, second), (
                    f"page {page['number']}: {second['text']!r} over {first['text']!r}")


@pytest.mark.parametrize("name", EDITIONS)
def test_no_page_but_the_last_is_under_40_percent_full(built: dict[str, Path],
                                                       name: str) -> None:
    """The cover, the contents page and the back cover are not pages of text."""
    every = read(built[name])
    text_pages = [p for p in every[1:] if not (p["full"] and p is every[-1])
                  and not any(w["text"] in ("Contents", "Sommaire", "المحتويات")
                              and w["size"] > 20 for w in p["words"])]
    for page in text_pages[:-1]:
        area = page["height"] - TOP - BOTTOM
        lowest = [w["bottom"] for w in page["words"]
                  if w["top"] >= TOP and w["bottom"] <= page["height"] - BOTTOM]
        lowest += [i["bottom"] for i in page["images"] if i["top"] >= TOP]
        fill = (max(lowest) - TOP) / area if lowest else 0
        assert fill >= 0.4, f"page {page['number']} is {fill:.0%} full"


@pytest.mark.parametrize(("name", "column", "end"), [
    ("data-review", ["Donations", "3,120", "1,480", "640", "210", "5,450"], "x1"),
    ("data-review", ["Dec", "11,240", "14,310", "17,620", "8,410", "51,580"], "x1"),
    ("data-review-ar", ["9,820", "12,450", "15,210", "7,340", "44,820"], "x0"),
])
def test_numeric_columns_are_flush_to_their_end(built: dict[str, Path], name: str,
                                                column: list[str], end: str) -> None:
    """Right-aligned (left in a right-to-left table), so that digits stand under digits."""
    for page in read(built[name]):
        words = page["words"]
        head = next((w for w in words if w["text"] == column[0]), None)
        if head is None:
            continue
        found = [min((w for w in words if w["text"] == text),
                     key=lambda w: abs(w[end] - head[end]), default=None) for text in column]
        if all(found):
            ends = [w[end] for w in found if w]
            assert max(ends) - min(ends) < 0.6, (column, ends)
            starts = [w["x0" if end == "x1" else "x1"] for w in found if w]
            assert max(starts) - min(starts) > 2, "the column is not flush to its start"
            return
    pytest.fail(f"{column} not found on one page of {name}")


@pytest.mark.parametrize("name", EDITIONS)
def test_no_page_holds_one_event_of_a_longer_list(built: dict[str, Path], name: str) -> None:
    """An events list that breaks leaves two rows at least on each side of the break.

    A row is found by its day, set alone in 20 pt (in every script): the data review's
    seven events once left the first alone at the foot of a page.
    """
    lists = [s.meta.events for s in load_edition(EDITIONS[name]).sections if s.meta.events]
    days = {str(event.date.day) for events in lists for event in events}
    if not any(len(events) > 1 for events in lists):
        pytest.skip("no events list of two rows or more")
    for page in read(built[name]):
        rows = [w for w in page["words"] if w["text"] in days and abs(w["size"] - 20) < 0.5]
        assert len(rows) != 1, f"page {page['number']} holds one event alone"


WIDE = "| Centre | " + " | ".join(f"W{n}" for n in range(1, 17)) + " |\n" + \
    "|---|" + "---:|" * 16 + "\n" + "".join(
        f"| {name} | " + " | ".join(f"{(row * 16 + n) * 37 % 9000 + 1000:,}"
                                  for n in range(16)) + " |\n"
        for row, name in enumerate(["Whitby", "Scarborough", "Middlesbrough", "Total"]))
"""A table of seventeen columns: too wide for a portrait page even in the smaller type."""


def test_a_landscape_table_takes_its_heading_with_it(tmp_path: Path) -> None:
    """A section that opens on its landscape table opens on that page; a heading just
    above a landscape table goes over with it. Neither is left alone on the page before."""
    edition = tmp_path / "content" / "wide"
    edition.mkdir(parents=True)
    (edition / "edition.yaml").write_text(
        "title: Wide tables\norganisation: Harbour Lights Trust\ndate: 2026-01-20\n"
        "language: en-GB\nkind: newsletter\n", encoding="utf-8")
    letter = " ".join(["The centres stayed open every evening of the winter."] * 8)
    (edition / "01-letter.md").write_text(
        f"---\ntitle: A letter\n---\n{letter}\n\n{letter}\n", encoding="utf-8")
    (edition / "02-weekly.md").write_text(
        f"---\ntitle: Meals by week\nsummary: Sixteen weeks of winter.\n---\n{WIDE}\n"
        "The busiest week was the last before Christmas.\n", encoding="utf-8")
    (edition / "03-again.md").write_text(
        f"---\ntitle: The same weeks\n---\n{letter}\n\n{letter}\n\n{letter}\n\n"
        f"# Weekly figures\n\n{WIDE}", encoding="utf-8")
    results = list(build(["wide"], content=tmp_path / "content", out=tmp_path / "build",
                         formats=["pdf"], force=True, checks="off"))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    pages = read(tmp_path / "build" / "wide" / "wide.pdf")

    def page_of(*texts: str) -> dict:
        found = [p for p in pages if all(t in [w["text"] for w in p["words"]] for t in texts)]
        assert len(found) == 1, (texts, [p["number"] for p in found])
        return found[0]

    for heading in (("Meals", "week"), ("Weekly", "figures")):
        page = page_of(*heading)
        assert page["width"] > page["height"], f"{heading} is not on a landscape page"
        assert any(w["text"] == "W16" for w in page["words"]), f"{heading} is apart from its table"


def narrow_before(page: dict, mark: str) -> list[float]:
    """Return the gap before each `mark` set after a space on a page, as a share of the
    widest gap between two words of the same size on the page (a word space)."""
    chars = page["chars"]
    gaps = []  # (size, the gap a space leaves, the character after it)
    for before, space, after in zip(chars, chars[1:], chars[2:], strict=False):
        if (not space["text"].strip() and before["text"].strip() and after["text"].strip()
                and abs(before["top"] - after["top"]) < 2):
            gaps.append((space["size"], after["x0"] - before["x1"], after["text"]))
    return [gap / max(g for s, g, _ in gaps if abs(s - size) < 0.1)
            for size, gap, text in gaps if text == mark]


def test_french_spacing_reaches_the_cover_contents_headings_and_bookmarks(
        tmp_path: Path) -> None:
    """A narrow space before `: ?` in a title, wherever the title is set; copied and in
    the bookmarks, the title reads as written but for that space."""
    from pypdf import PdfReader

    edition = tmp_path / "content" / "bilan"
    edition.mkdir(parents=True)
    (edition / "edition.yaml").write_text(
        "title: \"Bilan 2025 : une année à deux voix\"\nsubtitle: Pourquoi compter ? Pour "
        "savoir.\norganisation: Les Amis du Port\ndate: 2026-01-20\nlanguage: fr-FR\n"
        "kind: annual-review\npdf:\n  contents: true\n", encoding="utf-8")
    text = " ".join(["Les centres sont restés ouverts tous les soirs de l’hiver."] * 6)
    for number, title in enumerate(["Le mot du président : merci", "Et maintenant ?"], 1):
        (edition / f"0{number}-part{number}.md").write_text(
            f"---\ntitle: \"{title}\"\nsummary: \"Ce qu’il faut savoir : tout.\"\n---\n"
            f"{text}\n", encoding="utf-8")
    results = list(build(["bilan"], content=tmp_path / "content", out=tmp_path / "build",
                         formats=["pdf"], force=True, checks="off"))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    path = tmp_path / "build" / "bilan" / "bilan.pdf"
    cover, contents, *text = read(path)
    for pages, mark, count in (([cover], ":", 1), ([cover], "?", 1), ([contents], ":", 3),
                               ([contents], "?", 1), (text, ":", 4), (text, "?", 1)):
        shares = [share for page in pages for share in narrow_before(page, mark)]
        assert len(shares) >= count, (pages[0]["number"], mark, shares)
        assert all(share < 0.85 for share in shares), (pages[0]["number"], mark, shares)
    bookmarks = [item.title for item in PdfReader(path).outline]
    assert bookmarks[:2] == ["Le mot du président\u202f: merci", "Et maintenant\u202f?"]
    with pdfplumber.open(path) as pdf:
        heading = "".join(c["text"] for c in pdf.pages[2].chars if c["size"] > 20)
    assert "Le mot du président : merci" in heading  # the narrow space copies as typed
    assert "\u2060" not in heading


def test_headings_copy_as_written_in_a_face_without_a_narrow_space(
        built: dict[str, Path]) -> None:
    """Source Serif Pro draws French's narrow space with its word space: that glyph once
    copied as U+202F wherever it stood, between every two words of the headings."""
    with pdfplumber.open(built["fevrier-2026"]) as pdf:
        heading = "".join(c["text"] for c in pdf.pages[1].chars if c["size"] > 20)
    assert "Webinaire : le cadre de prévention" in heading, heading


@pytest.mark.parametrize("name", ["data-review", "data-review-ar"])
def test_the_data_reviews_keep_their_pdf_ua_claim(built: dict[str, Path], name: str) -> None:
    """Arabic letters shaped with a hamza once mapped to no text at all, which PDF/UA
    rejects (PDFUA1-FONT-UNICODE-MAPPING-001), so the Arabic review lost its claim."""
    import pikepdf

    with pikepdf.open(built[name]) as pdf:
        assert b"pdfuaid:part" in pdf.Root.Metadata.read_bytes()
