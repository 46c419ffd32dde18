"""Context: an `Edition` -> the one typed template context every output renders with."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup

from .content import Edition, Section
from .i18n import ENGLISH, Words, messages
from .markup import inline, plain
from .schema import CallToAction, Event, Figure
from .theme import Theme
from .typography import one_digit_system, spaced, spaced_text

QUOTE_WORDS = (30, 60)
"""The word counts above which a pull quote is `long`, then `longer` (`quote_length`)."""


@dataclass(frozen=True)
class SectionView:
    """What a component template sees of one section."""

    TEMPLATE_HELPERS: ClassVar[frozenset[str]] = frozenset(["component"])
    """The methods templates may call (see `folio.sandbox`)."""

    id: str
    number: int
    title: Markup
    title_text: str
    layout: str
    summary: Markup
    summary_text: str
    body: Markup
    footnotes: tuple[Markup, ...]
    image: str | None
    image_alt: str
    caption: Markup
    figures: list[Figure]
    quote: Markup
    attribution: Markup
    cta: CallToAction | None
    events: list[Event]
    new_page: bool
    source: str

    @property
    def quote_length(self) -> str:
        """Return how long the pull quote is, for its type size: '', `long` or `longer`.

        A quote of up to 30 words is set large; up to 60 a size smaller; a longer one
        (a whole testimony) smaller again, so that it never takes half a page.
        """
        words = len(self.quote.striptags().split())
        return "" if words <= QUOTE_WORDS[0] else "long" if words <= QUOTE_WORDS[1] else "longer"

    def component(self, fmt: str) -> str:
        """Return the template name of this section's component for output `fmt`."""
        return f"{fmt}/components/{self.layout}.html"


@dataclass(frozen=True)
class FigureBand:
    """How a band of key figures is laid out, the same way on every output."""

    TEMPLATE_HELPERS: ClassVar[frozenset[str]] = frozenset(["widest", "row_of", "size"])

    rows: tuple[int, ...]
    """How many figures each row holds where three fit: 5 -> (3, 2), 4 -> (2, 2)."""
    ems: float
    """The width of the longest value, in ems of the heading font's bold: the values are
    all set at the size at which this one fills its cell."""

    @property
    def widest(self) -> int:
        """Return the most figures a row holds."""
        return max(self.rows, default=1)

    def row_of(self, index: int) -> int:
        """Return how many figures share a row with figure number `index` (from 0)."""
        for size in self.rows:
            if index < size:
                return size
            index -= size
        return 1

    def size(self, cell: float, largest: float) -> int:
        """Return the font size (px) at which the longest value fits a `cell` px wide."""
        return int(min(largest, cell / self.ems))


_NARROW, _SLIM, _WIDE = set(",.:;'!|’"), set("iljft-/()[] "), set("mwMW%@")


def value_ems(value: str) -> float:
    """Return about how wide a key figure's value is set, in ems, erring on the wide side.

    Measured on Source Serif Pro Bold and Georgia Bold: digits and most letters are about
    0.55 em, `%` and `m` about 0.9; a little is added so that other faces fit too.
    """
    return sum(0.3 if c in _NARROW else 0.42 if c in _SLIM else 1.0 if c in _WIDE
               else 0.78 if c.isupper() else 0.6 for c in value)


def figure_band(figures: list[Figure]) -> FigureBand:
    """Return the rows and value width of a band of key figures.

    Rows of three, except that a last row of one takes a figure from the row before
    (4 -> 2 + 2, 7 -> 3 + 2 + 2): no figure stands alone under a full row.
    """
    count = len(figures)
    rows = [3] * (count // 3) + ([count % 3] if count % 3 else [])
    if len(rows) > 1 and rows[-1] == 1:
        rows[-2:] = [2, 2]
    ems = max((value_ems(f.value) for f in figures), default=1.0)
    return FigureBand(tuple(rows), round(max(ems, 1.0), 2))


BLOCK_EDGE = re.compile(r"</?(?:p|h\d|li|t[dh]|blockquote|div|d[td]|figcaption|caption|br)\b[^>]*>")
WORD = re.compile(r"[^\W\d_][\w'’-]*|[.!?:]")


def proper_names(edition: Edition) -> frozenset[str]:
    """Return the words the edition capitalises in mid-sentence: its names (`Harbour`)."""
    # A block (paragraph, heading, cell) starts a sentence; other tags are left out.
    blocks = (re.sub(r"<[^>]+>", " ", re.sub(BLOCK_EDGE, " . ", s.html))
              for s in edition.sections)
    text = " ".join([edition.config.organisation, *blocks])
    found = set(edition.config.organisation.split())
    previous = "."
    for token in WORD.findall(text):
        if token[0].isupper() and previous not in ".!?:":
            found.add(token)
        previous = token
    return frozenset(found)


def _in_sentence(names: frozenset[str], words: Words) -> Any:
    """Return `in_sentence` for one edition: a plain function, as templates are given."""
    def in_edition(title: str) -> str:
        return in_sentence(title, names, words)
    return in_edition


def in_sentence(title: str, names: frozenset[str], words: Words) -> str:
    """Return a title as it reads inside a sentence (`Read more about where the money came
    from`): its capitals lowered but for names the edition uses, acronyms and `I`. A
    language that capitalises its nouns (German) keeps the title as it is."""
    if words.capitalises_nouns:
        return title

    def lower(match: re.Match[str]) -> str:
        word = match[0]
        keep = (word in names or word == "I" or (len(word) > 1 and word.isupper())
                or any(c.isupper() for c in word[1:]))
        return word if keep or not word[0].isupper() else word[0].lower() + word[1:]

    return re.sub(r"[^\W\d_][\w'’-]*", lower, title)


def long_date(day: datetime.date, words: Words = ENGLISH) -> str:
    """Return a date as the edition's locale writes it: `15 December 2025`."""
    return words.long_date(day)


def edition_text(edition: Edition, words: Words) -> str:
    """Return every character an output of the edition may show, interface words included."""
    config = edition.config
    parts = [config.title, config.subtitle or "", config.organisation, config.address or "",
             config.description or "", *(words.gettext(m) for m in messages()),
             words.long_date(config.date)]
    for section in edition.sections:
        meta = section.meta
        parts += [section.html, *section.footnotes, meta.title, meta.summary or "",
                  meta.caption or "", meta.quote or "", meta.attribution or "",
                  meta.image_alt or "", meta.cta.label if meta.cta else ""]
        parts += [f"{f.value} {f.label}" for f in meta.figures]
        parts += [f"{e.title} {e.place or ''} {words.month_year(e.date)}" for e in meta.events]
    return "".join(parts)


def _inline(text: str | None, language: str) -> Markup:
    """Render one line of front matter as inline HTML, spaced as the text is (French)."""
    return Markup(spaced(inline(text or ""), language))


def section_view(section: Section, new_page: bool, language: str = "en") -> SectionView:
    """Build the template view of one section (numbers in the language's digits)."""
    meta = section.meta
    if language.lower().startswith("ar"):  # front matter in one digit system, as the text
        meta = meta.model_copy(update={
            "figures": [f.model_copy(update={"value": one_digit_system(f.value, language),
                                             "label": one_digit_system(f.label, language)})
                        for f in meta.figures],
            "title": one_digit_system(meta.title, language),
            "summary": one_digit_system(meta.summary or "", language) or meta.summary,
            "quote": one_digit_system(meta.quote or "", language) or meta.quote})
    return SectionView(
        id=section.id,
        number=section.number,
        title=_inline(meta.title, language),
        title_text=spaced_text(plain(meta.title), language),
        layout=meta.layout,
        summary=_inline(meta.summary, language),
        summary_text=spaced_text(plain(meta.summary), language),
        body=Markup(section.html),
        footnotes=tuple(Markup(n) for n in section.footnotes),
        image=meta.image,
        image_alt=meta.image_alt or "",
        caption=_inline(meta.caption, language),
        figures=meta.figures,
        quote=_inline(meta.quote, language),
        attribution=_inline(meta.attribution, language),
        cta=meta.cta,
        events=meta.events,
        new_page=new_page or meta.page_break == "page",
        source=str(section.path),
    )


def template_context(edition: Edition, theme: Theme) -> dict[str, Any]:
    """Return the context shared by every format's templates.

    `words` holds the interface words and date formats of the edition's language (and
    gives `{% trans %}` its catalogue), `dir` its writing direction, `scripts` the theme's
    script fonts its text needs.
    """
    config = edition.config
    words = theme.words(config.language)
    sections = [section_view(s, config.pdf.section_breaks, config.language)
                for s in edition.sections]
    description = config.description or config.subtitle or config.title
    return {
        "edition": config,
        "slug": edition.slug,
        "title": _inline(config.title, config.language),
        "title_text": spaced_text(plain(config.title), config.language),
        "subtitle": _inline(config.subtitle, config.language),
        "subtitle_text": spaced_text(plain(config.subtitle), config.language),
        "description": spaced_text(plain(description), config.language),
        "lang": config.language,
        "dir": words.direction,
        "start": words.start,
        "end": words.end,
        "words": words,
        "scripts": theme.script_fonts(edition_text(edition, words)),
        "year": config.year_under_review,
        "date_text": words.long_date(config.date),
        "sections": sections,
        "figure_band": figure_band,
        "in_sentence": _in_sentence(proper_names(edition), words),
    }
