"""The email format end to end: structure, modes, sizes, direction, templates, phones."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from PIL import Image

from folio.content import load_edition
from folio.errors import ContentError, TemplateError
from folio.formats.email.html import head_styles
from tests.formats.email.helpers import (
    ROOT,
    SAMPLES,
    configure,
    html_of,
    outside_comments,
    render_mini,
)
from tests.htmlcheck import parse


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_email_structure(samples_rendered, name):
    files = samples_rendered[name]
    html = html_of(files)
    visible = outside_comments(html)
    elements = parse(visible)
    config = load_edition(ROOT / "content" / name).config

    assert html.startswith("<!DOCTYPE html>")
    root = elements[0]
    assert root.tag == "html" and root.attrs["lang"] == "en-GB" and root.attrs["dir"] == "ltr"
    for forbidden in ("<script", "<iframe", "<form", "<link", "@import", "fonts.googleapis",
                      "data:", ".svg", "<object", "<embed"):
        assert forbidden not in html.lower(), forbidden
    # Outlook's ghost tables around a 600 px body that stacks on phones.
    assert "<!--[if mso | IE]><table" in html and "max-width:600px" in visible
    assert "@media only screen and (max-width:479px)" in html
    # Every layout table is presentational; data tables are not.
    for table in (e for e in elements if e.tag == "table"):
        if "fo-data" not in table.attrs.get("class", ""):
            assert table.attrs.get("role") == "presentation", table.attrs
    for table in re.findall(r"<table\b[^>]*>", html):  # ghost tables in comments too
        assert 'role="presentation"' in table or "fo-data" in table, table
    # Styles sit on the elements: links and headings carry their own.
    links = [e for e in elements if e.tag == "a"]
    assert len(links) >= 6
    for link in links:
        assert re.search(r"(^|;)color:", link.attrs.get("style", "")), link.attrs
    headings = [e for e in elements if re.fullmatch(r"h[1-6]", e.tag)]
    assert len(headings) >= 4
    for heading in headings:
        style = heading.attrs.get("style", "")
        assert "font-family:" in style and "font-size:" in style and "color:" in style
    for paragraph in (e for e in elements if e.tag == "p"):
        assert "margin" in paragraph.attrs.get("style", ""), paragraph.attrs
    # Pictures: absolute addresses under asset_base_url, alt text, a width.
    images = [e for e in elements if e.tag == "img"]
    assert images
    for image in images:
        assert "alt" in image.attrs
        assert image.attrs["src"].startswith(config.email.asset_base_url)
        assert image.attrs.get("width", "").isdigit()
        name_ = image.attrs["src"].rsplit("/", 1)[1]
        assert f"email-images/{name_}" in files
    assert images[0].attrs["alt"] == config.organisation  # the logo
    # One <style> block: media queries and dark mode, well under Gmail's 16 KB.
    assert len(re.findall(r"<style\b", visible)) == 1
    styles = head_styles(html)
    assert "@media (prefers-color-scheme:dark)" in styles
    assert "[" not in styles and "@import" not in styles  # Gmail would drop the block
    assert len(styles.encode()) < 16 * 1024
    assert '<meta name="color-scheme" content="light dark">' in html
    # A call to action is an MJML (table) button in the accent colour.
    assert re.search(r'<td align="center" bgcolor="#0a5c8a" role="presentation"', html)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_email_size(samples_rendered, name):
    size = len(samples_rendered[name]["email.html"])
    assert size < 90 * 1024, f"{name}: {size / 1024:.1f} KB"


def test_build_writes_email_files_without_warnings(sample_builds):
    for name in SAMPLES:
        folder = sample_builds / name
        for file in ("email.html", "email.txt", "email.eml"):
            assert (folder / file).stat().st_size > 1000
        pictures = list((folder / "email-images").iterdir())
        assert pictures
        for picture in pictures:
            with Image.open(picture) as image:
                assert image.width <= 1200
                assert image.format in ("PNG", "JPEG")


def test_size_warnings(project, caplog):
    paragraph = "A sentence of ordinary length that fills the newsletter with words. " * 5
    (project / "content" / "mini" / "07-long.md").write_text(
        "---\ntitle: Long\n---\n" + "\n\n".join([paragraph] * 130))
    configure(project, {"mode": "full"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        size = len(render_mini(project)["email.html"])
    assert 90 * 1024 <= size < 102 * 1024
    assert any("close to Gmail's 102 KB clipping limit" in r.getMessage()
               for r in caplog.records)
    (project / "content" / "mini" / "08-longer.md").write_text(
        "---\ntitle: Longer\n---\n" + "\n\n".join([paragraph] * 60))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="folio"):
        render_mini(project)
    assert any("Gmail clips messages over 102 KB" in r.getMessage() for r in caplog.records)


def test_right_to_left_languages(project):
    configure(project, language="ar")
    html = html_of(render_mini(project))
    assert html.startswith('<!DOCTYPE html><html lang="ar" dir="rtl"')
    assert 'role="article" lang="ar" dir="rtl"' in html


def test_same_input_same_bytes(project):
    first = render_mini(project)
    second = render_mini(project)
    assert first == second


def test_preheader_is_hidden_padded_and_first(samples_rendered):
    html = html_of(samples_rendered["february-2026"])
    body = html[html.index("<body"):]
    hidden = re.search(r'<div class="fo-preheader" style="([^"]*)">(.*?)</div>', body, re.S)
    assert hidden and body.index(hidden[0]) < body.index("View this email in your browser")
    assert "display:none" in hidden[1] and "mso-hide:all" in hidden[1]
    assert hidden[2].startswith("Our 2026 webinar series opens this month. Save your place today.")
    assert hidden[2].count("\u034f\u200c&nbsp;") >= 80


def test_footer_has_address_view_online_and_unsubscribe(samples_rendered):
    html = html_of(samples_rendered["february-2026"])
    footer = html[html.index('class="fo-footer"'):]
    assert "WeProtect Global Alliance, London, United Kingdom" in footer
    assert 'href="{{ MessageURL }}"' in footer and ">View in your browser</a>" in footer
    assert 'href="{{ UnsubscribeURL }}"' in footer and ">Unsubscribe</a>" in footer


def test_key_figures_are_columns_in_a_navy_band(samples_rendered):
    html = html_of(samples_rendered["reflections-2025"])
    assert html.count('class="fo-band"') >= 3
    assert "background-color:#0d2f4f" in html
    # 5 figures: a row of 3 and a row of 2 from 480 px up (and for Outlook), pairs below
    assert re.findall(r'class="fo-figure fo-figure-(\d)', html) == ["3", "3", "3", "2", "2"]
    assert html.count('<!--[if mso]><td width="184"') == 3
    values = re.findall(r'<p class="fo-figure-value fo-size-\d+" style="([^"]*)">([^<]*)</p>', html)
    assert [v for _, v in values] == ["345", "1,000+", "109", "18,000+", "6"]
    assert all("color:#f2a900" in style for style, _ in values)


def test_digest_is_the_default_for_annual_reviews(project):
    configure(project, {"pdf_url": "https://example.org/mini/mini.pdf"})
    html = html_of(render_mini(project))
    assert "Numbers that tell the story." not in html  # full text left out
    assert "A short opening." in html  # the summary
    assert re.search(r'href="https://example.org/mini/#introduction"[^>]*>Read more', html)
    assert 'href="https://example.org/mini/mini.pdf"' in html
    assert ">Read the full review</a>" in html


def test_full_mode_has_every_section_and_its_notes(project):
    configure(project, {"mode": "full"})
    files = render_mini(project)
    html = html_of(files)
    assert "Numbers that tell the story." in html and "The picture above is blue." in html
    assert "Read more" not in html
    assert "A footnote for the record." in html
    assert 'href="#' not in html  # in-page links do not work in email
    text = files["email.txt"].decode()
    assert "[1] A footnote for the record." in text


def test_newsletter_defaults_to_full_with_a_hero(project):
    shutil.copy(project / "content" / "mini" / "images" / "pic.png",
                project / "content" / "mini" / "images" / "cover.png")
    configure(project, kind="newsletter", cover_image="images/cover.png",
              cover_image_alt="A blue banner.")
    html = html_of(render_mini(project))
    assert "Numbers that tell the story." in html
    assert re.search(r'<img alt="A blue banner." [^>]*src="https://example.org/mini/'
                     r'email-images/cover.png"', html)


def test_bad_sender_is_reported_with_its_line(project):
    configure(project, {"from": "not an address"})
    with pytest.raises(ContentError) as caught:
        render_mini(project)
    assert "edition.yaml" in str(caught.value) and "'email.from'" in str(caught.value)


def test_broken_email_template_is_a_template_error(project):
    templates = project / "content" / "mini" / "templates" / "email" / "components"
    templates.mkdir(parents=True)
    (templates / "text.mjml").write_text("<mj-section><mj-column><mj-text>unclosed")
    with pytest.raises(TemplateError) as caught:
        render_mini(project)
    assert "MJML" in str(caught.value)


@pytest.mark.browser
@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", [375, 600])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sample_email_fits_phone_and_desktop(browser, sample_builds, tmp_path, name, width,
                                              scheme):
    folder = sample_builds / name
    base = load_edition(ROOT / "content" / name).config.email.asset_base_url
    requests: list[str] = []

    def serve(route):
        url = route.request.url
        requests.append(url)
        if url.startswith(base):  # the hosted pictures, from email-images/
            route.fulfill(path=str(folder / "email-images" / url[len(base):]))
        elif url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page.route("**/*", serve)
    page.goto((folder / "email.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")
    assert too_wide == []
    broken = page.evaluate("""() => [...document.images]
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)""")
    assert broken == []
    # Nothing but the email's own pictures is asked for: no fonts, no trackers.
    assert all(url.startswith(("file:", base)) for url in requests), requests
    # The five key figures: rows of 3 and 2 at 600 px, pairs (2 + 2 + 1) at 375.
    if name == "reflections-2025":
        boxes = page.evaluate("""() => [...document.querySelectorAll('.fo-figure')]
            .map(e => e.getBoundingClientRect().top)""")
        rows = [boxes.count(top) for top in sorted(set(boxes))]
        assert rows == ([2, 2, 1] if width == 375 else [3, 2])
    title = page.locator("h1").bounding_box()
    assert title and title["width"] > 200
    page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.close()
