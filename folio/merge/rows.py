"""Rows: a CSV or XLSX file -> its columns and rows of text, each row with a safe file name.

The first row holds the column names. Every problem of the file (no header row, no rows,
a key missing, given twice or unable to name a file) is collected and reported together,
each at its line (the sheet's row in an XLSX), before anything is made.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, Problem
from .fields import column_name, columns_hint

MAX_ROWS = 1_000_000
UNSAFE = re.compile(r"[/\\:*?\"<>|\x00-\x1f\x7f-\x9f]")
"""Characters no file name may hold on one system or another."""
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class Row:
    """One recipient: its number among the data rows, its line in the file, its cells."""

    number: int
    line: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A data file read: its column names and its rows."""

    path: Path
    columns: list[str]
    rows: list[Row]

    def index(self, column: str) -> int | None:
        """Return the position of a column by name (`First name` or `first_name`)."""
        wanted = column_name(column)
        return next((i for i, c in enumerate(self.columns) if column_name(c) == wanted), None)


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file of recipients; raise `ContentError` when it cannot be used."""
    if not path.is_file():
        raise ContentError([Problem(path, None, "the data file does not exist; give the path "
                                    "of a CSV or XLSX file with --data")])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_lines(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        lines = _csv_lines(path)
    else:
        raise ContentError([Problem(path, None, "the data file must be a .csv or .xlsx file")])
    lines = [(number, cells) for number, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise ContentError([Problem(path, None, "the data file is empty; it needs a header row "
                                    "of column names, then one row per recipient")])
    header_line, header = lines[0]
    _check_header(path, header_line, header)
    columns = [c.strip() for c in header]
    while columns and not columns[-1]:
        columns.pop()
    if len(lines) == 1:
        raise ContentError([Problem(path, header_line, "the data file has column names but no "
                                    "rows; add one row per recipient")])
    rows = [Row(number, line, tuple((list(cells) + [""] * len(columns))[:len(columns)]))
            for number, (line, cells) in enumerate(lines[1:MAX_ROWS + 1], 1)]
    long = [Problem(path, line, (
        f"row {number} has {len(cells)} cells but there are {len(columns)} columns; put a "
        "cell that holds a comma in double quotes (\"£1,200\")"))
        for number, (line, cells) in enumerate(lines[1:MAX_ROWS + 1], 1)
        if any(c.strip() for c in cells[len(columns):])]
    if long:
        raise ContentError(long)
    return Table(path, columns, rows)


def _check_header(path: Path, line: int, header: list[str]) -> None:
    """Refuse a first row that holds data rather than column names."""
    cells = [c.strip() for c in header]
    while cells and not cells[-1]:
        cells.pop()
    fix = ("the first row must hold the column names (first_name, email, ...); insert a "
           "header row above the data")
    if not cells or any(not c for c in cells):
        raise ContentError([Problem(path, line, f"a column has no name; {fix}")])
    for cell in cells:
        if "@" in cell or re.fullmatch(r"[-+]?[\d.,£$€ ]+", cell):
            raise ContentError([Problem(path, line, f"'{cell[:40]}' looks like data, not a "
                                        f"column name; {fix}")])
    seen: dict[str, str] = {}
    for cell in cells:
        if column_name(cell) in seen:
            raise ContentError([Problem(path, line, (
                f"two columns are called '{cell}' (also '{seen[column_name(cell)]}'); "
                "rename one"))])
        seen[column_name(cell)] = cell


def _csv_lines(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(path, None, (
            f"the data file is not UTF-8 text (byte {exc.start}); save it again as "
            "CSV UTF-8"))]) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        start = 1
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ContentError([Problem(path, reader.line_num, f"the CSV cannot be read: {exc}; "
                                    "check the quotation marks on this line")]) from exc
    return lines


def _xlsx_lines(path: Path) -> list[tuple[int, list[str]]]:
    """Read the first sheet, each row with its number in the sheet (as the program shows it)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise ContentError([Problem(path, None, "the workbook cannot be read; save it again "
                                    "from the spreadsheet program as .xlsx, or as CSV")]) from exc
    return [(number, [_cell_text(v) for v in row]) for number, row in enumerate(values, 1)]


def _cell_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def safe_name(key: str) -> str | None:
    """Return a key as a file name (spaces as dashes), or None when it cannot be one."""
    name = "-".join(unicodedata.normalize("NFC", key).split())
    if not name or name in (".", "..") or name.startswith(".") or UNSAFE.search(name):
        return None
    if len(name.encode()) > MAX_NAME_BYTES:
        return None
    return name


def keyed_rows(table: Table, key: str | None) -> list[tuple[str, Row]]:
    """Return each row with its file name from the key column; refuse empty, unsafe or
    repeated keys, naming the rows."""
    column = table.index(key) if key else 0
    if column is None:
        raise ContentError([Problem(table.path, None, (
            f"there is no column '{key}' to name the files by; "
            f"{columns_hint(key or '', table.columns)}"))])
    problems: list[Problem] = []
    named: list[tuple[str, Row]] = []
    seen: dict[str, Row] = {}
    label = table.columns[column]
    for row in table.rows:
        value = row.values[column].strip()
        name = safe_name(value)
        if not value:
            problems.append(Problem(table.path, row.line, (
                f"row {row.number} has no '{label}'; every row needs one, as it names the "
                "row's files")))
        elif name is None:
            problems.append(Problem(table.path, row.line, (
                f"row {row.number}: the {label} '{value[:60]}' cannot name a file (it starts "
                "with a dot, is too long or holds one of / \\ : * ? \" < > | or a control "
                f"character); change it, or choose another column with --key")))
        elif name.casefold() in seen:
            other = seen[name.casefold()]
            problems.append(Problem(table.path, row.line, (
                f"rows {other.number} and {row.number} have the same {label} '{value[:60]}'; "
                "each row needs its own, as it names the row's files")))
        else:
            seen[name.casefold()] = row
            named.append((name, row))
    if problems:
        raise ContentError(problems)
    return named
