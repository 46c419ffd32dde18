"""The archive: three editions (one a draft) -> index page, Atom feed, sitemap and page links."""

from __future__ import annotations

import re
import shutil
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from folio.build import ARCHIVE, build

from .conftest import FIXTURES
from .nuchecker import pages

BASE = "https://news.riverside-food.example/"
PUBLISHED = ["winter-2026", "autumn-2025"]  # newest first; spring-2026 is a draft


def build_project(project: Path, **options) -> dict[str, list[str]]:
    """Build every edition and the archive; return what was built, by result name."""
    built = {}
    for result in build(content=project / "content", out=project / "build", jobs=1, **options):
        assert result.ok, result.problems
        built[result.edition] = sorted(result.built)
    return built


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-edition fixture project, built once: its project folder."""
    project = tmp_path_factory.mktemp("archive")
    shutil.copytree(FIXTURES / "archive", project, dirs_exist_ok=True)
    assert build_project(project)[ARCHIVE] == ["site"]
    return project


class Links(HTMLParser):
    """Collect every element's tag and attributes, and the text of headings."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_heading = self._in_heading or tag == "h3"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading and data.strip():
            self.headings.append(data.strip())

    def hrefs(self) -> list[str]:
        return [str(a["href"]) for tag, a in self.elements if tag == "a"]


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text())
    return links


def test_index_lists_the_published_editions_newest_first(site: Path) -> None:
    page = parse(site / "build" / "index.html")
    assert page.headings == ["Winter 2026: warm spaces", "Autumn 2025"]
    hrefs = page.hrefs()
    for slug in PUBLISHED:
        assert f"{slug}/index.html" in hrefs and f"{slug}/{slug}.pdf" in hrefs
    assert not any("spring-2026" in href for href in hrefs)
    text = (site / "build" / "index.html").read_text()
    assert "DRAFT" not in text and "allotment" not in text
    # The summary where there is one, the description otherwise; dates and kinds shown.
    assert "the ‘pay it forward’ café is back" in text
    assert "4.2 tonnes of food &amp; the new cold store" in text
    assert '<time datetime="2026-01-20">20 January 2026</time>' in text
    assert text.count("Newsletter") == 2
    assert ('<link rel="alternate" type="application/atom+xml" title="Riverside Food Network '
            'news" href="feed.xml">') in text


def test_cover_thumbnail_is_small_and_the_draft_has_none(site: Path) -> None:
    from PIL import Image

    covers = site / "build" / "assets" / "covers"
    # Winter has no cover: the theme's artwork stands for it.
    assert sorted(p.name for p in covers.iterdir()) == ["autumn-2025.jpg", "winter-2026.jpg"]
    for name in ("autumn-2025.jpg", "winter-2026.jpg"):
        with Image.open(covers / name) as thumbnail:
            assert thumbnail.size == (640, 400)
        assert (covers / name).stat().st_size < 40_000
    page = parse(site / "build" / "index.html")
    images = [a for tag, a in page.elements if tag == "img"]
    assert [i["src"] for i in images] == ["assets/covers/winter-2026.jpg",
                                          "assets/covers/autumn-2025.jpg"]
    assert all(i["alt"] == "" and i["width"] == "640" for i in images)  # decorative, sized


def test_feed_is_valid_atom_with_one_entry_per_published_edition(site: Path) -> None:
    import feedparser

    feed = feedparser.parse((site / "build" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Riverside Food Network news"
    assert feed.feed.language == "en-GB"
    assert feed.feed.links[1].href == f"{BASE}feed.xml" and feed.feed.links[1].rel == "self"
    assert [e.link for e in feed.entries] == [f"{BASE}{slug}/" for slug in PUBLISHED]
    assert [e.id for e in feed.entries] == [f"{BASE}{slug}/" for slug in PUBLISHED]
    summaries = [e.summary for e in feed.entries]
    assert summaries[0] == ("Warm spaces open four afternoons a week, and the ‘pay it forward’ "
                            "café is back.")
    assert summaries[1].startswith("Our harvest drive collected 4.2 tonnes of food & the new")
    assert [e.published[:10] for e in feed.entries] == ["2026-01-20", "2025-10-14"]
    for entry, slug in zip(feed.entries, PUBLISHED, strict=True):
        assert entry.author == "Riverside Food Network"
        [pdf] = [link for link in entry.links if link.rel == "enclosure"]
        assert pdf.href == f"{BASE}{slug}/{slug}.pdf" and pdf.type == "application/pdf"


def test_sitemap_lists_the_archive_and_each_published_page(site: Path) -> None:
    tree = ET.parse(site / "build" / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    assert locations == [BASE, *(f"{BASE}{slug}/" for slug in PUBLISHED)]
    dates = [d.text for d in tree.getroot().findall("s:url/s:lastmod", ns)]
    assert dates == ["2026-01-20", "2026-01-20", "2025-10-14"]


def test_edition_pages_link_to_the_archive_and_their_neighbours(site: Path) -> None:
    def nav(slug: str) -> dict[str, str]:
        page = parse(site / "build" / slug / "index.html")
        found = {str(a.get("rel")): str(a["href"]) for tag, a in page.elements
                 if tag == "a" and a.get("rel") in ("prev", "next")}
        assert "../index.html" in page.hrefs()
        return found

    assert nav("autumn-2025") == {"next": "../winter-2026/index.html"}
    # The draft is nobody's neighbour, but its own proof shows where it will sit.
    assert nav("winter-2026") == {"prev": "../autumn-2025/index.html"}
    assert nav("spring-2026") == {"prev": "../winter-2026/index.html"}
    assert "Winter 2026: warm spaces" in (site / "build" / "autumn-2025" / "index.html").read_text()


def stamps(out: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def copy(site: Path, tmp_path: Path) -> Path:
    """A copy of the built project, to change."""
    shutil.copytree(site, tmp_path / "project")
    return tmp_path / "project"


def test_a_summary_change_rebuilds_the_index_and_feed_and_nothing_else(copy: Path) -> None:
    out = copy / "build"
    assert build_project(copy) == {name: [] for name in ["autumn-2025", "spring-2026",
                                                         "winter-2026", ARCHIVE]}
    before = stamps(out)
    time.sleep(0.01)
    path = copy / "content" / "winter-2026" / "edition.yaml"
    path.write_text(path.read_text().replace("four afternoons", "five afternoons"))
    assert build_project(copy) == {"autumn-2025": [], "spring-2026": [], "winter-2026": [],
                                   ARCHIVE: ["site"]}
    after = stamps(out)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed == ["feed.xml", "index.html"]
    assert "five afternoons" in (out / "feed.xml").read_text()


def test_an_edition_that_fails_leaves_the_last_archive(copy: Path) -> None:
    """The archive never shows settings that the edition's own build just refused."""
    out = copy / "build"
    before = stamps(out)
    path = copy / "content" / "winter-2026" / "edition.yaml"
    path.write_text(path.read_text().replace("four afternoons", "five afternoons")
                    + "logo: images/missing.png\n")
    results = {r.edition: r for r in build(content=copy / "content", out=out, jobs=1)}
    assert not results["winter-2026"].ok
    assert results[ARCHIVE].built == {} and results[ARCHIVE].ok
    assert "until winter-2026 builds again" in results[ARCHIVE].warnings[0]
    assert stamps(out) == before


def test_a_draft_published_and_a_title_changed_reach_the_archive(copy: Path) -> None:
    path = copy / "content" / "spring-2026" / "edition.yaml"
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    built = build_project(copy)
    assert built[ARCHIVE] == ["site"] and built["winter-2026"] == ["web"]  # it gains a "next"
    assert built["autumn-2025"] == [] and built["spring-2026"] == []
    page = parse(copy / "build" / "index.html")
    assert page.headings[0] == "Spring 2026"
    assert 'rel="next"' in (copy / "build" / "winter-2026" / "index.html").read_text()


def test_without_a_base_url_the_archive_is_built_and_the_feed_left_out(copy: Path) -> None:
    (copy / "folio.yaml").write_text("site:\n  description: Seasonal news.\n")
    [*_, archive] = build(content=copy / "content", out=copy / "build", jobs=1)
    assert archive.ok and archive.built
    assert archive.warnings == ["archive: feed.xml and sitemap.xml need the address the site "
                                "is published at: add `base_url: https://...` under `site:` "
                                "in folio.yaml"]
    (copy / "folio.yaml").unlink()  # no site asked for: the archive alone, and no warning
    [*_, archive] = build(content=copy / "content", out=copy / "build", jobs=1)
    assert archive.ok and archive.built and archive.warnings == []
    assert not (copy / "build" / "feed.xml").exists()
    assert not (copy / "build" / "sitemap.xml").exists()
    text = (copy / "build" / "index.html").read_text()
    assert "<title>Riverside Food Network</title>" in text  # the organisation, by default
    assert "feed.xml" not in text


def test_a_mistake_in_folio_yaml_names_the_file_line_and_fix(copy: Path) -> None:
    before = (copy / "build" / "index.html").read_bytes()
    (copy / "folio.yaml").write_text("site:\n  title: News\n  base_ur: https://x.example/\n")
    [*editions, archive] = build(content=copy / "content", out=copy / "build", jobs=1)
    assert all(r.ok for r in editions)
    [problem] = archive.problems
    assert str(problem.path).endswith("folio.yaml") and problem.line == 3
    assert "unknown key 'base_ur'; did you mean 'base_url'?" in problem.message
    assert (copy / "build" / "index.html").read_bytes() == before  # the last good page stays

    (copy / "folio.yaml").write_text("site:\n  base_url: news.example.org\n")
    [*_, archive] = build(content=copy / "content", out=copy / "build", jobs=1)
    [problem] = archive.problems
    assert problem.line == 2 and "base_url" in problem.message


def test_an_edition_called_assets_is_refused(copy: Path) -> None:
    shutil.copytree(copy / "content" / "winter-2026", copy / "content" / "assets")
    [*_, archive] = build(content=copy / "content", out=copy / "build", jobs=1)
    [problem] = archive.problems
    assert "an edition cannot be called 'assets'" in problem.message


def test_the_command_line_reports_the_archive(copy: Path, capsys: pytest.CaptureFixture) -> None:
    from folio.cli import main

    code = main(["--content", str(copy / "content"), "--out", str(copy / "build")])
    assert code == 0
    assert re.search(r"^\(archive\)\s+site\s+up to date$", capsys.readouterr().out, re.M)


def test_watch_brings_the_archive_up_to_date_after_the_pages(copy: Path) -> None:
    from folio.watch import State, rebuild

    path = copy / "content" / "winter-2026" / "edition.yaml"
    path.write_text(path.read_text().replace("Winter 2026: warm spaces", "Winter warmth"))
    reports: list = []
    rebuild([copy / "content" / "winter-2026"], copy / "build", False, reports.append, State())
    assert [(r.edition, sorted(r.built)) for r in reports] == [
        ("winter-2026", ["email", "web"]), (ARCHIVE, ["site"])]
    assert parse(copy / "build" / "index.html").headings[0] == "Winter warmth"


def test_archive_and_edition_pages_pass_the_nu_checker(site: Path, nu_checker) -> None:
    checked = pages(site / "build")
    assert site / "build" / "index.html" in checked and len(checked) > 1
    assert nu_checker(checked) == []




@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_archive_fits_phones_and_desktops_and_each_card_opens_its_edition(browser, site: Path,
                                                                          width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto((site / "build" / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    overflow = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")
    assert overflow == []
    cards = page.locator("li.issue")
    assert cards.count() == 2
    card = page.locator("li.issue").nth(1)
    card.scroll_into_view_if_needed()
    cover, body = (card.locator(c).bounding_box() for c in (".issue__cover", ".issue__body"))
    assert cover and body and cover["height"] > 100
    if width < 640:
        assert cover["y"] + cover["height"] <= body["y"] + 1  # stacked: picture above text
    else:
        assert cover["x"] + cover["width"] <= body["x"] + 1  # a row: picture beside text
    # The whole card is a link to the edition: a click on its picture opens the page.
    page.mouse.click(cover["x"] + cover["width"] / 2, cover["y"] + cover["height"] / 2)
    page.wait_for_url("**/autumn-2025/index.html")
    assert page.title().startswith("Autumn 2025")
    page.close()
