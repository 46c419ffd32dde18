"""The email format: structure, size, merge tags, link tracking, plain text, .eml, pictures,
and the sample emails in a real headless Chromium at phone and desktop widths."""

from __future__ import annotations

import email
import io
import logging
import re
import shutil
from email.policy import default
from pathlib import Path

import pytest
import yaml
from tests.htmlcheck import parse
from PIL import Image

from folio.build import build
from folio.content import load_edition
from folio.email_html import head_styles
from folio.email_links import add_utm, has_merge_tag
from folio.email_text import WIDTH, html_to_text
from folio.errors import ContentError, TemplateError
from folio.formats.email import render
from folio.markup import render_sections
from folio.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SAMPLES = ["february-2026", "reflections-2025"]
TRACKING = "utm_source=newsletter&utm_medium=email&utm_campaign="


# --- helpers ------------------------------------------------------------------------


def configure(project: Path, email_settings: dict | None = None, **settings: object) -> None:
    """Change the mini edition's edition.yaml: top-level keys and `email:` keys."""
    path = project / "content" / "mini" / "edition.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(settings)
    data["email"] = {**data.get("email", {}), **(email_settings or {})}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def render_edition(folder: Path) -> dict[str, bytes]:
    edition = render_sections(load_edition(folder))
    return render(edition, load_theme(edition.config.theme, folder.parent.parent, edition.root))


def render_mini(project: Path) -> dict[str, bytes]:
    return render_edition(project / "content" / "mini")


def html_of(files: dict[str, bytes]) -> str:
    return files["email.html"].decode()


def outside_comments(html: str) -> str:
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


def message_of(files: dict[str, bytes]) -> email.message.EmailMessage:
    return email.message_from_bytes(files["email.eml"], policy=default)


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a\b[^>]*?\shref=(?:"([^"]*)"|\'([^\']*)\')', html)


@pytest.fixture(scope="module")
def samples_rendered() -> dict[str, dict[str, bytes]]:
    return {name: render_edition(ROOT / "content" / name) for name in SAMPLES}


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("email")
    shutil.copytree(ROOT / "content", project / "content")
    results = list(build(SAMPLES, content=project / "content", out=project / "build",
                         formats=["email"]))
    for result in results:
        assert result.ok, result.problems
        assert result.warnings == [], result.warnings
    return project / "build"


# --- structure ----------------------------------------------------------------------


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
    assert html.count("mj-column-per-33") >= 3  # 5 figures: a row of 3 and a row of 2
    values = re.findall(r'<p class="fo-figure-value" style="([^"]*)">([^<]*)</p>', html)
    assert [v for _, v in values] == ["345", "1,000+", "109", "18,000+", "6"]
    assert all("color:#f2a900" in style for style, _ in values)


# --- modes --------------------------------------------------------------------------


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


# --- merge tags ---------------------------------------------------------------------

PRESETS = {
    "mailchimp": ("*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": ("{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "sendgrid": ("<%asm_group_unsubscribe_raw_url%>", None),
    "brevo": ("{{ unsubscribe }}", "{{ mirror }}"),
    "mailgun": ("%unsubscribe_url%", None),
}


@pytest.mark.parametrize("preset", PRESETS)
def test_merge_tag_presets_come_out_byte_for_byte(project, preset):
    configure(project, {"merge_tags": preset, "tracking": {"campaign": "mini"}})
    files = render_mini(project)
    html = html_of(files)
    unsubscribe, view = PRESETS[preset]
    assert html.count(f'href="{unsubscribe}"') == 1
    if view:
        assert html.count(f'href="{view}"') == 2  # above the header and in the footer
    else:  # no view-online tag at this service: the web page, tracked
        tracked = TRACKING.replace("&", "&amp;")
        assert html.count(f'href="https://example.org/mini/?{tracked}mini"') >= 2
    text = files["email.txt"].decode()
    assert f"Unsubscribe: <{unsubscribe}>" in text
    message = message_of(files)
    html_part = message.get_body(("html",)).get_content()
    assert f'href="{unsubscribe}"' in html_part
    assert f"<{unsubscribe}>" in message.get_body(("plain",)).get_content()
    assert "List-Unsubscribe" not in message  # the service adds its own


def test_custom_merge_tags_and_one_click_unsubscribe(project):
    configure(project, {
        "merge_tags": "custom",
        "unsubscribe_url": "https://lists.example.org/unsubscribe?id={{ .Subscriber.UUID }}&x=1",
        "view_online_url": '{{ TrackLink "https://example.org/mini/" }}',
        "tracking": {"campaign": "mini"}})
    files = render_mini(project)
    html = html_of(files)
    assert 'href="https://lists.example.org/unsubscribe?id={{ .Subscriber.UUID }}&x=1"' in html
    assert "href='{{ TrackLink \"https://example.org/mini/\" }}'" in html
    configure(project, {"merge_tags": "custom",
                        "unsubscribe_url": "https://lists.example.org/u/42"})
    message = message_of(render_mini(project))
    assert message["List-Unsubscribe"] == "<https://lists.example.org/u/42>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mailto_unsubscribe_has_no_one_click_header(project):
    configure(project, {"unsubscribe_url": "mailto:leave@example.org?subject=unsubscribe"})
    message = message_of(render_mini(project))
    assert message["List-Unsubscribe"] == "<mailto:leave@example.org?subject=unsubscribe>"
    assert "List-Unsubscribe-Post" not in message


def test_missing_unsubscribe_link_warns(project, caplog):
    with caplog.at_level(logging.WARNING, logger="folio"):
        render_mini(project)
    assert any("no unsubscribe link" in r.getMessage() for r in caplog.records)


def test_merge_tag_detection():
    for tag in ("*|UNSUB|*", "{{ UnsubscribeURL }}", "<%asm_group_unsubscribe_raw_url%>",
                "{{ mirror }}", "%unsubscribe_url%", "https://x.org/u?id={{ .Subscriber.UUID }}"):
        assert has_merge_tag(tag), tag
    for plain in ("https://example.org/a%20b%2Fc", "mailto:a@example.org", "https://x.org/#top"):
        assert not has_merge_tag(plain), plain


# --- link tracking ------------------------------------------------------------------


def test_utm_parameters_on_every_web_link(project):
    (project / "content" / "mini" / "07-links.md").write_text(
        "---\ntitle: Links\n---\nSee [the report](https://example.org/report?ref=home#part-2), "
        "[a tagged link](https://example.org/t?utm_source=partner), "
        "[write to us](mailto:info@example.org) and [plain](http://example.org/plain).\n")
    configure(project, {"mode": "full", "merge_tags": "mailchimp",
                        "tracking": {"campaign": "spring", "source": "members"}})
    files = render_mini(project)
    html = html_of(files)
    utm = "utm_source=members&amp;utm_medium=email&amp;utm_campaign=spring"
    assert f'href="https://example.org/report?ref=home&amp;{utm}#part-2"' in html
    assert ('href="https://example.org/t?utm_source=partner&amp;utm_medium=email&amp;'
            'utm_campaign=spring"') in html
    assert 'href="mailto:info@example.org"' in html
    assert f'href="http://example.org/plain?{utm}"' in html
    for double, single in hrefs(html):
        href = double or single
        if href.startswith(("http://", "https://")):
            assert "utm_campaign=spring" in href, href
        else:
            assert "utm_" not in href, href
    text = files["email.txt"].decode()
    assert ("<https://example.org/report?ref=home&utm_source=members&utm_medium=email&"
            "utm_campaign=spring#part-2>") in text
    assert "<mailto:info@example.org>" in text and "<*|UNSUB|*>" in text


def test_add_utm_rules():
    from folio.schema import Tracking

    tracking = Tracking(campaign="c")
    assert add_utm("https://x.org/a", tracking) == \
        "https://x.org/a?utm_source=newsletter&utm_medium=email&utm_campaign=c"
    assert add_utm("https://x.org/a?b=1&c=%20#f", tracking) == \
        "https://x.org/a?b=1&c=%20&utm_source=newsletter&utm_medium=email&utm_campaign=c#f"
    assert add_utm("mailto:a@x.org", tracking) == "mailto:a@x.org"
    assert add_utm("*|UNSUB|*", tracking) == "*|UNSUB|*"
    assert add_utm("https://x.org/u/{{ id }}", tracking) == "https://x.org/u/{{ id }}"
    assert add_utm("https://x.org/", None) == "https://x.org/"


def test_no_tracking_leaves_links_alone(project):
    html = html_of(render_mini(project))
    assert "utm_" not in html


# --- plain text ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_plain_text_reads_on_its_own(samples_rendered, name):
    text = samples_rendered[name]["email.txt"].decode()
    edition = load_edition(ROOT / "content" / name)
    lines = text.splitlines()
    assert lines[0] == edition.config.title and lines[1] == "=" * len(edition.config.title)
    for line in lines:
        assert len(line) <= WIDTH or "<http" in line, line
        assert "<p" not in line and "&amp;" not in line and "&nbsp;" not in line
    for section in edition.sections:
        title = section.meta.title
        assert f"{title}\n{'-' * len(title)}\n" in text
    assert "WeProtect Global Alliance, London, United Kingdom" in text
    assert "Unsubscribe: <" in text


def test_plain_text_of_the_newsletter(samples_rendered):
    text = samples_rendered["february-2026"]["email.txt"].decode()
    assert "  * safer design choices that reduce risk from the outset;" in text
    assert "Register for the webinar <https://example.org/webinars/prevention-framework?" in text
    assert "* 24 February 2026 – Webinar: the Prevention Framework in practice (Online)" in text
    assert "View in your browser: <{{ MessageURL }}>" in text


def test_plain_text_of_the_digest(samples_rendered):
    text = samples_rendered["reflections-2025"]["email.txt"].decode()
    assert "      345  members worldwide" in text
    assert ("Read more: <https://example.org/reflections-2025/?" + TRACKING +
            "reflections-2025#international-momentum>") in text
    assert "Download the PDF: <https://example.org/reflections-2025/reflections-2025.pdf?" in text


def test_html_to_text_blocks():
    text = html_to_text(
        "<h3>Sub</h3><p>A <a href='https://x.org/a'>link</a> and <a href='https://x.org'>"
        "https://x.org</a>.</p><ol><li>one</li><li>two</li></ol>"
        "<table class='fo-data'><tr><th>Year</th><th>Members</th></tr>"
        "<tr><td>2025</td><td>345</td></tr></table><blockquote><p>Said.</p></blockquote>")
    assert text == ("Sub\n~~~\n\nA link <https://x.org/a> and <https://x.org>.\n\n"
                    "  1. one\n  2. two\n\nYear | Members\n-----+--------\n2025 | 345\n\n"
                    "> Said.")


# --- the .eml -----------------------------------------------------------------------


def test_eml_parts_and_headers(samples_rendered):
    files = samples_rendered["february-2026"]
    message = message_of(files)
    assert message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["Subject"] == "Join us on 24 February: the Prevention Framework in practice"
    assert message["From"] == "WeProtect Global Alliance <news@example.org>"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["Date"] == "Mon, 02 Feb 2026 09:00:00 +0000"
    assert re.fullmatch(r"<[0-9a-f]{32}@example\.org>", message["Message-ID"])
    assert message["Content-Language"] == "en-GB"
    crlf = "\r\n"
    assert message.get_body(("html",)).get_content() == html_of(files).replace("\n", crlf)
    assert message.get_body(("plain",)).get_content() == \
        files["email.txt"].decode().replace("\n", crlf)
    assert b"\r\n" in files["email.eml"] and b"\n\n" not in files["email.eml"]
    assert max(len(line) for line in files["email.eml"].split(b"\r\n")) <= 78


def test_without_asset_base_url_pictures_travel_inside(project, caplog):
    configure(project, {"asset_base_url": None, "reply_to": "Desk <desk@example.org>"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render_mini(project)
    assert any("asset_base_url is not set" in r.getMessage() for r in caplog.records)
    assert 'src="email-images/pic.png"' in html_of(files)
    message = message_of(files)
    assert message["Reply-To"] == "Desk <desk@example.org>"
    assert message.get_content_type() == "multipart/related"
    inner, picture = list(message.iter_parts())
    assert inner.get_content_type() == "multipart/alternative"
    assert picture.get_content_type() == "image/png"
    assert picture["Content-ID"] == "<pic.png@example.org>"
    assert picture.get_content() == files["email-images/pic.png"]
    html = message.get_body(("html",)).get_content()
    assert 'src="cid:pic.png@example.org"' in html and "email-images/" not in html
    assert render_mini(project)["email.eml"] == files["email.eml"]


def test_bad_sender_is_reported_with_its_line(project):
    configure(project, {"from": "not an address"})
    with pytest.raises(ContentError) as caught:
        render_mini(project)
    assert "edition.yaml" in str(caught.value) and "'email.from'" in str(caught.value)


# --- pictures -----------------------------------------------------------------------


def test_large_pictures_are_scaled_and_svg_left_out(project, caplog):
    folder = project / "content" / "mini"
    Image.new("RGB", (2400, 1200), "#3366aa").save(folder / "images" / "big.png")
    Image.new("RGB", (1800, 900), "#aa6633").save(folder / "images" / "photo.jpg")
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    (folder / "07-big.md").write_text(
        "---\ntitle: Big\nlayout: image\nimage: images/big.png\nimage_alt: A big picture.\n"
        "summary: Big.\n---\n"
        "Text with a photo: ![A photo](images/photo.jpg)\n")
    (folder / "08-chart.md").write_text(
        "---\ntitle: Chart\nlayout: image\nimage: images/chart.svg\nimage_alt: A chart.\n---\n")
    configure(project, {"mode": "full"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render_mini(project)
    assert any("SVG" in r.getMessage() and "chart.svg" in r.getMessage()
               for r in caplog.records)
    with Image.open(__import__("io").BytesIO(files["email-images/big.png"])) as big:
        assert big.size == (1200, 600)
    with Image.open(__import__("io").BytesIO(files["email-images/photo.jpg"])) as photo:
        assert photo.format == "JPEG" and photo.width == 1200
    html = html_of(files)
    assert "svg" not in html.lower()
    assert re.search(r'<img alt="A big picture." [^>]*src="https://example.org/mini/'
                     r'email-images/big.png"[^>]*width="536"', html)
    assert re.search(r'<img src="https://example.org/mini/email-images/photo.jpg" '
                     r'alt="A photo" width="536"', html)
    assert render_mini(project) == files
    configure(project, {"mode": "digest"})
    assert "email-images/photo.jpg" not in render_mini(project)  # the text is not shown


def test_pictures_outside_the_edition_and_elsewhere(project, caplog):
    import dataclasses

    from folio.markup import render_markdown

    body = ("![far](https://cdn.example.net/a.png) ![escape](../../secret.png) "
            "![same](images/pic.png)\n")
    (project / "content" / "mini" / "07-pictures.md").write_text(
        "---\ntitle: Pictures\n---\n" + body)
    configure(project, {"mode": "full"}, logo="images/pic.png")
    with pytest.raises(ContentError) as caught:
        render_mini(project)  # the Markdown stage refuses both pictures...
    assert [p.line for p in caught.value.problems] == [4, 4]
    # ...and were one to slip through, the email leaves it out with a warning.
    edition = load_edition(project / "content" / "mini")
    html, _ = render_markdown(body, "pictures")
    edition = dataclasses.replace(edition, sections=tuple(
        dataclasses.replace(s, html=html if s.slug == "pictures" else s.body)
        for s in edition.sections))
    theme = load_theme(edition.config.theme, project, edition.root)
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render(edition, theme)
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "https://cdn.example.net/a.png is loaded from another website" in messages
    assert "'../../secret.png' is not in the edition folder" in messages
    html = html_of(files)
    assert "secret" not in html
    # The logo (flattened onto white) and the same file in the text are two copies.
    assert {"email-images/pic.png", "email-images/pic-2.png"} <= set(files)


# --- themes -------------------------------------------------------------------------


def test_broken_email_template_is_a_template_error(project):
    templates = project / "content" / "mini" / "templates" / "email" / "components"
    templates.mkdir(parents=True)
    (templates / "text.mjml").write_text("<mj-section><mj-column><mj-text>unclosed")
    with pytest.raises(TemplateError) as caught:
        render_mini(project)
    assert "MJML" in str(caught.value)


# --- a real browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        yield instance
        instance.close()


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
    # Stacking: the key figures sit side by side at 600 px and one above another at 375.
    if name == "reflections-2025":
        boxes = page.evaluate("""() => [...document.querySelectorAll('.fo-figure')]
            .map(e => e.getBoundingClientRect().top)""")
        assert (len(set(boxes)) == 5) == (width == 375)
    title = page.locator("h1").bounding_box()
    assert title and title["width"] > 200
    page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.close()


def test_a_changed_picture_is_encoded_again_in_the_same_process(project):
    """The email remembers its scaled pictures by content, so an edit is never stale."""
    first = render_mini(project)["email-images/pic.png"]
    assert render_mini(project)["email-images/pic.png"] == first
    Image.new("RGB", (400, 200), (200, 30, 30)).save(
        project / "content" / "mini" / "images" / "pic.png")
    again = render_mini(project)["email-images/pic.png"]
    assert again != first
    with Image.open(io.BytesIO(again)) as picture:
        assert picture.convert("RGB").getpixel((10, 10)) == (200, 30, 30)


def test_inlining_never_loads_a_remote_stylesheet(monkeypatch):
    """css-inline runs with remote loading off: a linked stylesheet is dropped, not fetched."""
    import socket

    from folio.email_html import finish

    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    page = ('<html><head><link rel="stylesheet" href="http://192.0.2.1/remote.css">'
            '<style>@import url("http://192.0.2.1/more.css"); p { color: red }</style>'
            '</head><body><p>Hello</p></body></html>')
    done = finish(page, content_css="", head_css="")
    assert attempts == []
    assert "192.0.2.1" not in done
    assert '<p style="color: red' in done or '<p style="color:red' in done
