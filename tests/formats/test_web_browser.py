"""The sample web page in a real headless Chromium at phone and desktop widths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(__file__).resolve().parents[2]
    project = tmp_path_factory.mktemp("web")
    shutil.copytree(root / "content" / "reflections-2025", project / "content" / "reflections-2025")
    [result, archive] = build(["reflections-2025"], content=project / "content",
                              out=project / "build", formats=["web"])
    assert result.ok and archive.ok, result.problems + archive.problems
    return project / "build" / "reflections-2025" / "index.html"


@pytest.mark.parametrize("width", [375, 1280])
def test_nothing_wider_than_viewport_and_every_section_visible(browser, sample_page, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(sample_page.as_uri())
    overflow = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert overflow == []
    sections = page.locator("main > section")
    assert sections.count() >= 6
    for index in range(sections.count()):
        box = sections.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50
    page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_contents_links_scroll_to_their_sections(browser, sample_page, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(sample_page.as_uri())
    page.add_style_tag(content="html { scroll-behavior: auto !important; }")
    links = page.locator("nav.contents a")
    assert links.count() >= 6
    for index in [1, links.count() - 1]:
        target = links.nth(index).get_attribute("href")
        links.nth(index).click()
        page.wait_for_function(f"location.hash === '{target}'")
        top = page.evaluate(f"document.querySelector('{target}').getBoundingClientRect().top")
        at_bottom = page.evaluate(
            "Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1")
        assert -2 <= top <= 40 or (at_bottom and 0 <= top < 800), (target, top)
    page.close()


def test_stress_fixture_fits_a_phone(browser, tmp_path):
    """Long words, long addresses, code and a 10-column table: the page never scrolls sideways."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "content"
    shutil.copytree(fixtures / "stress", tmp_path / "content" / "stress")
    [result, archive] = build(["stress"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["web"])
    assert result.ok and archive.ok, result.problems + archive.problems
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto((tmp_path / "build" / "stress" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    code = page.evaluate("""() => [...document.querySelectorAll('pre')].map(
        e => [e.scrollWidth <= e.clientWidth, e.getBoundingClientRect().height > 60])""")
    assert code == [[True, True], [True, True]]  # both blocks wrap onto several lines
    page.close()
