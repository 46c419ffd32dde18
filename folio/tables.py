"""Tables: section table HTML -> the same tables with numeric columns and total rows marked.

A column whose body cells are all numbers (`1,250`, `£12.4m`, `−3.1 %`, `٣٬٤٠٠`, blanks and
dashes allowed) is numeric: each of its cells gets the class `num`, which every output
sets flush to the end of the line in figures of one width, so that digits line up. The
last row is a total row (class `total`, set apart by a rule and bold type) when its first
cell says so in one of the languages Folio speaks (`Total`, `Gesamt`, `الإجمالي`...) or
when the writer marked it in Markdown by setting its first cell in bold (`**All centres**`).
Decided here once, so that the web page, the PDF and the email agree.
"""

from __future__ import annotations

import re
from html import unescape

TABLE = re.compile(r"(<table\b[^>]*>)(.*?)(</table>)", re.S)
ROW = re.compile(r"<tr\b([^>]*)>(.*?)</tr>", re.S)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
CLASS = re.compile(r'\sclass="([^"]*)"')

NUMBER = re.compile(
    r"^[+\-−±~≈<>]?\s?(?:[£$€¥₹₽₺₩₪]\s?|[A-Z]{1,3}\$\s?|[A-Z]{3}\s"
    r"|د\.[أإا]\.?\s?)?[+\-−]?"
    r"[\d٠-٩۰-۹](?:[\d٠-٩۰-۹.,٫٬'’\u00a0\u202f ]*[\d٠-٩۰-۹])?"
    r"\s?(?:%|٪|‰|per cent|pc|pp|[kKmMbB]n?|bn|x|×|\+|[£$€¥₹₽₺₩₪]|[A-Z]{1,3}\$"
    r"|[a-zA-Z]{1,3}\.?)?\s?[+*†]?$")
"""A cell that is a number, with its sign, currency (before it or after it: `€84`,
`84.000 €`, `US$ 5`) and unit."""
EMPTY = re.compile(r"^(?:|[-–—−]|n/?a|\.\.\.?|…)$", re.I)
"""A cell that holds no number but does not make its column a text column."""
TOTAL_WORDS = {
    "total", "totals", "grand total", "sum", "all", "overall", "totaal", "gesamt",
    "insgesamt", "summe", "total général", "total general", "totale", "totale generale",
    "الإجمالي", "المجموع", "الاجمالي", "إجمالي", "اجمالي", "المجموع الكلي",
}
"""First cells that name a table's total row, compared case-blind and without a colon."""


def cell_text(html: str) -> str:
    """Return a cell's text: no tags, entities read, spaces collapsed."""
    return " ".join(unescape(TAG.sub("", html)).split())


def is_number(text: str) -> bool:
    """Return whether a cell's text is a number (with its currency, sign and unit)."""
    return bool(NUMBER.match(text.strip()))


def is_total(first_cell: str) -> bool:
    """Return whether a row's first cell (HTML) names it a total row, or is set in bold."""
    text = cell_text(first_cell).rstrip(":").casefold()
    if text in TOTAL_WORDS or text.startswith(("total ", "totale ", "gesamt")):
        return True
    inner = first_cell.strip()
    return bool(re.fullmatch(r"<(strong|b)>.*</\1>", inner, re.S)) and bool(text)


def _body(table: str) -> str:
    end = table.find("</thead>")
    return table[end + len("</thead>"):] if end >= 0 else table


def numeric_columns(table: str) -> set[int]:
    """Return the columns (from 0) of a table whose body cells are all numbers.

    A table with spanning cells in its body is left alone: its columns are not plain.
    """
    body = _body(table)
    if "span=" in body:
        return set()
    rows = [[cell_text(content) for _, _, content in CELL.findall(row)]
            for _, row in ROW.findall(body)]
    if not rows:
        return set()
    found = set()
    for column in range(1, max(len(row) for row in rows)):
        texts = [row[column] for row in rows if column < len(row)]
        if (any(is_number(t) for t in texts)
                and all(is_number(t) or EMPTY.match(t) for t in texts)):
            found.add(column)
    return found


def _add_class(attributes: str, name: str) -> str:
    if CLASS.search(attributes):
        return CLASS.sub(lambda m: f' class="{m[1]} {name}"', attributes, count=1)
    return f'{attributes} class="{name}"'


def mark_row(row: str, columns: set[int]) -> str:
    """Give the cells of a `<tr>`'s content in `columns` the class `num`."""
    index = 0

    def cell(match: re.Match[str]) -> str:
        nonlocal index
        here, index = index, index + 1
        if here not in columns:
            return match[0]
        return f"<{match[1]}{_add_class(match[2], 'num')}>{match[3]}</{match[1]}>"

    return CELL.sub(cell, row)


def mark_table(table: str) -> str:
    """Mark one table's numeric cells and its total row (see the module docstring)."""
    if "<table" in table[1:]:
        return table  # a table inside a table: left as it is
    columns = numeric_columns(table)
    rows = list(ROW.finditer(table))
    body_rows = [r for r in rows if r.start() > table.find("</thead>")]
    last = body_rows[-1] if len(body_rows) > 1 else None
    first = CELL.search(last[2]) if last else None
    total = last if last and first and is_total(first[3]) else None
    out, at = [], 0
    for row in rows:
        attributes = _add_class(row[1], "total") if row is total else row[1]
        out += [table[at:row.start()], f"<tr{attributes}>{mark_row(row[2], columns)}</tr>"]
        at = row.end()
    return "".join(out) + table[at:]


def mark_tables(html: str) -> str:
    """Mark the numeric columns and total row of every table in a section's HTML."""
    if "<table" not in html:
        return html
    return TABLE.sub(lambda m: m[1] + mark_table(m[1] + m[2])[len(m[1]):] + m[3], html)
