"""Email body: sanitised section HTML -> HTML that fits a phone in every email program.

Two things in section text break email layouts that web pages take in their stride:
- tables: a table of `STACK_FROM` columns or more has a fixed layout (it never grows
  wider than the email) and, on phones, stacks each row into `Heading: value` lines (the
  labels are hidden spans that a media query shows; the headings are the table's header
  row, `markup.column_labels`). A table of more than `TABLE_COLUMNS` columns becomes one
  small two-column table per row, always, with a link to the table on the web page when
  there is one;
- code: Outlook for Windows and Samsung Email ignore `white-space`, so a `<pre>` never
  wraps there. Code becomes a `<div class="fo-code">` whose line breaks are `<br>` and
  whose runs of spaces are non-breaking but for the last one, so long lines wrap.
"""

from __future__ import annotations

import re

from ...markup import column_labels
from ...tables import mark_tables

TABLE_COLUMNS = 6
"""The widest table the email shows as a table; a wider one is shown one row at a time."""
STACK_FROM = 4
"""From this many columns, a table stacks its rows on phones."""
WEB_TABLE_LINK = "See this table on the web page"
"""The words of the link under a table too wide for email (to the web page's section)."""

TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
COLSPAN = re.compile(r'\bcolspan="(\d+)"')
ALIGN = re.compile(r'<(t[hd])\b([^>]*?)\salign="(left|right|center)"')
PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S)
CODE_TAG = re.compile(r"</?code\b[^>]*>")


def table_columns(table_html: str) -> int:
    """Return the number of columns of a table: the widest row, counting `colspan`."""
    widest = 0
    for row in ROW.findall(table_html):
        width = 0
        for _, attributes, _ in CELL.findall(row):
            span = COLSPAN.search(attributes)
            width += int(span[1]) if span else 1
        widest = max(widest, width)
    return widest


def email_tables(html: str, web_link: str | None) -> str:
    """Give every data table of a section its email form (see the module docstring)."""

    def replace(match: re.Match[str]) -> str:
        attributes = match[1]
        # A column aligned in Markdown (`--:`): as a style too, which the theme's cell
        # style (inlined later) does not override.
        inner = ALIGN.sub(r'<\1\2 align="\3" style="text-align:\3"', match[2])
        if "<table" in inner:  # a table inside a table: left as it is, it wraps
            return f'<table class="fo-data"{attributes}>{inner}</table>'
        columns = table_columns(inner)
        if columns > TABLE_COLUMNS:
            return _records(attributes, inner, web_link)
        if columns >= STACK_FROM:
            return _stacking(attributes, inner)
        return f'<table class="fo-data"{attributes}>{inner}</table>'

    # The sanitised body lost its classes: numeric columns and total rows are marked again.
    return TABLE.sub(replace, mark_tables(html))


def _split(inner: str) -> tuple[list[str], int]:
    """Return a table's column headings and where its body starts (after its `<thead>`)."""
    names = column_labels(inner)
    return names, (inner.index("</thead>") + len("</thead>") if names else 0)


def _stacking(attributes: str, inner: str) -> str:
    """Add the hidden `Heading: ` label to every body cell; phones show it, stacked."""
    names, body_start = _split(inner)

    def label_row(row: re.Match[str]) -> str:
        column = 0

        def label_cell(cell: re.Match[str]) -> str:
            nonlocal column
            name = names[column] if column < len(names) else ""
            span = COLSPAN.search(cell[2])
            first, column = column == 0, column + (int(span[1]) if span else 1)
            if first:  # the row's name: stacked, it is the heading of the lines under it
                return f'<{cell[1]} class="fo-row-name"{cell[2]}>{cell[3]}</{cell[1]}>'
            if not name or cell[1] != "td":
                return cell[0]
            return (f'<{cell[1]}{cell[2]}><span class="fo-label">{name}: </span>'
                    f"{cell[3]}</{cell[1]}>")

        return row[0].replace(row[1], CELL.sub(label_cell, row[1]), 1)

    body = ROW.sub(label_row, inner[body_start:])
    return f'<table class="fo-data fo-stack"{attributes}>{inner[:body_start]}{body}</table>'


def _records(attributes: str, inner: str, web_link: str | None) -> str:
    """Show a wide table one row at a time: the row's first cell, then `heading | value`."""
    names, body_start = _split(inner)
    rows = ROW.findall(inner[body_start:])
    out = []
    for row in rows:
        cells = [content for _, _, content in CELL.findall(row)]
        if not cells:
            continue
        out.append(f'<tr><th colspan="2" scope="colgroup">{cells[0]}</th></tr>')
        for index, content in enumerate(cells[1:], 1):
            name = names[index] if index < len(names) else ""
            out.append(f'<tr><td class="fo-record-name">{name}</td><td>{content}</td></tr>')
    table = f'<table class="fo-data fo-records"{attributes}><tbody>{"".join(out)}</tbody></table>'
    if web_link:
        table += f'<p class="fo-table-link"><a href="{web_link}">{WEB_TABLE_LINK}</a></p>'
    return table


def email_code(html: str) -> str:
    """Turn every `<pre>` block into a `<div class="fo-code">` that wraps in any client."""

    def replace(match: re.Match[str]) -> str:
        text = CODE_TAG.sub("", match[1]).expandtabs(4).strip("\n")
        lines = [re.sub(r" {2,}", lambda run: "&nbsp;" * (len(run[0]) - 1) + " ",
                        re.sub(r"^ +", lambda lead: "&nbsp;" * len(lead[0]), line))
                 for line in text.split("\n")]
        return f'<div class="fo-code"><code>{"<br>".join(lines)}</code></div>'

    return PRE.sub(replace, html)


__all__ = ["STACK_FROM", "TABLE_COLUMNS", "email_code", "email_tables", "table_columns"]
