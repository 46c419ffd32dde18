"""Pictures prepared for the PDF by a second thread while WeasyPrint lays the pages out."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from folio.formats.pdf import prefetch
from folio.formats.pdf.document import print_document
from folio.formats.pdf.fetcher import ResourcePolicy
from folio.formats.pdf.layout import PrintDocument, write_pdf
from tests.conftest import FIXTURES

NOTHING = re.compile(r"(?!)(.)(.)")
"""A picture pattern that matches nothing: the layout then loads every picture itself."""


def test_pictures_are_prepared_ahead_and_the_pdf_is_the_same(
        mini, monkeypatch: pytest.MonkeyPatch) -> None:
    document = print_document(*mini)
    urls = prefetch.addresses(document.html, document.base_url, document.policy)
    assert urls and all(url.endswith(".png") for url in urls)
    cache, thread = prefetch.prefetch(document.html, document.base_url, document.policy,
                                      document.options)
    thread.shutdown()
    for url in urls:
        image = dict.get(cache, url)
        assert image is not None and "get_x_object" in vars(image), url  # ready to hand out
    # The prepared object goes out once (a PDF holds each object once); then made anew.
    image = dict.get(cache, urls[0])
    first, second = image.get_x_object(True, 1), image.get_x_object(True, 1)
    assert first is not second and bytes(first.data) == bytes(second.data)

    ahead, refused, _ = write_pdf(document)
    assert not refused
    monkeypatch.setattr(prefetch, "PICTURE", NOTHING)
    assert prefetch.addresses(document.html, document.base_url, document.policy) == []
    assert write_pdf(document)[0] == ahead  # byte for byte


def test_the_draft_review_pdf_is_the_same_with_its_wide_picture(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's draft: a 2400 px timeline (palette PNG), theme artwork, no cover picture."""
    from folio.content import load_edition
    from folio.markup import render_sections
    from folio.theme import load_theme

    shutil.copytree(FIXTURES / "content" / "draft-review", tmp_path / "content" / "draft")
    edition = render_sections(load_edition(tmp_path / "content" / "draft"))
    document = print_document(edition, load_theme(edition.config.theme, tmp_path, edition.root))
    assert any("timeline" in url for url in prefetch.addresses(
        document.html, document.base_url, document.policy))
    ahead = write_pdf(document)[0]
    monkeypatch.setattr(prefetch, "PICTURE", NOTHING)
    assert write_pdf(document)[0] == ahead


def picture_page(folder: Path, body: str) -> PrintDocument:
    return PrintDocument(f"<!doctype html><html lang=en><title>T</title><body>{body}</body>"
                         "</html>", folder.as_uri() + "/", ResourcePolicy.of([folder]),
                         {"pdf_variant": "pdf/ua-1", "pdf_tags": True})


def test_what_the_thread_cannot_prepare_is_left_to_the_layout(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A file that is not a picture, or one outside the allowed folders, is not touched
    ahead: the layout meets it and reports it once, as it would without the thread."""
    shutil.copy(FIXTURES / "content" / "mini" / "images" / "pic.png", tmp_path / "good.png")
    (tmp_path / "broken.png").write_bytes(b"not a picture at all")
    document = picture_page(tmp_path, '<img src="good.png" alt="Good">'
                                      "<img src='broken.png' alt=\"Broken\">"
                                      '<img src="data:image/png;base64,AAAA" alt="Inline">'
                                      '<img src="../elsewhere.png" alt="Outside">')
    urls = prefetch.addresses(document.html, document.base_url, document.policy)
    assert urls == [(tmp_path / "good.png").as_uri(), (tmp_path / "broken.png").as_uri()]
    cache, thread = prefetch.prefetch(document.html, document.base_url, document.policy,
                                      document.options)
    thread.shutdown()
    assert (tmp_path / "good.png").as_uri() in cache
    assert (tmp_path / "broken.png").as_uri() not in cache

    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="folio"):
        write_pdf(picture_page(tmp_path, '<img src="good.png" alt="Good">'
                                         '<img src="broken.png" alt="Broken">'))
    failed = [r for r in caplog.records if "broken.png" in r.getMessage()]
    assert len(failed) == 1, [r.getMessage() for r in failed]  # the layout's, not the thread's
    assert failed[0].threadName == "MainThread"


def test_pictures_the_css_turns_are_left_to_the_layout(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "content" / "mini" / "images" / "pic.png", tmp_path / "pic.png")
    document = picture_page(tmp_path, '<style>img { image-orientation: none }</style>'
                                      '<img src="pic.png" alt="Picture">')
    cache, thread = prefetch.prefetch(document.html, document.base_url, document.policy,
                                      document.options)
    thread.shutdown()
    assert not cache.preparing and not dict(cache)
