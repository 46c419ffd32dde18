"""Typography: section HTML -> the same HTML spaced as the edition's language sets text.

An Arabic edition writes its numbers in one digit system: its interface (dates, page
numbers, counts) uses Western digits, so Arabic-Indic digits typed into the text
(`١٢`) are written as Western ones (`12`), and a page never mixes the two.

French puts a narrow no-break space (U+202F) before `: ; ! ?` and inside guillemets
(`« Bonjour »`), so that the mark never starts a line on its own. Writers type an ordinary
space there, or none inside guillemets; both become the narrow one. Only text is touched:
never tags, attributes, code or addresses (`https://` has no space before its colon).
Titles, leads, captions and the cover are spaced as the text is (`context`), so that the
contents, the bookmarks and the running heads, which repeat them, are too.
"""

from __future__ import annotations

import re

NARROW = "\u202f"
"""The narrow no-break space French sets before high punctuation."""
PIECES = re.compile(r"(<(code|pre|kbd|samp|script|style)\b.*?</\2>|<[^>]+>|&#?\w+;)", re.S | re.I)
BEFORE_MARK = re.compile(r"(?:(?<=\S)|^)[ \u00a0\u202f]*(?=[;!?](?!\w))"
                         r"|(?:(?<=\w)|^)[ \u00a0\u202f]+(?=:)")
"""The spaces (or none) before `; ! ?`, and the typed space before a colon: after a word,
or at the start of a run of text, after a tag (`<em>savoir</em> :`)."""
OPENING = re.compile(r"«[ \u00a0\u202f]*")
CLOSING = re.compile(r"[ \u00a0\u202f]*»")


def french_text(text: str) -> str:
    """Space one run of French text (no tags in it)."""
    text = BEFORE_MARK.sub(NARROW, text)
    text = OPENING.sub("«" + NARROW, text)
    return CLOSING.sub(NARROW + "»", text)


ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")
"""Arabic-Indic and Persian digits, and the Arabic thousands and decimal separators."""


def one_digit_system(text: str, language: str) -> str:
    """Return text (or HTML) with Western digits only, in an Arabic edition."""
    if not language.lower().startswith("ar"):
        return text
    return text.translate(ARABIC_INDIC)


def spaced_text(text: str, language: str) -> str:
    """Return plain text (no tags: a title for a bookmark or the metadata) spaced for
    `language`, as `spaced` spaces HTML."""
    text = one_digit_system(text, language)
    return french_text(text) if language.lower().startswith("fr") else text


def spaced(html: str, language: str) -> str:
    """Return section HTML spaced for `language` (a BCP 47 tag): French spacing, and one
    digit system in Arabic; unchanged for other languages."""
    html = one_digit_system(html, language)
    if not language.lower().startswith("fr"):
        return html
    parts = PIECES.split(html)
    out = []
    index = 0
    while index < len(parts):
        out.append(french_text(parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])  # a tag or a code span: as it is
        index += 3
    return "".join(out)
