"""Email format: an `Edition` -> `email.html`, `email.txt`, `email.eml` and `email-images/`.

In: a rendered `Edition` and its `Theme`. Out: the HTML to paste into a sending service,
the plain-text part, a ready `.eml` and the pictures to upload. Its limits (`SIZE_LIMIT`,
`SIZE_WARNING`, `HEAD_STYLE_LIMIT`, `TABLE_COLUMNS`) and how it measures a message as sent
(`sent_size`) are published for `check`; the rest is private.
Imports only the shared stages (content, context, markup, theme, errors), never a command.

Read `render` top to bottom in two phases. First gather: the sections' email HTML
(sanitised with the email allow-list), the unsubscribe and view-online links (merge tags
swapped for inert tokens), the pictures. Then render: Jinja2 writes MJML, mrml compiles it,
css-inline puts every style on its element, tracking goes on the links, the merge tags
come back, and the same data gives the plain-text part and the `.eml`. Modules:
- `body`: section HTML -> tables and code that fit phones in every email program;
- `html`: MJML -> finished HTML (compiled, inlined, one head style block);
- `images`: edition pictures -> email-sized copies and their public addresses;
- `links`: unsubscribe and view-online links, merge tags, link tracking (UTM);
- `text`: the plain-text part; `message`: the `.eml`.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import logging
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ...charts import Chart, chart_view, place_charts
from ...content import Edition, place_of
from ...context import SectionView, template_context
from ...errors import ContentError, Problem
from ...markup import sanitize
from ...schema import EditionConfig, FontSpec
from ...theme import Theme
from .. import Files
from .body import TABLE_COLUMNS, email_code, email_tables
from .html import compile_mjml, finish, head_styles
from .images import FOLDER, EmailImages
from .links import (
    MergeTags,
    ServiceLinks,
    has_merge_tag,
    service_links,
    track_links,
)
from .message import Attachment, address_problem, build_message, content_id, sent_size
from .text import plain_text

__all__ = ["HEAD_STYLE_LIMIT", "SIZE_LIMIT", "SIZE_WARNING", "TABLE_COLUMNS", "render",
           "sent_size"]

log = logging.getLogger("folio")

CONTENT_WIDTH = 536
"""The text column: the 600 px email less 32 px padding on each side."""
SIZE_LIMIT = 102 * 1024
"""Gmail clips a message whose HTML is larger, and drops its styles."""
SIZE_WARNING = 90 * 1024
HEAD_STYLE_LIMIT = 16 * 1024
"""Gmail ignores a head `<style>` block larger than this."""
TEASER_WORDS = 45
"""A digest shows a section's summary, else this many words of its first paragraph."""

FRAGMENT_LINK = re.compile(r'<a href="#[^"]*">(.*?)</a>', re.S)
IMG = re.compile(r"<img\b([^>]*?)/?>", re.I)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def render(edition: Edition, theme: Theme) -> Files:
    """Render the email of an edition: HTML to paste, plain text, `.eml`, pictures to upload."""
    config = edition.config
    settings = config.email
    _check_addresses(edition)

    # Phase 1: gather the links, pictures and section HTML the templates need.
    merge_tags = MergeTags()
    links = service_links(settings)
    if not links.unsubscribe:
        log.warning("email: there is no unsubscribe link; set email.merge_tags to your sending "
                    "service, or email.unsubscribe_url, in edition.yaml")
    hosted = bool(settings.asset_base_url)
    images = EmailImages(
        base_url=_folder_url(settings.asset_base_url) if hosted else f"{FOLDER}/",
        sources=_theme_images(edition, theme), root=edition.root,
        background=theme.config.colours.paper)
    mode = config.email_mode
    if mode == "digest" and not settings.web_url:
        log.warning("email: digest mode links each section to the web page, but email.web_url "
                    "is not set; the 'Read more' links were left out")
    context = template_context(edition, theme)
    more = ({s.id: f"{settings.web_url}#{s.id}" for s in context["sections"]}
            if settings.web_url else {})
    # The text part reads the sanitised sections; the HTML gets their email forms. A chart
    # is a picture in the HTML and its data as a table in the text part.
    charts = {section.id: section.charts for section in edition.sections}
    images.drawn.update({f"charts/{chart.id}.png": (chart.png, chart.width, chart.height)
                         for section in edition.sections for chart in section.charts})
    text_sections = [_email_section(_charted(view, charts[view.id], theme, context, "text"),
                                    images) for view in context["sections"]]
    html_sections = [_email_section(_charted(view, charts[view.id], theme, context, "email"),
                                    images) if charts[view.id] else text
                     for view, text in zip(context["sections"], text_sections, strict=True)]
    sections = [dataclasses.replace(view, body=Markup(email_code(email_tables(
        str(view.body), more.get(view.id))))) for view in html_sections]
    words = context["words"]
    context.update(
        sections=sections,
        subject=settings.subject or context["title_text"],
        preheader=(settings.preheader or first_sentence(edition) or context["subtitle_text"]
                   or context["description"]),
        start=words.start,
        end=words.end,
        mode=mode,
        digest=mode == "digest",
        teasers=(teasers := {s.id: _teaser(s) for s in sections}),
        groups=_groups(sections),
        more_links={s.id: more[s.id] for s in sections
                    if s.id in more and _has_more(s, teasers[s.id])},
        web_url=settings.web_url,
        pdf_url=settings.pdf_url,
        links=ServiceLinks(merge_tags.protect(links.unsubscribe),
                           merge_tags.protect(links.view_online)),
        logo=_logo(edition, theme),
        cover=config.cover_image or _artwork(config, theme),
        cover_alt=config.cover_image_alt or "",
        artwork=not config.cover_image,
        address_lines=[line.strip() for line in re.split(r"\n|;", config.address)
                       if line.strip()],
        fonts={"body": _font_stack(theme.config.body_font.fallback, context["scripts"]),
               "heading": _font_stack(theme.config.heading_font.fallback, context["scripts"])},
        content_width=CONTENT_WIDTH,
        image=images.use,
        component=lambda section: f"email/components/{section.layout}.mjml",
    )

    # Phase 2: render MJML, compile, inline, track, restore the merge tags.
    mjml = theme.render("email/email.mjml", context)
    document = finish(
        compile_mjml(mjml, "email/email.mjml"),
        content_css=theme.render("email/style.css", context),
        head_css=theme.render("email/head.css", context))
    untracked = {link for link in (links.unsubscribe, links.view_online) if link}
    document = merge_tags.restore(track_links(document, settings.tracking, untracked))
    images.keep_only(document)
    if images.used and not hosted:
        log.warning("email: email.asset_base_url is not set, so the pictures travel inside "
                    "email.eml; email.html needs hosted pictures: upload email-images/ and set "
                    "email.asset_base_url before pasting it into a sending service")
    text = plain_text(edition, {**context, "sections": text_sections}, links)

    attachments = []
    message_html = document
    if not hosted:
        for image in images.used.values():
            cid = content_id(image.name, config.sender)
            message_html = message_html.replace(f'src="{image.src}"', f'src="cid:{cid}"')
            attachments.append(Attachment(image.name, cid, image.data, image.mime))
    unsubscribe = links.unsubscribe
    listed = unsubscribe if unsubscribe and not has_merge_tag(unsubscribe) and re.match(
        r"(https|mailto):", unsubscribe, re.I) else None
    eml = build_message(
        subject=context["subject"], sender=config.sender, reply_to=settings.reply_to,
        date=config.date, language=config.language, text=text, html=message_html,
        attachments=attachments, list_unsubscribe=listed)
    _check_size(document, mode)

    files: Files = {"email.html": document.encode(), "email.txt": text.encode(),
                    "email.eml": eml}
    files.update(images.files())
    return files


# --- phase 1 helpers ----------------------------------------------------------------


SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s")
PREHEADER_CHARS = 150
"""Inboxes show about this much of the preview text; a longer first sentence is cut."""


def first_sentence(edition: Edition) -> str:
    """Return the first sentence of the edition's first section of text (its introduction),
    the preview an inbox shows when `email.preheader` is left out."""
    for section in edition.sections:
        if section.meta.layout != "text":
            continue
        first = re.search(r"<p\b[^>]*>(.*?)</p>", section.html, re.S)
        if not first:
            continue
        text = " ".join(html_lib.unescape(re.sub(r"<sup\b.*?</sup>|<[^>]+>", "",
                                                  first[1])).split())
        sentence = SENTENCE_END.split(text, maxsplit=1)[0]
        if len(sentence) > PREHEADER_CHARS:
            sentence = sentence[:PREHEADER_CHARS].rsplit(" ", 1)[0] + "…"
        return sentence
    return ""


def _check_addresses(edition: Edition) -> None:
    """Refuse a `from` or `reply_to` that is not one address, naming the line."""
    problems = []
    for key, value in (("from", edition.config.email.sender),
                       ("reply_to", edition.config.email.reply_to)):
        if value and (problem := address_problem(value)):
            line, column = place_of(edition.lines, ("email", key))
            problems.append(Problem(edition.root / "edition.yaml", line,
                                    f"'email.{key}' {problem}, not {value!r}", column))
    for key in ("web_url", "pdf_url", "asset_base_url", "unsubscribe_url", "view_online_url"):
        value = getattr(edition.config.email, key)
        if value and any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029"
                         for c in value):
            line, column = place_of(edition.lines, ("email", key))
            problems.append(Problem(edition.root / "edition.yaml", line, (
                f"'email.{key}' is an address, which must be one line without line breaks, "
                "tabs or control characters"), column))
    subject, where = ((edition.config.email.subject, ("email", "subject"))
                      if edition.config.email.subject else (edition.config.title, ("title",)))
    if any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" for c in subject):
        line, column = place_of(edition.lines, where)
        problems.append(Problem(edition.root / "edition.yaml", line,
                                f"'{'.'.join(where)}' is the email's subject, which must be one "
                                "line of text, without line breaks, tabs or control "
                                "characters", column))
    if problems:
        raise ContentError(problems)


def _folder_url(url: str | None) -> str:
    """Return an address ending in `/`, to which picture names are added."""
    url = url or ""
    return url if url.endswith("/") else f"{url}/"


def _font_stack(stack: str, scripts: Sequence[FontSpec] = ()) -> Markup:
    """Return a CSS font stack that is safe inside double-quoted attributes.

    The script fonts the text needs come first, with their own fallbacks: a reader's
    program takes each character from the first family that has it, and these lack Latin.
    """
    names = [f"'{font.family}', {font.fallback}" for font in scripts]
    return Markup(", ".join([*names, stack]).replace('"', "'"))


def _theme_images(edition: Edition, theme: Theme) -> dict[str, Any]:
    """Return the theme's pictures by the name templates use (`theme:logo.png`)."""
    found = {}
    for name in (theme.config.logo, theme.config.artwork):
        if name and (path := theme.asset(name)):
            found[f"theme:{name}"] = path
    return found


def _logo(edition: Edition, theme: Theme) -> str | None:
    """Return the logo's name for `image()`: the edition's own, else the theme's."""
    if edition.config.logo:
        return edition.config.logo
    if theme.config.logo and theme.asset(theme.config.logo):
        return f"theme:{theme.config.logo}"
    return None


def _artwork(config: EditionConfig, theme: Theme) -> str | None:
    """Return the theme's cover artwork by its name for `image()`, for an annual review
    whose theme has one: a newsletter without a cover picture opens on its title, with no
    decoration that sending services would need to host."""
    if config.kind != "annual-review":
        return None
    if theme.config.artwork and theme.asset(theme.config.artwork):
        return f"theme:{theme.config.artwork}"
    return None


def _charted(view: SectionView, charts: tuple[Chart, ...], theme: Theme,
             context: dict[str, Any], form: str) -> SectionView:
    """Return a section view whose charts are pictures (`email`) or data tables (`text`)."""
    if not charts:
        return view
    template = "email/components/chart.html" if form == "email" else \
        "email/components/chart-text.html"
    language = context["lang"]

    def figure(chart: Chart) -> str:
        return theme.render(template, {**context, "chart": chart_view(chart, language),
                                       "drawing": f"charts/{chart.id}.png"})

    return dataclasses.replace(view, body=Markup(place_charts(str(view.body), charts, figure)))


def _email_section(view: SectionView, images: EmailImages) -> SectionView:
    """Return a section view whose body and notes are sanitised for email."""
    body = _email_html(str(view.body), images, view.source)
    notes = tuple(Markup(_email_html(str(note), images, view.source))
                  for note in view.footnotes)
    if view.layout == "image" and view.image and not view.image_alt.strip():
        log.warning("email: %s: the picture '%s' has no alt text, so readers who do not load "
                    "pictures see nothing; add 'image_alt:' to the front matter",
                    view.source, view.image)
    return dataclasses.replace(view, body=Markup(body), footnotes=notes)


def _email_html(fragment: str, images: EmailImages, source: str) -> str:
    """Sanitise body HTML for email: allow-list, no in-page links, pictures for email."""
    html = sanitize(fragment, "email")
    html = FRAGMENT_LINK.sub(r"\1", html)  # footnote references: no anchors in email
    return IMG.sub(lambda m: _email_img(m, images, source), html)


def _email_img(match: re.Match[str], images: EmailImages, source: str) -> str:
    """Give a picture in body text its email copy, an absolute address and its alt text.

    It is `width:100%` up to its own width, so that it shrinks on phones even when
    pictures are blocked (the box keeps its size otherwise), and has a `width` for Outlook.
    """
    attributes = dict(ATTRIBUTE.findall(match[1]))
    src = attributes.get("src", "")
    alt = attributes.get("alt", "")
    if not alt.strip():
        log.warning("email: %s: the picture '%s' has no alt text, so readers who do not load "
                    "pictures see nothing; write a description between the brackets: "
                    "![description](%s)", source, src, src)
    if re.match(r"https?://", src):
        if not (images.base_url.startswith("http") and src.startswith(images.base_url)):
            log.warning("email: the picture %s is loaded from another website each time the "
                        "email is opened; copy it into images/ to send it with the email", src)
        width = attributes.get("width", "")
        if width.isdigit() and int(width) <= CONTENT_WIDTH:
            return (f'<img src="{src}" alt="{alt}" width="{width}" '
                    f'style="width:100%;max-width:{width}px">')
        return f'<img src="{src}" alt="{alt}" style="max-width:100%">'
    picture = images.use(src, CONTENT_WIDTH)
    if picture is None:
        return ""
    return (f'<img src="{picture.src}" alt="{alt}" width="{picture.width}" '
            f'style="width:100%;max-width:{picture.width}px">')


def _teaser(section: SectionView) -> Markup:
    """Return what a digest shows of a section: its summary, else its first paragraph cut."""
    if section.summary:
        return section.summary
    first = re.search(r"<p>(.*?)</p>", str(section.body), re.S)
    if not first:
        return Markup("")
    text = Markup(first[1]).striptags()
    words = text.split()
    if len(words) <= TEASER_WORDS:
        return Markup(first[1])
    return Markup.escape(" ".join(words[:TEASER_WORDS]).rstrip(",;:") + "\u2026")


def _has_more(section: SectionView, teaser: Markup) -> bool:
    """Return True when the web page shows more of a section than its digest teaser."""
    body = str(section.body)
    return bool(re.search(r"<(img|table|pre)\b", body)) or \
        len(Markup(body).striptags().split()) > len(teaser.striptags().split())


def _groups(sections: list[SectionView]) -> list[tuple[str, list[SectionView]]]:
    """Return the sections in runs: consecutive text sections share one email block.

    Every email block (`mj-section`) costs about 1.5 KB of table markup for Outlook, so
    text sections that follow one another go in one block, one after another.
    """
    groups: list[tuple[str, list[SectionView]]] = []
    for section in sections:
        if section.layout == "text" and groups and groups[-1][0] == "text":
            groups[-1][1].append(section)
        else:
            groups.append((section.layout, [section]))
    return groups


def _check_size(document: str, mode: str) -> None:
    """Warn when the HTML, as sent, nears Gmail's clipping size; or the head styles theirs."""
    size = sent_size(document)
    advice = ("use digest mode (email: mode: digest) or shorten the sections" if mode != "digest"
              else "shorten the summaries or split the edition")
    if size >= SIZE_LIMIT:
        log.warning("email: the HTML part is %.0f KB as sent (email.html %.0f KB); Gmail clips "
                    "messages over 102 KB and drops their styles; %s", size / 1024,
                    len(document.encode()) / 1024, advice)
    elif size >= SIZE_WARNING:
        log.warning("email: the HTML part is %.0f KB as sent, close to Gmail's 102 KB clipping "
                    "limit", size / 1024)
    styles = len(head_styles(document).encode())
    if styles >= HEAD_STYLE_LIMIT:
        log.warning("email: the head style block is %.1f KB; Gmail ignores one over 16 KB",
                    styles / 1024)
