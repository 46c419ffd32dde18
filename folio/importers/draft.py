"""The draft model: what a reader makes of a draft file (a `Draft`), and what an import reports.

Also the small helpers more than one stage of the import shares: decoding a text file,
file-name slugs, escaping plain text for Markdown, and telling whether a table's first
row is its header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import command_line, display_path, printable

INTRODUCTION = "Introduction"


@dataclass
class Picture:
    """A picture taken out of a draft, to be saved in images/."""

    name: str
    data: bytes
    alt: str


@dataclass
class DraftSection:
    """One section of a draft: its title and Markdown blocks."""

    title: str
    blocks: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(b.strip("\n") for b in self.blocks if b.strip())


@dataclass
class Draft:
    """What a reader found in a draft file."""

    title: str
    subtitle: str = ""
    sections: list[DraftSection] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    language: str = ""
    """The BCP 47 tag the draft declares for most of its text, if it declares one."""

    def section(self) -> DraftSection:
        """Return the section being filled, opening an introduction if there is none."""
        if not self.sections:
            self.sections.append(DraftSection(INTRODUCTION))
        return self.sections[-1]


@dataclass
class ImportReport:
    """What `import_draft` created and what the editor should look at."""

    source: Path
    edition: Path
    title: str
    kind: str
    words: int
    sections: list[tuple[str, str]]
    """(file name, section title) of every section written."""
    pictures: list[tuple[str, str]]
    """(file name in images/, alt text) of every picture saved."""
    missing_alt: list[tuple[str, str]]
    """(picture, section file) of pictures without alt text."""
    comments: list[str]
    changes: list[str]
    notes: list[str]

    def __str__(self) -> str:
        name = self.edition.name
        out = [f"Imported {self.source.name} into {display_path(self.edition)}/ as "
               f"{'an annual review' if self.kind == 'annual-review' else 'a newsletter'} "
               f"of {self.words:,} words:",
               f"  edition.yaml  {self.title}"]
        width = max((len(f) for f, _ in self.sections), default=0)
        out += [f"  {file:<{width}}  {title}" for file, title in self.sections]
        if self.pictures:
            out.append(f"Pictures saved in images/ ({len(self.pictures)}):")
            missing = dict(self.missing_alt)
            for picture, alt in self.pictures:
                if picture in missing:
                    out.append(f"  {picture}  NO ALT TEXT: describe it in {missing[picture]}, "
                               f"between the brackets of ![](images/{picture})")
                else:
                    out.append(f"  {picture}  alt text: {alt}")
        if self.comments or self.changes:
            out.append("Left out of the text (look at them in the draft):")
            if self.comments:
                out.append(f"  {len(self.comments)} comment(s):")
                out += [f"    {c}" for c in self.comments]
            if self.changes:
                out.append(f"  {len(self.changes)} tracked change(s); insertions were kept and "
                           "deletions dropped, as in Word's 'No Markup' view:")
                out += [f"    {c}" for c in self.changes]
        if self.notes:
            out.append("Notes:")
            out += [f"  {n}" for n in self.notes]
        content = display_path(self.edition.parent)
        where = "" if content == "content" else f" --content {content}"
        out.append("It is a draft (`draft: true` in edition.yaml): the archive, the feed and "
                   "`publish` leave it out until you delete that line.")
        out.append(f"Next: set 'organisation' in edition.yaml, then run "
                   f"{command_line(f'check {name}{where}')}.")
        return "\n".join(printable(line) for line in out)


# --- helpers shared by the readers and the writer -----------------------------------


def _decode(data: bytes) -> str:
    """Decode a text draft: UTF-8 or UTF-16 with a byte-order mark, else UTF-8, else
    Windows-1252 (what Word writes as 'Plain Text' on Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # an odd byte or half a character
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0b", "\n")


def _slugify(title: str, limit: int = 40) -> str:
    """Turn a section title into a file-name slug: lower-case ASCII words and dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "section"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, count = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{count}"
        count += 1
    taken.add(candidate)
    return candidate


ADDRESS = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
"""Web and e-mail addresses. An e-mail address starts where a run of the characters of its
first part starts: tried from every letter of a long word, the pattern took time in the
square of the line's length (a 100 KB line, half a minute)."""
LINK_TARGET = re.compile(r"\s*[(\[]")
BRACKET = re.compile(r"[\[\]]")


def escape_markdown(text: str, start: bool = True) -> str:
    """Escape what Markdown would read as markup in a line of plain text, leaving web and
    e-mail addresses alone."""
    out = []
    last = 0
    for match in ADDRESS.finditer(text):
        out.append(_escape_plain(text[last: match.start()]))
        out.append(match[0])
        last = match.end()
    out.append(_escape_plain(text[last:]))
    escaped = "".join(out)
    if start:
        escaped = re.sub(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|=+$)", r"\\\1", escaped)
        escaped = re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", escaped)
    return escaped


LABEL_CHARACTERS = 50
"""The longest text a cell of a header row holds: column headings are short."""
FIGURE_START = re.compile(r"^[-+−–~≈<>(]?\s*[£$€¥₹]?\s*\d")
YEAR = re.compile(r"^(?:FY\s?)?(?:19|20)\d\d(?:\s?[/–-]\s?(?:19|20)?\d\d)?$", re.I)


def reads_as_header(rows: Sequence[Sequence[str]]) -> bool:
    """Return whether the first of a table's rows (cell texts) reads as its column headings.

    It does when more rows follow and each of its cells holds a different short label:
    words (Region, Q1, Young people), or a year (2025, 2024/25); never a figure such as
    32, £12,400 or 95%. The first cell may be empty: the corner above the rows' names.
    """
    labels = [" ".join(text.split()) for text in rows[0]] if rows else []
    if labels and not labels[0]:
        labels = labels[1:]
    return (len(rows) > 1 and bool(labels) and len(set(labels)) == len(labels)
            and all(_label(text) for text in labels))


def _label(text: str) -> bool:
    if YEAR.match(text):
        return True
    return (0 < len(text) <= LABEL_CHARACTERS and not FIGURE_START.match(text)
            and any(character.isalpha() for character in text))


def _escape_plain(text: str) -> str:
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*])", r"\\\1", text)
    text = re.sub(r"(?<![\w])_|_(?![\w])", r"\\_", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?<])", "&lt;", text)
    return _escape_link_brackets(text)


def _escape_link_brackets(text: str) -> str:
    """Escape each `[` whose next `]` is followed by `(` or `[`: Markdown would read a link.

    Read from the end, so that each bracket is looked at once: a lookahead from every `[`
    took time in the square of the length of a line of brackets.
    """
    end = text.rfind("]")  # a `[` after the last `]` is never escaped
    if end < 0:
        return text
    pieces = [text[end:]]
    closes_link = False  # whether the nearest `]` to the right opens a link's target
    for match in reversed(list(BRACKET.finditer(text, 0, end + 1))):
        if match[0] == "]":
            closes_link = LINK_TARGET.match(text, match.end()) is not None
        elif closes_link:
            pieces.append(text[match.end(): end])
            pieces.append("\\[")
            end = match.start()
    pieces.append(text[:end])
    return "".join(reversed(pieces))
