"""The PDF claims exactly the standard asked for: PDF/A-3b (part 3, conformance B) or
PDF/UA-1, read from the XMP metadata the way a validator reads it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

from tests.formats.pdf.helpers import build_pdf, resolve, set_pdf

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"


def xmp_values(pdf: Path, namespace: str) -> dict[str, str]:
    """Return the properties of one XMP namespace, written as attributes or as elements."""
    catalog = PdfReader(pdf).trailer["/Root"]
    root = ET.fromstring(resolve(catalog["/Metadata"]).get_data())
    values: dict[str, str] = {}
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.startswith(f"{{{namespace}}}"):
                values[name.split("}")[1]] = value
        if element.tag.startswith(f"{{{namespace}}}"):
            values[element.tag.split("}")[1]] = (element.text or "").strip()
    return values


def test_pdf_a_3b_says_part_3_conformance_b(project: Path) -> None:
    set_pdf(project / "content" / "mini", variant="pdf/a-3b")
    pdf = build_pdf(project)
    assert xmp_values(pdf, PDFAID) == {"part": "3", "conformance": "B"}
    catalog = PdfReader(pdf).trailer["/Root"]
    [intent] = catalog["/OutputIntents"]
    assert resolve(intent)["/S"] == "/GTS_PDFA1"
    assert resolve(resolve(intent)["/DestOutputProfile"]).get_data()[36:40] == b"acsp"


def test_the_default_claims_pdf_ua_1_and_no_pdf_a(project: Path) -> None:
    pdf = build_pdf(project)
    assert xmp_values(pdf, PDFUAID) == {"part": "1"}
    assert xmp_values(pdf, PDFAID) == {}
