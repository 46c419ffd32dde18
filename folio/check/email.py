"""Email rules: the rendered email page -> findings for what email clients break.

- email-size: Gmail clips a message of SIZE_LIMIT or more behind "View entire message",
  footer and all (a warning over SIZE_WARNING);
- email-head-styles: Gmail drops all <head> styles over HEAD_STYLE_LIMIT;
- email-images: SVG and data: images, which Gmail and Outlook do not show, and pictures
  with no web address (`asset_base_url`), which a sending service cannot show;
- email-css: CSS that Outlook for Windows or Gmail ignore (UNSUPPORTED_EMAIL_CSS; see
  caniemail.com for what each client supports), outside @media queries;
- email-tables: a table of more than TABLE_COLUMNS columns, too wide for a phone: the
  email shows it one row at a time (read from the Markdown, so it needs no rendered page);
- email-from: email settings without `from:`, so that the email goes out from a stand-in
  address that `send` refuses (read from edition.yaml).

The size is measured as the message carries the HTML part (`sent_size`: encoded), which
is what Gmail's clipping limit is about: 8 to 10 % more than the file for English.

The limits are the ones the email format applies when it builds (`folio.formats.email`).
Without a rendered page only the pictures the edition gives the email are judged.
"""

from __future__ import annotations

import html.parser
import re
import urllib.parse
from collections.abc import Iterator

from ..errors import display_path
from ..formats.email import HEAD_STYLE_LIMIT, SIZE_LIMIT, SIZE_WARNING, TABLE_COLUMNS, sent_size
from ..schema import PLACEHOLDER_SENDER
from .registry import Finding, Rule, rule
from .texts import MASK, Context, blank

KB = 1024
EMAIL_CLIP, EMAIL_WARN, HEAD_STYLES_LIMIT = SIZE_LIMIT, SIZE_WARNING, HEAD_STYLE_LIMIT
"""Gmail's limits, as the email format applies them when it builds."""


UNSUPPORTED_EMAIL_CSS: dict[str, str] = {
    "display:flex": "Outlook for Windows ignores flexbox; lay out with tables",
    "display:inline-flex": "Outlook for Windows ignores flexbox; lay out with tables",
    "display:grid": "Outlook and Gmail ignore CSS grid; lay out with tables",
    "display:inline-grid": "Outlook and Gmail ignore CSS grid; lay out with tables",
    "flex*": "flexbox properties do nothing in Outlook for Windows",
    "grid*": "grid properties do nothing in Outlook or Gmail",
    "position": "Gmail and Outlook drop `position`; the element lands elsewhere",
    "transform": "Outlook and Gmail ignore transforms",
    "transition": "Outlook and Gmail ignore transitions",
    "animation*": "Outlook and Gmail ignore animations",
    "clip-path": "Outlook and Gmail ignore clip-path",
    "filter": "Outlook and Gmail ignore CSS filters",
    "backdrop-filter": "Outlook and Gmail ignore CSS filters",
    "mix-blend-mode": "Outlook and Gmail ignore blend modes",
    "object-fit": "Outlook and Gmail ignore object-fit; crop the picture itself",
    "--*": "Outlook and Gmail do not support CSS custom properties",
    "var()": "Outlook and Gmail do not support var(); write the value",
    "@import": "Gmail and Outlook do not load imported style sheets",
    "@font-face": "Gmail and Outlook ignore web fonts; use the fallback fonts",
}
"""CSS that Outlook (Windows desktop) or Gmail ignore, with what to do instead."""


def _css_problem(prop: str, value: str) -> str | None:
    prop = prop.strip().lower()
    value = value.strip().lower()
    first = value.split()[0] if value.split() else ""
    for key in (f"{prop}:{first}", prop):
        if key in UNSUPPORTED_EMAIL_CSS:
            if prop == "position" and first == "static":
                return None
            return UNSUPPORTED_EMAIL_CSS[key]
    for key, why in UNSUPPORTED_EMAIL_CSS.items():
        if key.endswith("*") and prop.startswith(key[:-1]):
            return why
    if "var(" in value:
        return UNSUPPORTED_EMAIL_CSS["var()"]
    return None


def _without_media(css: str) -> str:
    """Blank out @media blocks (progressive enhancement) and comments, keeping offsets."""
    css = re.sub(r"/\*.*?\*/", lambda m: blank(m[0]), css, flags=re.S)
    out = list(css)
    for match in re.finditer(r"@media\b[^{]*\{", css):
        depth, index = 1, match.end()
        while index < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            index += 1
        for i in range(match.start(), index):
            if out[i] != "\n":
                out[i] = MASK
    return "".join(out)


class _EmailScan(html.parser.HTMLParser):
    """Collect the images, style blocks and style attributes of an email page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.style: tuple[int, int, bool] | None = None
        self.buffer: list[str] = []
        self.styles: list[tuple[str, int, bool]] = []
        self.images: list[tuple[str, int, int]] = []
        self.attributes: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "style":
            self.style = (line, column, self.in_head)
            self.buffer = []
        elif tag == "img":
            self.images.append((values.get("src") or "", line, column + 1))
        if values.get("style"):
            self.attributes.append((values["style"] or "", line, column + 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        elif tag == "style" and self.style:
            self.styles.append(("".join(self.buffer), self.style[0], self.style[2]))
            self.style = None

    def handle_data(self, data: str) -> None:
        if self.style:
            self.buffer.append(data)


@rule(
    Rule("email-from", "email", "warning",
         "Email settings in edition.yaml without `from:`: the email is built with a "
         f"stand-in sender ({PLACEHOLDER_SENDER}) that `send` refuses.",
         "email: {subject: Our news}   (and no from:)"),
)
def check_sender(ctx: Context) -> Iterator[Finding]:
    """Flag an edition whose email settings give it no sender of its own."""
    if ("email",) in ctx.edition.lines and not ctx.edition.config.email.sender:
        line, column = ctx.place(("email",), key=True)
        yield Finding(ctx.edition_file, line, column, "email-from", "warning",
                      f"the email's From is a stand-in, {PLACEHOLDER_SENDER}, and `send` "
                      "will not send it; add the address it is sent from under email: "
                      "as from: \"Name <news@your-domain>\"")


def _email_file(ctx: Context) -> str:
    return display_path(ctx.edition.root.parent.parent / "build" / ctx.edition.slug /
                        "email.html")


@rule(
    Rule("email-size", "email", "error",
         f"email.html at or over {EMAIL_CLIP // KB} KB, where Gmail clips it (a warning "
         f"over {EMAIL_WARN // KB} KB).",
         "(a 105 KB email.html)"),
    Rule("email-head-styles", "email", "warning",
         f"Styles in the email's <head> over {HEAD_STYLES_LIMIT // KB} KB, which Gmail drops.",
         "(20 KB of <style>)"),
    Rule("email-images", "email", "error",
         "Email images without `asset_base_url`, SVG images, or data: images, which "
         "email clients do not show.",
         "<img src=\"images/chart.svg\">"),
    Rule("email-css", "email", "warning",
         "CSS that Outlook or Gmail ignore (flex, grid, position, transform, ...) outside "
         "@media queries.",
         "<div style=\"display:flex\">"),
    Rule("email-tables", "email", "warning",
         f"A table of more than {TABLE_COLUMNS} columns, which the email shows one row at a "
         "time because it cannot fit a phone.",
         "| a | b | c | d | e | f | g |"),
)
def check_email(ctx: Context) -> Iterator[Finding]:
    """Flag an email page too big for Gmail, its head styles, images, CSS and wide tables."""
    yield from _wide_tables(ctx)
    if ctx.email_html is None:
        yield from _email_sources(ctx)
        return
    page = ctx.email_html
    file = _email_file(ctx)
    size = sent_size(page)
    if size >= EMAIL_CLIP:
        yield Finding(file, 1, 1, "email-size", "error",
                      f"the email's HTML is {size / KB:.0f} KB as sent (encoded); Gmail clips "
                      f"messages of {EMAIL_CLIP // KB} KB and more: shorten the text or use "
                      "digest mode")
    elif size > EMAIL_WARN:
        yield Finding(file, 1, 1, "email-size", "warning",
                      f"the email's HTML is {size / KB:.0f} KB as sent (encoded), close to "
                      f"Gmail's {EMAIL_CLIP // KB} KB clip")
    scan = _EmailScan()
    scan.feed(page)
    scan.close()
    head = sum(len(css.encode("utf-8")) for css, _, in_head in scan.styles if in_head)
    if head > HEAD_STYLES_LIMIT:
        line = next(line for _, line, in_head in scan.styles if in_head)
        yield Finding(file, line, 1, "email-head-styles", "warning",
                      f"the <head> styles are {head / KB:.1f} KB; Gmail drops them all "
                      f"over {HEAD_STYLES_LIMIT // KB} KB")
    relative = []
    for src, line, column in scan.images:
        problem = _email_image_problem(src)
        if problem:
            yield Finding(file, line, column, "email-images", "error",
                          f"'{src[:60]}': {problem}")
        elif not src.strip().lower().startswith(("http://", "https://", "cid:")):
            relative.append(src)
    if relative:
        yield _no_asset_base(ctx, relative)
    for css, line, _ in scan.styles:
        kept = _without_media(css)
        for match in re.finditer(r"@(import|font-face)\b", kept):
            yield Finding(file, line + kept.count("\n", 0, match.start()), 1, "email-css",
                          "warning", f"'{match[0]}': {UNSUPPORTED_EMAIL_CSS[match[0]]}")
        for match in re.finditer(r"([-\w]+)\s*:\s*([^;{}]+)", kept):
            problem = _css_problem(match[1], match[2])
            if problem and "{" not in kept[match.end(): match.end() + 1]:
                yield Finding(file, line + kept.count("\n", 0, match.start()), 1, "email-css",
                              "warning", f"'{match[1]}: {match[2].strip()}': {problem}")
    for style, line, column in scan.attributes:
        for match in re.finditer(r"([-\w]+)\s*:\s*([^;]+)", style):
            problem = _css_problem(match[1], match[2])
            if problem:
                yield Finding(file, line, column, "email-css", "warning",
                              f"'{match[1]}: {match[2].strip()}': {problem}")


MARKDOWN_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$",
                                 re.M)
HTML_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
HTML_ROW = re.compile(r"<tr\b(.*?)(?=<tr\b|</table>)", re.S | re.I)


def _wide_tables(ctx: Context) -> Iterator[Finding]:
    """Flag tables of more than TABLE_COLUMNS columns, in Markdown or in HTML."""
    for text in ctx.texts:
        if text.part != "body":
            continue
        found = [(text.codeless.rfind("\n", 0, max(0, m.start() - 1)) + 1,  # the header
                  m[0].strip().strip("|").count("|") + 1)
                 for m in MARKDOWN_TABLE_RULE.finditer(text.codeless)]
        found += [(m.start(), max((len(re.findall(r"<t[hd]\b", row, re.I))
                                   for row in HTML_ROW.findall(m[0])), default=0))
                  for m in HTML_TABLE.finditer(text.codeless)]
        for offset, columns in found:
            if columns > TABLE_COLUMNS:
                yield text.finding(offset, "email-tables", (
                    f"this table has {columns} columns, too many for a phone: the email shows "
                    f"it one row at a time, with a link to the web page when email.web_url is "
                    f"set; keep email tables to {TABLE_COLUMNS} columns, or split this one"))


def _email_image_problem(src: str) -> str | None:
    lower = src.strip().lower()
    if lower.startswith("data:"):
        return "a data: image, which Gmail and Outlook do not show; link a PNG or JPEG"
    if urllib.parse.urlsplit(lower).path.endswith(".svg"):
        return "an SVG image, which Gmail and Outlook do not show; use PNG"
    return None


def _no_asset_base(ctx: Context, images: list[str]) -> Finding:
    """Say once, at edition.yaml, that the email's pictures have no address on the web."""
    line, column = ctx.place(("email",), key=True)
    return Finding(ctx.edition_file, line, column, "email-images", "warning",
                   f"'{images[0]}' and the email's other pictures ({len(images)} in all) have "
                   "no web address: email.eml carries them, but email.html pasted into a "
                   "sending service shows none; upload email-images/ and set "
                   "'email: asset_base_url:'")


def _email_sources(ctx: Context) -> Iterator[Finding]:
    """Without a rendered email, judge the images the edition gives it."""
    images = [link for link in ctx.links
              if link.kind in ("image", "html-image", "field-image")]
    config = ctx.edition.config
    pictures = [link.target for link in images] + [p for p in (config.logo, config.cover_image)
                                                   if p]
    if pictures and not config.email.asset_base_url:
        yield _no_asset_base(ctx, pictures)
    for link in images:
        lower = link.target.lower()
        if lower.startswith("data:") or urllib.parse.urlsplit(lower).path.endswith(".svg"):
            kind = "a data:" if lower.startswith("data:") else "an SVG"
            yield link.text.finding(link.offset, "email-images",
                                    f"'{link.target[:60]}': {kind} image, which Gmail and "
                                    "Outlook do not show; use PNG or JPEG", "warning")
