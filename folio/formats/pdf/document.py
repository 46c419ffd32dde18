"""Print document: an `Edition` -> the one HTML page WeasyPrint lays out, and its options.

The theme's `pdf/` templates turn the edition into one HTML document with its print
stylesheet inlined. Section HTML is adapted to paper here: footnotes move to where they
are called and web addresses become footnotes. Every file a section asks for is checked
against the resource policy first, and the PDF options are fixed so that the same input
gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import html as html_lib
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ... import __version__
from ...charts import Chart, chart_view, data_uri, place_charts
from ...content import Edition, Section
from ...context import SectionView, template_context
from ...errors import Problem, TemplateError, display_path
from ...i18n import Words
from ...theme import Theme
from .figures import print_figures
from .layout import PrintDocument, location_free
from .resources import check_sections, resource_policy
from .tables import fit_tables

BLEED = "3mm"
"""The print-ready bleed on every side of the trimmed page."""

FOOTNOTE_REF = re.compile(
    r'<sup id="[^"]*"><a class="footnote-ref" href="#[^"]*">(\d+)</a></sup>')
HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
COMPOUND = re.compile(r"\b\w+(?:-\w+)+\b")
EXTERNAL_LINK = re.compile(r'<a\b[^>]*?\shref="((?:https?|mailto):[^"]+)"[^>]*>(.*?)</a>', re.S)
WORD_JOINER = "\u2060"
"""No line break on either side; no glyph, no text."""
LONGEST_COMPOUND = 30
"""A longer hyphenated run (a reference number) may break at its hyphens: kept whole, it
would run past the column and off the page."""
LONG_WORD = re.compile(r"\b\w{6,}\b")
"""A word long enough to be hyphenated; a capitalised one is most likely a name."""

RUNNING_HEAD = 44
"""Characters a running head holds on one line: each head is half of the 170 mm measure,
set in 6.8 pt capitals tracked 0.14 em, about 1.85 mm a character in Lato (measured on
English titles); a longer title is shortened with an ellipsis."""
CONTENTS_FROM = 6
"""With `pdf: contents: auto`, an annual review of this many sections or more has a
contents page; a shorter one, and a newsletter, open straight on the first section."""


# --- paper adaptations ----------------------------------------------------------------


def rgba(colour: str, alpha: float) -> str:
    """Return a `#rrggbb` theme colour as CSS `rgba()` with the given opacity."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"


def css_content(message: str, **values: str) -> str:
    """Return a message as a CSS `content` value, its `%(name)s` places filled with `values`.

    `css_content("Page %(page)s", page="counter(page)")` is `"Page " counter(page)`.
    """
    parts = []
    for index, piece in enumerate(re.split(r"%\((\w+)\)s", message)):
        if index % 2:
            parts.append(values[piece])
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts) or '""'


def short_url(url: str) -> str:
    """Return an address as a reader would type it: no scheme, no trailing slash."""
    return re.sub(r"^(https?://|mailto:)", "", url).rstrip("/")


def running(text: str, budget: int = RUNNING_HEAD) -> str:
    """Return a title short enough for a running head: whole words, then an ellipsis."""
    text = re.sub(r"[^\S\u202f]+", " ", text).strip()  # French's narrow spaces stay
    if len(text) <= budget:
        return text
    cut = text[:budget - 1]
    if " " in cut and text[budget - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" \u202f,;:.-–—") + "…"


TITLE_BLOCK_POINTS = 154 * 72 / 25.4
"""The width of the cover's title block (154 mm), in points."""
TITLE_GLYPH_EMS, TITLE_SPACE_EMS = 0.52, 0.25
"""A generous average width of a letter and of a space of the bold heading face, in ems."""


def title_lines(text: str, size: float) -> int:
    """Return about how many lines `text` takes in the title block at `size` points."""
    lines, used = 1, 0.0
    for word in text.split():
        width = len(word) * TITLE_GLYPH_EMS * size
        if used and used + TITLE_SPACE_EMS * size + width > TITLE_BLOCK_POINTS:
            lines, used = lines + 1, width
        else:
            used += (TITLE_SPACE_EMS * size if used else 0) + width
    return lines


def cover_title_size(text: str) -> float:
    """Return the cover title's size in points: 52 pt, smaller as the title grows, so
    that a title of up to about 150 characters holds on at most four lines of the 154 mm
    title block, long words (German compounds) included. 22 pt, the smallest, still
    reads as a title from across a table."""
    size = min(52.0, max(22.0, 3300 / max(len(text), 1)))
    while size > 22.0 and title_lines(text, size) > 4:
        size = max(22.0, size - 0.5)
    return round(size, 1)


def has_contents(edition: Edition) -> bool:
    """Return whether the PDF opens with a contents page (`pdf: contents`, else by size)."""
    chosen = edition.config.pdf.contents
    if chosen != "auto":
        return chosen
    return edition.config.kind == "annual-review" and len(edition.sections) >= CONTENTS_FROM


def has_back_cover(edition: Edition) -> bool:
    """Return whether the PDF closes on a back cover page (`pdf: back_cover`, else by kind)."""
    chosen = edition.config.pdf.back_cover
    if chosen != "auto":
        return chosen
    return edition.config.kind == "annual-review"


def without_name(address: str, organisation: str) -> str:
    """Return a postal address without the organisation's name it may start with."""
    if address.casefold().startswith(organisation.casefold()):
        return address[len(organisation):].lstrip(" ,;–—-")
    return address


def print_body(section: Section) -> str:
    """Return a section's HTML for paper: notes and link addresses as page footnotes, tables
    fitted to the page (`tables`)."""
    notes = section.footnotes

    def note(match: re.Match[str]) -> str:
        number = int(match[1])
        if not 1 <= number <= len(notes):
            return ""
        return f'<span class="footnote">{notes[number - 1]}</span>'

    def link(match: re.Match[str]) -> str:
        url, text = match[1], match[2]
        plain_text = re.sub(r"<[^>]+>", "", text).strip()
        if short_url(url) in (plain_text, short_url(plain_text)):
            return match[0]
        return (f'{match[0]}<span class="footnote footnote--url">'
                f'<a href="{url}">{html_lib.escape(short_url(html_lib.unescape(url)))}</a>'
                f"</span>")

    body = fit_tables(EXTERNAL_LINK.sub(link, section.html))
    return FOOTNOTE_REF.sub(note, gapless_headings(body))


def gapless_headings(html: str, title_level: int = 2) -> str:
    """Tag each heading of a section body at most one level below the heading before it.

    A body that starts with `###` (h5, under the h2 section title) would leave a gap in
    the outline a screen reader navigates by, which PDF/UA forbids: it becomes an h3.
    `check` and `build` still name the heading, so that the writer can fix the source.
    """
    previous = title_level

    def level(match: re.Match[str]) -> str:
        nonlocal previous
        previous = min(int(match[1]), previous + 1)
        return f"<h{previous}{match[2]}>{match[3]}</h{previous}>"

    return HEADING.sub(level, html)


def whole_compounds(html: str, names: bool = False) -> str:
    """Keep hyphenated compounds (`youth-led`) on one line, so that copied text keeps them.

    A line that ends in `youth-` is read back by text extraction as `youthled`: the
    hyphen is taken for a hyphenation and dropped. A word joiner (U+2060, drawn as
    nothing and left out of copied text) after the hyphen takes the break away; an
    inline box around the compound did too, but made WeasyPrint end the line before it
    early. With `names`, capitalised words are marked, so that hyphenation leaves them
    whole (`Pinterest`, never `Pin-terest`).
    """
    parts = re.split(r"(<[^>]*>)", html)
    for index in range(0, len(parts), 2):
        text = COMPOUND.sub(lambda m: m[0].replace("-", f"-{WORD_JOINER}")
                            if len(m[0]) <= LONGEST_COMPOUND else m[0], parts[index])
        if names:
            text = LONG_WORD.sub(lambda m: f'<span class="name">{m[0]}</span>'
                                 if m[0][0].isupper() else m[0], text)
        parts[index] = text
    return "".join(parts)


# --- the print document ---------------------------------------------------------------


def _file_url(path: Path) -> str:
    return path.resolve().as_uri()


def _theme_picture(theme: Theme, name: str | None) -> str | None:
    found = theme.asset(name) if name else None
    return _file_url(found) if found else None


def print_context(edition: Edition, theme: Theme, base_url: str) -> dict[str, Any]:
    """Return the template context of the print document."""
    config = edition.config
    context = template_context(edition, theme)
    words: Words = context["words"]
    views: list[SectionView] = context["sections"]

    def figure(chart: Chart) -> str:
        return theme.render("pdf/components/chart.html", {
            **context, "chart": chart_view(chart, config.language), "drawing": data_uri(chart)})

    context["sections"] = [
        dataclasses.replace(view, body=Markup(place_charts(print_body(section), section.charts,
                                                           figure)))
        for view, section in zip(views, edition.sections, strict=True)
    ]
    logo = config.logo or None
    cover = config.cover_image or None
    created = None
    if config.pdf.creation_date:
        created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    context.update(
        base_url=base_url,
        contents=has_contents(edition),
        back_cover=has_back_cover(edition),
        address=without_name(config.address, config.organisation),
        running=running,
        cover_title_size=cover_title_size(context["title_text"]),
        logo=logo or _theme_picture(theme, theme.config.logo),
        cover=cover or _theme_picture(theme, theme.config.artwork),
        cover_alt=(config.cover_image_alt or "") if cover else "",
        paper=config.pdf.paper,
        print_ready=config.pdf.print_ready,
        hyphens="auto" if config.pdf.hyphenation else "manual",
        bleed=BLEED if config.pdf.print_ready else "0mm",
        created=created,
        generator=f"Folio {__version__}",
        short_url=short_url,
        rgba=rgba,
        page_of_pages=Markup(css_content(words.gettext("Page %(page)s of %(pages)s"),
                                         page="counter(page)", pages="counter(pages)")),
        spaced=lambda em: "0" if words.cursive else f"{em:g}em",
        print_figures=lambda figures, own_page: print_figures(
            figures, own_page, rtl=words.direction == "rtl"),
    )
    return context


def stylesheet(theme: Theme, context: dict[str, Any]) -> str:
    """Return the print stylesheet: tokens, `@font-face` rules, then `pdf/print.css`."""
    faces = theme.font_faces(_file_url, context["scripts"])
    css = theme.render("pdf/print.css", context)
    found = re.search(r"@import\b", css)
    if found:
        template = theme.environment().get_template("pdf/print.css").filename
        raise TemplateError([Problem(template or "pdf/print.css",
                                     css.count("\n", 0, found.start()) + 1,
                                     "@import is not supported in the print stylesheet; copy "
                                     "the rules into print.css")])
    return theme.css_tokens(context["scripts"]) + faces + css


def pdf_options(edition: Edition, identifier: bytes) -> dict[str, Any]:
    """Return the WeasyPrint options (for `render` and `write_pdf`) of this edition."""
    return {
        "pdf_variant": edition.config.pdf.variant,
        "pdf_tags": True,
        "pdf_identifier": identifier,
        "attachments": None,
        "custom_metadata": False,
        "uncompressed_pdf": False,
    }


def print_document(edition: Edition, theme: Theme) -> PrintDocument:
    """Check the edition's resources and render its print HTML; nothing is laid out yet."""
    base_url = _file_url(edition.root) + "/"
    policy = resource_policy(edition, theme)
    check_sections(edition, policy, base_url)
    context = print_context(edition, theme, base_url)
    context["stylesheet"] = Markup(stylesheet(theme, context))
    html = theme.render("pdf/document.html", context)
    body = html.find("<body")
    if body >= 0:
        # German capitalises every noun: its long compounds are the words to hyphenate.
        names = edition.config.pdf.hyphenation and not context["words"].capitalises_nouns
        html = html[:body] + whole_compounds(html[body:], names=names)
    identifier = hashlib.sha256(location_free(html, policy).encode()).hexdigest()[:32]
    sources = {display_path(s.path): s.body for s in edition.sections}
    files = {s.id: display_path(s.path) for s in edition.sections}
    return PrintDocument(html, base_url, policy, pdf_options(edition, identifier.encode()),
                         sources, files)
