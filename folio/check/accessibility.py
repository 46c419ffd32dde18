"""Accessibility rules: an edition and its theme -> findings that keep it readable for all.

Each rule follows a WCAG 2.2 success criterion at level A or AA:

- image-alt: 1.1.1 Non-text Content (a picture needs a text alternative; alt="" in HTML
  marks a decorative one on purpose);
- heading-levels: 1.3.1 Info and Relationships (headings that skip a level break the
  outline screen-reader users navigate by);
- link-text: 2.4.4 Link Purpose (link text that says where it leads; a bare address is
  spelt out letter by letter);
- contrast: 1.4.3 Contrast (Minimum), MIN_CONTRAST:1 for text and LARGE_TEXT_CONTRAST:1
  for large text, for every pair of theme colours the web page, PDF and email set text
  in (`contrast_ratio` is WCAG's formula);
- language: 3.1.1 Language of Page (`language:` sets the page's lang).
- interface-words: 3.1.2 Language of Parts: fixed words left in English in another
  language's edition (no catalogue or no translation, see `folio.i18n`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import display_path
from ..i18n import has_catalogue, language_name, messages, words_for
from .registry import Finding, Rule, rule
from .texts import Context

MIN_CONTRAST = 4.5


VAGUE_LINK_TEXT = {"click here", "click", "here", "this", "this link", "link", "this page",
                   "page", "more", "read more", "learn more", "find out more", "more info",
                   "more information", "go", "go here", "see here", "website", "this website"}
FILE_NAME = re.compile(r"^\S+\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|heic)$|^(?:img|dsc|image|"
                       r"picture|photo|screenshot)[\s_-]?\d*$", re.I)


@rule(
    Rule("image-alt", "accessibility", "error",
         "A picture without alt text, or with a file name as alt text.",
         "![](images/chart.png)"),
)
def check_images(ctx: Context) -> Iterator[Finding]:
    """Flag pictures without alt text, or with a file name for alt text."""
    for link in ctx.links:
        if link.kind not in ("image", "image-ref", "html-image", "field-image"):
            continue
        alt = (link.label or "").strip()
        where = link.target or "the picture"
        if link.kind == "html-image" and link.label is not None and not alt:
            continue  # alt="" marks a decorative picture on purpose
        if not alt:
            yield link.text.finding(link.offset, "image-alt",
                                    f"'{link.quote()}': {where} has no alt text; describe "
                                    "what it shows")
        elif FILE_NAME.match(alt):
            yield link.text.finding(link.offset, "image-alt",
                                    f"'{alt}': the alt text of {where} is a file name; "
                                    "describe what the picture shows")


@rule(
    Rule("heading-levels", "accessibility", "warning",
         "A heading that skips a level (the first level in a section body is `#`).",
         "# Research\n\n### Findings"),
)
def check_headings(ctx: Context) -> Iterator[Finding]:
    """Flag headings that skip a level inside a section body."""
    previous: dict[str, int] = {}
    for heading in ctx.headings:
        before = previous.get(heading.text.file, 0)
        if heading.level > before + 1:
            marks = "#" * heading.level
            yield heading.text.finding(
                heading.offset, "heading-levels",
                f"'{marks} {heading.title}' skips a level after "
                f"{'the section title' if before == 0 else '#' * before + ' heading'}; "
                f"use {'#' * (before + 1)}")
        previous[heading.text.file] = heading.level


@rule(
    Rule("link-text", "accessibility", "warning",
         "Link text that says nothing out of context (click here, read more) or a bare URL.",
         "[click here](https://example.org/report)"),
)
def check_link_text(ctx: Context) -> Iterator[Finding]:
    """Flag link text that means nothing out of context, and bare URLs."""
    for link in ctx.links:
        if link.kind in ("autolink", "bare"):
            if not re.match(r"(?i)^(?:https?|ftp)://", link.target):
                continue  # e-mail addresses, and www. names written as text
            yield link.text.finding(link.offset, "link-text",
                                    f"'{link.target}': a bare address; screen readers spell "
                                    f"it out: write [what it leads to]({link.target})")
            continue
        if link.kind not in ("link", "link-ref", "html", "field") or link.label is None:
            continue
        if "![" in link.label or "<img" in link.label.lower():
            continue  # the picture's alt text names the link
        label = re.sub(r"[*_`~]", "", link.label).strip()
        plain = re.sub(r"[^\w\s]", "", label).strip().casefold()
        if plain in VAGUE_LINK_TEXT:
            yield link.text.finding(link.offset, "link-text",
                                    f"'{label}': link text that says nothing on its own; "
                                    "name where the link leads")
        elif re.match(r"(?i)^(?:https?://|www\.)\S+$", label):
            yield link.text.finding(link.offset, "link-text",
                                    f"'{label}': a bare address as link text; say what "
                                    "it leads to")


def _luminance(colour: str) -> float | None:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", colour.strip())
    if not match:
        return None
    digits = match[1] if len(match[1]) == 6 else "".join(c * 2 for c in match[1])
    channels = []
    for i in range(0, 6, 2):
        c = int(digits[i: i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(foreground: str, background: str) -> float | None:
    """Return the WCAG contrast ratio of two #rrggbb colours, or None if unreadable."""
    a, b = _luminance(foreground), _luminance(background)
    if a is None or b is None:
        return None
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


LARGE_TEXT_CONTRAST = 3.0
"""WCAG 1.4.3's minimum for large text (18 pt, or 14 pt bold, and up)."""
CONTRAST_PAIRS = [("ink", "paper", "body text", MIN_CONTRAST),
                  ("muted", "paper", "captions and dates", MIN_CONTRAST),
                  ("accent", "paper", "links and headings", MIN_CONTRAST),
                  ("accent_ink", "accent", "button text", MIN_CONTRAST),
                  ("band_ink", "band", "text on the band", MIN_CONTRAST),
                  ("highlight_text", "paper", "section numbers in the PDF, large text",
                   LARGE_TEXT_CONTRAST),
                  ("highlight", "band", "key figures and running heads on the band, large "
                   "and bold", LARGE_TEXT_CONTRAST)]
"""Each text colour the outputs (web page, PDF and email) set on a background, with the
contrast it needs."""


@rule(
    Rule("contrast", "accessibility", "error",
         f"Theme text colours below {MIN_CONTRAST}:1 contrast on their background (WCAG 2.2 AA).",
         "ink: '#999999' on paper: '#ffffff' (2.8:1)"),
)
def check_contrast(ctx: Context) -> Iterator[Finding]:
    """Flag theme text colours below 4.5:1 on their background."""
    if ctx.theme is None:
        return
    path = ctx.edition.root.parent.parent / "templates" / ctx.edition.config.theme / "theme.yaml"
    source = path.read_text(encoding="utf-8") if path.is_file() else ""
    colours = ctx.theme.colours
    for fore, back, what, needed in CONTRAST_PAIRS:
        a, b = getattr(colours, fore), getattr(colours, back)
        ratio = contrast_ratio(a, b)
        if ratio is None or ratio >= needed:
            continue
        match = re.search(rf"^\s*{fore}\s*:", source, re.M)
        line = source.count("\n", 0, match.start()) + 1 if match else 1
        yield Finding(display_path(path), line, 1, "contrast", "error",
                      f"'{fore}: {a}' on '{back}: {b}' ({what}) has a contrast of "
                      f"{ratio:.1f}:1; WCAG 2.2 AA needs {needed:g}:1 — darken or lighten one")


@rule(
    Rule("language", "accessibility", "error",
         "edition.yaml does not say which language the text is in.",
         "(no `language:` line)"),
)
def check_language(ctx: Context) -> Iterator[Finding]:
    """Flag an edition.yaml that does not set the language."""
    if ("language",) not in ctx.edition.lines:
        yield Finding(ctx.edition_file, 1, 1, "language", "error",
                      "edition.yaml sets no language, so screen readers may read the text "
                      "with the wrong voice; add a line such as 'language: en-GB'")


@rule(
    Rule("interface-words", "accessibility", "warning",
         "The web page, PDF and email would show some of their fixed words (Contents, "
         "Unsubscribe, ...) in English, for lack of a translation into the edition's "
         "language in Folio's catalogue or the theme's `strings:`.",
         "language: it (Folio has no Italian catalogue)"),
)
def check_interface_words(ctx: Context) -> Iterator[Finding]:
    """Flag interface words that would show in English in a non-English edition."""
    language = ctx.edition.config.language
    line, column = ctx.place(("language",))
    strings = ctx.theme.strings if ctx.theme else {}
    missing = words_for(language, strings).missing()
    if not missing:
        return
    name = language_name(language)
    examples = sorted(missing, key=lambda m: ("%(" in m, len(m)))[:3]
    quoted = ", ".join(f"'{m}'" for m in examples) + (", ..." if len(missing) > 3 else "")
    if not has_catalogue(language) and len(missing) == len(messages()):
        message = (f"'language: {language}': Folio has no {name} catalogue, so the interface "
                   f"words ({quoted}) show in English; add one (see docs/languages.md) or "
                   "give them under `strings:` in the theme's theme.yaml")
    else:
        message = (f"'language: {language}': {len(missing)} interface word(s) have no {name} "
                   f"translation and show in English: {quoted}; translate them in Folio's "
                   "catalogue or under `strings:` in the theme's theme.yaml")
    yield Finding(ctx.edition_file, line, column, "interface-words", "warning", message)
