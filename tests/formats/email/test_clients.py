"""The email of content nobody tuned for, in Chromium as email programs show it.

Two fixture editions (`stress`: wide tables, code, long words and addresses, nested lists,
a picture in the text, emoji, an Arabic paragraph; `arabic`: a right-to-left edition) are
opened at 320, 375 and 600 px in four modes, each page loaded once:
- `built`: as built, pictures served from `email-images/`;
- `no-styles`: every `<style>` block removed, as Gmail does for some accounts and as some
  webmails do (no media queries, no dark-mode rules: only the inlined styles);
- `no-images`: every picture request refused, as programs that block pictures show them;
- `dark`: the dark colour scheme (`prefers-color-scheme: dark`).

Set FOLIO_EMAIL_SNAPSHOTS to a folder to keep a full-page screenshot of each.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from folio.build import build
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

EDITIONS = ("stress", "arabic")
WIDTHS = (320, 375, 600)
MODES = ("built", "no-styles", "no-images", "dark")
STYLE_BLOCK = re.compile(r"<style\b.*?</style>", re.S | re.I)

MEASURE = """(dark) => {
  const width = window.innerWidth;
  const describe = e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' "' + (e.textContent || '').trim().slice(0, 40) + '"';
  const shown = e => {
    const box = e.getBoundingClientRect(), style = getComputedStyle(e);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && style.display !== 'none' && parseFloat(style.opacity) > 0;
  };
  const tooWide = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).map(describe);

  const rgba = colour => colour.match(/[\\d.]+/g).map(Number);
  const canvas = dark ? [18, 18, 18] : [255, 255, 255];
  const background = e => {
    for (let node = e; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] > 0.5) return colour.slice(0, 3);
    }
    return canvas;
  };
  const luminance = colour => {
    const [r, g, b] = colour.map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || !shown(element)) continue;
    let hidden = false;
    for (let e = element; e; e = e.parentElement) if (!shown(e)) { hidden = true; break; }
    if (hidden) continue;
    const style = getComputedStyle(element);
    const colour = rgba(style.color);
    texts.push({
      text: node.textContent.trim().slice(0, 40), tag: describe(element),
      ratio: contrast(colour.slice(0, 3), background(element)),
      direction: style.direction, align: style.textAlign,
      code: !!element.closest('.fo-code'),
    });
  }
  const columns = [...document.querySelectorAll('[class*="mj-column"]')]
    .map(e => getComputedStyle(e).direction);
  const arabic = [...document.querySelectorAll('p[dir="rtl"]')]
    .map(e => [getComputedStyle(e).direction, getComputedStyle(e).textAlign]);
  return {
    scrollWidth: document.documentElement.scrollWidth, width, tooWide, texts, columns, arabic,
    images: [...document.images].map(i => i.getBoundingClientRect().width),
  };
}"""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("clients")
    for name in EDITIONS:
        shutil.copytree(FIXTURES / "content" / name, project / "content" / name)
    for result in build(list(EDITIONS), content=project / "content", out=project / "build",
                        formats=["email"]):
        assert result.ok, result.problems
    return project / "build"


@pytest.fixture(scope="module")
def measured(browser, builds: Path) -> dict[tuple[str, str, int], dict[str, Any]]:
    """Open every edition at every width in every mode once; return what each page shows."""
    snapshots = os.environ.get("FOLIO_EMAIL_SNAPSHOTS")
    results = {}
    for name in EDITIONS:
        folder = builds / name
        html = (folder / "email.html").read_text()
        base = re.search(r'src="(https://example\.org/[^"]*/email-images/)', html)
        for mode in MODES:
            page_html = STYLE_BLOCK.sub("", html) if mode == "no-styles" else html
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 800},
                                        color_scheme="dark" if mode == "dark" else "light")

                page.route("**/*", functools.partial(
                    _serve, folder / "email-images", base and base[1], mode != "no-images"))
                page.set_content(page_html, wait_until="load", timeout=10_000)
                results[name, mode, width] = page.evaluate(MEASURE, mode == "dark")
                if snapshots:
                    Path(snapshots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{snapshots}/{name}-{width}-{mode}.png",
                                    full_page=True)
                page.close()
    return results


def _serve(pictures: Path, base: str | None, show: bool, route: Any, request: Any) -> None:
    """Answer a picture request from `email-images/`; refuse everything else."""
    if base and show and request.url.startswith(base):
        route.fulfill(path=str(pictures / request.url[len(base):]))
    else:
        route.abort()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", EDITIONS)
def test_nothing_is_wider_than_the_screen(measured, name, mode, width):
    page = measured[name, mode, width]
    assert page["scrollWidth"] <= width, f"the page scrolls sideways: {page['scrollWidth']} px"
    assert page["tooWide"] == []
    assert all(image <= width for image in page["images"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["built", "dark"])
@pytest.mark.parametrize("name", EDITIONS)
def test_every_text_is_readable(measured, name, mode, width):
    """WCAG AA: 4.5:1 for every piece of text, in the light and the dark colour scheme."""
    texts = measured[name, mode, width]["texts"]
    assert len(texts) > 30
    poor = [(t["tag"], t["text"], round(t["ratio"], 2)) for t in texts if t["ratio"] < 4.5]
    assert poor == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", MODES)
def test_arabic_edition_reads_right_to_left(measured, mode, width):
    page = measured["arabic", mode, width]
    assert page["columns"] and set(page["columns"]) == {"rtl"}
    wrong = [(t["tag"], t["direction"]) for t in page["texts"]
             if t["direction"] != "rtl" and not t["code"]]
    assert wrong == []
    left = [t["tag"] for t in page["texts"] if t["align"] == "left"]
    assert left == []


@pytest.mark.parametrize("mode", MODES)
def test_arabic_paragraph_in_an_english_edition(measured, mode):
    page = measured["stress", mode, 375]
    assert page["arabic"] == [["rtl", "right"]]
    assert set(page["columns"]) == {"ltr"}
