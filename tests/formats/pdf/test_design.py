"""The PDF's design, measured on real layouts: line length, page fill, running heads, cover,
contents page, key-figure rows and footnote calls.

Editions nobody tuned (the `draft-*` fixtures) and the samples are laid out once by real
WeasyPrint; pdfplumber reads back where each word and shape was drawn.
"""

from __future__ import annotations

import shutil
import statistics
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from folio.build import build
from folio.content import load_edition
from folio.context import figure_band
from folio.errors import ContentError
from folio.formats.pdf.document import running
from folio.schema import Figure
from tests.formats.pdf.helpers import MM, ROOT, build_pdf, set_pdf

FIXTURES = ROOT / "tests" / "fixtures" / "content"
EDITIONS = {
    "draft-review": FIXTURES / "draft-review",
    "draft-newsletter": FIXTURES / "draft-newsletter",
    "draft-longtext": FIXTURES / "draft-longtext",
    "reflections-2025": ROOT / "content" / "reflections-2025",
    "february-2026": ROOT / "content" / "february-2026",
}
BODY_PT = 10.5
"""The size of running text."""
TOP, BOTTOM = 26 * MM, 24 * MM
"""The page margins: the running heads sit above the text area, the folios below it."""
NOTE_PT = 7.5
"""Footnotes are set smaller than this; everything else in the text area is at least it."""
HEADING_PT = 13
"""Headings are set at this size or larger; body text, captions and tables smaller."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every edition above, laid out once in one build."""
    project = tmp_path_factory.mktemp("design")
    for name, folder in EDITIONS.items():
        shutil.copytree(folder, project / "content" / name)
    results = list(build(list(EDITIONS), content=project / "content", out=project / "build",
                         formats=["pdf"], force=True))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    return {name: project / "build" / name / f"{name}.pdf" for name in EDITIONS}


# --- reading the pages back -----------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What one page shows: its words (with sizes), pictures and filled shapes."""

    number: int
    width: float
    height: float
    words: list[dict]
    images: list[dict]
    rects: list[dict]

    @property
    def text_area(self) -> list[dict]:
        """Words between the running heads and the folios, footnotes left out."""
        return [w for w in self.words if w["top"] >= TOP and w["bottom"] <= self.height - BOTTOM
                and w["size"] >= NOTE_PT]

    @property
    def heads(self) -> list[dict]:
        """The words of the running heads, above the text area."""
        return [w for w in self.words if w["bottom"] < TOP and w["top"] > 8 * MM]

    def fill(self) -> float:
        """Return how far down the text area the page is used, from 0 to 1."""
        lowest = [w["bottom"] for w in self.text_area]
        lowest += [i["bottom"] for i in self.images if i["top"] >= TOP]
        if not lowest:
            return 0.0
        return (max(lowest) - TOP) / (self.height - TOP - BOTTOM)

    def is_feature(self) -> bool:
        """Return whether a coloured background fills the page (a full-page component)."""
        return any(r["width"] > 0.9 * self.width and r["height"] > 0.9 * self.height
                   and r.get("non_stroking_color") not in (None, (1.0, 1.0, 1.0), (1, 1, 1))
                   for r in self.rects)

    def is_contents(self) -> bool:
        """Return whether this is the contents page (its title set large)."""
        return any(w["text"] == "Contents" and w["size"] > 20 for w in self.words)


def pages(path: Path) -> list[Page]:
    """Read every page of a PDF back."""
    with pdfplumber.open(path) as pdf:
        return [Page(n, p.width, p.height, p.extract_words(extra_attrs=["size"]),
                     list(p.images), list(p.rects))
                for n, p in enumerate(pdf.pages, 1)]


def lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines by their top, each line from left to right."""
    rows: dict[float, list[dict]] = {}
    for word in words:
        key = next((top for top in rows if abs(top - word["top"]) < 1.5), word["top"])
        rows.setdefault(key, []).append(word)
    return [sorted(row, key=lambda w: w["x0"]) for _, row in sorted(rows.items())]


def body_lines(page: Page) -> list[list[dict]]:
    """The lines of running text on a page: words at the body size only."""
    return lines([w for w in page.text_area if abs(w["size"] - BODY_PT) < 0.25])


def text_pages(all_pages: list[Page]) -> list[Page]:
    """The pages between the covers."""
    return all_pages[1:-1]


def section_at_top(path: Path, all_pages: list[Page]) -> dict[int, str]:
    """Return, for each page, the title of the section whose text is at its top.

    A section heading that is the first thing on a page puts its section there; else
    the page goes on with the last section that began before it.
    """
    reader = PdfReader(path)
    marks = [(reader.get_destination_page_number(m) + 1, float(m.top), str(m.title))
             for m in reader.outline if not isinstance(m, list)]
    found: dict[int, str] = {}
    current = ""
    for page in all_pages:
        starting = [(page.height - top, title) for number, top, title in marks
                    if number == page.number]
        first = min((w["top"] for w in page.text_area), default=page.height)
        for top, title in starting:
            if top <= first + 3:
                current = title
        found[page.number] = current
        if starting:
            current = starting[-1][1]
    return found


# --- measure and flow -----------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_body_lines_hold_55_to_80_characters(built: dict[str, Path], name: str) -> None:
    measured = [(len(" ".join(w["text"] for w in line)), line[-1]["x1"] - line[0]["x0"])
                for page in pages(built[name]) for line in body_lines(page)]
    assert len(measured) >= 12, "no running text at the body size"
    assert 55 <= statistics.median(n for n, _ in measured) <= 80, measured
    # Full lines (the last of a paragraph left out) hold 60 to 75: the measure itself.
    # A full line is nearly as wide as the widest tenth of lines (a call to action's
    # text is set a little wider than the column).
    wide = statistics.quantiles([width for _, width in measured], n=10)[-1]
    full = [n for n, width in measured if width > 0.9 * wide]
    assert 60 <= statistics.median(full) <= 75, full


@pytest.mark.parametrize("name", EDITIONS)
def test_a_line_breaks_only_where_the_next_word_would_not_fit(built: dict[str, Path],
                                                              name: str) -> None:
    """Inside a paragraph, a line ends only when its next word would overflow the measure
    (an inline box around `white-clawed` once made WeasyPrint set `lost` alone on a line)."""
    checked = 0
    for page in pages(built[name]):
        rows = body_lines(page)
        if len(rows) < 3:
            continue
        column = statistics.mode(round(line[0]["x0"]) for line in rows)
        measure = max(line[-1]["x1"] for line in rows if round(line[0]["x0"]) == column)
        for line, after in pairwise(rows):
            same_paragraph = (round(line[0]["x0"]) == column == round(after[0]["x0"])
                              and after[0]["top"] - line[0]["top"] < BODY_PT * 1.7)
            if not same_paragraph:
                continue
            checked += 1
            word = after[0]
            room = measure - line[-1]["x1"]
            assert word["x1"] - word["x0"] + BODY_PT * 0.2 > room, (
                f"page {page.number}: '{word['text']}' would have fitted after "
                f"'{' '.join(w['text'] for w in line)}'")
    assert checked >= 5


@pytest.mark.parametrize("name", EDITIONS)
def test_no_page_is_blank_or_mostly_empty(built: dict[str, Path], name: str) -> None:
    """Only the last page of text, and one before a full-page component, may be short."""
    every = pages(built[name])
    inside = text_pages(every)
    for page in inside:
        assert page.text_area or page.images, f"page {page.number} is blank"
    for page, following in pairwise(inside):
        if page.is_feature() or page.is_contents() or following.is_feature():
            continue
        assert page.fill() >= 0.4, f"page {page.number} is {page.fill():.0%} full"


def ends_on_a_heading(path: Path) -> list[int]:
    """Return the pages whose text area ends on a heading."""
    found = []
    for page in text_pages(pages(path)):
        if page.text_area and not page.is_contents():
            last = lines(page.text_area)[-1]  # a heading's line holds nothing smaller
            if min(w["size"] for w in last) >= HEADING_PT:
                found.append(page.number)
    return found


def test_a_heading_keeps_its_first_lines_wherever_it_falls(tmp_path: Path) -> None:
    """Sixty short sections of every length, so that headings fall at every height of a
    page: without the keeps (the theme's and WeasyPrint's own), a dozen pages end on one."""
    folder = tmp_path / "content" / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    for old in folder.glob("0*.md"):
        old.unlink()
    sentence = "The volunteers walked the banks every morning and counted what they saw. "
    for number in range(1, 61):
        (folder / f"{number:02d}-part-{number}.md").write_text(
            f"---\ntitle: Part {number} of the year\n---\n{sentence * (1 + number * 5 % 8)}\n")
    assert ends_on_a_heading(build_pdf(tmp_path)) == []


@pytest.mark.parametrize("name", EDITIONS)
def test_a_heading_never_ends_a_page(built: dict[str, Path], name: str) -> None:
    assert ends_on_a_heading(built[name]) == []


def starts(path: Path) -> dict[str, int]:
    """Return the page each section starts on, by title."""
    reader = PdfReader(path)
    return {str(m.title): reader.get_destination_page_number(m) + 1 for m in reader.outline}


def test_sections_run_on(built: dict[str, Path]) -> None:
    for name in EDITIONS:
        pages_of = list(starts(built[name]).values())
        assert len(set(pages_of)) < len(pages_of), f"{name}: every section opened a page"


def test_a_section_opens_a_page_when_it_asks(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "draft-newsletter"
    shutil.copytree(EDITIONS["draft-newsletter"], folder)
    before = starts(build_pdf(tmp_path, "draft-newsletter"))
    section = folder / "02-the-seed-swap.md"
    section.write_text(section.read_text().replace("---\n", "---\nbreak: page\n", 1))
    path = build_pdf(tmp_path, "draft-newsletter")
    after = starts(path)
    assert before["The seed swap"] == before["From the committee"]
    assert after["The seed swap"] == after["From the committee"] + 1
    assert section_at_top(path, pages(path))[after["The seed swap"]] == "The seed swap"


def test_the_old_new_page_key_says_what_to_write_instead(project: Path) -> None:
    folder = project / "content" / "mini"
    section = sorted(folder.glob("0*.md"))[1]
    section.write_text(section.read_text().replace("---\n", "---\nnew_page: true\n", 1))
    with pytest.raises(ContentError) as caught:
        load_edition(folder)
    [problem] = caught.value.problems
    assert problem.line == 2 and "break: page" in problem.message


def test_key_figures_open_a_page_and_the_next_section_another(built: dict[str, Path]) -> None:
    every = pages(built["draft-review"])
    [feature] = [p for p in every[1:-1] if p.is_feature()]
    following = every[feature.number]  # the page after it, counted from 0
    assert not following.is_feature()
    tops = section_at_top(built["draft-review"], every)
    assert tops[following.number] == "News in brief"


# --- running heads --------------------------------------------------------------------


@pytest.mark.parametrize("name", EDITIONS)
def test_running_heads_are_one_line_naming_the_section_at_the_top(built: dict[str, Path],
                                                                 name: str) -> None:
    every = pages(built[name])
    at_top = section_at_top(built[name], every)
    for page in text_pages(every):
        middle = page.width / 2
        left = [w for w in page.heads if w["x1"] <= middle]
        right = [w for w in page.heads if w["x0"] >= middle]
        assert left, f"page {page.number} has no running head"
        for side in (left, right):
            assert len(lines(side)) <= 1, f"page {page.number}: a head of several lines"
        shown = " ".join(w["text"] for w in right)
        expected = running(at_top[page.number]).upper()
        assert shown == expected, f"page {page.number}: {shown!r} for {at_top[page.number]!r}"


def test_long_titles_are_shortened_at_a_word_with_an_ellipsis() -> None:
    title = ("Working together along the river to restore wetlands, protect wildlife and "
             "support the communities who live there")
    short = running(title)
    assert short == "Working together along the river to restore…"
    assert running("What is on in 2026") == "What is on in 2026"


# --- covers and contents --------------------------------------------------------------


def test_a_long_cover_title_holds_on_four_lines_a_short_one_stays_large(
        built: dict[str, Path]) -> None:
    def title_lines(name: str) -> list[list[dict]]:
        cover = pages(built[name])[0]
        return lines([w for w in cover.words if w["size"] > 20])

    long_title = title_lines("draft-review")  # 17 words
    assert 2 <= len(long_title) <= 4
    short_title = title_lines("reflections-2025")
    assert len(short_title) == 1 and short_title[0][0]["size"] > 50



def cover_title_lines(project: Path, title: str) -> list[str]:
    """Build the mini edition under `title`; return its cover title's lines."""
    folder = project / "content" / "mini"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini", folder)
    settings = folder / "edition.yaml"
    settings.write_text("\n".join(f"title: \"{title}\"" if line.startswith("title:") else line
                                  for line in settings.read_text().splitlines()) + "\n")
    cover = pages(build_pdf(project))[0]
    return [" ".join(w["text"] for w in line)
            for line in lines([w for w in cover.words if w["size"] > 20])]


def test_a_title_of_140_characters_still_holds_on_four_lines(tmp_path: Path) -> None:
    title = ("Annual review of the Riverside Community Trust: restoring wetlands, "
             "supporting volunteers and the many families who live along the water")
    assert len(title) >= 135
    title_lines = cover_title_lines(tmp_path, title)
    assert 3 <= len(title_lines) <= 4, title_lines


def test_a_title_of_long_compound_words_holds_on_four_lines(tmp_path: Path) -> None:
    """A German title of 105 characters took five lines when sized by its length alone."""
    title = ("Jahresbericht des Fördervereins Stadtteilbibliothek Nordend: Lesen, Lernen und "
             "Begegnung im Quartier 2025")
    title_lines = cover_title_lines(tmp_path, title)
    assert 3 <= len(title_lines) <= 4, title_lines


def test_without_a_cover_picture_the_theme_artwork_fills_the_cover(
        built: dict[str, Path]) -> None:
    with pdfplumber.open(built["draft-review"]) as pdf:
        cover = pdf.pages[0]
        [art] = [i for i in cover.images if i["width"] > 0.9 * cover.width]
        assert art["height"] > 0.7 * cover.height


def test_the_back_cover_names_the_organisation_once(built: dict[str, Path]) -> None:
    back = pages(built["draft-review"])[-1]
    text = " ".join(w["text"] for w in back.words)
    assert text.count("Lowland Rivers Trust") == 1, text


def test_short_editions_have_no_contents_page(built: dict[str, Path]) -> None:
    for name in ("draft-newsletter", "february-2026"):
        every = pages(built[name])
        assert not any(p.is_contents() for p in every), name
        assert section_at_top(built[name], every)[2]  # the first section, on page 2
    for name in ("draft-review", "reflections-2025", "draft-longtext"):
        assert pages(built[name])[1].is_contents(), name


def test_the_contents_page_can_be_asked_for_or_left_out(project: Path) -> None:
    set_pdf(project / "content" / "mini", contents=False)
    assert not any(p.is_contents() for p in pages(build_pdf(project)))
    shutil.copytree(FIXTURES / "draft-newsletter", project / "content" / "draft-newsletter")
    set_pdf(project / "content" / "draft-newsletter", contents=True)
    assert pages(build_pdf(project, "draft-newsletter"))[1].is_contents()


def test_every_section_at_the_top_of_a_page_starts_at_the_same_height(
        built: dict[str, Path]) -> None:
    """After the cover, the contents page, the key figures or a page break alike."""
    heights = []
    for name in ("draft-review", "draft-newsletter", "draft-longtext"):
        every = pages(built[name])
        reader = PdfReader(built[name])
        for mark in reader.outline:
            page = every[reader.get_destination_page_number(mark)]
            top = page.height - float(mark.top)
            if page.text_area and top <= min(w["top"] for w in page.text_area) + 3:
                heights.append((name, page.number, round(top, 1)))
    assert len(heights) >= 5
    assert max(h for *_, h in heights) - min(h for *_, h in heights) < 1, heights


# --- key figures and footnotes ------------------------------------------------------------


def test_a_short_events_list_stays_on_one_page(built: dict[str, Path]) -> None:
    """Three dates are read together: never two on one page and the third overleaf."""
    found = {page.number for page in pages(built["draft-newsletter"])
             for word in page.words if word["text"] in ("All", "Skip", "Midsummer")}
    assert len(found) == 1, found


def test_five_key_figures_lay_out_three_then_two(built: dict[str, Path]) -> None:
    with pdfplumber.open(built["draft-review"]) as pdf:
        feature = next(p for p in pdf.pages[1:] if any(
            r["width"] > 0.9 * p.width for r in p.rects))
        amber = [r for r in feature.rects if r["width"] < feature.width / 2
                 and len(colour := r.get("non_stroking_color") or ()) == 3
                 and colour[0] > 0.9 and colour[2] < 0.3]  # the rules above the figures
    rows: dict[int, set[int]] = {}
    for rule in amber:
        rows.setdefault(round(rule["top"] / 10), set()).add(round(rule["x0"]))
    assert [len(columns) for _, columns in sorted(rows.items())] == [3, 2]


def test_figures_sit_in_rows_of_two_or_three() -> None:
    figure = Figure(value="345", label="members")
    assert [figure_band([figure] * n).widest for n in range(1, 7)] == [1, 2, 3, 2, 3, 3]


def test_footnote_calls_keep_the_line_spacing(built: dict[str, Path]) -> None:
    checked = 0
    for page in pages(built["draft-review"]):
        calls = [w for w in page.words if w["size"] < BODY_PT - 1 and w["text"].isdigit()
                 and len(w["text"]) <= 2 and TOP <= w["top"] <= page.height - BOTTOM]
        rows = [line[0]["top"] for line in body_lines(page)]
        steps = [b - a for a, b in pairwise(rows) if b - a < 20]
        for call in calls:
            near = [top for top in rows if abs(top - call["top"]) < 8]
            if near and steps:
                checked += 1
                assert max(steps) - min(steps) < 0.5, steps
    assert checked


# --- hyphenation ------------------------------------------------------------------------


def test_hyphenation_spares_names_and_short_pieces(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "draft-longtext"
    shutil.copytree(EDITIONS["draft-longtext"], folder)
    set_pdf(folder, hyphenation=True)
    broken = []
    for page in pages(build_pdf(tmp_path, "draft-longtext")):
        rows = body_lines(page)
        for line, after in pairwise(rows):
            if line[-1]["text"].endswith("-") and line[-1]["text"][-2:-1].isalpha():
                broken.append((line[-1]["text"], after[0]["text"]))
    assert broken, "nothing was hyphenated"
    for head, tail in broken:
        assert not head[0].isupper(), f"a name was hyphenated: {head}{tail}"
        assert len(head.rstrip("-")) >= 3 and sum(c.isalpha() for c in tail) >= 3, (head, tail)


def test_german_nouns_are_hyphenated(tmp_path: Path) -> None:
    """German capitalises every noun: its long compounds break like any other long word."""
    folder = tmp_path / "content" / "jahresbericht-2025"
    shutil.copytree(FIXTURES / "jahresbericht-2025", folder)
    set_pdf(folder, hyphenation=True)
    (folder / "07-foerderung.md").write_text(
        "---\ntitle: Förderung\n---\n"
        "Die Landesregierung unterstützt die Auenrenaturierung mit Fördermitteln aus dem "
        "Gewässerentwicklungsprogramm. Für die Wasserrahmenrichtlinienumsetzung legen die "
        "Unterhaltungsverbände Maßnahmenpläne vor, die Naturschutzbehörden prüfen die "
        "Genehmigungsunterlagen, und Hochwasserschutzgemeinschaften stimmen die "
        "Bauabschnitte mit den Grundstückseigentümerinnen und Grundstückseigentümern ab. "
        "Unsere Umweltbildungsreferentinnen begleiten Schulklassen, Bürgerinitiativen und "
        "Fischereigenossenschaften bei Exkursionen zu den Renaturierungsflächen.\n",
        encoding="utf-8")
    broken = []
    for page in pages(build_pdf(tmp_path, "jahresbericht-2025")):
        for line, after in pairwise(body_lines(page)):
            if line[-1]["text"].endswith("-") and line[-1]["text"][-2:-1].isalpha():
                broken.append((line[-1]["text"], after[0]["text"]))
    assert any(head[0].isupper() for head, _ in broken), broken
    for head, tail in broken:
        assert len(head.rstrip("-")) >= 3 and sum(c.isalpha() for c in tail) >= 3, (head, tail)
