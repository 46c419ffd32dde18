"""The email's design holds for content nobody tuned: measured in a real Chromium.

`draft-review` is a real draft (long title, no logo, no cover picture, five key figures);
`reflections-2025` the sample annual review, with a logo and a cover picture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from folio.build import build
from tests.formats.email.helpers import ROOT
from tests.formats.test_web_design import (
    contrast,
    edition_with_theme,
    luminance,
    rows,
    theme,
)

pytestmark = pytest.mark.browser

EDITIONS = {"draft-review": ROOT / "tests" / "fixtures" / "content" / "draft-review",
            "reflections-2025": ROOT / "content" / "reflections-2025"}

FIGURES = """() => [...document.querySelectorAll('.fo-figure')].map(cell => {
    const text = document.createRange();
    text.selectNodeContents(cell.querySelector('.fo-figure-value'));
    const box = cell.querySelector('.fo-figure-cell').getBoundingClientRect();
    return {value: cell.querySelector('.fo-figure-value').textContent,
            over: text.getBoundingClientRect().width - box.width,
            top: Math.round(box.top)};
})"""
BACKGROUND = """e => { for (; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
  } return 'rgb(255, 255, 255)'; }"""


@pytest.fixture(scope="module")
def emails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the editions' emails, and draft-review with a theme with artwork and one without."""
    project = tmp_path_factory.mktemp("email-design")
    for name, folder in EDITIONS.items():
        shutil.copytree(folder, project / "content" / name)
    theme(project, "drawn", (900, 900))
    theme(project, "bare", None)
    edition_with_theme(project, "drawn", EDITIONS["draft-review"], "drawn")
    edition_with_theme(project, "bare", EDITIONS["draft-review"], "bare")
    names = [*EDITIONS, "drawn", "bare"]
    results = build(names, content=project / "content", out=project / "build",
                    formats=["email"])
    assert all(result.ok for result in results), [r.problems for r in results]
    return {name: project / "build" / name / "email.html" for name in names}


@pytest.mark.parametrize("name", EDITIONS)
def test_figures_go_in_pairs_on_a_phone_and_always_fit(open_page, emails, name):
    for width, expected in ((320, [2, 2, 1]), (375, [2, 2, 1]), (600, [3, 2])):
        page = open_page(emails[name], width)
        figures = page.evaluate(FIGURES)
        assert rows([f["top"] for f in figures]) == expected, width
        assert [f["value"] for f in figures if f["over"] > 0.5] == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_dark_mode_masthead_without_a_logo_is_dark_and_readable(open_page, emails):
    page = open_page(emails["draft-review"], 600, color_scheme="dark")
    name = page.locator(".fo-masthead-name")
    background = name.evaluate(BACKGROUND)
    assert luminance(background) < 0.05  # the dark card, not an empty white band
    assert contrast(background, name.evaluate("e => getComputedStyle(e).color")) >= 4.5
    light = open_page(emails["draft-review"], 600)
    named = light.locator(".fo-masthead-name")
    assert contrast(named.evaluate(BACKGROUND),
                    named.evaluate("e => getComputedStyle(e).color")) >= 4.5
    # A logo is drawn for the paper colour: its masthead stays light in dark mode.
    logo = open_page(emails["reflections-2025"], 600, color_scheme="dark")
    assert luminance(logo.locator(".fo-logo img").evaluate(BACKGROUND)) > 0.9


@pytest.mark.parametrize("name", EDITIONS)
def test_every_read_more_link_names_its_section(open_page, emails, name):
    page = open_page(emails[name], 600)
    links = page.evaluate("""() => [...document.querySelectorAll('a.fo-more-link')].map(a => {
        const heading = document.evaluate('preceding::h2[1]', a, null,
            XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
        return {name: (a.getAttribute('aria-label') || a.textContent).replace(/\\s+/g, ' '),
                section: heading.textContent.replace(/\\s+/g, ' ').trim(),
                href: a.getAttribute('href')};
    })""")
    assert len(links) >= 3
    assert len({link["name"] for link in links}) == len(links)
    for link in links:
        assert link["name"].startswith("Read more about ")
        assert link["section"].casefold() in link["name"].casefold()  # set in a sentence
        assert "#" in link["href"]


def test_the_annual_review_opens_with_its_cover_art(open_page, emails):
    tops = {}
    for name in ("reflections-2025", "drawn"):
        page = open_page(emails[name], 600)
        hero = page.locator("img").nth(1 if name == "reflections-2025" else 0)
        box = hero.bounding_box()
        title = page.locator("h1").bounding_box()
        assert box and title and box["y"] + box["height"] <= title["y"]  # above the title
        assert box["width"] == 600 and box["height"] <= 300  # a strip, not a square
        src = hero.get_attribute("src") or ""
        copy = emails[name].parent / "email-images" / src.rpartition("/")[2]
        with Image.open(copy) as picture:  # the strip was cut, not just shown smaller
            assert picture.height <= picture.width / 2
        tops[name] = src
    assert "cover" in tops["reflections-2025"]
    assert "rings" in tops["drawn"]
    assert open_page(emails["drawn"], 600).locator("img").first.get_attribute("alt") == ""
    # No cover picture and no theme artwork: no picture at all, not an empty box.
    plain = open_page(emails["bare"], 600)
    assert plain.evaluate("""() => [...document.images].filter(i =>
        i.compareDocumentPosition(document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING
    ).length""") == 0


def test_a_long_key_figure_fits_its_cell_on_the_narrowest_phone(open_page, tmp_path):
    """`1,000,000+` spilled 3 px out of its cell at 320 px: the values were sized for 130
    px, where a 320 px phone gives a figure 120."""
    folder = tmp_path / "content" / "mini"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini", folder)
    (folder / "02-numbers.md").write_text(
        "---\ntitle: Numbers\nlayout: figures\nfigures:\n"
        '  - {value: "1,000,000+", label: readers}\n  - {value: "345", label: members}\n'
        '  - {value: "12", label: countries}\n---\nWhat the numbers mean.\n',
        encoding="utf-8")
    [result, *_archive] = build(["mini"], content=tmp_path / "content",
                                out=tmp_path / "build", formats=["email"])
    assert result.ok, result.problems
    for width in (320, 375, 600):
        figures = open_page(tmp_path / "build" / "mini" / "email.html", width).evaluate(FIGURES)
        assert [(f["value"], f["over"]) for f in figures if f["over"] > 0] == [], width
