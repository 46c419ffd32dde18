"""Reviewed document: a .docx package -> its tie table, its paragraphs as spans, its comments.

Tracked changes are resolved as Word would on "Accept all" (or "Reject all"): insertions
kept (or dropped), deletions dropped (or kept), moved text read at its new (or old) place,
formatting changes taken as they stand (or as they were). A paragraph whose mark was
deleted joins the one after it, as in Word; one whose words and mark were all deleted is
gone. Every part is parsed without a DTD and within size limits.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..importers.docx import check_sizes
from ..importers.ooxml import parse_part
from .inline import Span, canonical, fingerprint

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W, R, WP = f"{{{W_NS}}}", f"{{{R_NS}}}", f"{{{WP_NS}}}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

TIE = re.compile(r"^_folio_(\d+)(?:_(\d+))?$")
"""A tie's bookmark name: `_folio_<unit>` on a unit's first paragraph, `_<part>` after.
Bookmarks whose names start with `_` are hidden in Word."""
MANIFEST = "folio"
"""The name of the document variable (`w:docVar`) holding the tie table as JSON."""
CODE_STYLE = "FolioCode"
NOTE_STYLE = "FolioNote"
FIELD_LINK = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"')
TRANSPARENT = {"smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo"}
"""Elements whose content reads as if they were not there."""


@dataclass
class Paragraph:
    """One paragraph of the reviewed document, tracked changes resolved."""

    ties: list[tuple[int, int]] = field(default_factory=list)
    """The (unit, part) of each tie bookmark that starts in it."""
    style: str = ""
    spans: list[Span] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    mark_removed: bool = False
    table: bool = False
    cells: list[list[list[Span]]] = field(default_factory=list)
    """A table's rows of cells, each cell's spans."""


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment: who wrote it, what it says, on which words."""

    author: str
    text: str
    on: str


@dataclass
class Reviewed:
    """What the import needs from a reviewed document."""

    manifest: dict[str, Any] | None
    paragraphs: list[Paragraph]
    comments: dict[str, Comment]


def read_package(data: bytes, source: Path, reject: bool = False) -> Reviewed:
    """Read a reviewed package; `reject` resolves tracked changes as "Reject all".

    Raises ValueError (or zipfile's errors) for a package that cannot be read.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        check_sizes(package, source)
        names = set(package.namelist())

        def part(name: str) -> ElementTree.Element | None:
            return parse_part(package.read(name)) if name in names else None

        document = part("word/document.xml")
        if document is None:
            raise ValueError("the package has no word/document.xml")
        settings = part("word/settings.xml")
        rels = part("word/_rels/document.xml.rels")
        comments_root = part("word/comments.xml")
    links = {rel.get("Id", ""): rel.get("Target", "")
             for rel in (rels.iter(f"{REL}Relationship") if rels is not None else ())}
    reader = _Reader(links, reject)
    body = document.find(f"{W}body")
    for child in body if body is not None else ():
        reader.block(child)
    ranges = reader.ranges
    comments = {}
    for comment in comments_root.iter(f"{W}comment") if comments_root is not None else ():
        key = comment.get(f"{W}id", "")
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                         for p in comment.iter(f"{W}p")).strip()
        comments[key] = Comment(comment.get(f"{W}author") or "a reviewer", text,
                                " ".join("".join(ranges.get(key, [])).split()))
    return Reviewed(_manifest(settings), _resolve(reader.paragraphs), comments)


def shown_units(paragraphs: list[Paragraph]) -> dict[int, str]:
    """Return what each unit looks like among `paragraphs`: its parts' fingerprints.

    A tie after the first in a paragraph (two paragraphs joined) reads as joined, so that
    both units count as changed.
    """
    parts: dict[int, list[tuple[int, str]]] = {}
    for paragraph in paragraphs:
        for unit, part in paragraph.ties[:1]:
            parts.setdefault(unit, []).append((part, fingerprint(paragraph.spans)))
        for unit, part in paragraph.ties[1:]:
            parts.setdefault(unit, []).append((part, "[joined]"))
    return {unit: "\n".join(text for _, text in sorted(found)) for unit, found in parts.items()}


def _manifest(settings: ElementTree.Element | None) -> dict[str, Any] | None:
    if settings is None:
        return None
    for variable in settings.iter(f"{W}docVar"):
        if variable.get(f"{W}name") == MANIFEST:
            try:
                found = json.loads(variable.get(f"{W}val", ""))
            except ValueError:
                return None
            return found if _well_formed(found) else None
    return None


def _well_formed(manifest: Any) -> bool:
    """Return whether a tie table has the shape `export` writes (it comes from outside)."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("edition"), str):
        return False
    sections, units = manifest.get("sections"), manifest.get("units")
    if not isinstance(sections, list) or not isinstance(units, dict):
        return False
    if not all(isinstance(s, dict) and isinstance(s.get("file"), str)
               and isinstance(s.get("notes", {}), dict) for s in sections):
        return False
    return all(key.isdigit() and isinstance(unit, dict)
               and all(isinstance(unit.get(name), int) for name in ("section", "place"))
               and all(isinstance(unit.get(name, ""), str)
                       for name in ("kind", "source", "shown", "at", "field"))
               for key, unit in units.items())


def _resolve(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Join each paragraph whose mark was deleted to the next; drop those left empty."""
    out: list[Paragraph] = []
    carry: Paragraph | None = None
    for paragraph in paragraphs:
        if carry is not None:
            paragraph = Paragraph(carry.ties + paragraph.ties, carry.style or paragraph.style,
                                  carry.spans + paragraph.spans,
                                  carry.comments + paragraph.comments,
                                  paragraph.mark_removed, paragraph.table)
            carry = None
        if paragraph.mark_removed and not paragraph.table:
            if canonical(paragraph.spans):
                carry = paragraph
            else:  # deleted whole: its ties are gone, its comments go to the next one
                carry = Paragraph([], "", [], paragraph.comments)
            continue
        out.append(paragraph)
    if carry is not None and (carry.ties or carry.spans):
        carry.mark_removed = False
        out.append(carry)
    return out


def _on(element: ElementTree.Element, name: str) -> bool:
    """Return whether a run property such as `w:b` is switched on."""
    found = element.find(f"{W}{name}")
    return found is not None and found.get(f"{W}val", "true") not in ("0", "false", "off")


class _Reader:
    """Walk the body, collecting paragraphs (and the words each comment covers)."""

    def __init__(self, links: dict[str, str], reject: bool) -> None:
        self.links, self.reject = links, reject
        self.paragraphs: list[Paragraph] = []
        self.ranges: dict[str, list[str]] = {}
        self.open: set[str] = set()
        self.field = ""
        """Where in a complex field the walk is: `code`, `result`, or outside one."""
        self.instruction = ""

    def block(self, element: ElementTree.Element) -> None:
        tag = element.tag
        if tag == f"{W}p":
            self.paragraphs.append(self.paragraph(element))
        elif tag == f"{W}tbl":
            self.paragraphs.append(self.table(element))
        elif tag.removeprefix(W) in TRANSPARENT:
            for child in element:
                self.block(child)

    def table(self, table: ElementTree.Element) -> Paragraph:
        """Read a table as one paragraph: its cells' words, its ties and comments."""
        whole = Paragraph(table=True)
        for row in table.iter(f"{W}tr"):
            whole.cells.append([])
            for cell in row.iter(f"{W}tc"):
                whole.cells[-1].append([])
                for element in cell.iter(f"{W}p"):
                    one = self.paragraph(element)
                    whole.ties += one.ties
                    whole.comments += one.comments
                    whole.spans += [*one.spans, Span(" | ")]
                    whole.cells[-1][-1] += [*one.spans, Span(" ")]
            whole.spans.append(Span(" / "))
        return whole

    def paragraph(self, element: ElementTree.Element) -> Paragraph:
        paragraph = Paragraph()
        properties = element.find(f"{W}pPr")
        if properties is not None:
            style = properties.find(f"{W}pStyle")
            paragraph.style = style.get(f"{W}val", "") if style is not None else ""
            mark = properties.find(f"{W}rPr")
            if mark is not None:
                gone = ("ins", "moveTo") if self.reject else ("del", "moveFrom")
                paragraph.mark_removed = any(mark.find(f"{W}{tag}") is not None
                                             for tag in gone)
        self.inline(element, paragraph, {}, hidden=False)
        return paragraph

    def inline(self, element: ElementTree.Element, paragraph: Paragraph,
               form: dict[str, Any], hidden: bool) -> None:
        for child in element:
            name = child.tag.removeprefix(W)
            if name == "r":
                self.run(child, paragraph, form, hidden)
            elif name in ("ins", "moveTo"):
                self.inline(child, paragraph, form, hidden or self.reject)
            elif name in ("del", "moveFrom"):
                self.inline(child, paragraph, form, hidden or not self.reject)
            elif name == "hyperlink":
                target = self.links.get(child.get(f"{R}id", ""), "")
                anchor = child.get(f"{W}anchor")
                link = target or (f"#{anchor}" if anchor else "")
                self.inline(child, paragraph, {**form, "link": link}, hidden)
            elif name == "bookmarkStart":
                tie = TIE.match(child.get(f"{W}name", ""))
                if tie:
                    paragraph.ties.append((int(tie[1]), int(tie[2] or 0)))
            elif name == "commentRangeStart":
                key = child.get(f"{W}id", "")
                paragraph.comments.append(key)
                self.ranges.setdefault(key, [])
                self.open.add(key)
            elif name == "commentRangeEnd":
                self.open.discard(child.get(f"{W}id", ""))
            elif name in TRANSPARENT:
                self.inline(child, paragraph, form, hidden)

    def run(self, run: ElementTree.Element, paragraph: Paragraph, form: dict[str, Any],
            hidden: bool) -> None:
        properties = run.find(f"{W}rPr")
        if properties is not None and self.reject:
            change = properties.find(f"{W}rPrChange/{W}rPr")
            properties = change if change is not None else properties
        style = ""
        if properties is not None:
            found = properties.find(f"{W}rStyle")
            style = found.get(f"{W}val", "") if found is not None else ""
        bold = properties is not None and _on(properties, "b")
        italic = properties is not None and _on(properties, "i")
        for child in run:
            name = child.tag.removeprefix(W)
            if name == "fldChar":  # a complex field: HYPERLINK "address" links its result
                kind = child.get(f"{W}fldCharType")
                self.field = "code" if kind == "begin" else "result" if kind == "separate" \
                    else ""
                if kind == "begin":
                    self.instruction = ""
                continue
            if name == "instrText":
                self.instruction += child.text or ""
                continue
            if self.field == "code":
                continue
            if name == "commentReference":
                key = child.get(f"{W}id", "")
                if key not in paragraph.comments:
                    paragraph.comments.append(key)
                continue
            text = {"t": child.text or "", "delText": child.text or "", "tab": "\t",
                    "br": " ", "cr": " ", "noBreakHyphen": "-"}.get(name)
            if name == "drawing":
                shape = child.find(f".//{WP}docPr")
                if shape is not None and not hidden:
                    paragraph.spans.append(Span(shape.get("descr", ""),
                                                image=shape.get("name", "") or "picture"))
                continue
            if text is None or hidden:
                continue
            for key in self.open:
                self.ranges[key].append(text)
            if style == NOTE_STYLE:
                paragraph.spans.append(Span(text.strip(), note=text.strip()))
            else:
                link = form.get("link", "")
                address = FIELD_LINK.match(self.instruction) if self.field == "result" else None
                paragraph.spans.append(Span(text, bold, italic, style == CODE_STYLE,
                                            link or (address[1] if address else "")))
