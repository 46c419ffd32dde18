"""The .eml: parts, headers, and pictures that travel inside."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.formats.email.helpers import (
    configure,
    html_of,
    message_of,
    render_edition,
    render_mini,
)


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


def test_eml_lines_are_at_most_76_characters(samples_rendered):
    """RFC 2045: encoded lines of quoted-printable (and base64) are 76 characters at most."""
    for files in samples_rendered.values():
        lines = files["email.eml"].split(b"\r\n")
        assert max(len(line) for line in lines) <= 76
        assert sum(len(line) == 76 for line in lines) > 10  # the limit is used, not 78


def test_eml_of_an_arabic_edition_is_base64_and_smaller(tmp_path):
    folder = tmp_path / "content" / "arabic"
    shutil.copytree(FIXTURES / "content" / "arabic", folder)
    paragraph = (folder / "01-opening.md").read_text().split("\n---\n", 1)[1].split("\n")[0]
    (folder / "05-long.md").write_text("---\ntitle: نص طويل\n---\n" + "\n\n".join([paragraph] * 60))
    files = render_edition(folder)
    message = message_of(files)
    html_part = message.get_body(("html",))
    assert html_part["Content-Transfer-Encoding"] == "base64"
    assert html_part.get_content() == html_of(files).replace("\n", "\r\n")
    assert len(html_part.get_payload()) < 1.4 * len(files["email.html"])
    assert max(len(line) for line in files["email.eml"].split(b"\r\n")) <= 76


def test_without_asset_base_url_pictures_travel_inside(project, caplog):
    configure(project, {"asset_base_url": None, "reply_to": "Desk <desk@example.org>"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render_mini(project)
    assert any("asset_base_url is not set" in r.getMessage() for r in caplog.records)
    assert 'src="email-images/pic.png"' in html_of(files)
    message = message_of(files)
    assert message["Reply-To"] == "Desk <desk@example.org>"
    # alternative: the text, then (related: the HTML, then its pictures), in that order.
    assert message.get_content_type() == "multipart/alternative"
    text, related = list(message.iter_parts())
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *pictures = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    # The edition's picture, beside the theme's artwork (a JPEG) at the head of the email.
    [picture] = [p for p in pictures if p.get_content_type() == "image/png"]
    assert picture.get_content_disposition() == "inline"
    assert [p for p in message.walk() if p.get_content_disposition() == "attachment"] == []
    assert files["email.eml"].count(b"MIME-Version") == 1
    assert picture["Content-ID"] == "<pic.png@example.org>"
    assert picture.get_content() == files["email-images/pic.png"]
    html = message.get_body(("html",)).get_content()
    assert 'src="cid:pic.png@example.org"' in html and "email-images/" not in html
    assert render_mini(project)["email.eml"] == files["email.eml"]


def test_a_newsletter_without_pictures_carries_none(project, caplog):
    """The theme's artwork heads an annual review's email only: a newsletter with no
    pictures of its own needs nothing hosted, and hears nothing of asset_base_url."""
    configure(project, {"asset_base_url": None})
    (project / "content" / "mini" / "04-picture.md").unlink()
    annual = render_mini(project)
    assert [n for n in annual if n.startswith("email-images/")] == [
        "email-images/theme-artwork.jpg"]
    edition = project / "content" / "mini" / "edition.yaml"
    edition.write_text(edition.read_text().replace("kind: annual-review", "kind: newsletter"))
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render_mini(project)
    assert not any(name.startswith("email-images/") for name in files)
    assert b"theme-artwork" not in files["email.html"]
    assert not any("asset_base_url" in r.getMessage() for r in caplog.records)


def test_without_pictures_no_word_of_asset_base_url(project, caplog):
    configure(project, {"asset_base_url": None})
    (project / "content" / "mini" / "04-picture.md").unlink()
    bare = project / "templates" / "bare"  # a theme without artwork: no picture at all
    bare.mkdir(parents=True)
    default = Path(__file__).resolve().parents[3] / "templates" / "default" / "theme.yaml"
    (bare / "theme.yaml").write_text(default.read_text().replace("name: default", "name: bare")
                                     .replace("artwork: artwork.jpg\n", ""))
    edition = project / "content" / "mini" / "edition.yaml"
    edition.write_text(edition.read_text() + "theme: bare\n")
    with caplog.at_level(logging.WARNING, logger="folio"):
        files = render_mini(project)
    assert not any(name.startswith("email-images/") for name in files)
    assert not any("asset_base_url" in r.getMessage() for r in caplog.records)
