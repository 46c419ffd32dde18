"""Blocks: a section file's text -> units, the paragraph-sized pieces a reviewer edits.

A unit is a paragraph, a heading, a list item, a footnote text or a quotation (which a
reviewer may change, delete or add to), or a table, a picture, a code or chart block or
raw HTML (shown to the reviewer, never rewritten). Each knows its lines in the file, the
marker before its text (`- `, `## `, `[^gta]: `) and its inline Markdown, so that an edit
rewrites only its own lines.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..content import split_front_matter

EDITABLE = frozenset({"paragraph", "heading", "item", "note", "quote"})
"""The kinds of unit whose text an import rewrites; the others are shown, never rewritten."""

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)((?:[ \t]+\{[^}]*\})?[ \t]*)$")
ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(?=\S)")
NOTE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*")
QUOTE = re.compile(r"^ {0,3}>[ \t]?")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
HTML = re.compile(r"^ {0,3}<(?:[A-Za-z/!?])")
PICTURE = re.compile(r"^!\[[^\]]*\]\([^)]*\)(?:\{[^}]*\})?$")


@dataclass(frozen=True)
class Unit:
    """One paragraph-sized piece of a section file."""

    kind: str
    start: int
    """The index of its first line in the file's lines (0-based)."""
    end: int
    """The index just past its last line."""
    prefix: str
    """What comes before the text on its first line: `- `, `## `, `[^gta]: `, `> `."""
    inline: str
    """Its inline Markdown, lines joined by spaces; the whole source for fixed kinds."""
    suffix: str = ""
    """What follows the text on its line: a heading's `{#id}`."""
    level: int = 0
    """A heading's level (1 for `#`) or a list item's depth (0 at the margin)."""

    @property
    def editable(self) -> bool:
        return self.kind in EDITABLE

    def source(self, lines: list[str]) -> str:
        return "\n".join(lines[self.start:self.end])


def digest(text: str) -> str:
    """Return a short digest of `text`, enough to notice that it changed."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def table_cells(line: str) -> list[str]:
    """Return the cells of a Markdown table row, `\\|` kept inside its cell."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


@dataclass(frozen=True)
class Source:
    """A section file's text with `\n` line ends, and how the file writes it."""

    text: str
    bom: bool = False
    crlf: bool = False

    def encode(self, text: str) -> bytes:
        """Return `text` (with `\n` line ends) as this file's bytes: its BOM, its line ends."""
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")


def read_source(path: Path) -> Source:
    """Read a section file as `load_edition` does (a BOM skipped), line ends made `\n`."""
    raw = path.read_bytes().decode("utf-8")
    bom = raw.startswith("\ufeff")
    raw = raw.removeprefix("\ufeff")
    return Source(raw.replace("\r\n", "\n"), bom, "\r\n" in raw)


def body_start(text: str) -> int:
    """Return the index of the first line of a section file's body (after the front matter)."""
    return split_front_matter(text)[2] - 1


def units(text: str) -> list[Unit]:
    """Split a section file's body into units, in order."""
    lines = text.split("\n")
    found: list[Unit] = []
    i = body_start(text)
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        end = _block_end(lines, i)
        found.append(_unit(lines, i, end))
        i = end
    return found


def _starts_block(line: str) -> bool:
    return bool(FENCE.match(line) or HEADING.match(line) or ITEM.match(line)
                or NOTE.match(line) or QUOTE.match(line) or line.lstrip().startswith("|")
                or RULE.match(line))


def _block_end(lines: list[str], i: int) -> int:
    """Return the index past the block that starts at line `i`."""
    line = lines[i]
    fence = FENCE.match(line)
    if fence:
        mark = fence[1]
        for j in range(i + 1, len(lines)):
            if lines[j].strip().startswith(mark[0] * len(mark)):
                return j + 1
        return len(lines)
    if HEADING.match(line) or RULE.match(line):
        return i + 1
    if line.lstrip().startswith("|"):
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("|"):
            j += 1
        return j
    if HTML.match(line):
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        return j
    j = i + 1
    while j < len(lines) and lines[j].strip() and not _starts_block(lines[j]):
        j += 1
    if QUOTE.match(line):
        while j < len(lines) and QUOTE.match(lines[j]):
            j += 1
    return j


def _unit(lines: list[str], start: int, end: int) -> Unit:
    line = lines[start]
    rest = " ".join(part.strip() for part in lines[start + 1:end])

    def joined(first: str) -> str:
        return f"{first.strip()} {rest}".strip() if rest else first.strip()

    source = "\n".join(lines[start:end])
    if FENCE.match(line):
        return Unit("code", start, end, "", source)
    if RULE.match(line):
        return Unit("rule", start, end, "", source)
    if line.lstrip().startswith("|"):
        return Unit("table", start, end, "", source)
    if HTML.match(line):
        return Unit("html", start, end, "", source)
    heading = HEADING.match(line)
    if heading:
        return Unit("heading", start, end, line[:heading.start(2)], heading[2],
                    heading[3], len(heading[1]))
    item = ITEM.match(line)
    if item:
        depth = len(item[1].expandtabs(4)) // 2
        return Unit("item", start, end, item[0], joined(line[item.end():]), level=depth)
    note = NOTE.match(line)
    if note:
        return Unit("note", start, end, note[0], joined(line[note.end():]))
    if QUOTE.match(line):
        text = " ".join(QUOTE.sub("", part).strip() for part in lines[start:end])
        prefix = QUOTE.match(line)
        return Unit("quote", start, end, prefix[0] if prefix else "> ", text.strip())
    if end - start == 1 and PICTURE.match(line.strip()):
        return Unit("picture", start, end, "", line.strip())
    indent = line[:len(line) - len(line.lstrip())]
    return Unit("paragraph", start, end, indent, joined(line))
