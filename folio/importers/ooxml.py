"""Word package repairs: a .docx package -> the package mammoth reads, plus what it noticed.

mammoth reads paragraphs, runs, tables, lists, notes and pictures; this module rewrites
the parts it would drop or refuse into ones it reads: equations (OMML) become text, ruby
keeps its base text, simple fields keep their result, symbol characters become Unicode,
chart titles and embedded HTML chunks become paragraphs, runs inside direction wrappers
(`w:dir`, `w:bdo`) come out of them, styles without a type or an id get one, and a Word
table of contents is taken out (the outputs make their own). Pictures in Windows formats
(WMF, EMF) and old PICT keep their description and the text around them. It also reads
the document's language (`w:lang`). Anything it cannot keep is named in `Package.notes`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from xml.etree import ElementTree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W, M, R, A, C = (f"{{{ns}}}" for ns in (W_NS, M_NS, R_NS, A_NS, C_NS))

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of a Compound File (OLE): an old .doc, or an encrypted .docx."""

SYMBOL_CHARACTERS = {
    "\uf0b7": "•", "\uf0a7": "▪", "\uf06c": "●", "\uf06e": "■", "\uf071": "❑",
    "\uf076": "❖", "\uf0d8": "➢", "\uf0e0": "➔", "\uf0fc": "✓", "\uf0fb": "✗",
    "\uf0a8": "◆", "\uf075": "◆", "\uf0b2": "✧", "\uf0de": "⇒", "\uf0e8": "➔",
    "\uf02d": "–", "\uf0b0": "°", "\uf0b1": "±", "\uf0b4": "×", "\uf0b8": "÷",
    "\uf0a3": "≤", "\uf0b3": "≥", "\uf0b9": "≠", "\uf061": "α", "\uf062": "β",
    "\uf067": "γ", "\uf064": "δ", "\uf06d": "μ", "\uf070": "π", "\uf073": "σ",
    "\uf0ae": "→", "\uf0ac": "←", "\uf0d7": "·",
}
"""Private-use characters of the Symbol and Wingdings fonts -> the Unicode they show."""
SYMBOL_RANGE = re.compile("[\uf020-\uf0ff]")

DIRECTION_WRAPPERS = {f"{W}dir", f"{W}bdo"}
"""Elements that set the writing direction of the runs inside them (Word writes them around
part of a word too): mammoth skips them with their text, so the runs are taken out."""

SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def symbol_text(text: str) -> str:
    """Replace Symbol and Wingdings private-use characters by the Unicode they show."""
    return SYMBOL_RANGE.sub(lambda m: SYMBOL_CHARACTERS.get(m[0], "•"), text)


class PasswordProtected(Exception):
    """The file is an encrypted Office document (a Compound File holding the package)."""


class OldWordFormat(Exception):
    """The file is a Compound File without encryption: a Word 97-2003 .doc renamed."""


@dataclass
class Package:
    """A repaired package and what was noticed while repairing it."""

    data: bytes
    language: str = ""
    notes: list[str] = field(default_factory=list)


def inspect_ole(data: bytes) -> None:
    """Raise `PasswordProtected` or `OldWordFormat` for a Compound File; return otherwise."""
    if not data.startswith(OLE_MAGIC):
        return
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise PasswordProtected
    raise OldWordFormat


def repair(data: bytes) -> Package:
    """Return the package with the parts mammoth drops or refuses rewritten, and notes."""
    package = Package(data)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = set(source.namelist())
    parts: dict[str, bytes] = {}
    styles = _read(source, "word/styles.xml")
    style_names: dict[str, str] = {}
    default_language = ""
    if styles is not None:
        default_language = _default_language(styles)
        style_names = {s.get(f"{W}styleId", ""): _val(s.find(f"{W}name"))
                       for s in styles.iter(f"{W}style")}
        untyped = [s for s in styles.iter(f"{W}style") if s.get(f"{W}type") is None]
        for style in untyped:
            style.set(f"{W}type", "paragraph")
        # A style without an id (written by other tools than Word) is one no paragraph can
        # name; it gets an id of its own, so that reading the styles does not fail.
        unnamed = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") is None]
        for number, style in enumerate(unnamed, start=1):
            style.set(f"{W}styleId", f"FolioUnnamedStyle{number}")
        if untyped or unnamed:
            parts["word/styles.xml"] = _write(styles)
    document = _read(source, "word/document.xml")
    if document is not None:
        rels = _relationships(source, "word/_rels/document.xml.rels")
        _Rewriter(source, names, rels, style_names, package.notes).rewrite(document)
        parts["word/document.xml"] = _write(document)
        package.language = _language(document, default_language)
    if parts:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(info, parts.get(info.filename) or source.read(info))
        package.data = out.getvalue()
    return package


DOCUMENT_TYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


class UnsafeXml(ValueError):
    """An XML part declares a document type or entities, which no Office part does."""


def parse_part(data: bytes) -> ElementTree.Element:
    """Parse one XML part of a package, refusing any DTD, so no entity is ever expanded.

    Word, LibreOffice and python-docx never write a DOCTYPE; one in a package can only be
    there to expand entities (a billion laughs) or reach for files.
    """
    if DOCUMENT_TYPE.search(data):
        raise UnsafeXml("the package declares XML entities, which Word never writes")
    return ElementTree.fromstring(data)


def _read(source: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """Parse one XML part, keeping the prefixes its namespaces were declared with."""
    try:
        data = source.read(name)
    except KeyError:
        return None
    root = parse_part(data)
    for _event, (prefix, uri) in ElementTree.iterparse(io.BytesIO(data), events=("start-ns",)):
        if prefix and not prefix.startswith("ns"):
            ElementTree.register_namespace(prefix, uri)
    return root


def _write(root: ElementTree.Element) -> bytes:
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _val(element: ElementTree.Element | None) -> str:
    return element.get(f"{W}val", "") if element is not None else ""


def _relationships(source: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str, bool]]:
    """Return id -> (type, part name or address, external) of a part's relationships."""
    root = _read(source, name)
    if root is None:
        return {}
    base = name.split("_rels/")[0]
    found = {}
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = target.lstrip("/") if target.startswith("/") else _join(base, target)
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, external)
    return found


def _join(base: str, target: str) -> str:
    parts = [p for p in base.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _run(text: str) -> ElementTree.Element:
    """Return a `w:r` holding `text`, spaces kept."""
    run = ElementTree.Element(f"{W}r")
    node = ElementTree.SubElement(run, f"{W}t")
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    return run


def _paragraph(text: str) -> ElementTree.Element:
    paragraph = ElementTree.Element(f"{W}p")
    paragraph.append(_run(text))
    return paragraph


class _Rewriter:
    """Rewrite document.xml in place: one pass per kind of content mammoth would drop."""

    def __init__(self, source: zipfile.ZipFile, names: set[str],
                 rels: dict[str, tuple[str, str, bool]], style_names: dict[str, str],
                 notes: list[str]) -> None:
        self.source, self.names, self.rels = source, names, rels
        self.style_names, self.notes = style_names, notes

    def rewrite(self, root: ElementTree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        self._table_of_contents(root, parents)
        for wrapper in [e for e in root.iter() if e.tag in DIRECTION_WRAPPERS]:
            if wrapper in parents:  # runs in a direction wrapper, which mammoth drops
                _replace(parents[wrapper], wrapper, list(wrapper))
                parents.update((child, parents[wrapper]) for child in wrapper)
        parents = {child: parent for parent in root.iter() for child in parent}
        equations = 0
        for element in list(root.iter()):
            tag = element.tag
            parent = parents.get(element)
            if parent is None:
                continue
            if tag in (f"{M}oMathPara", f"{M}oMath") and parent.tag != f"{M}oMathPara":
                maths = element.findall(f"{M}oMath") if tag == f"{M}oMathPara" else [element]
                text = "   ".join(_omml_text(m) for m in maths).strip()
                equations += 1
                _replace(parent, element, [_run(text)] if text else [])
            elif tag == f"{W}ruby":
                base = element.find(f"{W}rubyBase")
                runs = list(base) if base is not None else []
                grand = parents.get(parent)
                if parent.tag == f"{W}r" and grand is not None:
                    _replace(grand, parent, runs)
                else:
                    _replace(parent, element, runs)
            elif tag == f"{W}fldSimple":
                _replace(parent, element, list(element))
            elif tag == f"{W}sym":
                character = chr(int(element.get(f"{W}char", "F0B7"), 16))
                node = ElementTree.Element(f"{W}t")
                node.text = symbol_text(character)
                _replace(parent, element, [node])
            elif tag == f"{W}drawing":
                self._drawing(element, parent)
            elif tag == f"{W}altChunk":
                _replace(parent, element, self._alt_chunk(element))
        if equations:
            self.notes.append(f"{equations} equation(s) were kept as plain text (x², a/b); "
                              "check them against the draft")

    def _table_of_contents(self, root: ElementTree.Element,
                           parents: dict[ElementTree.Element, ElementTree.Element]) -> None:
        """Take out Word's table of contents: its content control, or its TOC-styled lines."""
        removed = 0
        for sdt in list(root.iter(f"{W}sdt")):
            gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if _val(gallery) == "Table of Contents" and sdt in parents:
                parents[sdt].remove(sdt)
                removed += 1
        for paragraph in list(root.iter(f"{W}p")):
            style = _val(paragraph.find(f"{W}pPr/{W}pStyle"))
            name = self.style_names.get(style, style).lower()
            if re.fullmatch(r"toc ?\d|toc heading", name) and paragraph in parents:
                parents[paragraph].remove(paragraph)
                removed += 1
        if removed:
            self.notes.append("Word's table of contents was left out: the PDF and the web "
                              "page make their own from the headings")

    def _drawing(self, drawing: ElementTree.Element, parent: ElementTree.Element) -> None:
        chart = drawing.find(f".//{C}chart")
        if chart is not None:
            _kind, target, _ = self.rels.get(chart.get(f"{R}id", ""), ("", "", False))
            title = self._chart_title(target)
            text = ElementTree.Element(f"{W}t")
            text.text = f"Chart: {title}" if title else "Chart"
            _replace(parent, drawing, [ElementTree.Element(f"{W}br"), text,
                                       ElementTree.Element(f"{W}br")])
            self.notes.append(f"a chart ({title or 'no title'}) was kept as its title only; "
                              "export it from Word as a PNG picture and add it to images/")
            return
        for blip in drawing.iter(f"{A}blip"):
            link = blip.get(f"{R}link")
            embed = blip.get(f"{R}embed")
            if link and not embed:
                _kind, target, _ = self.rels.get(link, ("", link, True))
                self.notes.append(f"a linked picture ({target}) is not inside the document and "
                                  "was left out; insert the picture itself, or copy it into "
                                  "images/")
            elif embed:
                _kind, target, external = self.rels.get(embed, ("", "", False))
                if not external and target not in self.names:
                    self.notes.append(f"a picture whose file is missing from the document "
                                      f"({target or embed}) was left out")
                    blip.attrib.pop(f"{R}embed")

    def _chart_title(self, part: str) -> str:
        root = _read(self.source, part) if part else None
        if root is None:
            return ""
        title = root.find(f".//{C}title")
        words = [t.text or "" for t in title.iter(f"{A}t")] if title is not None else []
        return " ".join("".join(words).split())

    def _alt_chunk(self, chunk: ElementTree.Element) -> list[ElementTree.Element]:
        """Return an embedded HTML or text chunk as paragraphs; note any other kind."""
        _kind, target, _ = self.rels.get(chunk.get(f"{R}id", ""), ("", "", False))
        try:
            data = self.source.read(target)
        except KeyError:
            data = b""
        suffix = target.rsplit(".", 1)[-1].lower()
        if suffix in ("htm", "html", "xhtml", "txt"):
            from bs4 import BeautifulSoup

            text = data.decode("utf-8", errors="replace")
            if suffix != "txt":
                soup = BeautifulSoup(text, "html.parser")
                for block in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "td", "br"]):
                    block.insert_after("\n")
                text = soup.get_text()
            return [_paragraph(line.strip()) for line in text.split("\n") if line.strip()]
        self.notes.append(f"an embedded {suffix.upper() or 'unknown'} chunk ({target}) could "
                          "not be read and was left out; copy its text into the draft")
        return []


def _replace(parent: ElementTree.Element, old: ElementTree.Element,
             new: list[ElementTree.Element]) -> None:
    index = list(parent).index(old)
    parent.remove(old)
    for offset, element in enumerate(new):
        parent.insert(index + offset, element)


def _script(text: str, table: dict[int, int], mark: str) -> str:
    """Write a superscript or subscript as Unicode (x², H₂) where it has them, else x^(n)."""
    mapped = text.translate(table)
    if text and all(c != m for c, m in zip(text, mapped, strict=True)):
        return mapped
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _omml_text(element: ElementTree.Element) -> str:
    """Write an OMML equation as linear text: fractions a/b, powers x², roots √(x)."""
    tag = element.tag.removeprefix(M)

    def part(name: str) -> str:
        child = element.find(f"{M}{name}")
        return _omml_text(child) if child is not None else ""

    def grouped(text: str) -> str:
        return text if len(text) <= 1 or text.isalnum() else f"({text})"

    if tag == "t":
        return element.text or ""
    if tag == "f":
        return f"{grouped(part('num'))}/{grouped(part('den'))}"
    if tag == "sSup":
        return part("e") + _script(part("sup"), SUPERSCRIPTS, "^")
    if tag == "sSub":
        return part("e") + _script(part("sub"), SUBSCRIPTS, "_")
    if tag == "sSubSup":
        return (part("e") + _script(part("sub"), SUBSCRIPTS, "_")
                + _script(part("sup"), SUPERSCRIPTS, "^"))
    if tag == "rad":
        degree = part("deg")
        return f"{degree}√{grouped(part('e'))}" if degree else f"√{grouped(part('e'))}"
    if tag == "d":
        properties = element.find(f"{M}dPr")
        begin, separator, end = "(", "|", ")"
        if properties is not None:
            begin = _mval(properties.find(f"{M}begChr"), begin)
            separator = _mval(properties.find(f"{M}sepChr"), separator)
            end = _mval(properties.find(f"{M}endChr"), end)
        inner = separator.join(_omml_text(e) for e in element.findall(f"{M}e"))
        return f"{begin}{inner}{end}"
    if tag == "nary":
        properties = element.find(f"{M}naryPr")
        sign = _mval(properties.find(f"{M}chr") if properties is not None else None, "∫")
        low, high = part("sub"), part("sup")
        limits = (f"_{grouped(low)}" if low else "") + (f"^{grouped(high)}" if high else "")
        return f"{sign}{limits} {part('e')}"
    if tag == "func":
        return f"{part('fName')} {part('e')}".strip()
    if tag in ("rPr", "ctrlPr", "fPr", "sSupPr", "sSubPr", "radPr", "dPr", "naryPr", "funcPr",
               "accPr", "barPr", "mPr", "eqArrPr", "limLowPr", "limUppPr", "groupChrPr",
               "borderBoxPr", "boxPr", "sPrePr", "oMathParaPr"):
        return ""
    if tag == "m":
        return "[" + "; ".join(" ".join(_omml_text(e) for e in row.findall(f"{M}e"))
                               for row in element.findall(f"{M}mr")) + "]"
    if tag == "eqArr":
        return "; ".join(_omml_text(e) for e in element.findall(f"{M}e"))
    return "".join(_omml_text(child) for child in element)


def _mval(element: ElementTree.Element | None, default: str) -> str:
    return element.get(f"{M}val", default) if element is not None else default


# --- language ------------------------------------------------------------------------

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def _language_of(element: ElementTree.Element | None) -> dict[str, str]:
    if element is None:
        return {}
    return {kind: element.get(f"{W}{kind}", "") for kind in ("val", "eastAsia", "bidi")}


def _default_language(styles: ElementTree.Element) -> str:
    """Return the `w:lang` of the document defaults or the Normal style, if any."""
    found = _language_of(styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang"))
    for style in styles.iter(f"{W}style"):
        if style.get(f"{W}default") == "1" and style.get(f"{W}type") == "paragraph":
            found.update({k: v for k, v in _language_of(style.find(f"{W}rPr/{W}lang")).items()
                          if v})
    return "|".join(found.get(k, "") for k in ("val", "eastAsia", "bidi"))


def _language(document: ElementTree.Element, default: str) -> str:
    """Return the language most of the document's letters are marked with, as BCP 47."""
    base = dict(zip(("val", "eastAsia", "bidi"), (default or "||").split("|"), strict=False))
    letters: Counter[str] = Counter()
    for run in document.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        count = sum(1 for c in text if c.isalpha())
        if not count:
            continue
        marked = {**base, **{k: v for k, v in _language_of(run.find(f"{W}rPr/{W}lang")).items()
                             if v}}
        kind = ("eastAsia" if len(CJK.findall(text)) * 2 > count else
                "bidi" if len(RTL.findall(text)) * 2 > count else "val")
        tag = marked.get(kind) or marked.get("val") or ""
        if LANGUAGE_TAG.match(tag):
            letters[tag] += count
    if letters:
        return letters.most_common(1)[0][0]
    tag = base.get("val", "")
    return tag if LANGUAGE_TAG.match(tag) else ""
