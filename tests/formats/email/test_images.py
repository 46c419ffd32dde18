"""Email pictures: scaled copies, addresses, and what is left out."""

from __future__ import annotations

import io
import logging
import re

import pytest
from PIL import Image

from folio.content import load_edition
from folio.errors import ContentError
from folio.formats.email import render
from folio.theme import load_theme
from tests.formats.email.helpers import (
    configure,
    html_of,
    render_mini,
)


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
