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
