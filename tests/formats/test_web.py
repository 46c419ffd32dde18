"""The web page: structure, components, accessibility basics, offline assets, themes."""

from __future__ import annotations

import itertools
import posixpath
import re
from pathlib import Path

from folio.check import contrast_ratio as contrast
from folio.formats.web import render
from folio.theme import load_theme
from tests.htmlcheck import find, parse


def page_of(mini) -> tuple[str, dict[str, bytes]]:
    edition, theme = mini
    files = render(edition, theme)
    return files["index.html"].decode(), files


def test_one_h1_and_no_skipped_heading_levels(mini) -> None:
    html, _ = page_of(mini)
    levels = [int(m) for m in re.findall(r"<h([1-6])\b", html)]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} followed by h{after}"


def test_landmarks_lang_and_meta(mini) -> None:
    html, _ = page_of(mini)
    elements = parse(html)
    assert find(elements, "html")[0].attrs["lang"] == "en-GB"
    for tag in ("header", "nav", "main", "footer"):
        assert find(elements, tag), tag
    assert find(elements, "meta", name="description")[0].attrs["content"] == \
        "A tiny edition used by Folio’s tests."
    assert find(elements, "meta", property="og:title")[0].attrs["content"] == "Mini Review"
    assert find(elements, "meta", property="og:url")[0].attrs["content"] == \
        "https://example.org/mini/"


def test_contents_links_every_section_in_order(mini) -> None:
    edition, _ = mini
    elements = parse(page_of(mini)[0])
    nav = [e for e in elements if e.tag == "a" and e.attrs.get("href", "").startswith("#")
           and e.attrs["href"] not in ("#main", "#contents-title") and "-fn" not in e.attrs["href"]]
    assert [a.attrs["href"] for a in nav] == [f"#{s.id}" for s in edition.sections]
    ids = {e.attrs.get("id") for e in elements}
    assert all(s.id in ids for s in edition.sections)


def test_every_component_is_drawn(mini) -> None:
    html, _ = page_of(mini)
    elements = parse(html)
    figures = find(elements, "li", class_="figure")
    assert figures[0].text.split() == ["345", "members"]
    assert len(figures) == 3
    assert "Every child deserves to be safe online." in find(elements, "blockquote")[0].text
    assert find(elements, "figcaption")[0].text.strip() == "A young participant"
    assert find(elements, "img", src="images/pic.png")[0].attrs["alt"] == "A plain blue rectangle."
    assert find(elements, "a", class_="button", href="https://example.org/join")[0].text == \
        "Become a member"
    times = find(elements, "time", datetime="2026-02-10")
    assert times and "10" in times[0].text
    assert find(elements, "table")  # Markdown table
    assert find(elements, "li", id="introduction-fn-1")  # footnote
    assert "“mini” review – a test" in html  # typographic quotes and dashes


def test_every_image_has_alt_text(mini) -> None:
    for image in find(parse(page_of(mini)[0]), "img"):
        decoration = image.attrs.get("src") == "assets/artwork.jpg"  # the theme's artwork
        assert (image.attrs.get("alt", "").strip() or "logo" in image.attrs.get("class", "")
                or (decoration and image.attrs.get("alt") == "")), image


def test_works_offline(mini) -> None:
    html, files = page_of(mini)
    css = files["assets/style.css"].decode()
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html) + re.findall(r"url\('([^']+)'\)", css):
        if url.startswith(("https://", "mailto:")):
            assert "<a " in html  # links may point out; nothing loaded may
            continue
        relative = posixpath.normpath(posixpath.join("assets", url)) if url in css else url
        assert relative in files or url.endswith(".pdf"), url
    for tag in re.findall(r"<(?:img|link|script)[^>]*>", html):
        assert "http" not in tag, tag
    assert "@font-face" in css and "/assets/fonts/Lato-Regular-" in css and ".ttf" not in css


def test_body_text_contrast_meets_wcag_aa(mini) -> None:
    _, theme = mini
    colours = theme.config.colours
    assert contrast(colours.ink, colours.paper) >= 4.5
    assert contrast(colours.muted, colours.paper) >= 4.5
    assert contrast(colours.band_ink, colours.band) >= 4.5


def test_content_cannot_inject_script_or_template_code(project: Path) -> None:
    from folio.content import load_edition
    from folio.markup import render_sections

    folder = project / "content" / "mini"
    (folder / "07-evil.md").write_text(
        "---\ntitle: Evil {{ 7 * 7 }}\n---\n<script>alert(1)</script>\n"
        '<img src="images/pic.png" alt="" onerror="alert(2)">\n[x](javascript:alert(3))\n\n'
        "{{ ''.__class__.__mro__ }} {% for x in y %}\n")
    edition = render_sections(load_edition(folder))
    html = render(edition, load_theme("default", project, folder))["index.html"].decode()
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "Evil {{ 7 * 7 }}" in html and "49" not in html
    assert "{{ ‘’.<strong>class</strong>.<strong>mro</strong> }}" in html  # Markdown, not Jinja
    assert "{% for x in y %}" in html


def test_plain_theme_changes_the_look_without_python(project: Path) -> None:
    from folio.content import load_edition
    from folio.markup import render_sections

    folder = project / "content" / "mini"
    edition = render_sections(load_edition(folder))
    default = render(edition, load_theme("default", project, folder))
    plain = render(edition, load_theme("plain", project, folder))
    assert default["index.html"] == plain["index.html"]  # same templates...
    assert b"--accent:#b3261e" in plain["assets/style.css"]  # ...different tokens
    assert b"--accent:#0a5c8a" in default["assets/style.css"]


def test_project_template_overrides_by_name(project: Path) -> None:
    from folio.content import load_edition
    from folio.markup import render_sections

    folder = project / "content" / "mini"
    override = folder / "templates" / "web" / "components"
    override.mkdir(parents=True)
    (override / "quote.html").write_text(
        '<section id="{{ section.id }}"><h2>{{ section.title }}</h2>'
        '<p class="my-quote">{{ section.quote }}</p></section>\n')
    edition = render_sections(load_edition(folder))
    html = render(edition, load_theme("default", project, folder))["index.html"].decode()
    assert '<p class="my-quote">Every child deserves to be safe online.</p>' in html


def test_a_template_added_later_is_used_in_the_same_process(project: Path) -> None:
    """Environments are kept between builds (for `watch`), yet a new override wins."""
    from folio.content import load_edition
    from folio.markup import render_sections

    folder = project / "content" / "mini"
    (folder / "templates" / "web").mkdir(parents=True)
    (folder / "templates" / "web" / "note.txt").write_text("an unrelated file\n")
    edition = render_sections(load_edition(folder))
    first = render(edition, load_theme("default", project, folder))["index.html"].decode()
    assert "my-quote" not in first
    components = folder / "templates" / "web" / "components"
    components.mkdir()
    (components / "quote.html").write_text('<section id="{{ section.id }}"><h2>{{ section.title '
                                           '}}</h2><p class="my-quote">x</p></section>\n')
    again = render(edition, load_theme("default", project, folder))["index.html"].decode()
    assert '<p class="my-quote">x</p>' in again
    (components / "quote.html").write_text('<section id="{{ section.id }}"><h2>{{ section.title '
                                           '}}</h2><p class="my-quote">y</p></section>\n')
    import os
    os.utime(components / "quote.html", ns=(0, 10**18))  # a clearly newer time stamp
    third = render(edition, load_theme("default", project, folder))["index.html"].decode()
    assert '<p class="my-quote">y</p>' in third


def test_the_web_page_serves_its_fonts_as_woff2(project: Path) -> None:
    """A third of the TrueType files' size, every glyph kept, in the folder all pages share."""
    from fontTools.ttLib import TTFont

    from folio.build import build
    from folio.theme import load_theme

    for _result in build(["mini"], content=project / "content", out=project / "build",
                         formats=["web"]):
        pass
    theme = load_theme("default", project)
    assert not (project / "build" / "mini" / "assets" / "fonts").exists()
    served = sorted((project / "build" / "assets" / "fonts").iterdir())
    assert served and all(p.suffix == ".woff2" for p in served), served
    originals = {p.stem: p for _f, _s, p in theme.font_files()}
    assert sorted(p.name.rsplit("-", 1)[0] for p in served) == sorted(originals)
    assert sum(p.stat().st_size for p in served) < 0.45 * sum(
        p.stat().st_size for p in originals.values())
    for path in served:
        with TTFont(path) as web, TTFont(originals[path.name.rsplit("-", 1)[0]]) as original:
            assert web.flavor == "woff2"
            assert web.getBestCmap() == original.getBestCmap()
