"""Every glyph of the PDF copies as the text it shows (`formats/pdf/mapping`).

WeasyPrint maps a glyph to nothing when it first draws it as the second glyph of a
cluster (a vowelled Arabic letter): that letter then vanished from every word copied out
of the PDF, and the empty entry cost the file its PDF/UA-1 claim.
"""

from __future__ import annotations

import io
import re
import shutil

import pdfplumber
import pikepdf
import pytest

from folio.formats.pdf.conformance import rule_failures
from tests.formats.pdf.helpers import ROOT, build_pdf

pytestmark = pytest.mark.slow
VOWELLED = "أَهْلًا وَسَهْلًا بِكُمْ في مُؤْتَمَرِنَا"
"""Vowel marks on أ: the cluster HarfBuzz gives two glyphs, the first mapped to nothing."""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    project = tmp_path_factory.mktemp("tounicode")
    folder = project / "content" / "arabic"
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "arabic", folder)
    opening = folder / "01-opening.md"
    opening.write_text(opening.read_text(encoding="utf-8") + f"\n{VOWELLED}.\n",
                       encoding="utf-8")
    return build_pdf(project, "arabic").read_bytes()


def test_no_glyph_is_mapped_to_nothing(pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        maps = [font.ToUnicode.read_bytes() for font in document.objects
                if isinstance(font, pikepdf.Dictionary) and "/ToUnicode" in font]
    assert maps and not [m for m in maps if re.search(rb">\s*<>", m)]


def test_the_letter_copies_out_and_the_claim_holds(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "أ" in text
    assert rule_failures(pdf, "ua1") == []
    assert b"pdfuaid" in pdf or b"pdfuaid" in _metadata(pdf)


def _metadata(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return bytes(document.Root.Metadata.read_bytes())
