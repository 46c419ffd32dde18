"""Spec: a `Chart`, the theme and the language -> the Vega-Lite specification to draw.

The short form (`type`, `x`, `y`, `color`) becomes a layered specification in the theme's
colours and fonts: one size for every output (`WIDTH` by `HEIGHT` CSS pixels, scaled to
the column on the web page and in the PDF, twice as many pixels in the email's PNG).
Series are told apart by more than colour: lines by dashes, point shapes and their name
at their end, stacked bars and areas by a paper-coloured edge between the parts and each
part's name beside the last one, points by shape, pie slices by their names around them.
Right-to-left editions draw from the right: the value axis on the right, the categories
reversed.
"""

from __future__ import annotations

import copy
from typing import Any

from ..schema import ThemeConfig
from .data import number
from .palette import palette
from .read import Chart
from .words import locale_of, show_cell

WIDTH = 536
"""The width of every drawing in CSS pixels: the email's text column (its PNG is twice as
wide); the web page and the PDF scale it to their column."""
HEIGHT = 300
LABEL_SIZE = 13
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4])
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
ORDER = "folio_order"
ALIGN = "folio_align"
LABEL = "folio_label"


def font_stack(theme: ThemeConfig, scripts: tuple[str, ...]) -> str:
    """Return the drawing's font list: the theme's body font, then the script fonts needed."""
    families = [theme.body_font.family, *scripts]
    return ", ".join(f"'{family}'" for family in families) + ", sans-serif"


def theme_config(theme: ThemeConfig, fonts: str) -> dict[str, Any]:
    """Return the Vega-Lite `config` of a theme: paper, ink, rules, fonts and palette."""
    colours = theme.colours
    text = {"labelColor": colours.ink, "titleColor": colours.ink, "labelFontSize": LABEL_SIZE,
            "titleFontSize": LABEL_SIZE, "labelFont": fonts, "titleFont": fonts,
            "titleFontWeight": "bold"}
    series = palette(theme)
    return {
        "background": colours.paper, "font": fonts, "aria": False,
        "mark": {"color": series[0]},
        "view": {"stroke": None},
        "axis": {**text, "domainColor": colours.muted, "tickColor": colours.muted,
                 "gridColor": colours.rule, "titlePadding": 10, "labelPadding": 4},
        "legend": {**text, "orient": "top", "symbolSize": 120, "titleOrient": "left",
                   "labelLimit": 220},
        "range": {"category": series},
        "text": {"color": colours.ink, "fontSize": LABEL_SIZE, "font": fonts},
        "line": {"strokeWidth": 2.5},
        "point": {"size": 60, "filled": True, "opacity": 1},
    }


def vega_lite(chart: Chart, theme: ThemeConfig, language: str, fonts: str,
              rtl: bool) -> dict[str, Any]:
    """Return the Vega-Lite specification of a chart, data included, ready to draw."""
    config = theme_config(theme, fonts)
    if chart.options.vega_lite is not None:
        custom = copy.deepcopy(chart.options.vega_lite)
        custom["data"] = {"values": _values(chart, language, raw=True)}
        custom.setdefault("width", WIDTH)
        custom.setdefault("height", HEIGHT)
        custom.setdefault("autosize", {"type": "fit", "contains": "padding"})
        custom["config"] = {**config, **custom.get("config", {})}
        return custom
    options = chart.options
    assert options.x is not None and options.y is not None
    values = _values(chart, language)
    spec: dict[str, Any] = {
        "width": WIDTH, "height": HEIGHT,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": {"top": 8, "bottom": 4, "left": 4, "right": 4},
        "data": {"values": values}, "config": config,
    }
    if options.type == "pie":
        return {**spec, **_pie(chart, theme)}
    numeric_x = options.type == "point" and all(
        isinstance(row[ORDER + "_x"], float) for row in values)
    x: dict[str, Any] = {"field": options.x, "title": options.x,
                         "type": "quantitative" if numeric_x else "ordinal",
                         "axis": {"labelAngle": 0, "labelOverlap": "greedy"}}
    if numeric_x:
        x["scale"] = {"zero": False, "nice": False, "padding": 16}
        if all(float(row[ORDER + "_x"]).is_integer() for row in values):
            x["axis"]["format"] = "d"  # years and counts: 2025, not 2,025
            x["axis"]["tickMinStep"] = 1
    else:
        x["sort"] = None
    if rtl:
        x["scale"] = {**x.get("scale", {}), "reverse": True}
    y: dict[str, Any] = {"field": options.y, "type": "quantitative", "title": options.y,
                         "axis": {"orient": "right" if rtl else "left", "tickCount": 6}}
    encoding: dict[str, Any] = {"x": x, "y": y}
    series = _series(chart)
    if options.color:
        encoding["color"] = {"field": options.color, "type": "nominal", "title": None,
                             "sort": series}
    layers = _layers(chart, encoding, series, theme, rtl)
    if options.color and options.type in ("bar", "area", "line") and (
            options.stack or options.type == "line"):
        room = 12 + LABEL_SIZE * 0.62 * max((len(name) for name in series), default=0)
        spec["padding"] = {**spec["padding"], ("left" if rtl else "right"): round(room)}
    zero = {"mark": {"type": "rule", "color": theme.colours.muted, "strokeWidth": 1},
            "encoding": {"y": {"datum": 0}}}
    has_negative = any((row.get(options.y) or 0) < 0 for row in values)
    return {**spec, "layer": [*layers, zero] if has_negative else layers}


def _series(chart: Chart) -> list[str]:
    if not chart.options.color:
        return []
    return list(dict.fromkeys(show_cell(cell, "en", False)
                              for cell in chart.table.column(chart.options.color)))


def _layers(chart: Chart, encoding: dict[str, Any], series: list[str], theme: ThemeConfig,
            rtl: bool) -> list[dict[str, Any]]:
    options = chart.options
    paper = theme.colours.paper
    if options.type == "bar":
        if options.color and not options.stack:
            encoding["xOffset"] = {"field": options.color, "sort": series}
        elif options.color:
            encoding["order"] = {"field": ORDER + "_series"}
        bars = {"mark": {"type": "bar", "stroke": paper, "strokeWidth": 1,
                         "cornerRadiusEnd": 0}, "encoding": encoding}
        return [bars, *_end_labels(chart, encoding, theme, rtl)]
    if options.type == "area":
        if options.color:
            encoding["y"]["stack"] = "zero" if options.stack else None
            encoding["order"] = {"field": ORDER + "_series"}
        areas = {"mark": {"type": "area", "line": {"stroke": paper, "strokeWidth": 1},
                          "opacity": 1 if options.stack else 0.6}, "encoding": encoding}
        return [areas, *_end_labels(chart, encoding, theme, rtl)]
    if options.type == "point":
        if options.color:
            encoding["shape"] = {"field": options.color, "type": "nominal", "sort": series,
                                 "scale": {"range": list(SHAPES)}, "title": None}
        return [{"mark": {"type": "point", "opacity": 1}, "encoding": encoding}]
    # Lines: a dash and a point shape for each series, and its name at its end.
    line = dict(encoding)
    points = dict(encoding)
    if options.color:
        line["strokeDash"] = {"field": options.color, "type": "nominal", "sort": series,
                              "scale": {"range": [list(d) for d in DASHES]}, "legend": None}
        points["shape"] = {"field": options.color, "type": "nominal", "sort": series,
                           "scale": {"range": list(SHAPES)}, "legend": None}
        line["color"] = points["color"] = {**encoding["color"], "legend": None}
    layers: list[dict[str, Any]] = [{"mark": {"type": "line"}, "encoding": line},
                                    {"mark": {"type": "point", "size": 50},
                                     "encoding": points}]
    if options.color:
        layers += _end_labels(chart, encoding, theme, rtl)
    return layers


def _end_labels(chart: Chart, encoding: dict[str, Any], theme: ThemeConfig,
                rtl: bool) -> list[dict[str, Any]]:
    """Name each series at its end, in place of the legend: lines beside their last point,
    the parts of a stack beside the last bar or area, level with their middle.

    The names are set in ink and moved a line apart where they would touch, so that the
    series are told apart without their colours.
    """
    options = chart.options
    stacked = options.type in ("bar", "area")
    if not options.color or (stacked and not options.stack) or options.y is None \
            or options.x is None:
        return []
    columns = chart.table.columns
    x_at, y_at = columns.index(options.x), columns.index(options.y)
    color_at = columns.index(options.color)
    last = chart.table.rows[-1][x_at]
    up = down = 0.0
    places: list[tuple[float, str]] = []
    for row in chart.table.rows:
        if row[x_at] != last or (value := number(row[y_at])) is None:
            continue
        name = show_cell(row[color_at], "en", False)
        if not stacked:
            places.append((value, name))
            continue
        start = up if value >= 0 else down
        if value >= 0:
            up += value
        else:
            down += value
        places.append((start + value / 2, name))
    # Keep names a line apart: 17 px, in values (the plot is about 3/4 of the height).
    totals = [number(row[y_at]) or 0 for row in chart.table.rows]
    gap = (max(max(totals), up) - min(min(totals), down, 0)) / (HEIGHT * 0.75) * 17
    spread: list[tuple[float, str]] = []
    for middle, name in sorted(places):
        spread.append((max(middle, spread[-1][0] + gap) if spread else middle, name))
    if "color" in encoding:
        encoding["color"] = {**encoding["color"], "legend": None}
    x = {"datum": show_cell(last, "en", False), "type": encoding["x"]["type"]}
    if options.type == "bar":
        x["bandPosition"] = 0 if rtl else 1
    return [{"data": {"values": [{LABEL: name, ALIGN: middle} for middle, name in spread]},
             "mark": {"type": "text", "align": "right" if rtl else "left",
                      "dx": -6 if rtl else 6, "fontWeight": "bold", "color": theme.colours.ink},
             "encoding": {"x": x, "y": {"field": ALIGN, "type": "quantitative"},
                          "text": {"field": LABEL}}}]


def _pie(chart: Chart, theme: ThemeConfig) -> dict[str, Any]:
    """Slices in the order of the data, clockwise from the top, each named beside it."""
    radius = HEIGHT / 2 - 34
    total = sum(number(cell) or 0 for cell in chart.table.column(chart.options.y or "")) or 1.0
    scale = {"domain": [0, total], "range": [0, 6.283185307179586], "zero": True}
    labels = [{"transform": [{"filter": {"field": ALIGN, "equal": align}}],
               "mark": {"type": "text", "radius": radius + 14, "fontSize": LABEL_SIZE,
                        "align": align, "baseline": "middle", "lineHeight": 15},
               "encoding": {"theta": {"field": ALIGN + "_middle", "type": "quantitative",
                                      "scale": scale},
                            "text": {"field": LABEL}}}
              for align in ("left", "center", "right")]
    return {"layer": [
        {"mark": {"type": "arc", "outerRadius": radius, "stroke": theme.colours.paper,
                  "strokeWidth": 1.5},
         "encoding": {"theta": {"field": ALIGN + "_start", "type": "quantitative",
                                "scale": scale},
                      "theta2": {"field": ALIGN + "_end"},
                      "color": {"field": chart.options.x, "type": "nominal", "sort": None,
                                "legend": None}}},
        *labels,
    ], "view": {"stroke": None}}


def _values(chart: Chart, language: str, raw: bool = False) -> list[dict[str, Any]]:
    """Return the chart's rows as Vega-Lite data: numbers where the chart needs numbers."""
    columns = chart.table.columns
    if raw:
        return [dict(zip(columns, row, strict=True)) for row in chart.table.rows]
    options = chart.options
    assert options.x is not None and options.y is not None
    x_at, y_at = columns.index(options.x), columns.index(options.y)
    color_at = columns.index(options.color) if options.color else None
    series = _series(chart)
    values = []
    total = sum(number(row[y_at]) or 0 for row in chart.table.rows) or 1.0
    from babel.numbers import format_percent

    before = 0.0
    for index, row in enumerate(chart.table.rows):
        shown_x = show_cell(row[x_at], language, False)
        value = number(row[y_at])
        item: dict[str, Any] = {options.x: shown_x, options.y: value, ORDER: index}
        try:
            item[ORDER + "_x"] = number(row[x_at])
        except ValueError:
            item[ORDER + "_x"] = None
        if item[ORDER + "_x"] is not None and options.type == "point":
            item[options.x] = item[ORDER + "_x"]
        if color_at is not None:
            name = show_cell(row[color_at], language, False)
            item[options.color or ""] = name
            item[ORDER + "_series"] = series.index(name)
        if options.type == "pie":
            share = format_percent((value or 0) / total, locale=locale_of(language))
            item[LABEL] = [shown_x, share]  # two lines: a right-to-left name keeps its order
            item[ALIGN + "_start"] = before
            item[ALIGN + "_middle"] = before + (value or 0) / 2
            item[ALIGN + "_end"] = before + (value or 0)
            middle = (before + (value or 0) / 2) / total * 360  # clockwise from the top
            before += value or 0
            item[ALIGN] = ("center" if min(middle % 180, 180 - middle % 180) < 12
                           else "left" if middle < 180 else "right")
        values.append(item)
    return values
