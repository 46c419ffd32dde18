"""The Arabic fixture's web page and email in a real headless Chromium: right to left, and
nothing wider than a phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "arabic-review"

OVERFLOW = """() => [...document.querySelectorAll('body *')]
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1); })
    .filter(e => getComputedStyle(e).position !== 'absolute')
    .map(e => e.tagName + '.' + e.className)"""
DIRECTIONS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(e => !e.closest('[dir="ltr"]'))
    .map(e => getComputedStyle(e).direction)"""


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Arabic fixture built for the web and as a full email (every section's text)."""
    project = tmp_path_factory.mktemp("arabic-review")
    shutil.copytree(FIXTURE, project / "content" / "arabic-review")
    config = project / "content" / "arabic-review" / "edition.yaml"
    config.write_text(config.read_text("utf-8").replace("email:\n", "email:\n  mode: full\n"),
                      "utf-8")
    results = list(build(["arabic-review"], content=project / "content",
                         out=project / "build", formats=["web", "email"]))
    assert all(r.ok for r in results), [r.problems for r in results]
    return project / "build" / "arabic-review"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_web_page_runs_right_to_left_and_fits(browser, arabic: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((arabic / "index.html").as_uri())
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    sections = page.evaluate(DIRECTIONS, "main > section, main > section *, nav, header")
    assert len(sections) > 50 and set(sections) == {"rtl"}
    english = page.locator('p[lang="en"]')
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOW) == []
    # The heading stands on the right: above the text on a phone, beside it on a desktop.
    text = page.locator("#introduction .prose > p").first.bounding_box()
    heading = page.locator("#introduction h2").bounding_box()
    assert text and heading
    if width < 1000:
        assert abs((text["x"] + text["width"]) - (heading["x"] + heading["width"])) < 2
    else:
        assert text["x"] + text["width"] < heading["x"]
    page.close()


@pytest.mark.parametrize("width", [375, 600])
def test_every_email_section_runs_right_to_left_and_fits(browser, arabic: Path,
                                                          width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((arabic / "email.html").as_uri())
    directions = page.evaluate(DIRECTIONS, "body > div, body table, body td, body p, body li")
    assert len(directions) > 100 and set(directions) == {"rtl"}
    english = page.locator('p[lang="en"]')
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOW) == []
    # Headings and text are set against the right edge of the card.
    title = page.locator("h1.fo-h1").bounding_box()
    card = page.locator("h1.fo-h1").evaluate(
        "e => e.closest('table').getBoundingClientRect().right")
    assert title and card - (title["x"] + title["width"]) < 40
    page.close()
