"""Draw: each chart's Vega-Lite specification -> its SVG and its PNG, through vl-convert.

vl-convert runs Vega-Lite in an embedded JavaScript engine, without a browser and with
`allowed_base_urls` empty, so a drawing fetches nothing. Its fonts are the theme's, and
the script fonts (Noto) the labels need, registered once per process. Drawings are kept
in a cache folder (`build/.folio-charts/`) by the digest of what they are drawn from, the
specification with its data, the number locale, the fonts and the converter's version:
an unchanged chart costs nothing on the next build, and `watch` redraws only the chart
whose block or data changed. The engine starts (about half a second) only when a chart
is missing from the cache, once per process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..content import Edition
from ..errors import ContentError, Problem
from ..i18n import direction
from ..theme import Theme
from .read import Chart
from .spec import font_stack, vega_lite
from .words import described, format_locale

PNG_SCALE = 2
"""The email's PNG has twice as many pixels as the chart is wide: sharp on phones."""
SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


@dataclass(frozen=True)
class ChartCache:
    """Where drawings are kept between builds, and how a file is written there (atomically)."""

    folder: Path
    write: Callable[[Path, bytes], None]

    def get(self, digest: str, suffix: str) -> bytes | None:
        """Return a kept drawing, or None."""
        try:
            return (self.folder / f"{digest}.{suffix}").read_bytes()
        except OSError:
            return None

    def put(self, digest: str, suffix: str, data: bytes) -> None:
        """Keep a drawing; a cache that cannot be written only costs a redraw next time."""
        with contextlib.suppress(OSError):
            self.write(self.folder / f"{digest}.{suffix}", data)


def draw_charts(edition: Edition, theme: Theme, cache: ChartCache | None = None) -> Edition:
    """Return the edition with every chart described and drawn as SVG and PNG."""
    if not any(section.charts for section in edition.sections):
        return edition
    language = edition.config.language
    words = theme.words(language)
    rtl = direction(language) == "rtl"
    text = " ".join(" ".join(str(cell) for row in chart.table.rows for cell in row)
                    + " ".join(chart.table.columns)
                    for section in edition.sections for chart in section.charts)
    scripts = theme.script_fonts(text)
    fonts = font_stack(theme.config, tuple(font.family for font in scripts))
    folders = tuple(sorted({str(path.parent) for _f, _s, path in theme.font_files(scripts)}))
    locale = format_locale(language)
    sections = []
    for section in edition.sections:
        charts = []
        for chart in section.charts:
            spec = vega_lite(chart, theme.config, language, fonts, rtl)
            charts.append(_drawn(dataclasses.replace(chart, description=described(chart, words)),
                                 spec, locale, folders, cache))
        sections.append(dataclasses.replace(section, charts=tuple(charts)))
    return dataclasses.replace(edition, sections=tuple(sections))


def _drawn(chart: Chart, spec: dict[str, Any], locale: dict[str, Any],
           folders: tuple[str, ...], cache: ChartCache | None) -> Chart:
    """Return a chart with its SVG and PNG, from the cache or freshly drawn."""
    key = json.dumps([spec, locale, folders, converter_version()], sort_keys=True,
                     ensure_ascii=False, default=str)
    digest = hashlib.sha256(key.encode()).hexdigest()
    svg = cache.get(digest, "svg") if cache else None
    png = cache.get(digest, "png") if cache else None
    if svg is None or png is None:
        try:
            converter = _converter(folders)
        except ImportError as exc:
            raise ContentError([Problem(chart.path, chart.line, (
                "drawing charts needs vl-convert, which is not installed; install Folio "
                "with its charts extra: pip install 'folio[charts]'"), 1)]) from exc
        try:
            drawn = converter.vegalite_to_svg(spec, allowed_base_urls=[],
                                              format_locale=locale)
            # The PNG is the same SVG rasterised (no second run of Vega): the same drawing.
            png = converter.svg_to_png(drawn, scale=PNG_SCALE)
            svg = drawn.encode()
        except (ValueError, RuntimeError) as exc:  # a `vega-lite:` the converter refuses
            reason = " ".join(str(exc).split())[:300]
            raise ContentError([Problem(chart.path, chart.line, (
                f"this chart cannot be drawn: {reason}; check its settings against the "
                "chart reference"), 1)]) from exc
        if cache:
            cache.put(digest, "svg", svg)
            cache.put(digest, "png", png)
    text = svg.decode()
    size = SIZE.search(text)
    width, height = (round(float(size[1])), round(float(size[2]))) if size else (0, 0)
    return dataclasses.replace(chart, svg=text, png=png, width=width, height=height)


@cache
def converter_version() -> str:
    """Return vl-convert's version and its Vega-Lite's: a new one draws charts again."""
    from importlib.metadata import version

    return version("vl-convert-python")


_REGISTERED: set[str] = set()


def _converter(folders: tuple[str, ...]) -> Any:
    """Return vl-convert with the font folders registered (each once per process)."""
    import vl_convert

    for folder in folders:
        if folder not in _REGISTERED:
            vl_convert.register_font_directory(folder)
            _REGISTERED.add(folder)
    return vl_convert
