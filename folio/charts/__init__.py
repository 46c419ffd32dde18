"""Charts: ```chart blocks and their data files -> Vega-Lite specifications -> SVG and PNG.

A chart is a fenced block in a section's Markdown naming a data file of the edition (CSV,
XLSX or JSON) and how to draw it. Modules, in the order they run:
- `blocks`: a section's Markdown -> its chart blocks, their settings checked with lines;
- `data`: a data file inside the edition -> a `Table` of named columns;
- `read`: an `Edition` -> the same edition with every section's `Chart`s, or every
  problem at once (a missing file, an unknown column, a value that is not a number);
- `palette`: theme colours -> a categorical palette readable on the paper;
- `words`: a chart -> its description, its numbers in the edition's language, its table;
- `spec`: a chart -> the Vega-Lite specification every output draws;
- `draw`: specifications -> SVG and PNG through vl-convert, cached by digest;
- `place`: a section's HTML -> the same with each block replaced by an output's figure.
Imports the shared stages (content, errors, i18n, theme, schema) only, never a command,
a format or `check`; formats and commands import it.
"""

from __future__ import annotations

from .blocks import ChartOptions
from .draw import ChartCache, draw_charts
from .place import data_uri, inline_svg, place_charts
from .read import Chart, read_charts
from .words import ChartView, chart_view, data_rows, described

__all__ = ["Chart", "ChartCache", "ChartOptions", "ChartView", "chart_view", "data_rows",
           "data_uri", "described", "draw_charts", "inline_svg", "place_charts", "read_charts"]
