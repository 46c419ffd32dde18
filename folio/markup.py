"""Markup: section Markdown -> sanitised HTML fragments, one renderer for every output.

Python-Markdown with tables, fenced code, footnotes, attribute lists, typographic quotes
and dashes, and heading ids (lists nested by two spaces are read as nested); the result
goes through nh3 with an allow-list, so raw HTML pasted into content can never carry
scripts, forms, frames or styles into an output. `dir` is kept on block elements. Each
table's header row is settled here, once for every output (`header_rows`), and its
numeric columns and total row are marked (`tables`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import signal
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from html import unescape
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from . import pictures
from .content import Edition, Section
from .errors import ContentError, Problem
from .tables import mark_tables
from .typography import spaced

BLOCK_TAGS = {
    "p", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "hr", "br",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption",
    "dl", "dt", "dd", "div", "img",
}
INLINE_TAGS = {"a", "em", "strong", "b", "i", "code", "sup", "sub", "span", "abbr", "small",
               "mark", "s", "q", "cite", "time"}
WEB_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "abbr": {"title"},
    "time": {"datetime"},
    "ol": {"start"},
}
DIRECTIONAL = ("p", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
               "tr", "th", "td", "caption", "figure", "figcaption", "dl", "dt", "dd", "div")
"""Block elements that keep `dir`: an Arabic paragraph in an English edition reads right to left."""
for _tag in DIRECTIONAL:
    WEB_ATTRIBUTES.setdefault(_tag, set()).add("dir")
EMAIL_ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
}
for _tag in DIRECTIONAL:
    EMAIL_ATTRIBUTES.setdefault(_tag, set()).add("dir")
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str, profile: str = "web") -> str:
    """Clean HTML with the allow-list of an output: `web` (web and PDF) or `email`."""
    if profile == "email":
        tags = (BLOCK_TAGS | INLINE_TAGS) - {"div", "span", "abbr", "time", "figure", "figcaption"}
        attributes = EMAIL_ATTRIBUTES
    else:
        tags, attributes = BLOCK_TAGS | INLINE_TAGS, WEB_ATTRIBUTES
    return nh3.clean(html, tags=tags, attributes=attributes, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def slugify(text: str, separator: str = "-") -> str:
    """Turn heading text into an anchor id: lower case ASCII words joined by dashes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, text.lower()).strip(separator) or "part"


class _Renderer:
    """A reusable Python-Markdown instance whose heading ids carry a section prefix."""

    def __init__(self) -> None:
        self.prefix = ""
        self.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "footnotes", "attr_list", "smarty", "toc",
                        "sane_lists", "def_list", "abbr"],
            extension_configs={
                "toc": {"baselevel": 3, "slugify": self._slug},
                "smarty": {"smart_angled_quotes": False},
                "tables": {"use_align_attribute": True},
            },
            output_format="html",
        )

    def _slug(self, text: str, separator: str) -> str:
        return f"{self.prefix}-{slugify(text, separator)}"

    def convert(self, text: str, prefix: str) -> str:
        self.prefix = prefix
        self.md.reset()
        return self.md.convert(nest_lists(text))


LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
RULE_LINE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclasses.dataclass
class _Item:
    written: int
    """The indent of the item's marker as written."""
    content: int
    """The column its text starts at, as written: a deeper marker is a nested item."""
    indent: int
    """The indent of the marker as Python-Markdown is given it (four spaces a level)."""


def nest_lists(text: str) -> str:
    """Re-indent nested lists by four spaces a level, as Python-Markdown reads them.

    Writers and editors nest list items by two spaces (or three under `1.`), as CommonMark
    allows; Python-Markdown would flatten such lists. Fenced code is left as it is.
    """
    lines = text.split("\n")
    out: list[str] = []
    items: list[_Item] = []
    fence = ""
    blank = False
    for line in lines:
        if fence:
            out.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        if match := FENCE.match(line):
            fence = match[1][0] * 3
            if not items:
                out.append(line)
                continue
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            out.append(line)
            blank = True
            continue
        marker = LIST_ITEM.match(line)
        if marker and not RULE_LINE.match(line) and (items or indent < 4):
            while items and indent < items[-1].content:
                items.pop()
            new = items[-1].indent + 4 if items else indent
            items.append(_Item(indent, indent + len(marker[2]) + max(1, len(marker[3])), new))
            out.append(" " * new + stripped)
        elif items and indent > 0:
            while len(items) > 1 and indent < items[-1].content:
                items.pop()
            owner = items[-1]
            out.append(" " * (owner.indent + 4 + max(0, indent - owner.written - 4)) + stripped)
        else:
            if blank:
                items = []
            out.append(line)
        blank = False
    return "\n".join(out)


@lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    return _Renderer()


FOOTNOTES = re.compile(r'<div class="footnote">.*</div>\s*$', re.S)
FOOTNOTE_ITEM = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.S)
BACKREF = re.compile(r'(&#160;)?<a class="footnote-backref"[^>]*>.*?</a>', re.S)


TABLE_BODY_START = re.compile(
    r"(<table\b[^>]*>\s*(?:<caption\b[^>]*>.*?</caption>\s*)?)<tbody>(\s*)(<tr\b[^>]*>(.*?)</tr>)"
    r"(?=\s*<tr\b)", re.S)
TABLE_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S)
COLSPAN = re.compile(r'\bcolspan="(\d+)"')
TAG = re.compile(r"<[^>]+>")


def header_rows(html: str) -> str:
    """Give every table its header row as a `<thead>` of `<th scope="col">` cells.

    A table's header row is the row of its `<thead>`; a table written without one has
    a header row when its first row is all `<th>` cells and more rows follow. This is
    decided here once, so that every output (the web page's cards, the email's labels,
    the PDF's header cells) reads the same header row.
    """
    if "<table" not in html:
        return html

    def move(match: re.Match[str]) -> str:
        cells = CELL.findall(match[4])
        if "<table" in match[4] or not cells or any(tag != "th" for tag, _, _ in cells):
            return match[0]
        return f"{match[1]}<thead>{match[2]}{match[3]}</thead><tbody>{match[2]}"

    html = TABLE_BODY_START.sub(move, html)
    return TABLE_HEAD.sub(lambda head: re.sub(r"<th\b(?![^>]*\bscope=)", '<th scope="col"',
                                              head[0]), html)


def column_labels(table: str) -> list[str]:
    """Return a table's column headings as plain text, one per column, from its `<thead>`.

    A heading spanning columns labels each of them; a `<td>` in the header row (an empty
    corner) gives an empty label. A table without a `<thead>` has no labels.
    """
    head = TABLE_HEAD.search(table)
    row = ROW.search(head[1]) if head and "<table" not in head[1] else None
    if row is None:
        return []
    labels: list[str] = []
    for tag, attributes, content in CELL.findall(row[1]):
        span = COLSPAN.search(attributes)
        text = " ".join(unescape(TAG.sub("", content)).split()) if tag == "th" else ""
        labels += [text] * (int(span[1]) if span else 1)
    return labels


@lru_cache(maxsize=1024)
def render_markdown(text: str, prefix: str) -> tuple[str, tuple[str, ...]]:
    """Render Markdown to sanitised HTML; return (body, footnotes) with `prefix`ed ids.

    Remembered by text and prefix, like `inline`: a `watch` session renders again only
    the sections that changed.
    """
    html = _renderer().convert(text, prefix)
    notes: list[str] = []
    block = FOOTNOTES.search(html)
    if block:
        html = html[: block.start()]
        for _number, item in FOOTNOTE_ITEM.findall(block.group()):
            item = BACKREF.sub("", item).strip()
            item = re.sub(r"^<p>(.*)</p>$", r"\1", item, flags=re.S)
            notes.append(sanitize(item))
    # Footnote ids become `<prefix>-fn-N` so that sections never collide on one page.
    html = re.sub(r'(id|href)="(#?)fn(ref)?:([^"]+)"',
                  lambda m: f'{m[1]}="{m[2]}{prefix}-fn{m[3] or ""}-{m[4]}"', html)
    return mark_tables(header_rows(sanitize(html))), tuple(notes)


@lru_cache(maxsize=4096)
def inline(text: str) -> Markup:
    """Render one line of front-matter text (a title, summary, caption) as inline HTML.

    Remembered by text: the web page and the email show the same titles and summaries,
    and a `watch` session renders again only those that changed.
    """
    if not text:
        return Markup("")
    html = _renderer().convert(text, "inline")
    html = re.sub(r"^<p>(.*)</p>$", r"\1", html.strip(), flags=re.S)
    return Markup(nh3.clean(html, tags=INLINE_TAGS - {"span"}, attributes={"a": {"href"}},
                            url_schemes=URL_SCHEMES, link_rel=None))


MAX_DEPTH = 12
"""Deepest nesting of lists or quotations a section may use."""


def too_deep(text: str) -> int | None:
    """Return the index of the first line nested deeper than `MAX_DEPTH`, if any."""
    for index, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" \t")
        indent = len(line[: len(line) - len(stripped)].expandtabs(4)) // 4
        quotes = len(re.match(r"^(?:>\s*)*", stripped).group().replace(" ", ""))  # type: ignore[union-attr]
        if indent > MAX_DEPTH or quotes > MAX_DEPTH:
            return index
    return None


MAX_BRACKETS_PER_PARAGRAPH = 400
MAX_BRACKETS = 4_000
MAX_FOOTNOTES = 1_000
"""Python-Markdown's link and footnote patterns slow down with the square (or worse) of the
number of `[` in a paragraph: 16 KB of them took a minute. Under these limits any section
reads in about a second; real text stays far below them."""


MARKDOWN_SECONDS = 10
"""The longest one section may take to read as Markdown before it is reported."""


class _TooSlow(Exception):
    """Raised by the alarm when a section takes longer than `MARKDOWN_SECONDS`."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds`, where signals allow it (the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def too_slow(text: str) -> tuple[int, str] | None:
    """Return (line index, message) when a body has enough brackets to stall Markdown."""
    total = text.count("[")
    if total > MAX_BRACKETS:
        return 0, (f"this section has {total:,} '[' brackets; Markdown reads so many too "
                   f"slowly (the limit is {MAX_BRACKETS:,}): split the section, or write "
                   "\\[ for a bracket that is not a link")
    if text.count("[^") > 2 * MAX_FOOTNOTES:
        return 0, (f"this section has more than {MAX_FOOTNOTES:,} footnotes; split it into "
                   "several sections")
    line = 0
    for paragraph in re.split(r"\n[ \t]*\n", text):
        if paragraph.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
            return line, (f"this paragraph has {paragraph.count('['):,} '[' brackets; Markdown "
                          f"reads more than {MAX_BRACKETS_PER_PARAGRAPH} in one paragraph too "
                          "slowly: split the paragraph, or write \\[ for a bracket that is "
                          "not a link")
        line += paragraph.count("\n") + 2
    return None


IMAGE_SRC = re.compile(r'<img [^>]*?src="([^"]*)"')
SPAN = re.compile(r'\b(colspan|rowspan)="[ \t\n\f\r]*[+-]?(\d+)')
MAX_SPAN = 1_000
"""The most columns or rows one table cell may span, as browsers cap `colspan`: a cell
spanning ten million columns stalled the PDF for minutes, a billion ran out of memory."""


def span_problems(section: Section, html: str) -> list[Problem]:
    """Refuse table cells that span more than `MAX_SPAN` columns or rows."""
    problems = []
    for attribute, digits in dict.fromkeys(SPAN.findall(html)):
        if len(digits.lstrip("0")) > 4 or int(digits) > MAX_SPAN:
            shown = digits if len(digits) <= 12 else f"{digits[:12]}..."
            problems.append(Problem(section.path, _line_of_span(section, attribute, digits), (
                f"a table cell has {attribute}=\"{shown}\"; a cell may span at most "
                f"{MAX_SPAN:,} {'columns' if attribute == 'colspan' else 'rows'}: "
                "write the number of cells it really covers")))
    return problems


def _line_of_span(section: Section, attribute: str, digits: str) -> int:
    """Return the file line where a span of `digits` is written, else the body's first."""
    written = re.compile(rf"{attribute}\s*=\s*[\"']?\s*[+-]?0*{digits.lstrip('0')}", re.I)
    for index, line in enumerate(section.body.split("\n")):
        if written.search(line):
            return section.body_line + index
    return section.body_line


def picture_problems(section: Section, html: str, root: Path) -> list[Problem]:
    """Check the pictures a section's body shows: files inside the edition, present."""
    problems = []
    for src in dict.fromkeys(IMAGE_SRC.findall(html)):
        line = _line_of(section, src)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            problems.append(Problem(section.path, line, (
                f"picture '{src}' is on another website; every output is built offline and "
                "the web page must work offline: save the picture into images/ and write "
                "images/<name>")))
            continue
        target = (root / src).resolve()
        if not target.is_relative_to(root.resolve()):
            problems.append(Problem(section.path, line, (
                f"picture '{src}' is outside the edition folder; copy it into images/ and "
                "write images/<name>")))
        elif reason := pictures.problem(target, src):
            problems.append(Problem(section.path, line, reason))
    return problems


def _line_of(section: Section, text: str) -> int:
    """Return the file line of the first body line that mentions `text`."""
    for index, line in enumerate(section.body.split("\n")):
        if text in line:
            return section.body_line + index
    return section.body_line


def render_sections(edition: Edition) -> Edition:
    """Return the edition with every section's Markdown rendered to HTML."""
    sections, problems = [], []
    for section in edition.sections:
        deep = too_deep(section.body)
        if deep is not None:
            problems.append(Problem(section.path, section.body_line + deep,
                                    f"lists or quotations are nested more than {MAX_DEPTH} "
                                    "levels deep here; flatten them"))
            continue
        slow = too_slow(section.body)
        if slow is not None:
            problems.append(Problem(section.path, section.body_line + slow[0], slow[1]))
            continue
        try:
            with _time_limit(MARKDOWN_SECONDS):
                html, notes = render_markdown(section.body, section.slug)
        except _TooSlow:
            _renderer.cache_clear()  # the interrupted reader may hold half a document
            problems.append(Problem(section.path, section.body_line, (
                f"this section takes more than {MARKDOWN_SECONDS} seconds to read as "
                "Markdown, which a long run of brackets, stars or footnotes can cause; "
                "split it into several sections or simplify that run")))
            continue
        except RecursionError:
            problems.append(Problem(section.path, section.body_line,
                                    "this Markdown is nested too deeply to read; flatten it"))
            continue
        problems += picture_problems(section, html, edition.root)
        problems += span_problems(section, html)
        language = edition.config.language
        sections.append(dataclasses.replace(section, html=spaced(html, language),
                                            footnotes=tuple(spaced(n, language) for n in notes)))
    if problems:
        raise ContentError(problems)
    return dataclasses.replace(edition, sections=tuple(sections))


def plain(text: str) -> str:
    """Return typographic plain text (smart quotes and dashes), for titles in metadata."""
    return Markup(inline(text)).striptags()


__all__ = ["column_labels", "header_rows", "inline", "nest_lists", "plain", "render_markdown",
           "render_sections", "sanitize"]
