"""Merge fixtures: a project with the donor-statement edition, and readers of its outputs."""

from __future__ import annotations

import csv
import shutil
import unicodedata
from email import message_from_bytes, policy
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "merge" / "content"
COLUMNS = ["donor_id", "first_name", "last_name", "email", "region", "total", "gifts"]


@pytest.fixture
def donor_project(tmp_path: Path) -> Path:
    """A project folder with content/donor-statement/ (and its donors.csv)."""
    shutil.copytree(FIXTURE / "donor-statement", tmp_path / "content" / "donor-statement")
    return tmp_path


def write_rows(path: Path, rows: list[list[str]], columns: list[str] = COLUMNS) -> Path:
    """Write a CSV file of recipients, quoting as a spreadsheet program does."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def many_rows(count: int) -> list[list[str]]:
    """Return `count` plain rows, D-0001 ..."""
    return [[f"D-{n:04d}", f"Name{n}", f"Family{n}", f"donor{n}@example.org",
             ("North", "South", "Coast")[n % 3], f"£{n * 5}", str(n % 7 + 1)]
            for n in range(1, count + 1)]


def pdf_text(path: Path) -> str:
    """Return the text of a PDF, normalised (NFKC) and with runs of spaces as one."""
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    text = text.replace("\x00", "")  # pypdf reads some CID fonts as UTF-16
    return " ".join(unicodedata.normalize("NFKC", text).split())


def email_parts(path: Path) -> tuple[str, str, str, str]:
    """Return a message's To, Subject, plain text and HTML."""
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return (str(message["To"]), str(message["Subject"]), plain.get_content(),
            html.get_content())


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """Write a one-sheet workbook as a spreadsheet program does (inline strings, numbers)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(column: int, row: int, value: object) -> str:
        where = f"{chr(65 + column)}{row}"
        if isinstance(value, (int, float)):
            return f'<c r="{where}"><v>{value}</v></c>'
        return f'<c r="{where}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    sheet = "".join(f'<row r="{r}">' + "".join(cell(c, r, v) for c, v in enumerate(row))
                    + "</row>" for r, row in enumerate(rows, 1))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets><sheet name="Donors" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet}'
                                    "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return path
