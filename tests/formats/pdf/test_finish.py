"""The finished file: tags, artifacts, fonts, PDF/A, bleed and crop marks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from tests.formats.pdf.helpers import (
    MM,
    build_pdf,
    resolve,
    set_pdf,
    struct_kinds,
)


def test_tagged_pdf_ua(sample: tuple[Path, PdfReader]) -> None:
    _project, reader = sample
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    kinds = struct_kinds(reader)
    assert kinds.get("/Document") == 1
    assert kinds.get("/H1") == 1 and kinds.get("/H2", 0) >= 12  # cover, contents, sections
    assert kinds.get("/Figure", 0) >= 2 and kinds.get("/Table", 0) >= 2
    xmp = resolve(catalog["/Metadata"]).get_data()
    assert b"pdfuaid:part=\"1\"" in xmp or b"<pdfuaid:part>1<" in xmp


def test_running_furniture_is_not_read_out(sample: tuple[Path, PdfReader]) -> None:
    """Headers and page numbers are artifacts; every tagged piece of text is in the tree."""
    _project, reader = sample
    tree = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    nums = resolve(tree["/ParentTree"])["/Nums"]
    parents = {nums[i]: resolve(nums[i + 1]) for i in range(0, len(nums), 2)}
    for index, page in enumerate(reader.pages[1:], start=1):
        data = page.get_contents().get_data().decode("latin-1")
        if "/MCID" not in data:
            continue  # the blank page before the back cover
        assert len(re.findall(r"/Artifact\s+BMC", data)) >= 3  # header, section, page
        for mcid in map(int, re.findall(r"/MCID (\d+)", data)):
            element = resolve(parents[index][mcid])
            node = element
            while "/P" in node:  # climb to the root: no tagged text is left loose
                node = resolve(node["/P"])
            assert node.get("/Type") == "/StructTreeRoot"


def test_figures_have_alt_text(mini_pdf: tuple[Path, PdfReader]) -> None:
    _project, reader = mini_pdf
    root = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    figures, stack = [], [root]
    while stack:
        node = resolve(stack.pop())
        if not isinstance(node, DictionaryObject):
            continue
        if node.get("/S") == "/Figure":
            figures.append(node)
        kids = resolve(node.get("/K"))
        if isinstance(kids, ArrayObject):
            stack.extend(kids)
    assert figures
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    assert any(f["/Alt"] == "A plain blue rectangle." for f in figures)


def test_every_font_embedded_and_subset(sample: tuple[Path, PdfReader]) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (Debian poppler-utils) is not installed")
    project, _reader = sample
    out = subprocess.run(["pdffonts", str(project / "build" / "reflections-2025" /
                                          "reflections-2025.pdf")],
                         capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        # name, type..., encoding, emb, sub, uni, object, id
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
    names = " ".join(row[0] for row in rows)
    assert "Lato" in names and "Source-Serif-Pro" in names
    assert "Liberation" not in names and "DejaVu" not in names  # no system fallback


def test_print_ready_has_bleed_and_crop_marks(project: Path) -> None:
    set_pdf(project / "content" / "mini", print_ready=True)
    reader = PdfReader(build_pdf(project))
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert round((trim[2] - trim[0]) / MM) == 210 and round((trim[3] - trim[1]) / MM) == 297
        assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3, 3]
        assert [round((b - t) / MM, 2) for t, b in zip(trim[2:], bleed[2:], strict=True)] == [3, 3]
        # The marks sit in a slug outside the bleed, where the cut never shows them.
        assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM
        data = page.get_contents().get_data().decode("latin-1")
        data = data[data.rindex("/Artifact"):]  # the marks are drawn last
        marks = re.findall(r"(-?[\d.]+)\s+(-?[\d.]+)\s+m\s+(-?[\d.]+)\s+(-?[\d.]+)\s+l\s+S", data)
        assert len(marks) == 8
        for x1, y1, x2, y2 in marks:
            outside = [not (trim[0] - 1 < float(x) < trim[2] + 1 and
                            trim[1] - 1 < float(y) < trim[3] + 1)
                       for x, y in ((x1, y1), (x2, y2))]
            assert all(outside)


def test_pdf_a_3b(project: Path) -> None:
    set_pdf(project / "content" / "mini", variant="pdf/a-3b")
    reader = PdfReader(build_pdf(project))
    catalog = reader.trailer["/Root"]
    xmp = resolve(catalog["/Metadata"]).get_data()
    assert b"pdfaid" in xmp and b"3" in xmp and b"B" in xmp
    assert "/OutputIntents" in catalog
    assert "/StructTreeRoot" in catalog  # still tagged: archives are read aloud too
    assert catalog["/Lang"] == "en-GB"
