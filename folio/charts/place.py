"""Place: a section's HTML -> the same HTML with each ```chart block as an output draws it.

Markdown renders a ```chart block as a code block of the language `chart`; the blocks
are found in the order they are written, as `read` numbered them, and each output puts
its own figure there (its component template: `web/components/chart.html`, ...).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from html import escape

from .read import Chart

CHART_CODE = re.compile(r'<pre><code class="language-chart">.*?</code></pre>', re.S)


def place_charts(html: str, charts: Sequence[Chart], figure: Callable[[Chart], str]) -> str:
    """Replace each chart block of a section's HTML with `figure(chart)`."""
    if not charts:
        return html
    waiting = iter(charts)

    def replace(match: re.Match[str]) -> str:
        chart = next(waiting, None)
        return match[0] if chart is None else figure(chart)

    return CHART_CODE.sub(replace, html)


ROOT = re.compile(r"<svg\b([^>]*)>")
INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def inline_svg(chart: Chart) -> str:
    """Return a chart's SVG for a web page: one image named by its description.

    `role="img"` makes the drawing one picture to assistive technology, its accessible
    name the description; the roles Vega gives its marks are dropped (the figure's table
    is what a screen reader reads row by row). It scales to its column (`viewBox`).
    """
    svg = INNER_ARIA.sub("", chart.svg)
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    label = escape(chart.description, quote=True)

    def root(match: re.Match[str]) -> str:
        attributes = re.sub(r'\s(?:class|width|height)="[^"]*"', "", match[1])
        return (f'<svg{attributes} class="chart__svg" width="{chart.width}" '
                f'height="{chart.height}" role="img" aria-label="{label}" focusable="false">')

    return ROOT.sub(root, svg, count=1)


def data_uri(chart: Chart) -> str:
    """Return a chart's SVG as a `data:` address, which the PDF draws as vectors and text."""
    svg = TEXT_NODE.sub(lambda m: f">{visual(m[1])}<" if RTL.search(m[1]) else m[0], chart.svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


TEXT_NODE = re.compile(r">([^<>]+)<")
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew and Arabic letters (with their presentation forms)."""


def visual(text: str) -> str:
    """Return right-to-left text in the order it is seen, Arabic letters in their joined forms.

    WeasyPrint draws the text of an SVG picture one character after another, left to
    right, without shaping: a label in Arabic or Hebrew would come out reversed and its
    letters apart. Given the seen order and the joined forms, it draws the label as it
    should look (the description and the data table carry the text in reading order).
    """
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))
