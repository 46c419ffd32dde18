"""Code blocks in the PDF: fenced and indented code, set in a box, wrapped at the margin."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypdf import PdfReader

from tests.formats.pdf.helpers import ROOT, build_pdf


def test_code_blocks_wrap_inside_the_page(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "stress",
                    tmp_path / "content" / "stress")
    reader = PdfReader(build_pdf(tmp_path, "stress"))
    [page] = [p for p in reader.pages if "export_attendance.py" in p.extract_text()]
    lines = page.extract_text().splitlines()
    fenced = next(line for line in lines if "export_attendance.py" in line)
    start = lines.index(fenced)
    block = " ".join(lines[start:start + 4])
    # One command of 170 characters, on three or four lines that each fit the text column.
    assert fenced.startswith("python export_attendance.py --clinics")
    assert "flood-season.csv" in block
    assert len(fenced) < 90
    indented = [line for line in lines if line.startswith("SELECT clinic, week")]
    assert indented and len(indented[0]) < 90
