"""Layout: a `PrintDocument` -> PDF bytes, laid out by WeasyPrint with the safe fetcher.

WeasyPrint is imported here only, and only when a PDF is laid out: checking or building
other formats never pays for it. Its warnings about a section are passed on, naming it;
characters no font covers are named in one warning that says how to get a font for them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from . import balance, memo
from .balance import running_on
from .fetcher import Refused, ResourcePolicy, make_fetcher
from .finish import finisher
from .prefetch import THREAD, prefetch
from .proof import spill_text, spills
from .structure import restructure, source_hints

log = logging.getLogger("folio")


@dataclasses.dataclass(frozen=True)
class PrintDocument:
    """The HTML handed to WeasyPrint and everything needed to render it the same way."""

    html: str
    base_url: str
    policy: ResourcePolicy
    options: dict[str, Any]
    sources: dict[str, str] = dataclasses.field(default_factory=dict)
    """Each section's Markdown by file name, to tell which section a renderer warning is about."""
    files: dict[str, str] = dataclasses.field(default_factory=dict)
    """Each section's file name by the id of its `<section>`, to name it in the proof."""


def location_free(text: str, policy: ResourcePolicy) -> str:
    """Replace the addresses of the allowed folders in `text` by neutral names.

    What identifies a PDF (its identifier, the names of its pictures) must not depend on
    where the project or Python happens to be installed: same input, same bytes.
    """
    for index, root in enumerate(policy.roots):
        text = text.replace(root.as_uri() + "/", f"folder{index}:/")
    return text


@lru_cache(maxsize=1)
def font_configuration() -> Any:
    """Return the process's one WeasyPrint font configuration; fonts are loaded once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


_parsed: dict[tuple[str, str], tuple[Any, Any]] | None = None
"""Print stylesheets already parsed, by text and base address; None: not kept (a build)."""
STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def keep_stylesheets() -> None:
    """Keep each print stylesheet parsed, its fonts registered, for the documents after.

    For a process that lays out many documents of one edition (a merge worker): parsing
    the stylesheet and registering its `@font-face` fonts is over half of a small PDF's
    layout, and is the same for every row. The stylesheet is then given to WeasyPrint
    already parsed instead of inside the HTML; the PDF is the same.
    """
    global _parsed
    if _parsed is None:
        _parsed = {}


def _stylesheet(document: PrintDocument, fetcher: Any) -> tuple[str, dict[str, Any]]:
    """Return the HTML to lay out and the render options that give it its stylesheet."""
    match = STYLE.search(document.html) if _parsed is not None else None
    if match is None or _parsed is None:
        return document.html, {}
    key = (match[1], document.base_url)
    if key not in _parsed:
        from weasyprint import CSS
        from weasyprint.css.counters import CounterStyle

        counters = CounterStyle()
        css = CSS(string=match[1], base_url=document.base_url, url_fetcher=fetcher,
                  font_config=font_configuration(), counter_style=counters)
        if fetcher.refused:  # refused fonts: never kept, so that every document says so
            return document.html, {}
        if len(_parsed) >= 4:
            _parsed.clear()
        _parsed[key] = (css, counters)
    css, counters = _parsed[key]
    html = document.html[:match.start()] + document.html[match.end():]
    return html, {"stylesheets": [css], "counter_style": counters}


NO_GLYPH = re.compile(r'^\.notdef glyph rendered for Unicode string unsupported by fonts: '
                      r'"(.*)"', re.S)
"""WeasyPrint's warning for characters no font has: they would print as empty boxes."""
QUOTED = re.compile(r"`([^`]+)`|'([^']+)'|\"([^\"]+)\"|(#[\w.:-]+)")


def section_of(message: str, sources: dict[str, str]) -> str | None:
    """Return the section file whose text holds what a WeasyPrint warning quotes, if one does."""
    for match in QUOTED.finditer(message):
        quoted = next(group for group in match.groups() if group)
        if quoted.startswith("file:"):
            quoted = quoted.rsplit("/", 1)[-1]  # a picture: its file name
        if len(quoted) < 2:
            continue
        for file, text in sources.items():
            if quoted in text:
                return file
    return None


class _Relay(logging.Handler):
    """Pass on WeasyPrint's warnings about a section, naming it; gather the characters no
    font has; leave the others out.

    A warning no section explains (the theme's CSS, WeasyPrint's own limits) would only
    puzzle an editor; it is logged at debug level.
    """

    def __init__(self, sources: dict[str, str]):
        super().__init__(logging.WARNING)
        self.sources = sources
        self.uncovered: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if (record.threadName or "").startswith(THREAD):
            return  # a picture prepared ahead: the layout reports it if it fails
        message = record.getMessage()
        if message.endswith("has no required alt description"):
            return  # alt="" marks decoration, drawn as an artifact (`structure`)
        match = NO_GLYPH.match(message)
        if match:
            self.uncovered.update(dict.fromkeys(c for c in match[1] if not c.isspace()))
            return
        file = section_of(message, self.sources)
        if file:
            log.warning("%s: in the PDF, %s", file, message[:1].lower() + message[1:])
        else:
            log.debug("PDF (WeasyPrint): %s", message)


@contextmanager
def _weasyprint_warnings(sources: dict[str, str]) -> Iterator[_Relay]:
    logger = logging.getLogger("weasyprint")
    handler = _Relay(sources)
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


SHOWN = 40
"""How many characters no font has the warning names (and the PDF's claim check locates)."""


def _warn_uncovered(characters: list[str]) -> None:
    """Say once which characters no font has, and how to get a font that has them."""
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in characters[:SHOWN])
    more = f" and {len(characters) - SHOWN} more" if len(characters) > SHOWN else ""
    log.warning("PDF: no font has %s%s, so they print as empty boxes; install a font that "
                "covers them (for Chinese, Japanese and Korean, Debian's fonts-noto-cjk; for "
                "emoji, fonts-noto-color-emoji) or set the theme's fonts to one that does",
                shown, more)


def blank_pages(pages: list[Any]) -> list[int]:
    """Return the numbers of the pages WeasyPrint left blank to put a page on its side."""
    found = []
    for number, page in enumerate(pages, 1):
        kind = getattr(getattr(page, "_page_box", None), "page_type", None)
        if getattr(kind, "blank", False):
            found.append(number)
    return found


def _say_padded(blanks: list[int], pages: int) -> None:
    """Say which blank pages print-ready mode added, so that nobody takes them for a fault."""
    where = ", ".join(str(n) for n in blanks)
    log.warning("PDF: print-ready: page %s left blank so that the back cover is a left-hand "
                "page and the booklet has an even number of pages (%d)", where, pages)


def write_pdf(document: PrintDocument, print_ready: bool = False,
              proof: list[str] | None = None) -> tuple[bytes, list[Refused], dict[str, float]]:
    """Lay out the print document; return the PDF, the resources refused on the way and
    the sections laid out running on (`balance`), each with the share of their figures'
    size they were set at.

    With a `proof` list, what on the laid-out pages a printer would reject (`proof.spills`)
    is added to it, one line each, naming the section's file and the page.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher(document.policy)
    # WeasyPrint's picture cache, which a thread fills while the pages are laid out.
    images, preparing = prefetch(document.html, document.base_url, document.policy,
                                 document.options)
    try:
        with _weasyprint_warnings(document.sources) as warnings:
            html, shared = _stylesheet(document, fetcher)

            def render(sections: dict[str, float]) -> Any:
                return HTML(string=running_on(html, sections), base_url=document.base_url,
                            url_fetcher=fetcher).render(font_config=font_configuration(),
                                                        cache=images, **document.options,
                                                        **shared)

            kept = memo.recall(document.html)  # decided by an earlier layout of this text
            ran_on = {section: scale for section, scale in kept.items() if scale}
            rendered = render(ran_on)
            if ran_on and not balance.confirmed(rendered.pages, list(ran_on)):
                memo.remember(document.html, dict.fromkeys(kept))
                kept, ran_on = {}, {}
                rendered = render(ran_on)
            if sections := [s for s in balance.run_on(rendered.pages) if s not in kept]:
                # A short page before a feature page: lay it out again running on, and
                # keep that when it leaves fewer short pages (else the band did not fit),
                # its figures a step smaller each time it does not (`balance.SHRINK`).
                outcome = 0.0
                for scale in balance.SHRINK:
                    trying = {**ran_on, **dict.fromkeys(sections, scale)}
                    again = render(trying)
                    if (len(balance.short_pages(again.pages))
                            < len(balance.short_pages(rendered.pages))):
                        rendered, ran_on, outcome = again, trying, scale
                        break
                memo.remember(document.html, dict.fromkeys(sections, outcome))
            # Pictures are named after their address; name them after a location-free one.
            for url, image in images.items():
                if url.startswith("file:") and isinstance(getattr(image, "id", None), str):
                    image.id = hashlib.md5(location_free(url, document.policy).encode(),
                                           usedforsecurity=False).hexdigest()
            if proof is not None:
                proof += [spill_text(spill, document.files) for spill in spills(rendered.pages)]
            if print_ready and (blanks := blank_pages(rendered.pages)):
                _say_padded(blanks, len(rendered.pages))
            # Attachments are never embedded: neither <link rel=attachment> nor
            # <a rel=attachment> becomes a file inside the PDF.
            rendered.metadata.attachments = []
            for page in rendered.pages:
                page.links = [("external" if kind == "attachment" else kind, *rest)
                              for kind, *rest in page.links]
            with source_hints():
                pdf = rendered.write_pdf(finisher=finisher(print_ready), **document.options)
        if warnings.uncovered:  # WeasyPrint notices them while drawing the pages
            _warn_uncovered(list(warnings.uncovered))
    except FatalURLFetchingError:
        if not fetcher.refused:
            raise
        return b"", fetcher.refused, {}
    finally:
        preparing.shutdown(cancel_futures=True)
    return restructure(pdf, str(document.options["pdf_variant"])), fetcher.refused, ran_on
