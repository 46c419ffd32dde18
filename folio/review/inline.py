"""Inline text: Markdown of one paragraph <-> spans (text with bold, italics, link, ...).

Spans are what a paragraph looks like in Word: its words and their formatting. The export
turns a unit's Markdown into spans and writes them as runs; the import reads the runs of a
reviewed paragraph back as spans and, when they differ from what was exported, writes them
as Markdown again. `canonical` makes two ways of splitting the same text into runs equal.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, replace
from html.parser import HTMLParser

import markdown

from ..importers.draft import escape_markdown

NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str = ""
    note: str = ""
    """The label of the footnote this reference points to (`text` is its number)."""
    image: str = ""
    """The picture's address (`text` is its alt text)."""

    def same_format(self, other: Span) -> bool:
        return (self.bold, self.italic, self.code, self.link) == (
            other.bold, other.italic, other.code, other.link) and not (
            self.note or other.note or self.image or other.image)


def canonical(spans: list[Span]) -> list[Span]:
    """Return spans with whitespace collapsed, neighbours of one format merged, ends trimmed.

    Spaces at the edges of bold, italic, code or linked words count as plain: whether a
    space is italic cannot be seen, and Markdown cannot say so.
    """
    edged: list[Span] = []
    for span in _merged(spans):
        if span.note or span.image or not (span.bold or span.italic or span.code or span.link):
            edged.append(span)
            continue
        core = span.text.strip(" ")
        if not core:
            edged.append(Span(" "))
            continue
        if span.text.startswith(" "):
            edged.append(Span(" "))
        edged.append(replace(span, text=core))
        if span.text.endswith(" "):
            edged.append(Span(" "))
    merged = _merged(edged)
    if merged and not (merged[0].note or merged[0].image):
        merged[0] = replace(merged[0], text=merged[0].text.lstrip())
    if merged and not (merged[-1].note or merged[-1].image):
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip())
    return [s for s in merged if s.text or s.note or s.image]


def _merged(spans: list[Span]) -> list[Span]:
    """Collapse whitespace and join neighbouring spans of one format."""
    merged: list[Span] = []
    for span in spans:
        text = re.sub(r"\s+", " ", span.text)
        if not text and not (span.note or span.image):
            continue
        if merged and merged[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
            if not text:
                continue
        if merged and merged[-1].same_format(span) and not (span.note or span.image):
            merged[-1] = replace(merged[-1], text=merged[-1].text + text)
        else:
            merged.append(replace(span, text=text))
    return merged


def fingerprint(spans: list[Span]) -> str:
    """Return a text that is equal for two paragraphs exactly when they read the same."""
    return json.dumps([asdict(s) for s in canonical(spans)], sort_keys=True,
                      ensure_ascii=False)


def plain(spans: list[Span]) -> str:
    """Return the words of spans without their formatting."""
    return "".join(s.text for s in canonical(spans))


class _Spans(HTMLParser):
    """Collect the spans of a fragment of HTML written by Python-Markdown."""

    def __init__(self, notes: dict[str, int]) -> None:
        super().__init__(convert_charrefs=True)
        self.notes = notes
        self.spans: list[Span] = []
        self.bold = self.italic = self.code = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a":
            self.links.append(values.get("href") or "")
        elif tag == "img":
            self.spans.append(Span(values.get("alt") or "", image=values.get("src") or ""))
        elif tag == "br":
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a" and self.links:
            self.links.pop()

    def handle_data(self, data: str) -> None:
        last = 0
        for match in NOTE_REFERENCE.finditer(data) if not self.code else ():
            self._text(data[last:match.start()])
            label = match[1]
            number = self.notes.setdefault(label, len(self.notes) + 1)
            self.spans.append(Span(str(number), note=label))
            last = match.end()
        self._text(data[last:])

    def _text(self, text: str) -> None:
        if text:
            self.spans.append(Span(text, bool(self.bold), bool(self.italic), bool(self.code),
                                   self.links[-1] if self.links else ""))


_MARKDOWN = markdown.Markdown(extensions=[], output_format="html")


def spans_of(inline: str, notes: dict[str, int]) -> list[Span]:
    """Return the spans of one paragraph's inline Markdown; `notes` numbers footnote labels."""
    _MARKDOWN.reset()
    html = _MARKDOWN.convert(inline)
    parser = _Spans(notes)
    parser.feed(html)
    parser.close()
    return canonical(parser.spans)


def to_markdown(spans: list[Span], start: bool = True) -> str:
    """Write spans as inline Markdown: `**bold**`, `*italics*`, `[links](...)`, `[^notes]`."""
    out: list[str] = []
    spans = canonical(spans)
    index = 0
    while index < len(spans):
        span = spans[index]
        if span.link and not span.note and not span.image:
            group = [span]
            while index + 1 < len(spans) and spans[index + 1].link == span.link:
                index += 1
                group.append(spans[index])
            words = "".join(_formatted(s, start and not out) for s in group)
            out.append(f"[{words}]({_address(span.link)})")
        else:
            out.append(_formatted(span, start and not out))
        index += 1
    written = "".join(out)
    return _escape_start(written) if start else written


def _escape_start(text: str) -> str:
    """Escape what would make a paragraph's first characters a list, quote or heading."""
    text = re.sub(r"^([-+*>#])(?=\s|$)", r"\\\1", text)
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", text)


def _address(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _formatted(span: Span, start: bool) -> str:
    if span.note:
        return f"[^{span.note}]"
    if span.image:
        return f"![{escape_markdown(span.text, start=False)}]({_address(span.image)})"
    if span.code:
        ticks = "``" if "`" in span.text else "`"
        return f"{ticks}{span.text}{ticks}"
    text = span.text
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    core = escape_markdown(text.strip(), start=start and not lead)
    core = re.sub(r"(?<!\\)([\[\]])", r"\\\1", core)  # no bracket starts a link
    if start and not lead and core.startswith("#"):
        core = "\\" + core  # Python-Markdown reads `#1` at a line's start as a heading
    if not core:
        return text
    mark = ("***" if span.bold and span.italic else "**" if span.bold
            else "*" if span.italic else "")
    return f"{lead}{mark}{core}{mark}{trail}"
