"""Data: a data file inside the edition (CSV, XLSX or JSON) -> a `Table` of named columns.

The file is read only when it is a regular file inside the edition folder (no link out,
no address on another website). CSV is UTF-8 with a header row, separated by commas or
semicolons; XLSX is read from its first sheet (or the one named) with a header row; JSON
is a list of objects with the same keys. Cells stay as written: text, or numbers where
the file has numbers (XLSX, JSON); `number` reads a cell as a number when one is needed.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import regular_file_inside

SUFFIXES = (".csv", ".xlsx", ".json")
MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
"""A chart of more rows than this is unreadable; the limit keeps a build quick."""
Cell = str | float | int | None


class DataError(Exception):
    """A data file that cannot be read as a table; the message says why, for a person."""


@dataclass(frozen=True)
class Table:
    """A data file's rows under its header: each row as many cells as there are columns."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def column(self, name: str) -> list[Cell]:
        """Return the cells of the column `name`, top to bottom."""
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def locate(root: Path, written: str) -> Path:
    """Return the file a `data:` value names, or raise `DataError` saying why it may not be read."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", written, re.I):
        raise DataError(f"'{written}' is on another website; every output is built offline: "
                        "save the file into data/ and write data/<name>")
    target = root / written
    if not target.resolve().is_relative_to(root.resolve()) or Path(written).is_absolute():
        raise DataError(f"'{written}' is outside the edition folder; copy it into data/ and "
                        "write data/<name>")
    if not (target.is_file() or target.is_symlink()):
        near = difflib.get_close_matches(written, _data_files(root), n=1)
        hint = f"did you mean '{near[0]}'?" if near else "put the file in data/"
        raise DataError(f"the data file '{written}' does not exist; {hint}")
    if not regular_file_inside(target, root):
        raise DataError(f"'{written}' is not a plain file in the edition folder (a link or a "
                        "device); copy the file itself into data/")
    if target.suffix.lower() not in SUFFIXES:
        raise DataError(f"'{written}' is not a data file Folio reads; save it as CSV (.csv), "
                        "XLSX (.xlsx) or JSON (.json)")
    if target.stat().st_size > MAX_BYTES:
        raise DataError(f"'{written}' is larger than 5 MB; a chart needs only the rows it "
                        "draws: save those in a smaller file")
    return target


def _data_files(root: Path) -> list[str]:
    folder = root / "data"
    return [f"data/{p.name}" for p in folder.iterdir()] if folder.is_dir() else []


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a CSV, XLSX or JSON file into a table; raise `DataError` when it cannot be."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, rows = _xlsx(path, sheet)
    elif suffix == ".json":
        header, rows = _json(path)
    else:
        header, rows = _csv(path)
    columns = tuple(str(name).strip() if name is not None else "" for name in header)
    if not columns or not any(columns):
        raise DataError(f"{path.name} has no header row; its first row names the columns")
    if len(set(columns)) < len(columns):
        twice = next(c for c in columns if columns.count(c) > 1)
        raise DataError(f"{path.name} has two columns called '{twice}'; rename one")
    if len(rows) > MAX_ROWS:
        raise DataError(f"{path.name} has {len(rows):,} rows; a chart draws at most "
                        f"{MAX_ROWS:,}: keep only the rows it needs")
    width = len(columns)
    table = tuple(tuple((list(row) + [None] * width)[:width]) for row in rows
                  if any(cell not in (None, "") for cell in row))
    return Table(columns, table)


def _csv(path: Path) -> tuple[list[Any], list[list[Any]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path.name} is not UTF-8 text; save it again as CSV UTF-8") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text),
                                                                  delimiter=delimiter)]
    rows = [row for row in rows if row]
    return (rows[0], rows[1:]) if rows else ([], [])


def _xlsx(path: Path, sheet: str | None) -> tuple[list[Any], list[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if sheet is not None and sheet not in book.sheet_names:
            raise DataError(f"{path.name} has no sheet '{sheet}'; its sheets: "
                            + ", ".join(book.sheet_names))
        found = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        rows = [list(row) for row in found.to_python(skip_empty_area=True, nrows=MAX_ROWS + 2)]
    except (CalamineError, OSError, ValueError) as exc:
        raise DataError(f"{path.name} cannot be read as an XLSX workbook; save it again from "
                        "the spreadsheet program as .xlsx") from exc
    rows = [[_xlsx_cell(cell) for cell in row] for row in rows]
    while rows and not any(cell not in (None, "") for cell in rows[0]):
        rows.pop(0)
    if rows:  # columns after the last heading are left out
        last = max(i for i, cell in enumerate(rows[0]) if cell not in (None, ""))
        rows = [row[: last + 1] for row in rows]
    return (rows[0], rows[1:]) if rows else ([], [])


def _xlsx_cell(cell: Any) -> Cell:
    """Return a spreadsheet cell as text or a number (whole numbers as whole numbers)."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else cell
    if isinstance(cell, int):
        return cell
    return str(cell).strip()


def _json(path: Path) -> tuple[list[Any], list[list[Any]]]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path.name} is not valid JSON ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise DataError(f"{path.name} must hold a list of objects, one per row: "
                        '[{"year": 2024, "amount": 12}, ...]')
    header = list(dict.fromkeys(key for item in data for key in item))
    rows = [[_json_cell(item.get(key)) for key in header] for item in data]
    return header, rows


def _json_cell(value: Any) -> Cell:
    if value is None or (isinstance(value, str | int | float) and not isinstance(value, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)


NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def number(cell: Cell) -> float | None:
    """Return a cell as a number, None for an empty cell; raise ValueError for text.

    Numbers are read as written in data files: digits with a `.` for decimals, a minus
    (`-` or `−`) in front; a percent sign or spaces around are allowed.
    """
    if cell is None or isinstance(cell, bool):
        if cell is None:
            return None
        raise ValueError(cell)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not math.isfinite(cell):
            raise ValueError(cell)
        return float(cell)
    text = cell.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("%")
    if not text:
        return None
    if not NUMBER.match(text):
        raise ValueError(cell)
    return float(text)
