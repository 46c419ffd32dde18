"""Export: an Edition and its theme -> a .docx for reviewers, each paragraph tied to its source.

The document reads as the edition: its title, each section a Heading 1 and its text
(headings, lists, tables, links, footnotes, pictures with their alt text), and the
components as plain content (key figures as a two-column table, events as a list, the
quotation in the Quote style, the call to action as a linked paragraph), in the theme's
fonts and colours. Each paragraph starts with a hidden bookmark `_folio_<unit>` (see
`word.TIE`); the document variable `folio` holds the tie table: for each unit its section,
its place, a digest of its Markdown and a digest of what the reviewer was shown.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..content import Edition, Section, regular_file_inside
from ..i18n import direction, words_for
from ..schema import ThemeConfig
from .blocks import TABLE_SEPARATOR, Unit, digest, read_source, table_cells, units
from .inline import Span, spans_of
from .word import CODE_STYLE, MANIFEST, NOTE_STYLE, read_package, shown_units

MAX_PICTURE_WIDTH = Cm(15)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""Every part's time in the package: same edition, same bytes."""
SETTINGS_AFTER_VARIABLES = {
    "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}
"""The settings that come after `w:docVars` in the order the schema fixes."""
PARAGRAPH_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange")
"""The paragraph properties that come after `w:bidi` in the order the schema fixes."""
LIST_STYLES = {"-": "List Bullet", "*": "List Bullet", "+": "List Bullet"}


def render_docx(edition: Edition, theme: ThemeConfig) -> bytes:
    """Return the review document of an edition as the bytes of a .docx package."""
    document = docx.Document()
    _styles(document, theme, edition.config.language)
    writer = _Writer(document, edition, theme)
    writer.write()
    data = _save(document)
    shown = shown_units(read_package(data, Path("export.docx")).paragraphs)
    manifest = {"version": 1, "edition": edition.slug, "sections": writer.sections,
                "units": {key: {**unit, "shown": digest(shown.get(int(key), ""))}
                          for key, unit in writer.units.items()}}
    _set_variable(document, MANIFEST, json.dumps(manifest, ensure_ascii=False,
                                                 separators=(",", ":")))
    return _save(document)


def _save(document: Any) -> bytes:
    """Save with every part dated alike, so that the same edition gives the same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _set_variable(document: Any, name: str, value: str) -> None:
    settings = document.settings.element
    variables = settings.find(qn("w:docVars"))
    if variables is None:
        variables = OxmlElement("w:docVars")
        later = [child for child in settings
                 if child.tag.rpartition("}")[2] in SETTINGS_AFTER_VARIABLES]
        if later:
            later[0].addprevious(variables)
        else:
            settings.append(variables)
    for old in variables.findall(qn("w:docVar")):
        if old.get(qn("w:name")) == name:
            variables.remove(old)
    variable = OxmlElement("w:docVar")
    variable.set(qn("w:name"), name)
    variable.set(qn("w:val"), value)
    variables.append(variable)


def _colour(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#")[:6].upper())


def _styles(document: Any, theme: ThemeConfig, language: str) -> None:
    """Give the document the theme's faces and colours, and the edition's language."""
    styles = document.styles
    colours = theme.colours
    normal = styles["Normal"]
    normal.font.name = theme.body_font.family
    normal.font.size = Pt(11)
    normal.font.color.rgb = _colour(colours.ink)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is not None:
        for kind in ("w:eastAsia", "w:cs"):
            fonts.set(qn(kind), theme.body_font.family)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:bidi" if direction(language) == "rtl" else "w:eastAsia"), language)
    properties.append(lang)
    if direction(language) == "rtl":  # paragraphs and runs read right to left
        lang.addprevious(OxmlElement("w:rtl"))
        normal.element.get_or_add_pPr().insert_element_before(
            OxmlElement("w:bidi"), *PARAGRAPH_AFTER_BIDI)
    for name in ("Title", "Subtitle", *(f"Heading {n}" for n in range(1, 10))):
        style = styles[name]
        style.font.name = theme.heading_font.family
        style.font.color.rgb = _colour(colours.accent)
    styles["Title"].font.color.rgb = _colour(colours.band)
    styles["Quote"].font.color.rgb = _colour(colours.muted)
    styles["Caption"].font.color.rgb = _colour(colours.muted)
    code = styles.add_style(CODE_STYLE, WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Courier New"
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.CHARACTER)
    note.font.superscript = True
    footnote = styles.add_style("Folio Footnote", WD_STYLE_TYPE.PARAGRAPH)
    footnote.base_style = normal
    footnote.font.size = Pt(9)


class _Writer:
    """Write an edition's sections into a python-docx document, tying each paragraph."""

    def __init__(self, document: Any, edition: Edition, theme: ThemeConfig) -> None:
        self.document, self.edition, self.theme = document, edition, theme
        self.words = words_for(edition.config.language, theme.strings)
        self.units: dict[str, dict[str, Any]] = {}
        self.sections: list[dict[str, Any]] = []
        self.bookmarks = 0
        self.notes: dict[str, int] = {}
        self.link: tuple[Any, str] | None = None
        """The last hyperlink written and its address: a link's next run joins it."""

    def write(self) -> None:
        config = self.edition.config
        core = self.document.core_properties
        core.title, core.author, core.language = config.title, config.organisation, \
            config.language
        core.revision = 1
        core.created = core.modified = datetime.datetime.combine(config.date, datetime.time())
        unit = self._unit(-1, -1, "title", "", "start", "title")
        self._tie(self.document.add_paragraph(config.title, style="Title"), unit)
        if config.subtitle:
            self._tie(self.document.add_paragraph(config.subtitle, style="Subtitle"), unit, 1)
        for index, section in enumerate(self.edition.sections):
            self._section(index, section)

    def _unit(self, section: int, place: int, kind: str, source: str, at: str = "",
              name: str = "") -> int:
        """Register a unit; `at` places a component (`start`, `end`), `name` its key."""
        key = len(self.units)
        self.units[str(key)] = {"section": section, "place": place, "kind": kind,
                                "source": digest(source), "at": at, "field": name}
        return key

    def _tie(self, paragraph: Any, unit: int, part: int = 0) -> Any:
        """Put the hidden bookmark of `unit` (part `part`) around the paragraph's content."""
        name = f"_folio_{unit}" + (f"_{part}" if part else "")
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self.bookmarks))
        self.bookmarks += 1
        element = paragraph._p
        properties = element.find(qn("w:pPr"))
        if properties is not None:
            properties.addnext(start)
        else:
            element.insert(0, start)
        element.append(end)
        return paragraph

    def _section(self, index: int, section: Section) -> None:
        text = read_source(section.path).text
        found = units(text)
        lines = text.split("\n")
        self.notes = {}
        self.sections.append({"file": section.path.name, "digest": digest(text),
                              "notes": self.notes})
        meta = section.meta
        title = self._unit(index, -1, "title", meta.title, "start", "title")
        self._tie(self.document.add_heading(meta.title, level=1), title)
        self._components(index, section)
        for place, unit in enumerate(found):
            self._body_unit(index, place, unit, lines)
        if meta.cta is not None:
            key = self._unit(index, -1, "component", meta.cta.url, "end", "cta")
            paragraph = self.document.add_paragraph()
            self._spans(paragraph, [Span(meta.cta.label, bold=True, link=meta.cta.url),
                                    Span(f" ({meta.cta.url})")])
            self._tie(paragraph, key)

    def _components(self, index: int, section: Section) -> None:
        meta = section.meta
        if meta.image:
            key = self._unit(index, -1, "component", meta.image, "start", "image")
            paragraph = self.document.add_paragraph()
            self._picture(paragraph, meta.image, meta.image_alt or "")
            self._tie(paragraph, key)
            if meta.caption:
                self._tie(self.document.add_paragraph(meta.caption, style="Caption"), key, 1)
        if meta.figures:
            key = self._unit(index, -1, "component", "figures", "start", "figures")
            table = self.document.add_table(rows=0, cols=2)
            table.style = self.document.styles["Table Grid"]
            for figure in meta.figures:
                cells = table.add_row().cells
                cells[0].paragraphs[0].add_run(figure.value).bold = True
                cells[1].paragraphs[0].add_run(figure.label)
            self._tie(table.rows[0].cells[0].paragraphs[0], key)
        if meta.quote:
            key = self._unit(index, -1, "component", meta.quote, "start", "quote")
            self._tie(self.document.add_paragraph(meta.quote, style="Quote"), key)
            if meta.attribution:
                paragraph = self.document.add_paragraph(f"— {meta.attribution}")
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self._tie(paragraph, key, 1)
        if meta.events:
            key = self._unit(index, -1, "component", "events", "start", "events")
            for part, event in enumerate(meta.events):
                paragraph = self.document.add_paragraph(style="List Bullet")
                where = f", {event.place}" if event.place else ""
                self._spans(paragraph, [Span(f"{self.words.long_date(event.date)} — "),
                                        Span(event.title, bold=True, link=event.url or ""),
                                        Span(where)])
                self._tie(paragraph, key, part)

    def _body_unit(self, index: int, place: int, unit: Unit, lines: list[str]) -> None:
        key = self._unit(index, place, unit.kind, unit.source(lines))
        document = self.document
        if unit.kind == "table":
            self._table(unit.inline, key)
            return
        if unit.kind in ("code", "html", "rule"):
            for part, line in enumerate(unit.inline.split("\n")):
                paragraph = document.add_paragraph()
                paragraph.add_run(line, style=CODE_STYLE)
                self._tie(paragraph, key, part)
            return
        style = {"heading": f"Heading {min(unit.level + 1, 9)}", "quote": "Quote",
                 "note": "Folio Footnote"}.get(unit.kind)
        if unit.kind == "item":
            marker = unit.prefix.strip()
            style = LIST_STYLES.get(marker, "List Number")
            style += f" {min(unit.level + 1, 3)}" if unit.level else ""
        elif unit.kind == "paragraph" and len(unit.prefix) >= 2:
            style = "List Continue"
        paragraph = document.add_paragraph(style=style)
        spans = spans_of(unit.inline, self.notes)
        if unit.kind == "note":
            label = unit.prefix.strip()[2:-2]
            number = self.notes.setdefault(label, len(self.notes) + 1)
            spans = [Span(str(number), note=label), Span(" "), *spans]
        self._spans(paragraph, spans)
        self._tie(paragraph, key)

    def _table(self, source: str, key: int) -> None:
        rows = [line.strip() for line in source.split("\n") if line.strip()]
        cells = [table_cells(row) for row in rows if not TABLE_SEPARATOR.match(row)]
        width = max(len(row) for row in cells)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        for number, row in enumerate(cells):
            out = table.add_row().cells
            for column, cell in enumerate(row):
                spans = spans_of(cell.replace("\\|", "|"), self.notes)
                if number == 0:
                    spans = [Span(s.text, True, s.italic, s.code, s.link, s.note, s.image)
                             for s in spans]
                self._spans(out[column].paragraphs[0], spans)
        self._tie(table.rows[0].cells[0].paragraphs[0], key)

    def _spans(self, paragraph: Any, spans: list[Span]) -> None:
        """Write spans as runs: formatting, links as hyperlinks, notes, pictures."""
        for span in spans:
            if span.image:
                self._picture(paragraph, span.image, span.text)
                continue
            if span.note:
                paragraph.add_run(span.text, style=NOTE_STYLE)
                continue
            run = paragraph.add_run(span.text, style=CODE_STYLE if span.code else None)
            run.bold = span.bold or None
            run.italic = span.italic or None
            if span.link:
                run.font.color.rgb = _colour(self.theme.colours.accent)
                run.font.underline = True
                self._link(paragraph, run, span.link)

    def _link(self, paragraph: Any, run: Any, url: str) -> None:
        previous = run._r.getprevious()
        target = self.link[0] if (self.link is not None and previous is self.link[0]
                                  and self.link[1] == url) else None
        if target is None:
            target = OxmlElement("w:hyperlink")
            if url.startswith("#"):
                target.set(qn("w:anchor"), url[1:])
            else:
                target.set(qn("r:id"), paragraph.part.relate_to(
                    url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
            run._r.addprevious(target)
            self.link = (target, url)
        target.append(run._r)

    def _picture(self, paragraph: Any, relative: str, alt: str) -> None:
        """Add a picture from the edition folder with its alt text; its words if it cannot be."""
        path = self.edition.root / relative
        run = paragraph.add_run()
        try:
            if not regular_file_inside(path, self.edition.root):
                raise ValueError(relative)
            shape = run.add_picture(str(path))
        except Exception:  # SVG, or a format python-docx does not place: show the alt text
            run.text = f"[{alt}]"
            run.italic = True
            return
        if shape.width > MAX_PICTURE_WIDTH:
            shape.height = int(shape.height * MAX_PICTURE_WIDTH / shape.width)
            shape.width = MAX_PICTURE_WIDTH
        for found in run._r.iter(qn("wp:docPr")):
            found.set("descr", alt)
            found.set("name", relative)
