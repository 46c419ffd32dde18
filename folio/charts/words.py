"""Words: a chart and the edition's language -> its description, its numbers and its table.

A chart without a `description:` gets one written from its data in the edition's
language (which chart, of what, the highest and lowest values, or the share of each
slice): it is the alt text of the PNG, the accessible name of the SVG and the PDF's
`/Alt`. Numbers are written as the language writes them (Babel), in the tables and on
the drawing's axes (`format_locale`, the d3 locale the drawing uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..markup import inline
from .data import Cell, number

if TYPE_CHECKING:
    from babel import Locale

    from ..i18n import Words
    from .read import Chart


@cache
def locale_of(language: str) -> Locale:
    """Return Babel's locale for a language tag, English when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    for tag in (language.replace("-", "_"), language.split("-")[0]):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def show_number(value: float, language: str) -> str:
    """Write a number as the language does: `-1,234.5`, `-1 234,5`, `-1.234,5`."""
    from babel.numbers import format_decimal

    shown = int(value) if float(value).is_integer() else value
    return str(format_decimal(shown, locale=locale_of(language)))


def format_locale(language: str) -> dict[str, Any]:
    """Return the d3-format locale of a language, for the numbers on a drawing's axes."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    locale = locale_of(language)
    return {"decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale),
            "grouping": [3], "currency": ["", ""],
            "minus": get_minus_sign_symbol(locale).replace("\u200e", "") or "-"}


def show_cell(cell: Cell, language: str, numeric: bool) -> str:
    """Write a table cell: numbers in the language's form, text as it is, empty as empty."""
    if cell is None:
        return ""
    if numeric:
        value = number(cell)
        return "" if value is None else show_number(value, language)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def numeric_columns(chart: Chart) -> list[bool]:
    """Return, for each column of a chart's table, whether every cell is a number."""
    flags = []
    for name in chart.table.columns:
        try:
            cells = [number(cell) for cell in chart.table.column(name)]
        except ValueError:
            flags.append(False)
            continue
        # Years and other labels along the bottom are names, not amounts to group.
        flags.append(any(c is not None for c in cells) and name not in (
            chart.options.x, chart.options.color))
    return flags


def data_rows(chart: Chart, language: str) -> tuple[list[tuple[str, bool]], list[list[str]]]:
    """Return a chart's table as text: each column's (heading, holds numbers) and the rows,
    numbers written in the language."""
    flags = numeric_columns(chart)
    rows = [[show_cell(cell, language, flag) for cell, flag in zip(row, flags, strict=True)]
            for row in chart.table.rows]
    return list(zip(chart.table.columns, flags, strict=True)), rows


def described(chart: Chart, words: Words) -> str:
    """Return the chart's description: its own, or one written from its data."""
    if chart.options.description and chart.options.description.strip():
        return chart.options.description.strip()
    _ = words.gettext
    options, language = chart.options, words.language
    kinds = {"bar": _("Bar chart"), "line": _("Line chart"), "area": _("Area chart"),
             "point": _("Point chart"), "pie": _("Pie chart")}
    if chart.kind == "custom" or options.x is None or options.y is None:
        return _("Chart of %(columns)s.") % {"columns": ", ".join(chart.table.columns)}
    values = [(row, number(row[chart.table.columns.index(options.y)]))
              for row in chart.table.rows]
    known = [(row, value) for row, value in values if value is not None]
    x_at = chart.table.columns.index(options.x)
    color_at = chart.table.columns.index(options.color) if options.color else None

    def label(row: tuple[Cell, ...]) -> str:
        name = show_cell(row[x_at], language, False)
        return f"{name}, {show_cell(row[color_at], language, False)}" if color_at is not None \
            else name

    names = {"chart": kinds[options.type], "y": options.y, "x": options.x}
    if options.type == "pie":
        total = sum(value for _row, value in known) or 1.0
        from babel.numbers import format_percent

        locale = locale_of(language)
        parts = ", ".join(f"{label(row)} {format_percent(value / total, locale=locale)}"
                          for row, value in known)
        return _("%(chart)s of %(y)s by %(x)s: %(parts)s.") % {**names, "parts": parts}
    if color_at is not None:
        series = list(dict.fromkeys(show_cell(row[color_at], language, False)
                                    for row in chart.table.rows))
        text = _("%(chart)s of %(y)s by %(x)s and %(color)s (%(series)s).") % {
            **names, "color": options.color, "series": ", ".join(series)}
    else:
        text = _("%(chart)s of %(y)s by %(x)s.") % names
    if known:
        high = max(known, key=lambda pair: pair[1])
        low = min(known, key=lambda pair: pair[1])
        text += " " + _("Highest: %(label)s, %(value)s.") % {
            "label": label(high[0]), "value": show_number(high[1], language)}
        text += " " + _("Lowest: %(label)s, %(value)s.") % {
            "label": label(low[0]), "value": show_number(low[1], language)}
    return text


@dataclass(frozen=True)
class ChartView:
    """What a chart component template sees of one chart."""

    id: str
    title: Markup
    description: str
    source: Markup
    columns: list[tuple[str, bool]]
    """Each column's heading, and whether it holds numbers (aligned to the end)."""
    rows: list[list[str]]
    """The data as text, numbers written in the edition's language."""
    table: bool
    """Whether the PDF prints the data table after the drawing."""
    width: int
    height: int


def chart_view(chart: Chart, language: str) -> ChartView:
    """Return the template view of a drawn chart."""
    columns, rows = data_rows(chart, language)
    options = chart.options
    return ChartView(chart.id, inline(options.title or ""), chart.description,
                     inline(options.source or ""), columns, rows, options.table, chart.width,
                     chart.height)
