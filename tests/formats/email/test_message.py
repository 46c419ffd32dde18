"""The .eml: parts, headers, and pictures that travel inside."""

from __future__ import annotations

import logging
import re

from tests.formats.email.helpers import (
    configure,
    html_of,
    message_of,
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
