"""Key figures on paper: a band of figures -> its columns, type size and cell of each value.

The web page sets every value of a band at the size at which the longest one fills its
cell (`context.figure_band`); paper has no second chance to reflow, so the same
measure is taken here and a band is laid out in the first of these that keeps its
values large: rows of three on one line, rows of three with values on two lines, rows
of two on one line, rows of two on two lines. Whatever is chosen, no value is set wider
than its cell, so that two values never run into each other or past the trim.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...context import figure_band, value_ems
from ...schema import Figure

TEXT_MM = 170.0
"""The text width of an A4 page (210 mm less two 20 mm margins); a letter page is wider."""
BAND_PADDING_MM = 12.0
"""The navy band's padding on each side when the figures share a page with other sections."""
GAP_MM = {3: 9.0, 2: 12.0, 1: 0.0}
"""The space between two cells of a row, by how many cells the row holds."""
LARGEST_PT = {3: 38.0, 2: 50.0, 1: 50.0}
"""The size values are set at when they are short, by cells a row."""
SMALLEST_PT = 24.0
"""A layout that sets values smaller than this gives way to the next one, if it does better."""
POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class PrintFigures:
    """How a band of key figures is laid out on paper."""

    columns: int
    """How many cells the band's grid has in a row."""
    size: float
    """The type size of every value, in points."""
    lines: int
    """At most how many lines a value takes (1 or 2): at 2, values break at a space."""
    cells: tuple[tuple[int, int], ...]
    """The grid row and column of each figure, from 1, columns counted from the left: in
    a right-to-left edition the first figure of a row is the rightmost."""


def two_line_ems(value: str) -> float:
    """Return how wide a value is set when it may break once at a space, in ems."""
    words = value.split()
    if len(words) < 2:
        return value_ems(value)
    return min(max(value_ems(" ".join(words[:cut])), value_ems(" ".join(words[cut:])))
               for cut in range(1, len(words)))


def _rows(figures: list[Figure], widest: int, columns: int) -> list[int]:
    count = len(figures)
    if columns == widest:
        return list(figure_band(figures).rows)
    return [columns] * (count // columns) + ([count % columns] if count % columns else [])


def print_figures(figures: list[Figure], own_page: bool, rtl: bool = False) -> PrintFigures:
    """Return the layout of a band of key figures on an A4 page (a letter page is wider).

    `own_page`: the band is a page of its own (no padding); else it is a navy box.
    """
    width = TEXT_MM - (0 if own_page else 2 * BAND_PADDING_MM)
    widest = figure_band(figures).widest
    choices = []
    for columns in dict.fromkeys((widest, min(widest, 2), 1)):
        cell = (width - GAP_MM[columns] * (columns - 1)) / columns * POINTS_PER_MM
        for lines in (1, 2):
            ems = max((value_ems(f.value) if lines == 1 else two_line_ems(f.value)
                       for f in figures), default=1.0)
            choices.append((columns, lines, min(LARGEST_PT[columns], cell / max(ems, 1.0))))
    columns, lines, size = next((c for c in choices if c[2] >= SMALLEST_PT),
                                max(choices, key=lambda c: c[2]))
    cells = []
    for row, held in enumerate(_rows(figures, widest, columns), 1):
        for place in range(1, held + 1):
            cells.append((row, columns + 1 - place if rtl else place))
    return PrintFigures(columns, round(size, 1), lines, tuple(cells))
