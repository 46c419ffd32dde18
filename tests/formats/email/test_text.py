"""The plain-text part: it reads on its own, wrapped, with links and notes."""

from __future__ import annotations

import pytest

from folio.content import load_edition
from folio.formats.email.text import WIDTH, html_to_text
from tests.formats.email.helpers import (
    ROOT,
    SAMPLES,
    TRACKING,
)


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
