"""The Arabic and German fixtures' web pages and emails in a real headless Chromium: right to
left (Arabic), long compounds broken only at a hyphen (German), nothing wider than a phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
FIXTURE = FIXTURES / "arabic-review"

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


# --- German: long compounds in headings --------------------------------------------------

CUT_WORDS = """(selector) => {
  // Each place where a heading's line breaks between two letters with no hyphen drawn.
  const cuts = [];
  for (const heading of document.querySelectorAll(selector)) {
    const text = heading.textContent, walker = document.createTreeWalker(heading, 4);
    const tops = [];
    for (let node; (node = walker.nextNode());) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        // The last drawn box: a letter after a soft hyphen also reports one on the line before.
        const drawn = [...range.getClientRects()].filter(r => r.width > 0).pop();
        tops.push(drawn ? drawn.top : null);
      }
    }
    let last = -1;
    tops.forEach((top, i) => {
      if (top === null) return;
      if (last >= 0 && top > tops[last] + 4) {
        const between = text.slice(last, i + 1);
        if (!/[\\s\\u00ad-]/.test(between))
          cuts.push(text.slice(Math.max(0, last - 8), i + 8));
      }
      last = i;
    });
  }
  return cuts;
}"""


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The German fixture (a title with a 29-letter compound) built for the web and email."""
    project = tmp_path_factory.mktemp("german")
    shutil.copytree(FIXTURES / "jahresbericht-2025", project / "content" / "jahresbericht-2025")
    results = list(build(["jahresbericht-2025"], content=project / "content",
                         out=project / "build", formats=["web", "email"]))
    assert all(r.ok for r in results), [r.problems for r in results]
    return project / "build" / "jahresbericht-2025"


@pytest.mark.parametrize("name", ["index.html", "email.html", "../index.html"])
@pytest.mark.parametrize("width", [320, 375])
def test_german_compounds_break_at_a_hyphen_on_a_phone(browser, german: Path, name: str,
                                                        width: int) -> None:
    """The edition's web page and email, and the archive page that lists it."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((german / name).resolve().as_uri())
    assert page.evaluate("document.documentElement.lang") == "de"
    title = page.locator(".masthead__title, .fo-h1, .issue__title").last.inner_text()
    assert "Gewässerschutzpartner" in title.replace("\u00ad", "")
    assert page.evaluate(CUT_WORDS, "h1, h2, h3") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOW) == []
    page.close()


@pytest.mark.parametrize("name", ["index.html", "../index.html"])
def test_a_long_organisation_name_keeps_its_dot_when_the_date_wraps(browser, german: Path,
                                                                    name: str) -> None:
    """`STIFTUNG LEBENDIGE WESERAUE · 15. DEZEMBER 2025` does not fit a phone's line: the
    date goes to the next line whole, and that line does not start with the dot."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((german / name).resolve().as_uri())
    boxes = page.evaluate("""() => Object.fromEntries(
        ['.masthead__kicker', '.masthead__dot', '.masthead__date'].map(
            s => [s, document.querySelector(s).getBoundingClientRect().toJSON()]))""")
    kicker, dot, date = (boxes[k] for k in (".masthead__kicker", ".masthead__dot",
                                            ".masthead__date"))
    line = kicker["height"] / 2
    assert date["top"] > kicker["top"] + line / 2  # the date wrapped to a second line
    assert dot["top"] < kicker["top"] + line / 2  # the dot stayed on the first
    assert date["left"] < kicker["left"] + 2  # and the second line starts with the date
    page.close()
