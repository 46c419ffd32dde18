"""Context: an `Edition` -> the one typed template context every output renders with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .content import Edition, Section
from .i18n import ENGLISH, Words, messages
from .markup import inline, plain
from .schema import CallToAction, Event, Figure
from .theme import Theme


@dataclass(frozen=True)
class SectionView:
    """What a component template sees of one section."""

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

    def component(self, fmt: str) -> str:
        """Return the template name of this section's component for output `fmt`."""
        return f"{fmt}/components/{self.layout}.html"


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


def section_view(section: Section, new_page: bool) -> SectionView:
    """Build the template view of one section."""
    meta = section.meta
    return SectionView(
        id=section.id,
        number=section.number,
        title=inline(meta.title),
        title_text=plain(meta.title),
        layout=meta.layout,
        summary=inline(meta.summary),
        summary_text=plain(meta.summary),
        body=Markup(section.html),
        footnotes=tuple(Markup(n) for n in section.footnotes),
        image=meta.image,
        image_alt=meta.image_alt or "",
        caption=inline(meta.caption),
        figures=meta.figures,
        quote=inline(meta.quote),
        attribution=inline(meta.attribution),
        cta=meta.cta,
        events=meta.events,
        new_page=meta.new_page if meta.new_page is not None else new_page,
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
    sections = [section_view(s, config.section_breaks) for s in edition.sections]
    description = config.description or config.subtitle or config.title
    return {
        "edition": config,
        "slug": edition.slug,
        "title": inline(config.title),
        "title_text": plain(config.title),
        "subtitle": inline(config.subtitle),
        "subtitle_text": plain(config.subtitle),
        "description": plain(description),
        "lang": config.language,
        "dir": words.direction,
        "start": words.start,
        "end": words.end,
        "words": words,
        "scripts": theme.script_fonts(edition_text(edition, words)),
        "year": config.date.year,
        "date_text": words.long_date(config.date),
        "sections": sections,
    }
