"""The PDF claims exactly the standard asked for: PDF/A-3b (part 3, conformance B) or
PDF/UA-1, read from the XMP metadata the way a validator reads it."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from folio.formats.pdf.structure import restructure
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


def test_no_stream_of_an_archival_pdf_ends_in_a_carriage_return() -> None:
    """Such data would read as ending in a CR LF end of line, one byte short of its length.

    Flate data ends in a checksum of what it holds, so compressing again at another level
    ends the same way: the finished file must encode it otherwise, holding the same data.
    """
    data = next(d for d in (b"q Q %" + b"a" * n + b"\n" for n in range(1000))
                if all(zlib.compress(d, level).endswith(b"\r") for level in range(1, 10)))
    document = pikepdf.new()
    document.add_blank_page()
    contents = document.make_stream(b"")
    contents.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
    document.pages[0].obj.Contents = contents
    written = io.BytesIO()
    document.save(written)
    for variant in ("pdf/a-3b", "pdf/a-3a"):
        finished = pikepdf.open(io.BytesIO(restructure(written.getvalue(), variant)))
        streams = [s for s in finished.objects if isinstance(s, pikepdf.Stream)]
        assert streams and not any(s.read_raw_bytes().endswith(b"\r") for s in streams)
        assert finished.pages[0].obj.Contents.read_bytes() == data
