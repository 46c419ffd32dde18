"""Tables on paper: section table HTML -> tables that fit the page, none cut, none crushed.

A table is measured before it is laid out: each column wants the width of its longest
number, of its longest word (headings wrap), and of a comfortable label (about 16
characters, so that no cell holds one word a line). The table then takes the first of
these that holds it:
- the text column and the margin beyond it (130 mm, as before);
- the full text width, the 40 mm rail included (`table--wide`, 170 mm);
- the full width in smaller type (`table--small`, 7.2 pt instead of 8.6);
- a landscape page of its own (`table--landscape`, 257 mm in the smaller type);
- one small two-column table a row (`table--records`): the row's name, then each heading
  beside its value.
The measure errs on the wide side (an average letter of Lato is about 0.5 em; 0.56 is
counted), so that a table is never given less room than it needs.

A landscape page takes with it what introduces its table, so that nothing is left alone
at the foot of the page before: the headings just above the table; and when the section
says little before its first landscape table (under `INTRO_WORDS`), all of it, the
section's own heading included (`table-page--opening`: the section opens on that page).
"""

from __future__ import annotations

import re

from ...markup import column_labels
from ...tables import CELL, ROW, TABLE, cell_text

CHAR_EMS = 0.56
"""The width counted for one character, in ems: Lato's letters and tabular figures."""
PADDING_MM = 3.0
"""The space after each cell (`padding-inline-end`)."""
COMFORT = 16
"""Characters a text cell is given room for before it wraps, if it is that long."""
BODY_PT, SMALL_PT = 8.6, 7.2
"""Table type: as set, and the smaller size for a table that needs it."""
COLUMN_MM, WIDE_MM, LANDSCAPE_MM = 130.0, 170.0, 257.0
"""The room a table has: column and end margin; the full text width; a landscape page."""
POINT_MM = 25.4 / 72
INTRO_WORDS = 60
"""Fewer words than this before a section's first landscape table go over with it."""
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
"""Elements that have no closing tag."""
HEADINGS_BEFORE = re.compile(r'((?:<h([2-6])\b[^>]*>.*?</h\2>\s*)+)<div class="table-page">', re.S)


def column_chars(table: str) -> list[int]:
    """Return how many characters each column of a table wants (see the module docstring)."""
    wants: list[int] = []
    for _, row in ROW.findall(table):
        for index, (tag, attributes, content) in enumerate(CELL.findall(row)):
            if "span=" in attributes:
                continue
            text = cell_text(content)
            numeric = tag == "td" and re.search(r'class="[^"]*\bnum\b', attributes)
            longest = max((len(word) for word in text.split()), default=0)
            if numeric:
                want = len(text)
            elif 'scope="col"' in attributes:  # a column heading wraps at its spaces
                want = longest
            else:
                want = max(longest, min(len(text), COMFORT))
            if index >= len(wants):
                wants.append(0)
            wants[index] = max(wants[index], want)
    return wants


def table_mm(wants: list[int], size: float) -> float:
    """Return the width a table of these column wants takes at `size` points, in mm."""
    return sum(c * CHAR_EMS * size * POINT_MM + PADDING_MM for c in wants)


def fit(table: str) -> str:
    """Return the class that fits a table to the page: '', wide, small, landscape, records."""
    wants = column_chars(table)
    if table_mm(wants, BODY_PT) <= COLUMN_MM:
        return ""
    if table_mm(wants, BODY_PT) <= WIDE_MM:
        return "table--wide"
    if table_mm(wants, SMALL_PT) <= WIDE_MM:
        return "table--wide table--small"
    if table_mm(wants, SMALL_PT) <= LANDSCAPE_MM:
        return "table--landscape table--small"
    return "table--records"


def records(table: str) -> str:
    """Return a table as one two-column table a row: its name, then heading and value."""
    names = column_labels(table)
    body = table[table.find("</thead>") + len("</thead>"):] if names else table
    out = []
    for _, row in ROW.findall(body):
        cells = CELL.findall(row)
        if not cells:
            continue
        lines = [f'<tr><th scope="colgroup" colspan="2">{cells[0][2]}</th></tr>']
        for index, (_, attributes, content) in enumerate(cells[1:], 1):
            name = names[index] if index < len(names) else ""
            number = ' class="num"' if "num" in attributes else ""
            lines.append(f'<tr><th scope="row">{name}</th><td{number}>{content}</td></tr>')
        out.append(f'<table class="record"><tbody>{"".join(lines)}</tbody></table>')
    return f'<div class="records">{"".join(out)}</div>'


def fit_tables(html: str) -> str:
    """Fit every table of a section's HTML to the page (see the module docstring)."""
    if "<table" not in html:
        return html

    def replace(match: re.Match[str]) -> str:
        table = match[0]
        if "<table" in match[2]:
            return table  # a table inside a table: left as it is
        kind = fit(table)
        if kind == "table--records":
            return records(table)
        if not kind:
            return table
        opening = match[1]
        if ' class="' in opening:
            opening = opening.replace(' class="', f' class="{kind} ', 1)
        else:
            opening = f'{opening[:-1]} class="{kind}">'
        opened = opening + match[2] + match[3]
        if "table--landscape" in kind:
            return f'<div class="table-page">{opened}</div>'
        return opened

    return travelling(TABLE.sub(replace, html))


def travelling(html: str) -> str:
    """Move into each landscape page the headings above its table, and the whole opening
    of the section when it is short (see the module docstring)."""
    html = HEADINGS_BEFORE.sub(r'<div class="table-page">\1', html)
    first = html.find('<div class="table-page">')
    if first == -1:
        return html
    opening = html[:first]
    if len(re.sub(r"<[^>]+>", " ", opening).split()) >= INTRO_WORDS or not whole(opening):
        return html
    start = first + len('<div class="table-page">')
    return f'<div class="table-page table-page--opening">{opening}{html[start:]}'


def whole(html: str) -> bool:
    """Return whether every element opened in this HTML is closed in it: a landscape
    table inside a list or a quotation leaves the opening where it is."""
    depth = 0
    for closing, name in re.findall(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>", html):
        if name.lower() not in VOID:
            depth += -1 if closing else 1
    return depth == 0
