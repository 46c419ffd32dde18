"""Web format: an `Edition` -> `index.html`, its stylesheet, fonts and pictures, ready offline.

The page's fonts are the only files it needs outside the edition's folder: they go to the
build folder's shared `assets/fonts/` (`archive.WEB_FONTS`), named by their content.

The page layout itself is the theme's `web/page.html` and one `web/components/<layout>.html`
per section layout; this module gathers the context and the files the page needs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..archive import WEB_FONTS
from ..charts import Chart, chart_view, inline_svg, place_charts
from ..content import Edition
from ..context import template_context
from ..markup import column_labels, inline
from ..schema import FontSpec
from ..theme import Theme
from . import Files

if TYPE_CHECKING:
    from ..archive import Neighbour

LOCAL_SRC = re.compile(r'<img [^>]*src="(?!https?:|mailto:|data:|/)([^"]+)"')
TABLE = re.compile(r"<table>(.*?)</table>", re.S)
BODY_ROW = re.compile(r"<tr\b([^>]*)>(.*?)</tr>", re.S)
BODY_CELL = re.compile(r"<(t[hd])\b([^>]*)>")
COLSPAN = re.compile(r'\bcolspan="(\d+)"')
STACK_FROM = 4
"""From this many columns, a table's rows become cards on phones (`table.stacks`)."""
DENSE_FROM = 10
"""From this many columns, a table is set in smaller type, closer set (`table.dense`)."""


def stacking_tables(html: str) -> str:
    """Mark the wide tables of a section so that each row reads as a card on a phone, and
    the widest (`DENSE_FROM` columns) to be set smaller on wider screens.

    Every body cell gets its column's heading as `data-label`, which the stylesheet shows
    in front of the value where the table is too wide to be a table. A table with headings
    scrolls sideways when it is wider than the column: it can take the keyboard's focus
    (`tabindex="0"`) and is named by its headings, so that it can be scrolled without a
    mouse and a screen reader says what it is.
    """

    def stack(match: re.Match[str]) -> str:
        inner = match[1]
        head, _, body = inner.partition("</thead>")
        labels = column_labels(match[0])
        name = ", ".join(label for label in labels if label)
        opening = f'<table tabindex="0" aria-label="{escape(name)}"' if name else "<table"
        if not body or len(labels) < STACK_FROM or "<table" in inner:
            return f"{opening}>{inner}</table>" if "<table" not in inner else match[0]

        def row(found: re.Match[str]) -> str:
            column = 0

            def label(cell: re.Match[str]) -> str:
                nonlocal column
                name = labels[column] if column < len(labels) else ""
                span = COLSPAN.search(cell[2])
                column += int(span[1]) if span else 1
                return f'<td data-label="{escape(name)}"{cell[2]}>' if cell[1] == "td" else cell[0]

            return f"<tr{found[1]}>{BODY_CELL.sub(label, found[2])}</tr>"

        classes = "stacks dense" if len(labels) >= DENSE_FROM else "stacks"
        return f'{opening} class="{classes}">{head}</thead>{BODY_ROW.sub(row, body)}</table>'

    return TABLE.sub(stack, html)


def stylesheet(theme: Theme, name: str, font_url: str, scripts: Sequence[FontSpec] = ()) -> str:
    """Return a theme stylesheet with its tokens and `@font-face` rules in front."""
    env = theme.environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    faces = theme.font_faces(lambda name: f"{font_url}{name}", scripts, web=True)
    return theme.css_tokens(scripts) + faces + source


def edition_file(edition: Edition, relative: str) -> bytes:
    """Read a file of the edition; content paths were checked when it was loaded."""
    path = (edition.root / relative).resolve()
    if not path.is_relative_to(edition.root.resolve()):
        raise ValueError(f"{relative} is outside the edition")
    return path.read_bytes()


def image_size(path: Path) -> tuple[int, int] | None:
    """Return a raster picture's (width, height), or None for SVG."""
    if path.suffix.lower() == ".svg":
        return None
    from PIL import Image

    with Image.open(path) as picture:
        return picture.size


def site_links(edition: Edition) -> dict[str, Any] | None:
    """Return the links to the archive and the neighbouring editions, as the page shows them."""
    links = edition.site
    if links is None:
        return None

    def view(other: Neighbour | None) -> dict[str, Any] | None:
        if other is None:
            return None
        return {"href": f"../{other.slug}/index.html", "title": inline(other.title)}

    return {"archive": links.archive, "previous": view(links.previous),
            "next": view(links.next)}


def render(edition: Edition, theme: Theme) -> Files:
    """Render the web page and collect every file it needs next to it."""
    config = edition.config
    files: Files = {}
    logo = config.logo
    if not logo and theme.config.logo and (found := theme.asset(theme.config.logo)):
        logo = f"assets/{found.name}"
        files[logo] = found.read_bytes()
    cover = config.cover_image
    cover_alt = config.cover_image_alt or ""
    if not cover and theme.config.artwork and (found := theme.asset(theme.config.artwork)):
        cover, cover_alt = f"assets/{found.name}", ""
        files[cover] = found.read_bytes()
    sizes = {}
    for section in edition.sections:
        if section.meta.image:
            size = image_size(edition.root / section.meta.image)
            if size:
                sizes[section.id] = size

    context = template_context(edition, theme)
    charts = {section.id: section.charts for section in edition.sections}

    def figure(chart: Chart) -> str:
        return theme.render("web/components/chart.html", {
            **context, "chart": chart_view(chart, config.language),
            "drawing": Markup(inline_svg(chart))})

    context.update(
        sections=[dataclasses.replace(view, body=Markup(stacking_tables(place_charts(
            str(view.body), charts[view.id], figure)))) for view in context["sections"]],
        stylesheet="assets/style.css",
        logo=logo,
        cover=cover,
        cover_alt=cover_alt,
        web_url=config.email.web_url,
        pdf_href=f"{edition.slug}.pdf",
        image_sizes=sizes,
        site=site_links(edition),
    )
    html = theme.render("web/page.html", context)
    files["index.html"] = html.encode()
    scripts = context["scripts"]
    # The fonts go to the build folder's shared WEB_FONTS, which the archive uses too:
    # one copy of each for every edition, reached from assets/style.css two folders up.
    files["assets/style.css"] = stylesheet(theme, "web/style.css", f"../../{WEB_FONTS}/",
                                           scripts).encode()
    for name, data in theme.web_fonts(scripts).items():
        files[f"../{WEB_FONTS}/{name}"] = data
    for relative in dict.fromkeys([*(str(p.relative_to(edition.root)) for p in edition.images),
                                   *LOCAL_SRC.findall(html)]):
        if relative not in files and not relative.startswith("assets/"):
            try:
                files[relative] = edition_file(edition, relative)
            except (OSError, ValueError):
                continue  # a body picture that is missing is reported by `check`
    return files
