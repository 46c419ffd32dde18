"""Email text: the template context and sanitised HTML -> the plain-text part, 76 columns.

`plain_text` lays out the whole part (title, sections, footer with the unsubscribe
link); `html_to_text` is a small renderer of its own for section bodies (html2text is
GPL): headings underlined, paragraphs wrapped,
lists with hanging indents, tables as aligned columns when they fit, links as
`text <url>`, superscripts and subscripts as Unicode where it has them (m², H₂O, and
footnote references: word¹), else as `^(...)`, strikethrough as `~~text~~`, notes as `[1]`.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ...content import Edition
from ...context import SectionView
from ...i18n import Words
from .links import ServiceLinks, add_utm

WIDTH = 76


def wrap(text: str, indent: str = "", hanging: str | None = None, width: int = WIDTH) -> str:
    """Wrap one paragraph at `width` columns; URLs and long words are never broken."""
    lines = []
    first = indent
    for part in text.split("\n"):
        wrapper = textwrap.TextWrapper(
            width=width, initial_indent=first, subsequent_indent=hanging or indent,
            break_long_words=False, break_on_hyphens=False)
        lines.extend(wrapper.wrap(part) or [first.rstrip()])
        first = hanging if hanging is not None else indent
    return "\n".join(lines)


def underline(title: str, char: str, indent: str = "") -> str:
    """Return a heading wrapped at `WIDTH` columns, with a line of `char` as long as it."""
    lines = wrap(" ".join(title.split()), indent).split("\n")
    longest = max(len(line) - len(indent) for line in lines)
    return "\n".join(lines) + f"\n{indent}{char * longest}"


def link(text: str, href: str, shown: str | None = None) -> str:
    """Return a link as `text <url>`, or `<url>` alone when the text is the address.

    `shown` is the address as printed (with tracking added), `href` the one written.
    """
    shown = shown or href
    text = " ".join(text.split())
    bare = re.sub(r"^(https?://|mailto:)", "", href).rstrip("/")
    if not text or text.rstrip("/") in (href.rstrip("/"), bare):
        return f"<{shown}>"
    return f"{text} <{shown}>"


@dataclass
class _Block:
    kind: str
    indent: str
    hanging: str
    words: list[str] = field(default_factory=list)


CELL_BLOCKS = {"p", "div", "li", "ul", "ol", "br", "dt", "dd", "blockquote", "pre", "h1", "h2",
               "h3", "h4", "h5", "h6"}
"""Blocks inside a table cell, which the text part writes on the cell's one line."""


class _TextParser(HTMLParser):
    """Turn a sanitised HTML fragment into plain-text blocks."""

    def __init__(self, url: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.blocks: list[tuple[str, str]] = []  # (kind, text)
        self.block: _Block | None = None
        self.lists: list[list[int | str]] = []  # [kind, counter]
        self.quote = 0
        self.links: list[str | None] = []
        self.link_start: list[int] = []
        self.pre = False
        self.table: list[list[tuple[str, bool]]] | None = None
        self.cell: list[str] | None = None
        self.cell_head = False
        self.items: list[str] = []  # the hanging indent of each open list item
        self.scripts: list[int] = []  # open <sup>/<sub>: where their text starts

    # --- blocks ---------------------------------------------------------------------

    def _prefix(self) -> str:
        return "> " * self.quote + "  " * max(0, len(self.lists) - 1)

    def _start(self, kind: str, indent: str | None = None, hanging: str | None = None) -> None:
        self._flush()
        base = self._prefix()
        self.block = _Block(kind, indent if indent is not None else base,
                            hanging if hanging is not None else base)

    def _flush(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        text = "".join(block.words)
        if block.kind == "pre":
            lines = text.strip("\n").split("\n")
            self.blocks.append(("pre", "\n".join(f"{block.indent}    {line}".rstrip()
                                                 for line in lines)))
            return
        text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v]*", "\n", re.sub(r"[ \t\r\f\v]+", " ", text))
        text = text.strip(" ")
        if not text.strip():
            return
        if block.kind == "heading":
            self.blocks.append(("heading", underline(text, "~", block.indent)))
        else:
            self.blocks.append((block.kind, wrap(text, block.indent, block.hanging)))

    def _write(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)
            return
        if self.block is None:
            if not text.strip():
                return
            self._start("p")
        assert self.block is not None
        self.block.words.append(text)

    # --- parser events --------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.cell is not None and tag in CELL_BLOCKS:
            self.cell.append(" ")  # a cell is one line: its paragraphs and items apart
            return
        if tag in ("p", "dt", "div"):
            if self.block is not None and self.block.kind == "li" and not "".join(
                    self.block.words).strip():
                return  # a loose list item's first paragraph continues its bullet
            indent = self.items[-1] if self.items else self._prefix()
            self._start("p", indent, indent)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._start("heading")
        elif tag == "dd":
            self._start("p", self._prefix() + "    ", self._prefix() + "    ")
        elif tag in ("ul", "ol"):
            self._flush()
            start = int(attributes.get("start") or 1) if tag == "ol" else 0
            self.lists.append([tag, start])
        elif tag == "li" and self.lists:
            kind, counter = self.lists[-1]
            bullet = f"{counter}. " if kind == "ol" else "* "
            if kind == "ol":
                self.lists[-1][1] = int(counter) + 1
            base = self._prefix() + "  "
            self._start("li", base + bullet, base + " " * len(bullet))
            self.items.append(base + " " * len(bullet))
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag == "pre":
            self._start("pre")
            self.pre = True
        elif tag == "br":
            self._write("\n")
        elif tag == "hr":
            self._flush()
            self.blocks.append(("hr", self._prefix() + "* * *"))
        elif tag == "a":
            self.links.append(attributes.get("href"))
            self.link_start.append(self._position())
        elif tag == "img":
            alt = (attributes.get("alt") or "").strip()
            if alt:
                self._write(f"[{alt}]")
        elif tag in ("sup", "sub"):
            self.scripts.append(self._position())
        elif tag in ("s", "del"):
            self._write("~~")
        elif tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
            self.cell_head = tag == "th"

    def handle_endtag(self, tag: str) -> None:
        if self.cell is not None and tag in CELL_BLOCKS:
            self.cell.append(" ")
            return
        if tag in ("p", "dt", "dd", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
            self._flush()
            if tag == "li" and self.items:
                self.items.pop()
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        elif tag == "blockquote" and self.quote:
            self._flush()
            self.quote -= 1
        elif tag == "pre":
            self._flush()
            self.pre = False
        elif tag == "a" and self.links:
            href = self.links.pop()
            start = self.link_start.pop()
            if href and not href.startswith("#"):
                text = self._text_since(start)
                self._replace_since(start, link(text, href, self.url(href)))
        elif tag in ("sup", "sub") and self.scripts:
            start = self.scripts.pop()
            text = self._text_since(start)
            self._replace_since(start, _script(text, tag))
        elif tag in ("s", "del"):
            self._write("~~")
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            if self.table:
                self.table[-1].append((text, self.cell_head))
            self.cell = None
        elif tag == "table" and self.table is not None:
            table, self.table = self.table, None
            self.blocks.append(("table", _table(table, self._prefix())))

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._write(data)
        else:
            self._write(re.sub(r"\s+", " ", data))

    # --- link text ------------------------------------------------------------------

    def _target(self) -> list[str]:
        if self.cell is not None:
            return self.cell
        if self.block is None:
            self._start("p")
        assert self.block is not None
        return self.block.words

    def _position(self) -> int:
        return len(self._target())

    def _text_since(self, start: int) -> str:
        return "".join(self._target()[start:])

    def _replace_since(self, start: int, text: str) -> None:
        target = self._target()
        del target[start:]
        target.append(text)

    def text(self) -> str:
        """Return the blocks: list items one a line, other blocks apart by a blank line.

        Two blocks of one quotation are apart by a `>` line, so the quotation stays one.
        """
        self._flush()
        out = ""
        previous = ""
        for kind, text in self.blocks:
            if out:
                quoted = re.match(r"(> )+", text)
                if kind == previous == "li":
                    out += "\n"
                elif quoted and out.rsplit("\n", 1)[-1].startswith(quoted[0]):
                    out += "\n" + quoted[0].rstrip() + "\n"
                else:
                    out += "\n\n"
            out += text
            previous = kind
        return out


def _table(rows: list[list[tuple[str, bool]]], prefix: str) -> str:
    """Render a table as aligned columns, or as `Heading: value` lines when too wide."""
    rows = [row for row in rows if row]
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    cells = [[text for text, _ in row] + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]
    header = all(head for _, head in rows[0])
    if len(prefix) + sum(widths) + 3 * (columns - 1) <= WIDTH:
        lines = [prefix + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                 for row in cells]
        if header:
            lines.insert(1, prefix + "-+-".join("-" * w for w in widths))
        return "\n".join(lines)
    names = cells[0] if header else [""] * columns
    out = []
    for row in cells[1:] if header else cells:
        out.append("\n".join(wrap(f"{name}: {value}" if name else value, prefix + "  ",
                                  prefix + "    ") for name, value in zip(names, row, strict=True)))
    return "\n\n".join(out)


SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def _script(text: str, tag: str) -> str:
    """Write superscript or subscript text in plain text: m², H₂O, else x^(n+1), a_(ij)."""
    mapped = text.translate(SUPERSCRIPT if tag == "sup" else SUBSCRIPT)
    if text and all(c != m for c, m in zip(text, mapped, strict=True)):
        return mapped
    mark = "^" if tag == "sup" else "_"
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def html_to_text(fragment: str, url: Callable[[str], str] = lambda u: u) -> str:
    """Convert a sanitised HTML fragment to wrapped plain text; `url` rewrites each address."""
    parser = _TextParser(url)
    parser.feed(fragment)
    parser.close()
    return parser.text()


def plain(fragment: str) -> str:
    """Return the text of an inline HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


# --- the whole part -------------------------------------------------------------------


def plain_text(edition: Edition, context: dict[str, Any], links: ServiceLinks) -> str:
    """Return the plain-text part: title, sections with underlined headings, footer."""
    config = edition.config
    tracking = config.email.tracking
    words: Words = context["words"]
    _ = words.gettext

    def url(address: str) -> str:
        return add_utm(address, tracking)

    def text_of(fragment: Any) -> str:
        return html_to_text(str(fragment), url)

    head = [underline(context["title_text"], "=") + "\n"]
    if context["subtitle_text"]:
        head.append(wrap(context["subtitle_text"]))
    head.append(f"{config.organisation} · {context['date_text']}")
    if links.view_online:
        head.append("\n" + _("View this email in your browser: %(url)s")
                    % {"url": f"<{links.view_online}>"})
    out = ["\n".join(head)]
    digest = context["digest"]
    for section in context["sections"]:
        parts = [underline(section.title_text, "-")]
        teaser = text_of(context["teasers"][section.id])
        more = context["more_links"].get(section.id)
        if section.layout == "figures":
            parts.append(_figures_text(section))
        elif section.layout == "quote":
            parts.append(wrap(_("“%(quote)s”") % {"quote": plain(str(section.quote))}, "  "))
            if section.attribution:
                parts.append(wrap(f"— {plain(str(section.attribution))}", "  ", "    "))
        elif section.layout == "image" and section.image_alt:
            parts.append(wrap(_("[Picture: %(description)s]") % {"description": section.image_alt}))
            if section.caption:
                parts.append(wrap(plain(str(section.caption))))
        if digest and section.layout in ("text", "image", "cta", "events") and teaser:
            parts.append(teaser)
        if section.layout == "events":
            parts.append(_events_text(section, url, words))
        if not digest and section.body:
            parts.append(text_of(section.body))
        if section.layout == "cta" and section.cta:
            parts.append(link(section.cta.label, section.cta.url, url(section.cta.url)))
        if digest and more and section.layout in ("text", "image", "figures"):
            parts.append(_("Read more: %(url)s") % {"url": f"<{url(more)}>"})
        if not digest and section.footnotes:
            notes = [wrap(f"[{n}] {text_of(note)}", "", " " * (len(str(n)) + 3))
                     for n, note in enumerate(section.footnotes, 1)]
            parts.append(_("Notes") + "\n" + "\n".join(notes))
        out.append("\n\n".join(p for p in parts if p))
    tail = []
    if digest and context["web_url"]:
        tail.append(_("Read the whole edition online: %(url)s")
                    % {"url": f"<{url(context['web_url'])}>"})
    if context["pdf_url"]:
        tail.append(_("Download the PDF: %(url)s") % {"url": f"<{url(context['pdf_url'])}>"})
    if tail:
        out.append("\n".join(tail))
    footer = [config.organisation, *context["address_lines"]]
    if config.website:
        footer.append(f"<{url(config.website)}>")
    footer.append("")
    footer.append(wrap(_("You are receiving this email because you subscribed to news from "
                         "%(organisation)s.") % {"organisation": config.organisation}))
    if links.view_online:
        footer.append(_("View in your browser: %(url)s") % {"url": f"<{links.view_online}>"})
    if links.unsubscribe:  # never tracked: a signed address would stop working
        footer.append(_("Unsubscribe: %(url)s") % {"url": f"<{links.unsubscribe}>"})
    out.append("-" * WIDTH + "\n" + "\n".join(footer))
    return "\n\n\n".join(out) + "\n"


def _figures_text(section: SectionView) -> str:
    widest = max((len(f.value) for f in section.figures), default=0)
    return "\n".join(wrap(f"{f.value.rjust(widest)}  {f.label}", "  ",
                          " " * (widest + 4)) for f in section.figures)


def _events_text(section: SectionView, url: Any, words: Words) -> str:
    lines = []
    for event in section.events:
        entry = f"* {words.long_date(event.date)} – {event.title}"
        if event.place:
            entry += f" ({event.place})"
        lines.append(wrap(entry, "", "  "))
        if event.url:
            lines.append(f"  <{url(event.url)}>")
    return "\n".join(lines)
