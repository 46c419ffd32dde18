"""Word HTML -> Markdown: mammoth's HTML elements -> Markdown blocks, escaped and structured.

What the author typed stays literal (`<summation>`, `# ifconfig`, "2012." are escaped);
spaces set in bold or italic stay; strikethrough, superscript and subscript stay as the
inline HTML `<s>`, `<sup>`, `<sub>` that every output shows; preformatted paragraphs become
indented code. A table Markdown can express (one line a cell, no merged cells, a real
header row) becomes a pipe table; any other table stays an HTML table, which the shared
renderer passes through its sanitiser to every output.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..markup import MAX_SPAN
from .draft import escape_markdown, reads_as_header
from .ooxml import symbol_text

INLINE_PICTURES = ["td", "th", "a", "li", "p", "span", "strong", "em", "b", "i", "sup", "sub",
                   "s", "h1", "h2", "h3", "h4", "h5", "h6"]
"""Elements whose pictures stay pictures (markdownify keeps only their alt text otherwise)."""
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div",
          "[document]"}
INLINE_FORMATS = ["strong", "b", "em", "i", "s", "u", "sup", "sub", "span"]
LINE_START = re.compile(r"^(\s*)(#|>|[-+=:|](?=\s|$|[-=+])|\d{1,9}(?=[.)](?:\s|$)))")
CELL_BLOCKS = ["ul", "ol", "pre", "blockquote", "table", "br", "h1", "h2", "h3", "h4", "h5",
               "h6", "img"]
"""What a pipe table cell cannot hold: one of these makes the table an HTML table."""
FOOTNOTE_TOKEN = "FOLIOFOOTNOTE{}X"
FOOTNOTE_MARK = re.compile(r"FOLIOFOOTNOTE\w+?\d+X")
"""A footnote reference, held as a token while the document is converted."""


def _at_line_start(node: Any) -> bool:
    """Return whether a text node begins a line of its block (Markdown reads markers there)."""
    previous: Any = node.previous_sibling
    while isinstance(previous, str) and not previous.strip():  # bs4's strings are str
        previous = getattr(previous, "previous_sibling", None)
    if previous is not None:
        return getattr(previous, "name", None) == "br"
    parent = node.parent
    return parent is None or parent.name in BLOCKS


@functools.cache
def _converter_class() -> Any:
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify that escapes what the author typed and keeps Word's inline marks."""

        def escape(self, text: str, parent_tags: set[str]) -> str:
            escaped = escape_markdown(text, start=False)
            return re.sub(r"\{(?=\s*[:#.])", r"\\{", escaped)

        def process_text(self, el: Any, parent_tags: set[str] | None = None) -> str:
            text = str(super().process_text(el, parent_tags))  # type: ignore[misc]
            if "_noformat" not in (parent_tags or set()) and _at_line_start(el):
                text = LINE_START.sub(lambda m: m[1] + "\\" + m[2] if not m[2][0].isdigit()
                                      else m[0], text)
                text = re.sub(r"^(\s*\d{1,9})([.)])", r"\1\\\2", text)
            return text

        def convert_s(self, el: Any, text: str, parent_tags: set[str]) -> str:
            return self._html_inline("s", text, parent_tags)

        convert_del = convert_s
        convert_strike = convert_s

        def _html_inline(self, tag: str, text: str, parent_tags: set[str]) -> str:
            if "_noformat" in parent_tags or not text.strip():
                return text
            stripped = text.strip()
            head = text[: len(text) - len(text.lstrip())]
            tail = text[len(text.rstrip()):]
            return f"{head}<{tag}>{stripped}</{tag}>{tail}"

        def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
            text = (text or "").strip()
            if not text:
                return "\n"
            parent = el.parent
            if parent is not None and parent.name == "ol":
                start = str(parent.get("start") or "1")
                first = int(start) if start.isdigit() else 1
                bullet = f"{first + len(el.find_previous_siblings('li'))}."
            else:
                bullet = "-"
            head, _, tail = text.partition("\n")
            indented = "\n".join("    " + line if line.strip() else "" for line in
                                 tail.split("\n")) if tail else ""
            return f"{bullet} {head}" + (f"\n{indented}" if indented else "") + "\n"

        def convert_pre(self, el: Any, text: str, parent_tags: set[str]) -> str:
            if not text.strip("\n"):
                return ""
            lines = text.expandtabs(4).strip("\n").split("\n")
            return "\n\n" + "\n".join(("    " + line).rstrip() for line in lines) + "\n\n"

    return Converter


class Markdown:
    """Lazily built markdownify converter (the import costs time only when used)."""

    def __init__(self, **options: Any) -> None:
        defaults = {"heading_style": "ATX", "bullets": "-", "sup_symbol": "<sup>",
                    "sub_symbol": "<sub>", "keep_inline_images_in": INLINE_PICTURES}
        self.converter = _converter_class()(**{**defaults, **options})

    def convert(self, html: str) -> str:
        return str(self.converter.convert(html))

    def inline(self, element: Any) -> str:
        """Return the Markdown of an element's content on one line."""
        return " ".join(self.convert(element.decode_contents()).split())


def tidy(soup: Any) -> None:
    """Prepare mammoth's HTML: keep spaces set in bold or italic, and map symbol fonts."""
    from bs4 import NavigableString

    for element in soup.find_all(INLINE_FORMATS):
        if element.find("img") is None and not element.get_text().strip():
            element.replace_with(NavigableString(element.get_text()))
    for node in soup.find_all(string=True):
        fixed = symbol_text(str(node))
        if fixed != node:
            node.replace_with(NavigableString(fixed))


def heading(element: Any, converter: Markdown) -> tuple[str, list[str]]:
    """Return a heading's Markdown on one line, and what a title cannot hold (pictures)."""
    extras = []
    for picture in element.find_all("img"):
        extras.append(converter.convert(str(picture)).strip())
        picture.decompose()
    for line_break in element.find_all("br"):
        line_break.replace_with(" ")
    return converter.inline(element), [e for e in extras if e]


def title_text(element: Any, marks: re.Pattern[str]) -> tuple[str, list[str]]:
    """Return a section title (plain words, escaped) and the blocks its heading also held:
    pictures, links and footnote references, which go first in the section."""
    converter = Markdown()
    extras = []
    for picture in element.find_all("img"):
        extras.append(converter.convert(str(picture)).strip())
        picture.decompose()
    for link in element.find_all("a", href=True):
        extras.append(converter.convert(str(link)).strip())
    for line_break in element.find_all("br"):
        line_break.replace_with(" ")
    text = element.get_text()
    extras += marks.findall(text)
    return escape_markdown(" ".join(marks.sub("", text).split())), [e for e in extras if e]


def flatten_nested_tables(soup: Any) -> int:
    """Turn each table inside a table cell into lines of its outer cell; return how many."""
    count = 0
    while True:
        inner = [t for t in soup.find_all("table") if t.find_parent(["td", "th"]) is not None
                 and t.find("table") is None]
        if not inner:
            return count
        for table in inner:
            lines = []
            for row in table.find_all("tr"):
                cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["td", "th"])]
                if any(cells):
                    line = soup.new_tag("p")
                    line.string = " | ".join(cells)
                    lines.append(line)
            for line in reversed(lines):
                table.insert_after(line)
            table.decompose()
            count += 1


def table(element: Any, converter: Markdown) -> str:
    """Return a table as a pipe table when Markdown can express it, else as HTML."""
    rows = [row.find_all(["td", "th"], recursive=False) for row in element.find_all("tr")]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    header = _has_header(element, rows)
    simple = (header and len({len(row) for row in rows}) == 1
              and not any(cell.get("colspan") or cell.get("rowspan") for row in rows
                          for cell in row)
              and not any(cell.find(CELL_BLOCKS) or len(cell.find_all("p")) > 1
                          for row in rows for cell in row))
    if header:
        for cell in rows[0]:
            for bold in cell.find_all(["strong", "b"]):
                bold.unwrap()
    if simple:
        lines = ["| " + " | ".join(_pipe_cell(cell, converter) for cell in row) + " |"
                 for row in rows]
        lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
        return "\n".join(lines)
    return _html_table(rows, header)


def _has_header(element: Any, rows: list[list[Any]]) -> bool:
    """Return whether the first row is a header: Word's header row, a row all in bold, or
    a row of labels over every column (`reads_as_header`)."""
    first = rows[0]
    if element.find("thead") is not None or all(cell.name == "th" for cell in first):
        return True
    if all(_bold(cell) for cell in first):
        return True
    if any(cell.get("rowspan") for cell in first) or _width(first) < max(map(_width, rows)):
        return False  # a heading reaching into the rows below, or columns left unlabelled
    return reads_as_header([[FOOTNOTE_MARK.sub("", cell.get_text(" ")) for cell in row]
                            for row in rows])


def _bold(cell: Any) -> bool:
    """Return whether a cell holds text, all of it bold."""
    text = cell.get_text().strip()
    bold = "".join(b.get_text() for b in cell.find_all(["strong", "b"])).strip()
    return bool(text) and "".join(bold.split()) == "".join(text.split())


def widest_span(soup: Any) -> tuple[str, str] | None:
    """Return ("columns" or "rows", the number) of a cell spanning more than `MAX_SPAN`.

    Word's `w:gridSpan` and `w:vMerge` arrive here as `colspan` and `rowspan`.
    """
    for cell in soup.find_all(["td", "th"]):
        for name, unit in (("colspan", "columns"), ("rowspan", "rows")):
            value = str(cell.get(name, "")).strip()
            if re.fullmatch(r"[0-9]+", value) and (len(value.lstrip("0")) > 4
                                                   or int(value) > MAX_SPAN):
                return unit, value if len(value) < 16 else f"{value[:15]}..."
    return None


def _width(row: list[Any]) -> int:
    """Return how many columns a row covers, counting merged cells."""
    return sum(int(cell["colspan"]) if str(cell.get("colspan", "")).isdigit() else 1
               for cell in row)


def _pipe_cell(cell: Any, converter: Markdown) -> str:
    return converter.inline(cell).replace("|", "\\|")


def _html_table(rows: list[list[Any]], header: bool) -> str:
    """Write rows as a plain HTML table: cell content, spans, a header row if there is one."""
    out = ["<table>"]
    for index, row in enumerate(rows):
        if index == 0 and header:
            out.append("<thead>")
        elif index == (1 if header else 0):
            out.append("<tbody>")
        cells = []
        for cell in row:
            tag = "th" if index == 0 and header else "td"
            spans = "".join(f' {name}="{int(cell[name])}"' for name in ("colspan", "rowspan")
                            if str(cell.get(name, "")).isdigit() and int(cell[name]) > 1)
            paragraphs = cell.find_all("p", recursive=False)
            if len(paragraphs) == 1 and len([c for c in cell.contents
                                             if str(c).strip()]) == 1:
                paragraphs[0].unwrap()
            content = cell.decode_contents().strip()
            scope = ' scope="col"' if tag == "th" else ""
            cells.append(f"<{tag}{scope}{spans}>{content}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
        if index == 0 and header:
            out.append("</thead>")
    if len(rows) > (1 if header else 0):
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)
