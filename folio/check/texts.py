"""Texts: an edition -> the masked prose, links and headings the rules read (a Context).

Words are checked in the prose only. Code, URLs, link targets, HTML tags, e-mail
addresses, hashtags and @handles are masked first, character for character, so every
finding points at the real line and column of the file it came from: a `Where` maps an
offset in a `Text` back to the file, also for front-matter and edition.yaml values.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import Edition, Section, parse_yaml, place_of, split_front_matter
from ..errors import display_path
from ..schema import ThemeConfig
from .registry import RULES, Finding

MASK = "\x00"
"""Stands in for every masked character: neither a letter nor a space."""


@dataclass
class Where:
    """Maps offsets in a text to (line, column) of the file it came from."""

    starts: list[int]
    """File offset of the start of every line."""
    base: int = 0
    offsets: list[int] | None = None
    """File offset of every character of the text, when it is not a plain slice."""
    line: int | None = None
    """The one line to report when the text could not be placed in the file."""
    column: int = 1
    """The column to report with `line`."""

    def __call__(self, offset: int) -> tuple[int, int]:
        if self.line is not None:
            return self.line, self.column
        if self.offsets is not None:
            at = self.offsets[min(offset, len(self.offsets) - 1)] if self.offsets else 0
        else:
            at = self.base + offset
        index = bisect.bisect_right(self.starts, at) - 1
        return index + 1, at - self.starts[index] + 1


@dataclass
class Text:
    """A piece of prose: a section body or a front-matter value, masked for the rules."""

    file: str
    raw: str
    where: Where
    part: str = "body"
    """`body`, or the front-matter key the text comes from (`title`, `summary`, ...)."""
    quotation: bool = False
    codeless: str = ""
    """`raw` with code and HTML comments masked."""
    linkless: str = ""
    """`codeless` with link targets, tags and reference definitions masked too."""
    prose: str = ""
    """`linkless` with URLs, addresses, hashtags, handles and entities masked too."""
    blocks: list[int] = field(default_factory=list)
    """The block (paragraph, heading, list item, table row) of every line."""
    line_starts: list[int] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.codeless = _mask_code(self.raw)
        self.linkless = _mask_links(self.codeless)
        self.prose = _mask_addresses(self.linkless)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.raw)]
        self.blocks = _blocks(self.prose)
        self.tokens = [Token(m.start(), m.end(), m[0], self.block_at(m.start()))
                       for m in WORD.finditer(self.prose)]

    def line_at(self, offset: int) -> int:
        """Return the 0-based line of the text that holds `offset`."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def block_at(self, offset: int) -> int:
        return self.blocks[self.line_at(offset)]

    def finding(self, offset: int, rule: str, message: str, severity: str | None = None
                ) -> Finding:
        line, column = self.where(offset)
        return Finding(self.file, line, column, rule, severity or RULES[rule].severity, message)


@dataclass(frozen=True)
class Token:
    """A word of a text's prose: letters and digits, inner hyphens and apostrophes."""

    start: int
    end: int
    word: str
    block: int


WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670]|['’\-](?=[^\W_]))*"
                  r"(?:['’](?=s\b)s)?")
"""A word; Arabic vowel marks and shadda (which `\\w` leaves out) stay inside it."""


def blank(text: str) -> str:
    """Mask every character but line breaks."""
    return "".join("\n" if c == "\n" else MASK for c in text)


def _sub_blank(pattern: re.Pattern[str], text: str) -> str:
    """Mask what `pattern` matches, keeping the length."""
    return pattern.sub(lambda match: blank(match[0]), text)


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _mask_code(text: str) -> str:
    """Mask fenced and indented code blocks, code spans and HTML comments."""
    lines = text.split("\n")
    fence: str | None = None
    in_list = False
    previous_blank = True
    in_indented = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence:
            closing = FENCE.match(line)
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                fence = None
            lines[index] = blank(line)
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening[1]
            lines[index] = blank(line)
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if stripped and indented and (in_indented or (previous_blank and not in_list)):
            in_indented = True
            lines[index] = blank(line)
            continue
        if stripped:
            in_indented = False
            if not indented:
                in_list = bool(LIST_ITEM.match(line) or line.startswith("[^"))
        previous_blank = not stripped
    masked = "\n".join(lines)
    masked = _sub_blank(HTML_COMMENT, masked)
    return _sub_blank(INLINE_CODE, masked)


LINK_TARGET = (r"(?:<[^<>\n]*>|\{\{[^{}\n]*\}\}|\*\|[^|\n]*\|\*|(?:[^()\s]|\([^()\s]*\))*)"
               r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?")
INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(" + LINK_TARGET + r")\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*<?([^\s>]+)>?.*$", re.M)
REFERENCE_LINK = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\[([^\]\n]*)\]")
FOOTNOTE_LABEL = re.compile(r"\[\^[^\[\]\s]+\]:?")
AUTOLINK = re.compile(r"<((?:[A-Za-z][\w+.-]*:[^<>\s]*)|(?:[^<>\s@]+@[^<>\s]+))>")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
MERGE_TAGS = re.compile(r"\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}|\*\|[A-Z0-9_:]+\|\*")
ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
BARE_URL = re.compile(r"(?<![\w/@.])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`\x00]+", re.I)
EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
TLDS = ("com|org|net|int|gov|edu|io|info|ngo|eu|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|in|"
        "za|ke|ng|br|mx|jp|cn|sg|my|ph|co|ac|app|dev|ai|tv|me|global|online|news")
DOMAIN = re.compile(r"(?<![\w@./-])[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:" + TLDS +
                    r")(?![\w-])(?:/[^\s<>\"'`\x00]*)?", re.I)
HASHTAG = re.compile(r"(?<![\w&#/])[#@][^\W\d][\w]*")
FILE_REF = re.compile(r"(?<![\w.-])[\w-]+\.(?:png|jpe?g|gif|webp|svg|pdf|docx?|xlsx?|pptx?|csv|"
                      r"txt|zip|md|html?)\b", re.I)
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9A-Fa-f]+);")
TRAILING = ".,;:!?'\")]}’”"


def _mask_links(text: str) -> str:
    """Mask link targets, reference definitions, footnote labels, autolinks and tags."""
    text = _sub_blank(REFERENCE_DEF, text)
    text = _sub_blank(FOOTNOTE_LABEL, text)
    text = _sub_blank(AUTOLINK, text)
    text = _sub_blank(HTML_TAG, text)
    text = INLINE_LINK.sub(_keep_label, text)
    text = REFERENCE_LINK.sub(lambda m: m[0][: m.end(2) - m.start()]
                              + blank(m[0][m.end(2) - m.start():]), text)
    text = _sub_blank(MERGE_TAGS, text)
    return _sub_blank(ATTR_LIST, text)


def _keep_label(match: re.Match[str]) -> str:
    """Keep a link's text (masking the targets of links inside it) and mask its target."""
    head = match[0][: match.start(2) - match.start()]
    return head + INLINE_LINK.sub(_keep_label, match[2]) + blank(
        match[0][match.end(2) - match.start():])


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the address."""
    while url and url[-1] in TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _mask_addresses(text: str) -> str:
    """Mask URLs, e-mail addresses, domain names, hashtags, handles and entities."""
    def url(match: re.Match[str]) -> str:
        kept = _trim_url(match[0])
        return blank(kept) + match[0][len(kept):]
    text = BARE_URL.sub(url, text)
    text = _sub_blank(EMAIL, text)
    text = DOMAIN.sub(url, text)
    text = _sub_blank(HASHTAG, text)
    text = _sub_blank(FILE_REF, text)
    return _sub_blank(ENTITY, text)


TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]*\S\s*\|\s*\S[^\n]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def _blocks(prose: str) -> list[int]:
    """Number the blocks of a text line by line; a blank line, heading, list item,
    table row or block quote starts a new block."""
    numbers = []
    block = 0
    previous = ""
    for line in prose.split("\n"):
        stripped = line.strip()
        starts = (not stripped or not previous.strip() or HEADING.match(line)
                  or HEADING.match(previous) or LIST_ITEM.match(line) or TABLE_ROW.match(line)
                  or TABLE_ROW.match(previous) or SETEXT.match(line)
                  or (stripped.startswith(">") and not previous.strip().startswith(">")))
        if starts:
            block += 1
        numbers.append(block)
        previous = line
    return numbers


def quote(text: Text, start: int, end: int, limit: int = 80, collapse: bool = True) -> str:
    """Return the raw text between two offsets, on one line and shortened, for a message."""
    snippet = text.raw[max(start, 0):end]
    snippet = re.sub(r"\s+", " ", snippet) if collapse else snippet.replace("\n", " ")
    snippet = snippet.strip()
    if len(snippet) > limit:
        snippet = snippet[: limit - 1].rstrip() + "…"
    return snippet


# --- reading the edition ------------------------------------------------------------


PROSE_FIELDS = ("title", "summary", "caption", "image_alt", "quote", "attribution")
EDITION_PROSE = (("title",), ("subtitle",), ("description",), ("email", "subject"),
                 ("email", "preheader"))


@dataclass
class Link:
    """A link or image of a text: where it is, what it says and where it points."""

    text: Text
    offset: int
    target: str
    label: str | None
    """The link text; None for a bare address or a front-matter field."""
    kind: str
    """`link`, `image`, `autolink`, `bare`, `html`, `definition`, `field`, ..."""
    end: int | None = None
    """Where the link ends in the text; None for a front-matter field."""

    def quote(self) -> str:
        """Return the link as written, for a message."""
        if self.end is None:
            return self.target
        return quote(self.text, self.offset, self.end, limit=120)


@dataclass
class Heading:
    """A heading inside a section body."""

    text: Text
    offset: int
    level: int
    title: str


@dataclass
class Context:
    """Everything the rules read, gathered once from the edition."""

    edition: Edition
    texts: list[Text]
    links: list[Link]
    headings: list[Heading]
    words: set[str]
    """The edition's word list, case-folded, each word of a multi-word entry too."""
    phrases: set[str]
    edition_file: str
    email_html: str | None = None
    theme: ThemeConfig | None = None
    online: bool = False

    def place(self, at: tuple[str, ...], key: bool = False) -> tuple[int, int]:
        """Return the (line, column) in edition.yaml of the value at key path `at` (of its
        key with `key`); (1, 1) when edition.yaml does not have it."""
        if at not in self.edition.lines:
            return 1, 1
        line, column = place_of(self.edition.lines, at, key)
        return line or 1, column or 1

    @property
    def british(self) -> bool:
        return not self.edition.config.language.lower().startswith("en-us")


def file_text(path: Path) -> str:
    """Read a file as `load_edition` does: no newline translation, so offsets agree."""
    return path.read_bytes().decode("utf-8-sig")


def _starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _align(value: str, source: str, start: int) -> list[int] | None:
    """Map each character of a YAML value to its offset in the file, from `start`."""
    offsets = []
    at = start
    for char in value:
        if char.isspace():
            offsets.append(at)
            continue
        found = source.find(char, at, at + 200)
        if found < 0:
            return None
        offsets.append(found)
        at = found + 1
    return offsets


def _value_text(file: str, source: str, starts: list[int], place: tuple[int, int] | None,
                value: str, name: str) -> Text:
    """Place a YAML string value in its file, character by character where possible.

    `place` is the (line, column) where the value starts (its opening quote, if quoted):
    in flow style (`cta: {label: Join us, url: ...}`) that is mid-line. A value whose
    characters cannot be followed (escapes) is reported at that place.
    """
    line, column = place or (1, 1)
    start = starts[min(line, len(starts)) - 1] + column - 1
    offsets = _align(value, source, start)
    where = (Where(starts, offsets=offsets) if offsets
             else Where(starts, line=line, column=column))
    return Text(file, value, where, part=name, quotation=name == "quote")


def _section_texts(section: Section) -> tuple[list[Text], list[Link]]:
    """Return a section's body and front-matter prose, and its front-matter links."""
    file = display_path(section.path)
    source = file_text(section.path)
    starts = _starts(source)
    texts = [Text(file, section.body, Where(starts, base=starts[section.body_line - 1]))]
    links: list[Link] = []
    front, _, _ = split_front_matter(source)
    _, lines = parse_yaml(front or "", section.path, [], first_line=2)
    places = lines.places
    meta = section.meta
    for name in PROSE_FIELDS:
        value = getattr(meta, name)
        if value:
            texts.append(_value_text(file, source, starts, places.get((name,)), value, name))
    for index, figure in enumerate(meta.figures):
        texts.append(_value_text(file, source, starts, places.get(("figures", index, "label")),
                                 figure.label, "figure"))
    if meta.cta:
        label = _value_text(file, source, starts, places.get(("cta", "label")), meta.cta.label,
                            "cta")
        texts.append(label)
        url = _value_text(file, source, starts, places.get(("cta", "url")), meta.cta.url, "url")
        links.append(Link(url, 0, meta.cta.url, meta.cta.label, "field"))
    for index, event in enumerate(meta.events):
        for name in ("title", "place"):
            value = getattr(event, name)
            if value:
                texts.append(_value_text(file, source, starts,
                                         places.get(("events", index, name)), value, "event"))
        if event.url:
            url = _value_text(file, source, starts, places.get(("events", index, "url")),
                              event.url, "url")
            links.append(Link(url, 0, event.url, None, "field"))
    if meta.image:
        image = _value_text(file, source, starts, places.get(("image",)), meta.image, "url")
        links.append(Link(image, 0, meta.image, meta.image_alt, "field-image"))
    return texts, links


def _edition_texts(edition: Edition) -> tuple[list[Text], list[Link], str]:
    """Return the prose and links of edition.yaml."""
    path = edition.root / "edition.yaml"
    file = display_path(path)
    source = file_text(path)
    starts = _starts(source)
    config = edition.config
    places = edition.lines.places
    texts = []
    for key in EDITION_PROSE:
        value: Any = config
        for part in key:
            value = getattr(value, part)
        if value:
            texts.append(_value_text(file, source, starts, places.get(key), value, key[-1]))
    links = []
    for key in (("website",), ("email", "web_url"), ("email", "pdf_url"),
                ("email", "asset_base_url")):
        value = getattr(config.email, key[1]) if len(key) == 2 else getattr(config, key[0])
        if value:
            text = _value_text(file, source, starts, places.get(key), value, "url")
            kind = "field-folder" if key[-1] == "asset_base_url" else "field"
            links.append(Link(text, 0, value, None, kind))
    if config.cover_image_alt:
        texts.append(_value_text(file, source, starts, places.get(("cover_image_alt",)),
                                 config.cover_image_alt, "image_alt"))
    return texts, links, file


def _body_links(text: Text) -> list[Link]:
    """Find the links and images of a Markdown body."""
    links = []
    source = text.codeless
    definitions = {m[1].strip().casefold(): m[2] for m in REFERENCE_DEF.finditer(source)}
    labels: list[tuple[int, int]] = []
    for match in REFERENCE_DEF.finditer(source):
        links.append(Link(text, match.start(2), match[2], None, "definition", match.end(2)))
    for match in INLINE_LINK.finditer(source):
        target = match[3].strip()
        if target.startswith("<"):
            target = target[1:].split(">", 1)[0]
        else:
            target = re.split(r"\s+", target, maxsplit=1)[0] if target else ""
        kind = "image" if match[1] else "link"
        links.append(Link(text, match.start(), target, match[2], kind, match.end()))
        labels.append((match.start(2), match.end(2)))
        for image in INLINE_LINK.finditer(match[2]):
            if image[1]:
                links.append(Link(text, match.start(2) + image.start(),
                                  image[3].strip().split()[0] if image[3].strip() else "",
                                  image[2], "image", match.start(2) + image.end()))
    for match in REFERENCE_LINK.finditer(source):
        ref = (match[3] or match[2]).strip().casefold()
        if ref in definitions:
            kind = "image" if match[1] else "link"
            links.append(Link(text, match.start(), "", match[2], kind + "-ref", match.end()))
    for match in AUTOLINK.finditer(source):
        links.append(Link(text, match.start(), match[1], None, "autolink", match.end()))
    for match in re.finditer(r"<a\s[^>]*?href\s*=\s*([\"'])(.*?)\1[^>]*>(.*?)</a>", source,
                             re.I | re.S):
        label = re.sub(r"<[^>]+>", "", match[3])
        links.append(Link(text, match.start(), match[2], label, "html", match.end()))
    for match in re.finditer(r"<img\b[^>]*>", source, re.I):
        src = re.search(r"\bsrc\s*=\s*([\"'])(.*?)\1", match[0], re.I | re.S)
        alt = re.search(r"\balt\s*=\s*([\"'])(.*?)\1", match[0], re.I | re.S)
        links.append(Link(text, match.start(), src[2] if src else "",
                          alt[2] if alt else None, "html-image", match.end()))
    for match in BARE_URL.finditer(text.linkless):
        if not any(start <= match.start() < end for start, end in labels):
            url = _trim_url(match[0])
            links.append(Link(text, match.start(), url, None, "bare", match.start() + len(url)))
    return links


def _body_headings(text: Text) -> list[Heading]:
    """Find the ATX and setext headings of a Markdown body."""
    headings = []
    lines = text.codeless.split("\n")
    for index, line in enumerate(lines):
        offset = text.line_starts[index]
        match = HEADING.match(line)
        if match and MASK not in line[: match.end(1)]:
            title = _heading_text(text, offset + match.end(), offset + len(line))
            title = re.sub(r"[ \t]+#+[ \t]*$", "", title).strip()
            headings.append(Heading(text, offset + match.start(1), len(match[1]), title))
            continue
        underline = SETEXT.match(line)
        if underline and index and lines[index - 1].strip():
            above = lines[index - 1]
            if not (HEADING.match(above) or LIST_ITEM.match(above) or TABLE_ROW.match(above)
                    or SETEXT.match(above)):
                level = 1 if underline[1][0] == "=" else 2
                start = text.line_starts[index - 1]
                headings.append(Heading(text, start, level,
                                        _heading_text(text, start, start + len(above))))
    return headings


def _heading_text(text: Text, start: int, end: int) -> str:
    """Return a heading's words as the page shows them: code spans kept, comments dropped."""
    return " ".join(HTML_COMMENT.sub(" ", text.raw[start:end]).split())


def gather(edition: Edition) -> Context:
    """Read everything the rules read from an edition, once."""
    texts, links, edition_file = _edition_texts(edition)
    headings: list[Heading] = []
    for section in edition.sections:
        section_texts, section_links = _section_texts(section)
        body = section_texts[0]
        texts += section_texts
        links += section_links + _body_links(body)
        headings += _body_headings(body)
    for text in texts[:]:
        if text.part not in ("body", "url"):
            links += [link for link in _body_links(text) if link.kind != "definition"]
    words: set[str] = set()
    phrases: set[str] = set()
    for entry in edition.config.words:
        phrases.add(" ".join(entry.split()).casefold())
        words.update(w.casefold() for w in WORD.findall(entry.replace("’", "'")))
        words.add(entry.strip().casefold())
    return Context(edition, [t for t in texts if t.part != "url"], links, headings, words,
                   phrases, edition_file)

