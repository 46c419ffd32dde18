"""Email format: an `Edition` -> `email.html`, `email.txt`, `email.eml` and `email-images/`.

In: a rendered `Edition` and its `Theme`. Out: the HTML to paste into a sending service,
the plain-text part, a ready `.eml` and the pictures to upload. Its limits (`SIZE_LIMIT`,
`SIZE_WARNING`, `HEAD_STYLE_LIMIT`) are published for `check`; the rest is private.
Imports only the shared stages (content, context, markup, theme, errors), never a command.

Read `render` top to bottom in two phases. First gather: the sections' email HTML
(sanitised with the email allow-list), the unsubscribe and view-online links (merge tags
swapped for inert tokens), the pictures. Then render: Jinja2 writes MJML, mrml compiles it,
css-inline puts every style on its element, tracking goes on the links, the merge tags
come back, and the same data gives the plain-text part and the `.eml`. Modules:
- `html`: MJML -> finished HTML (compiled, inlined, one head style block);
- `images`: edition pictures -> email-sized copies and their public addresses;
- `links`: unsubscribe and view-online links, merge tags, link tracking (UTM);
- `text`: the plain-text part; `message`: the `.eml`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from markupsafe import Markup

from ...content import Edition
from ...context import SectionView, template_context
from ...errors import ContentError, Problem
from ...markup import sanitize
from ...theme import Theme
from .. import Files
from .html import compile_mjml, finish, head_styles
from .images import FOLDER, EmailImages
from .links import (
    MergeTags,
    ServiceLinks,
    has_merge_tag,
    service_links,
    track_links,
)
from .message import Attachment, address_problem, build_message, content_id
from .text import plain_text

log = logging.getLogger("folio")

CONTENT_WIDTH = 536
"""The text column: the 600 px email less 32 px padding on each side."""
SIZE_LIMIT = 102 * 1024
"""Gmail clips a message whose HTML is larger, and drops its styles."""
SIZE_WARNING = 90 * 1024
HEAD_STYLE_LIMIT = 16 * 1024
"""Gmail ignores a head `<style>` block larger than this."""
RTL_LANGUAGES = {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}

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
    if not hosted:
        log.warning("email: email.asset_base_url is not set, so the pictures travel inside "
                    "email.eml; email.html needs hosted pictures: upload email-images/ and set "
                    "email.asset_base_url before pasting it into a sending service")
    images = EmailImages(
        base_url=_folder_url(settings.asset_base_url) if hosted else f"{FOLDER}/",
        sources=_theme_images(edition, theme), root=edition.root,
        background=theme.config.colours.paper)
    mode = config.email_mode
    if mode == "digest" and not settings.web_url:
        log.warning("email: digest mode links each section to the web page, but email.web_url "
                    "is not set; the 'Read more' links were left out")
    context = template_context(edition)
    sections = [_email_section(view, images) for view in context["sections"]]
    more = ({s.id: f"{settings.web_url}#{s.id}" for s in sections} if settings.web_url else {})
    start, end = ("right", "left") if _direction(config.language) == "rtl" else ("left", "right")
    context.update(
        sections=sections,
        subject=settings.subject or context["title_text"],
        preheader=settings.preheader or context["subtitle_text"] or context["description"],
        dir=_direction(config.language),
        start=start,
        end=end,
        mode=mode,
        digest=mode == "digest",
        teasers={s.id: _teaser(s) for s in sections},
        more_links=more,
        web_url=settings.web_url,
        pdf_url=settings.pdf_url,
        links=ServiceLinks(merge_tags.protect(links.unsubscribe),
                           merge_tags.protect(links.view_online)),
        logo=_logo(edition, theme),
        cover=config.cover_image,
        cover_alt=config.cover_image_alt or "",
        address_lines=[line.strip() for line in re.split(r"\n|;", config.address)
                       if line.strip()],
        fonts={"body": _font_stack(theme.config.body_font.fallback),
               "heading": _font_stack(theme.config.heading_font.fallback)},
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
    document = merge_tags.restore(track_links(document, settings.tracking))
    images.keep_only(document)
    _check_size(document)
    text = plain_text(edition, context, links)

    attachments = []
    message_html = document
    if not hosted:
        for image in images.used.values():
            cid = content_id(image.name, settings.sender)
            message_html = message_html.replace(f'src="{image.src}"', f'src="cid:{cid}"')
            attachments.append(Attachment(image.name, cid, image.data, image.mime))
    unsubscribe = links.unsubscribe
    listed = unsubscribe if unsubscribe and not has_merge_tag(unsubscribe) and re.match(
        r"(https|mailto):", unsubscribe, re.I) else None
    eml = build_message(
        subject=context["subject"], sender=settings.sender, reply_to=settings.reply_to,
        date=config.date, language=config.language, text=text, html=message_html,
        attachments=attachments, list_unsubscribe=listed)

    files: Files = {"email.html": document.encode(), "email.txt": text.encode(),
                    "email.eml": eml}
    files.update(images.files())
    return files


# --- phase 1 helpers ----------------------------------------------------------------


def _check_addresses(edition: Edition) -> None:
    """Refuse a `from` or `reply_to` that is not one address, naming the line."""
    problems = []
    for key, value in (("from", edition.config.email.sender),
                       ("reply_to", edition.config.email.reply_to)):
        if value and (problem := address_problem(value)):
            line = edition.lines.get(("email", key))
            problems.append(Problem(edition.root / "edition.yaml", line,
                                    f"'email.{key}' {problem}, not {value!r}"))
    if problems:
        raise ContentError(problems)


def _folder_url(url: str | None) -> str:
    """Return an address ending in `/`, to which picture names are added."""
    url = url or ""
    return url if url.endswith("/") else f"{url}/"


def _direction(language: str) -> str:
    """Return the writing direction of a BCP 47 language tag: `ltr` or `rtl`."""
    primary = language.split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES or "-Arab" in language or "-Hebr" in language \
        else "ltr"


def _font_stack(stack: str) -> Markup:
    """Return a CSS font stack that is safe inside double-quoted attributes."""
    return Markup(stack.replace('"', "'"))


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


def _email_section(view: SectionView, images: EmailImages) -> SectionView:
    """Return a section view whose body and notes are sanitised for email."""
    body = _email_html(str(view.body), images)
    notes = tuple(Markup(_email_html(str(note), images)) for note in view.footnotes)
    return dataclasses.replace(view, body=Markup(body), footnotes=notes)


def _email_html(fragment: str, images: EmailImages) -> str:
    """Sanitise body HTML for email: allow-list, no in-page links, marked data tables."""
    html = sanitize(fragment, "email")
    html = FRAGMENT_LINK.sub(r"\1", html)  # footnote references: no anchors in email
    html = html.replace("<table>", '<table class="fo-data">')
    return IMG.sub(lambda m: _email_img(m, images), html)


def _email_img(match: re.Match[str], images: EmailImages) -> str:
    """Give a picture in body text its email copy, an absolute address and its alt text."""
    attributes = dict(ATTRIBUTE.findall(match[1]))
    src = attributes.get("src", "")
    alt = attributes.get("alt", "")
    if re.match(r"https?://", src):
        if not (images.base_url.startswith("http") and src.startswith(images.base_url)):
            log.warning("email: the picture %s is loaded from another website each time the "
                        "email is opened; copy it into images/ to send it with the email", src)
        width = attributes.get("width", "")
        size = f' width="{width}"' if width.isdigit() and int(width) <= CONTENT_WIDTH else ""
        return f'<img src="{src}" alt="{alt}"{size}>'
    picture = images.use(src, CONTENT_WIDTH)
    if picture is None:
        return ""
    return f'<img src="{picture.src}" alt="{alt}" width="{picture.width}">'


def _teaser(section: SectionView) -> Markup:
    """Return what a digest shows of a section: its summary, else its first paragraph."""
    if section.summary:
        return section.summary
    first = re.search(r"<p>(.*?)</p>", str(section.body), re.S)
    return Markup(first[1]) if first else Markup("")


def _check_size(document: str) -> None:
    """Warn when the HTML nears Gmail's clipping size or the head styles its limit."""
    size = len(document.encode())
    if size >= SIZE_LIMIT:
        log.warning("email: email.html is %.0f KB; Gmail clips messages over 102 KB and "
                    "drops their styles; use digest mode or shorten the sections", size / 1024)
    elif size >= SIZE_WARNING:
        log.warning("email: email.html is %.0f KB, close to Gmail's 102 KB clipping limit",
                    size / 1024)
    styles = len(head_styles(document).encode())
    if styles >= HEAD_STYLE_LIMIT:
        log.warning("email: the head style block is %.1f KB; Gmail ignores one over 16 KB",
                    styles / 1024)
