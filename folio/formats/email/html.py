"""Email HTML: MJML -> finished email HTML, styles inlined, one head style block, no remote calls.

`compile_mjml` runs mrml (MJML in Rust) without its default Google Fonts. `finish` inlines
every content style on the element it styles (css-inline, remote loading off), keeps the
media queries and the theme's dark-mode rules in a single `<style>` block, marks layout
tables `role="presentation"` and takes out indentation.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import Problem, TemplateError

COMMENT = re.compile(r"<!--.*?-->", re.S)
STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style>", re.S | re.I)
MEDIA_ATTRIBUTE = re.compile(r"""\bmedia=(["'])(.*?)\1""", re.I)
OLD_OUTLOOK = re.compile(r"<!--\[if lte mso 11\]>.*?<!\[endif\]-->", re.S)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
TABLE = re.compile(r"<table\b(?![^>]*\brole=)([^>]*)>", re.I)
TABLE_RESET = re.compile(r"\btable,\s*td\s*\{[^}]*\}")
STYLE_ATTRIBUTE = re.compile(r'(\sstyle=")([^"]*)"')
PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters: invisible, not allowed in HTML, and fatal to mrml's parser."""


def compile_mjml(source: str, template: str | Path) -> str:
    """Compile MJML to HTML with mrml; no web fonts, so nothing is fetched on opening."""
    import mrml

    # mrml writes a no-break space inside an attribute as `\u{a0}`: give it as a reference.
    source = source.replace("\u00a0", "&#160;")
    try:
        output = mrml.to_html(CONTROL.sub("", source), render_options=mrml.RenderOptions(fonts={}))
    except Exception as exc:  # mrml raises OSError or ValueError for bad MJML
        raise TemplateError([Problem(template, None, f"the email template is not valid MJML "
                                     f"({exc}); check that every mj- tag is closed")]) from exc
    return str(output.content)


def css_text(css: str) -> str:
    """Return CSS with comments removed and white space collapsed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s+", " ", css)
    css = re.sub(r"\s*([{};,>])\s*", r"\1", css)
    css = re.sub(r":\s+", ":", css)
    return re.sub(r";}", "}", css).strip()


def finish(document: str, *, content_css: str, head_css: str) -> str:
    """Inline the content styles and leave one head style block with media queries."""
    import css_inline

    document = OLD_OUTLOOK.sub("", document)  # Outlook 2003 only; a second style block
    # MJML's table reset is for Outlook, which reads head styles: inlined on every table
    # and cell it would add a fifth to the size, so it stays in the head.
    resets = TABLE_RESET.findall(document)
    document = TABLE_RESET.sub("", document)
    # `<style media="...">` (Thunderbird's column widths) becomes an @media rule.
    document = STYLE.sub(_media_block, document)
    inliner = css_inline.CSSInliner(
        inline_style_tags=True, keep_style_tags=False, keep_link_tags=False,
        keep_at_rules=True, load_remote_stylesheets=False, extra_css=content_css)
    document = inliner.inline(document)

    # Gather what is left of every style block (the at-rules) into one, before </head>.
    comments: list[str] = []

    def hide(match: re.Match[str]) -> str:
        comments.append(match[0])
        return f"\0{len(comments) - 1}\0"

    document = COMMENT.sub(hide, document)
    kept = [css_text(match[2]) for match in STYLE.finditer(document)]
    document = STYLE.sub("", document)
    document = LINK_TAG.sub(lambda m: "" if "stylesheet" in m[0].lower() else m[0], document)
    rules = "".join(rule for rule in [*map(css_text, resets), *kept, css_text(head_css)] if rule)
    rules = re.sub(r"@import[^;]*;", "", rules)
    document = document.replace("</head>", f'<style type="text/css">{rules}</style></head>', 1)
    document = TABLE.sub(_presentation, document)
    document = STYLE_ATTRIBUTE.sub(_compact_style, document)
    document = re.sub("\0(\\d+)\0", lambda m: comments[int(m[1])], document)
    return _strip_indentation(document)


def _media_block(match: re.Match[str]) -> str:
    media = MEDIA_ATTRIBUTE.search(match[1])
    if not media:
        return match[0]
    return f'<style type="text/css">@media {media[2]} {{ {match[2]} }}</style>'


def _compact_style(match: re.Match[str]) -> str:
    """Drop the spaces css-inline writes after `:` and `;` in a style attribute."""
    style = re.sub(r"\s*;\s*", ";", re.sub(r"(?<=[a-z-]):\s+", ":", match[2])).strip(";")
    return f'{match[1]}{style}"'


def _presentation(match: re.Match[str]) -> str:
    """Mark a layout table `role="presentation"`; data tables (class fo-data) keep theirs."""
    if re.search(r"""\bclass=["'][^"']*\bfo-data\b""", match[1]):
        return match[0]
    return f'<table role="presentation"{match[1]}>'


def _strip_indentation(document: str) -> str:
    """Remove indentation and blank lines; the text of `<pre>` blocks is left alone."""
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match[0])
        return f"\0pre{len(blocks) - 1}\0"

    document = PRE.sub(keep, document)
    document = re.sub(r"\n[ \t]+", "\n", document)
    document = re.sub(r"\n{2,}", "\n", document).strip() + "\n"
    return re.sub("\0pre(\\d+)\0", lambda m: blocks[int(m[1])], document)


def head_styles(document: str) -> str:
    """Return the text of every `<style>` block outside comments (for size checks)."""
    return "".join(match[2] for match in STYLE.finditer(COMMENT.sub("", document)))
