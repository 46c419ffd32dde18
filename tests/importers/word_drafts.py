"""Word drafts standing for what real documents hold, one per problem of issue 20 (python-docx).

Each builder writes a .docx and returns the words every output must show. `DRAFTS` lists
them for the corpus test, which imports, builds and checks them all at once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.importers.conftest import _png

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _document() -> Any:
    import docx

    return docx.Document()


def _xml(fragment: str) -> Any:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return parse_xml(fragment.replace("NS", nsdecls("w", "r", "m", "a", "wp", "pic")))


def escaping(path: Path) -> list[str]:
    """Text that looks like Markdown or HTML: it must stay what the author typed."""
    document = _document()
    document.add_heading("Typed literally", level=1)
    for line in ("Add the <summation> element to the form.", "Text between <<breaks>> stays.",
                 "# ifconfig -a", "2012. A good year for the network.", "- not a list item",
                 "The &copy; sign and {: .class} stay as typed.", "> not a quotation"):
        document.add_paragraph(line)
    document.save(str(path))
    return ["<summation>", "<<breaks>>", "# ifconfig -a", "2012. A good year",
            "- not a list item", "&copy;", "{: .class}", "> not a quotation"]


def bold_spaces(path: Path) -> list[str]:
    """Spaces set in bold or italic between words."""
    document = _document()
    document.add_heading("Spaces", level=1)
    paragraph = document.add_paragraph("Wir wollen nicht")
    paragraph.add_run(" ").bold = True
    paragraph.add_run("eingestehen, dass")
    paragraph.add_run(" ").italic = True
    paragraph.add_run("alles gut war.")
    document.save(str(path))
    return ["nicht eingestehen", "dass alles"]


def tables(path: Path) -> list[str]:
    """A nested table, a row wider than the first, merged cells, lists in cells.

    Only the first table's first row (two short labels) reads as a header row: the second
    table's leaves a column unlabelled and the third's reaches down into the next row."""
    document = _document()
    document.add_heading("Tables", level=1)
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "Outer alpha"
    outer.cell(0, 1).text = "Outer beta"
    outer.cell(1, 0).text = "Outer gamma"
    inner = outer.cell(1, 1).add_table(rows=2, cols=2)
    for r, c, word in ((0, 0, "Innerone"), (0, 1, "Innertwo"), (1, 0, "Innerthree"),
                       (1, 1, "Innerfour")):
        inner.cell(r, c).text = word
    document.add_paragraph("Between the tables.")
    wide = document.add_table(rows=2, cols=2)
    wide.cell(0, 0).text = "Narrow first"
    wide.cell(0, 1).text = "row"
    wide.cell(1, 0).text = "Wider second"
    wide.cell(1, 1).text = "row"
    wide.rows[1]._tr.append(_xml('<w:tc NS><w:p><w:r><w:t>Extracell</w:t></w:r></w:p></w:tc>'))
    document.add_paragraph("And merged cells:")
    merged = document.add_table(rows=3, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Spanning heading"
    merged.cell(0, 2).merge(merged.cell(1, 2)).text = "Tall cell"
    merged.cell(1, 0).text = "Left"
    merged.cell(1, 1).text = "Middle"
    listed = merged.cell(2, 0)
    listed.text = "Our aims:"
    listed.add_paragraph("Aimone first", style="List Bullet")
    listed.add_paragraph("Aimtwo second", style="List Bullet")
    merged.cell(2, 1).text = "Plain"
    merged.cell(2, 2).text = "End"
    document.save(str(path))
    return ["Outer alpha", "Innerone", "Innerfour", "Extracell", "Spanning heading",
            "Tall cell", "Aimone first", "Aimtwo second", "End"]


def inline_marks(path: Path) -> list[str]:
    """Strikethrough, superscript and subscript."""
    document = _document()
    document.add_heading("Marks", level=1)
    paragraph = document.add_paragraph("The price was ")
    paragraph.add_run("forty").font.strike = True
    paragraph.add_run(" thirty pounds for 9 м")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run(", about 10")
    paragraph.add_run("6").font.superscript = True
    paragraph.add_run(" molecules of H")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("O.")
    document.save(str(path))
    return ["forty", "thirty pounds"]


def russian(path: Path) -> list[str]:
    """A Russian document that says so in w:lang, with many words."""
    document = _document()
    styles = document.styles.element
    for lang in styles.iter(f"{{{W_NS}}}lang"):
        lang.set(f"{{{W_NS}}}val", "ru-RU")
    document.add_heading("Список участников", level=1)
    words = ["Московский", "областной", "центр", "детского", "творчества", "провёл",
             "конкурс", "молодых", "исследователей", "природы", "родного", "края", "вместе",
             "с", "партнёрами"]
    for index in range(90):
        document.add_paragraph(" ".join(words[index % 7:] + words[: index % 7]) + ".")
    document.save(str(path))
    return ["Московский областной центр"]


def headings(path: Path) -> list[str]:
    """Footnotes, links, pictures and line breaks inside headings."""
    from docx.enum.text import WD_BREAK
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = _document()
    heading = document.add_heading("Annual", level=1)
    heading.add_run().add_break(WD_BREAK.LINE)
    heading.add_run("results")
    heading.add_run()._r.append(_xml('<w:footnoteReference NS w:id="1"/>'))
    document.add_paragraph("The body of the results.")
    sub = document.add_heading("See ", level=2)
    rid = document.part.relate_to("https://example.org/annex", RELATIONSHIP_TYPE.HYPERLINK,
                                  is_external=True)
    sub._p.append(_xml(f'<w:hyperlink NS r:id="{rid}"><w:r><w:t>the annex</w:t></w:r>'
                       "</w:hyperlink>"))
    picture = document.add_heading("Logo ", level=2)
    picture.add_run().add_picture(io.BytesIO(_png((200, 30, 30))))
    picture.runs[-1]._r.xpath(".//wp:docPr")[0].set("descr", "Red logo square")
    broken = document.add_heading("Second", level=2)
    broken.add_run().add_break(WD_BREAK.LINE)
    broken.add_run("line")
    cells = document.add_table(rows=2, cols=2)  # no header row: figures from the start
    for row, column, text in ((0, 0, "Members"), (0, 1, "1,200"), (1, 0, "Partners"),
                              (1, 1, "85")):
        cells.cell(row, column).text = text
    cells.cell(0, 1).paragraphs[0].add_run()._r.append(
        _xml('<w:footnoteReference NS w:id="2"/>'))
    _footnotes(document, "Counted in December.", "Paying members only.")
    document.save(str(path))
    return ["Annual results", "Counted in December", "the annex", "Second line",
            "Paying members only"]


def _footnotes(document: Any, *texts: str) -> None:
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    notes = ('<w:footnotes xmlns:w="' + W_NS + '">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             "</w:footnote>"
             + "".join(f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r><w:r>'
                       f'<w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
                       for number, text in enumerate(texts, start=1))
             + "</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, notes.encode(),
                document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def odd_parts(path: Path) -> list[str]:
    """Equations, simple fields, symbol characters, a linked picture, a chart title and an
    embedded HTML chunk."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = _document()
    document.add_heading("Kept parts", level=1)
    equation = document.add_paragraph("The ratio ")
    equation._p.append(_xml(
        "<m:oMath NS><m:f><m:num><m:r><m:t>a</m:t></m:r></m:num><m:den><m:r><m:t>b</m:t>"
        "</m:r></m:den></m:f><m:r><m:t>+</m:t></m:r><m:sSup><m:e><m:r><m:t>x</m:t></m:r>"
        "</m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath>"))
    equation.add_run(" grows.")
    field = document.add_paragraph("This report has ")
    field._p.append(_xml('<w:fldSimple NS w:instr=" NUMPAGES "><w:r><w:t>Fieldpages</w:t>'
                         "</w:r></w:fldSimple>"))
    field.add_run(" pages.")
    symbol = document.add_paragraph()
    symbol._p.append(_xml('<w:r NS><w:sym w:font="Symbol" w:char="F0B7"/></w:r>'))
    symbol.add_run(" Symbolbullet point")
    wingdings = document.add_paragraph()
    wingdings.add_run("\uf0a7").font.name = "Wingdings"
    wingdings.add_run(" Wingdingsitem point")
    linked = document.add_paragraph("A linked picture: ")
    rid = document.part.relate_to("file:///C:/pictures/map.png", RELATIONSHIP_TYPE.IMAGE,
                                  is_external=True)
    linked._p.append(_xml(_drawing(f'<a:blip r:link="{rid}"/>', "pic")))
    chart_xml = ('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
                 ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart>'
                 "<c:title><c:tx><c:rich><a:p><a:r><a:t>Members by region</a:t></a:r></a:p>"
                 "</c:rich></c:tx></c:title></c:chart></c:chartSpace>")
    chart = Part(PackURI("/word/charts/chart1.xml"),
                 "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                 chart_xml.encode(), document.part.package)
    crid = document.part.relate_to(chart, RELATIONSHIP_TYPE.CHART)
    charted = document.add_paragraph()
    charted._p.append(_xml(_drawing(
        f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'r:id="{crid}"/>', "chart")))
    chunk = Part(PackURI("/word/chunk1.html"), "text/html",
                 b"<html><body><p>Pasted from <b>the web</b> page.</p><ul><li>Chunkitem</li>"
                 b"</ul></body></html>", document.part.package)
    arid = document.part.relate_to(
        chunk, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    document.element.body.sectPr.addprevious(_xml(f'<w:altChunk NS r:id="{arid}"/>'))
    document.save(str(path))
    return ["a/b+x²", "Fieldpages", "• Symbolbullet", "▪ Wingdingsitem", "Members by region",
            "Pasted from the web page.", "Chunkitem"]


def japanese(path: Path) -> list[str]:
    """Japanese text with ruby (furigana): the base text is kept."""
    document = _document()
    document.add_heading("会議", level=1)
    ruby = document.add_paragraph("会議は")
    ruby._p.append(_xml(
        "<w:r NS><w:ruby><w:rubyPr/><w:rt><w:r><w:t>とうきょう</w:t></w:r></w:rt><w:rubyBase>"
        "<w:r><w:t>東京</w:t></w:r></w:rubyBase></w:ruby></w:r>"))
    ruby.add_run("で開かれた。")
    document.save(str(path))
    return ["会議は東京で開かれた。"]


def _drawing(content: str, kind: str) -> str:
    graphic = (f'<pic:pic><pic:nvPicPr><pic:cNvPr id="5" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
               f"<pic:blipFill>{content}</pic:blipFill><pic:spPr/></pic:pic>"
               if kind == "pic" else content)
    uri = ("http://schemas.openxmlformats.org/drawingml/2006/picture" if kind == "pic" else
           "http://schemas.openxmlformats.org/drawingml/2006/chart")
    return ('<w:r NS><w:drawing><wp:inline><wp:extent cx="100" cy="100"/>'
            '<wp:docPr id="5" name="d"/><a:graphic><a:graphicData '
            f'uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def code_and_contents(path: Path) -> list[str]:
    """Preformatted lines keep their spaces; Word's table of contents is not imported."""
    from docx.enum.style import WD_STYLE_TYPE

    document = _document()
    names = {style.name for style in document.styles}
    for name in ("HTML Preformatted", "TOC Heading", "toc 1"):
        if name not in names:
            document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Contents", style="TOC Heading")
    document.add_paragraph("Commands\t3", style="toc 1")
    document.add_heading("Commands", level=1)
    document.add_paragraph("Run these:")
    document.add_paragraph("if ready:", style="HTML Preformatted")
    document.add_paragraph("    launch(now)  # go", style="HTML Preformatted")
    document.add_paragraph("After the code.")
    document.save(str(path))
    return ["if ready:", "launch(now)", "After the code"]


def refusals(path: Path) -> list[str]:
    """A style without a type and a picture whose part is missing: import, with notes."""
    from docx.shared import Inches

    document = _document()
    document.add_heading("Protocol", level=1)
    document.add_paragraph("The study protocol text.")
    document.add_picture(io.BytesIO(_png((0, 0, 0))), width=Inches(1))
    document.add_paragraph("After the missing picture.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("word/media/"):
                continue  # the picture part goes missing
            if info.filename == "word/styles.xml":
                data = data.replace(b'w:type="paragraph" w:default="1"', b'w:default="1"', 1)
            target.writestr(info, data)
    return ["The study protocol text", "After the missing picture"]


DRAFTS: dict[str, Callable[[Path], list[str]]] = {
    "escaping": escaping, "bold-spaces": bold_spaces, "tables": tables,
    "inline-marks": inline_marks, "russian": russian, "headings": headings,
    "odd-parts": odd_parts, "japanese": japanese, "code-and-contents": code_and_contents,
    "refusals": refusals}
"""Edition name -> the builder of its draft."""


def password_protected(path: Path) -> None:
    """Write the start of an encrypted Office file: a Compound File with an EncryptedPackage."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    path.write_bytes(header + entry + bytes(384))
