"""Context: an `Edition` -> the one typed template context every output renders with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .content import Edition, Section
from .markup import inline, plain
from .schema import CallToAction, Event, Figure


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


def long_date(day: datetime.date) -> str:
    """Return a date as `15 December 2025`."""
    return f"{day.day} {day:%B %Y}"


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


def template_context(edition: Edition) -> dict[str, Any]:
    """Return the context shared by every format's templates."""
    config = edition.config
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
        "year": config.date.year,
        "date_text": long_date(config.date),
        "sections": sections,
    }
