"""Nothing the web page loads comes from another host: its markup, its stylesheet, and what
a real Chromium asks for when it opens the page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from folio.archive import WEB_FONTS
from folio.build import build
from tests.conftest import ROOT, SAMPLES

CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
LOADED = re.compile(r"""<(img|link|script|source|video|audio|iframe|embed|object|image|use|
                    input|track)\b([^>]*)>""", re.I | re.X)
ATTRIBUTE = re.compile(r"""\s(src|href|srcset|poster|data|xlink:href)\s*=\s*
                       (?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I | re.X)
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def css_addresses(css: str) -> list[str]:
    """Return every address a stylesheet asks for: url(...) in any quoting and @import."""
    return [next(g for g in m.groups() if g is not None)
            for pattern in (CSS_URL, CSS_IMPORT) for m in pattern.finditer(css)]


def loaded_addresses(page: str) -> list[str]:
    """Return every address the markup makes a browser fetch (not the links it follows)."""
    found = []
    for tag, attributes in LOADED.findall(page):
        for name, *values in ATTRIBUTE.findall(attributes):
            value = next((v for v in values if v), "")
            if tag.lower() == "link" and name.lower() == "href" and not re.search(
                    r"""rel\s*=\s*["']?[^"'>]*(stylesheet|icon|preload|prefetch|manifest)""",
                    attributes, re.I):
                continue  # a link element that loads nothing (canonical, alternate)
            if name.lower() == "srcset":
                found += [part.split()[0] for part in value.split(",") if part.strip()]
            else:
                found.append(value)
    for style in re.findall(r"""<style[^>]*>(.*?)</style>|style="([^"]*)\"""", page, re.S):
        found += css_addresses("".join(style))
    return found


def is_remote(address: str) -> bool:
    return bool(REMOTE.match(address)) and not address.lower().startswith("data:")


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The web pages of the shipped sample editions and of the test fixture edition."""
    project = tmp_path_factory.mktemp("offline")
    for name in SAMPLES:
        shutil.copytree(ROOT / "content" / name, project / "content" / name)
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini",
                    project / "content" / "mini")
    results = list(build(content=project / "content", out=project / "build", formats=["web"],
                         jobs=1))
    assert all(r.ok for r in results), [r.problems for r in results]
    return sorted((project / "build").glob("*/index.html"))


def test_the_address_finders_find_remote_addresses() -> None:
    css = ("a{background:url(https://cdn.example.org/a.png)} b{src:url( '//x.org/f.woff' )}"
           '@import "https://fonts.example.org/css"; c{background:url("img/ok.png")}')
    assert [a for a in css_addresses(css) if is_remote(a)] == [
        "https://cdn.example.org/a.png", "//x.org/f.woff", "https://fonts.example.org/css"]
    page = ('<link rel="canonical" href="https://example.org/"><a href="https://x.org">x</a>'
            '<img alt="" src=https://x.org/a.png><img srcset="a.png 1x, http://x.org/b.png 2x">'
            '<link rel=stylesheet href="//cdn.example.org/s.css">'
            '<div style="background:url(https://x.org/c.png)"></div>')
    assert [a for a in loaded_addresses(page) if is_remote(a)] == [
        "https://x.org/a.png", "http://x.org/b.png", "//cdn.example.org/s.css",
        "https://x.org/c.png"]


def test_no_page_loads_anything_from_another_host(sample_pages: list[Path]) -> None:
    assert len(sample_pages) == len(SAMPLES) + 1  # and the mini fixture
    for page in sample_pages:
        folder = page.parent
        html = page.read_text(encoding="utf-8")
        for address in loaded_addresses(html):
            assert not is_remote(address), f"{page}: loads {address}"
            assert (folder / address.split("#")[0].split("?")[0]).is_file(), address
        for sheet in folder.rglob("*.css"):
            for address in css_addresses(sheet.read_text(encoding="utf-8")):
                assert not is_remote(address), f"{sheet}: loads {address}"
                assert (sheet.parent / address.split("#")[0].split("?")[0]).is_file(), address


def recorder(requested: list[str]):
    """Return a route handler that notes every address and lets only local files load."""
    def handle(route, request) -> None:
        requested.append(request.url)
        if request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()
    return handle


@pytest.mark.browser
def test_chromium_asks_for_nothing_outside_the_folder(browser, sample_pages: list[Path]) -> None:
    for page_file in sample_pages:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        page.route("**/*", recorder(requested))
        page.goto(page_file.as_uri(), wait_until="load")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(200)
        faces = page.evaluate("""() => document.fonts.ready.then(() =>
            [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))""")
        # The page's own folder, and the fonts every page of the build folder shares.
        fonts = (page_file.parent.parent / WEB_FONTS).as_uri() + "/"
        outside = [u for u in requested if not u.startswith(
            (page_file.parent.as_uri() + "/", fonts, "data:"))]
        page.close()
        assert outside == [], f"{page_file}: {outside}"
        assert any(u.endswith(".css") for u in requested)
        assert any(u.startswith(fonts) and u.endswith(".woff2") for u in requested)
        assert faces, f"{page_file}: no web font loaded from disk"
