"""Structure: WeasyPrint's tag tree -> a structure tree that reads as the page does.

WeasyPrint 70 tags a PDF page by page, from its layout boxes. What a reader then meets
differs from the page in known ways: a paragraph, list or section split by a page break is
two elements; an anonymous box repeats its element (a heading inside the same heading);
a link's pieces (its `::before`, an `<em>` inside it) carry link annotations outside any
`Link`; footnotes are loose text at the foot of the page; a decorative picture is a figure
without alternative text.

Two steps put that right. While WeasyPrint builds its tree, `source_hints` notes on each
element where it came from (which HTML element, which pseudo-element, a link's text, a
header cell's scope). After the PDF is written, `restructure` (pikepdf) uses those notes
to join what a page break split, dissolve repeated elements, attach link annotations to
their `Link`, make footnotes `Note`s with a `Lbl` beside their call, and turn decoration
(pictures with empty alt text, text drawn by `::before`) into artifacts. The parent tree
is then rebuilt from the final tree, so every marked sequence and annotation points at
the element that now holds it.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .mapping import as_written as text_as_written

HINT = "Folio"
"""The prefix of the temporary keys that carry hints from WeasyPrint to `restructure`."""
UNNESTABLE = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P", "/Link", "/Lbl", "/LBody",
              "/TH", "/TD", "/Caption", "/Figure", "/Span", "/NonStruct"}
"""Elements that never hold an element of their own kind: a second one is a repeat."""
CELLS = {"/TD", "/TH"}
"""Table cells, which keep their place in a row even when they hold nothing."""
DECORATIVE_PSEUDO = {"before"}
"""Generated content that is decoration: a section's number, a quotation mark, a rule."""
INVISIBLE = "\u2060"
"""The word joiner the print document puts after a compound's hyphen to keep it on one line
(`document.whole_compounds`): drawn as nothing, and never part of what a reader copies."""
WORDS_KEYS = ("/Title", "/Contents", "/Alt", "/ActualText", "/E", "/T")
"""Keys whose strings a reader meets as words: bookmarks, link descriptions, alternatives."""


PDF_UA_IDENTIFICATION = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>The part of ISO 14289 the file meets</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 pdfuaid:part="1"/>
"""
"""The PDF/UA-1 identification a PDF/A-3A file adds to its metadata, with the description
of its schema that PDF/A asks for every schema it does not define itself."""


# --- hints, noted while WeasyPrint builds its tree -------------------------------------


def _text_of(element: Any) -> str:
    label = element.get("aria-label") or element.get("title")
    text = label if label else "".join(element.itertext())
    return re.sub(r"\s+", " ", text.replace(INVISIBLE, "")).strip()


@contextmanager
def source_hints() -> Iterator[None]:
    """Note, on each structure element WeasyPrint makes, the box it was made from."""
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    sources: dict[tuple[int, str], int] = {}

    def build(box: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, *args):
            if f"{HINT}Key" not in element:
                _note(element, getattr(box, "_box", box), sources, pydyf)
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _note(element: Any, box: Any, sources: dict[tuple[int, str], int], pydyf: Any) -> None:
    if box.element is None:
        return
    tag = box.element_tag or ""
    pseudo = tag.partition("::")[2]
    source = (id(box.element), pseudo)
    element[f"{HINT}Key"] = sources.setdefault(source, len(sources) + 1)
    element[f"{HINT}Of"] = sources.setdefault((id(box.element), ""), len(sources) + 1)
    if pseudo:
        element[f"{HINT}Pseudo"] = f"/{pseudo.replace('-', '')}"
        return
    element[f"{HINT}Tag"] = f"/{tag}" if tag.isalnum() else "/other"
    if tag == "a" and box.element.get("href"):
        element[f"{HINT}Text"] = pydyf.String(_text_of(box.element))
    if tag == "th":
        scope = "/Row" if box.element.get("scope") == "row" else "/Column"
        element[f"{HINT}Scope"] = scope
    if tag == "img" and box.element.get("alt", None) == "":
        element[f"{HINT}Decorative"] = "true"


# --- the tree, rebuilt with pikepdf ----------------------------------------------------


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid: Any) -> bool:
    import pikepdf

    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR")


def _position(identifier: Any) -> str:
    """Return the row and column of a header cell from WeasyPrint's `table-row-column` ID."""
    return "-".join(str(identifier).split("-")[-2:])


class _Tree:
    """The structure tree of an open PDF, with the hints taken out of it."""

    def __init__(self, pdf: Any):
        import pikepdf

        self.pikepdf = pikepdf
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.kid_lists: dict[tuple[int, int], list[Any]] = {}  # what each /K holds
        self.element_kinds: dict[tuple[int, int], bool] = {}
        self.document = self.kids(self.root)[0]
        self.hints: dict[tuple[int, int], dict[str, Any]] = {}
        self.artifacts: dict[tuple[int, int], set[int]] = {}  # page -> MCIDs
        self.notes = 0
        for element in self.walk(self.document):
            found = {}
            for key in list(element.keys()):
                if key.startswith(f"/{HINT}"):
                    found[key[len(HINT) + 1:]] = element[key]
                    del element[key]
            self.hints[element.objgen] = found

    def hint(self, element: Any, name: str) -> Any:
        return self.hints.get(element.objgen, {}).get(name)

    def kids(self, element: Any) -> list[Any]:
        """Return what an element holds: elements, MCIDs, marked-content and object references.

        The repairs walk the tree many times; each element's kids are read from the PDF
        once and kept here, and `set_kids` keeps them up to date.
        """
        key = element.objgen
        kids = self.kid_lists.get(key)
        if kids is None:
            kids = _kids(element)
            if key != (0, 0):
                self.kid_lists[key] = kids
        return list(kids)

    def is_element(self, kid: Any) -> bool:
        """Return True when a kid is a structure element (not an MCID or a reference)."""
        if isinstance(kid, int):
            return False
        key = kid.objgen
        kind = self.element_kinds.get(key)
        if kind is None:
            kind = _is_element(kid)
            if key != (0, 0):
                self.element_kinds[key] = kind
        return kind

    def walk(self, element: Any) -> Iterator[Any]:
        yield element
        for kid in self.kids(element):
            if self.is_element(kid):
                yield from self.walk(kid)

    def set_kids(self, element: Any, kids: list[Any]) -> None:
        key = element.objgen
        before = self.kid_lists.get(key)
        if before is not None and len(before) == len(kids) and all(
                a is b for a, b in zip(before, kids, strict=True)):
            return  # unchanged: its kids already name it as their parent
        element.K = self.pikepdf.Array(kids)
        if key != (0, 0):
            self.kid_lists[key] = list(kids)
        for kid in kids:
            if self.is_element(kid):
                kid.P = element

    def marked(self, kid: Any, element: Any) -> tuple[Any, int] | None:
        """Return (page, MCID) of a kid that is marked content, else None."""
        if isinstance(kid, int):
            return element.get("/Pg"), int(kid)
        if isinstance(kid, self.pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            return kid.get("/Pg", element.get("/Pg")), int(kid.MCID)
        return None

    def portable(self, kids: list[Any], element: Any, page: Any) -> list[Any]:
        """Return kids fit to move into an element whose page is `page`."""
        moved = []
        for kid in kids:
            if isinstance(kid, int) and element.get("/Pg") != page:
                kid = self.pdf.make_indirect(self.pikepdf.Dictionary(
                    Type=self.pikepdf.Name.MCR, Pg=element.Pg, MCID=int(kid)))
            moved.append(kid)
        return moved

    # --- the repairs ---------------------------------------------------------------

    def join_and_dissolve(self, element: Any) -> None:
        """Join consecutive pieces of one split element; dissolve repeats of a parent."""
        kids: list[Any] = []
        waiting = self.kids(element)
        while waiting:
            kid = waiting.pop(0)
            if self.is_element(kid) and kid.get("/S") == element.get("/S") \
                    and element.get("/S") in UNNESTABLE:
                waiting[:0] = self.portable(self.kids(kid), kid, element.get("/Pg"))
                continue
            before = kids[-1] if kids else None
            key = self.hint(kid, "Key") if self.is_element(kid) else None
            if (key is not None and before is not None and self.is_element(before)
                    and self.hint(before, "Key") == key and before.get("/S") == kid.get("/S")):
                self.set_kids(before, self.kids(before) + self.portable(
                    self.without_repeats(before, self.kids(kid)), kid, before.get("/Pg")))
                continue
            kids.append(kid)
        self.set_kids(element, kids)
        for kid in kids:
            if self.is_element(kid):
                self.join_and_dissolve(kid)

    def without_repeats(self, first: Any, kids: list[Any]) -> list[Any]:
        """Return a continued table's kids less the header and footer repeated on its page.

        The repeats become artifacts, and data cells that named a repeated header cell
        name the first one instead.
        """
        if first.get("/S") != "/Table":
            return kids
        groups = {self.hint(k, "Key") for k in self.kids(first)
                  if self.is_element(k) and k.get("/S") in ("/THead", "/TFoot")}
        headers = {_position(cell.ID): cell.ID
                   for cell in self.walk(first) if cell.get("/S") == "/TH" and "/ID" in cell}
        kept = []
        for kid in kids:
            if self.is_element(kid) and kid.get("/S") in ("/THead", "/TFoot") \
                    and self.hint(kid, "Key") in groups:
                self.artifact(kid)
                continue
            kept.append(kid)
            for cell in self.walk(kid) if self.is_element(kid) else ():
                attributes = cell.get("/A")
                if cell.get("/S") == "/TD" and attributes is not None and "/Headers" in attributes:
                    attributes.Headers = self.pikepdf.Array([
                        headers.get(_position(h), h)
                        for h in attributes.Headers])
        return kept

    def shape_lists(self) -> None:
        """Give each list item one `Lbl` and one `LBody`, with its sub-lists inside it."""
        elements = list(self.walk(self.document))
        for element in elements:
            if element.get("/S") == "/LI":
                kids, body = [], None
                for kid in self.kids(element):
                    if self.is_element(kid) and kid.get("/S") in ("/Lbl", "/LBody"):
                        kids.append(kid)
                        body = kid if kid.get("/S") == "/LBody" else None
                        continue
                    if body is None:
                        body = self.pdf.make_indirect(self.pikepdf.Dictionary(
                            Type=self.pikepdf.Name.StructElem, S=self.pikepdf.Name.LBody,
                            P=element, K=self.pikepdf.Array(), Pg=element.Pg))
                        kids.append(body)
                    self.set_kids(body, [*self.kids(body), kid])
                self.set_kids(element, kids)
        for element in elements:
            if element.get("/S") == "/L":
                kids = []
                for kid in self.kids(element):
                    item = kids[-1] if kids else None
                    if (self.is_element(kid) and kid.get("/S") == "/L" and item is not None
                            and item.get("/S") == "/LI"):
                        bodies = [k for k in self.kids(item) if k.get("/S") == "/LBody"]
                        if bodies:
                            self.set_kids(bodies[-1], [*self.kids(bodies[-1]), kid])
                            continue
                    kids.append(kid)
                self.set_kids(element, kids)

    def parents(self) -> dict[tuple[int, int], Any]:
        return {kid.objgen: element for element in self.walk(self.document)
                for kid in self.kids(element) if self.is_element(kid)}

    def place_notes(self) -> None:
        """Move each footnote beside its call, as a `Note` whose `Lbl` is its marker."""
        elements = list(self.walk(self.document))
        calls = {self.hint(e, "Of"): e for e in elements
                 if self.hint(e, "Pseudo") == "/footnotecall"}
        parents = self.parents()
        for note in elements:
            if self.hint(note, "Pseudo") is not None:
                continue
            call = calls.pop(self.hint(note, "Of"), None)
            if call is None:
                continue
            home, host = parents[note.objgen], parents[call.objgen]
            self.set_kids(home, [k for k in self.kids(home) if k.objgen != note.objgen])
            host_kids = self.kids(host)
            at = next(i for i, k in enumerate(host_kids) if k.objgen == call.objgen)
            self.set_kids(host, [*host_kids[:at + 1], note, *host_kids[at + 1:]])
            self.notes += 1
            call.S = self.pikepdf.Name.Reference
            note.S = self.pikepdf.Name.Note
            note.ID = self.pikepdf.String(f"note-{self.notes}")
            for kid in self.kids(note):
                if self.is_element(kid) and self.hint(kid, "Pseudo") == "/footnotemarker":
                    kid.S = self.pikepdf.Name.Lbl

    def attach_links(self) -> None:
        """Put every link annotation in its `Link`, described by the link's text."""
        links = [e for e in self.walk(self.document) if e.get("/S") == "/Link"]
        inner = {e.objgen for link in links for e in self.walk(link) if e is not link}
        for link in links:
            if link.objgen in inner:
                continue
            text = self.hint(link, "Text")
            kids: list[Any] = []
            for element in self.walk(link):
                for kid in self.kids(element):
                    if isinstance(kid, self.pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                        if text is not None:
                            kid.Obj.Contents = text
                        if element is not link:
                            kids.append(kid)
                if element is not link:
                    self.set_kids(element, [k for k in self.kids(element)
                                            if not (isinstance(k, self.pikepdf.Dictionary)
                                                    and k.get("/Type") == "/OBJR")])
            self.set_kids(link, self.kids(link) + kids)

    def artifact(self, element: Any) -> None:
        """Make all the marked content of an element an artifact."""
        for part in self.walk(element):
            for kid in self.kids(part):
                found = self.marked(kid, part)
                if found:
                    self.artifacts.setdefault(found[0].objgen, set()).add(found[1])

    def remove_decoration(self) -> None:
        """Make decorative pictures and `::before` text artifacts, out of the tree.

        A link annotation such an element carried stays, with the element's parent.
        """
        for element in list(self.walk(self.document)):
            kids: list[Any] = []
            for kid in self.kids(element):
                if self.is_element(kid) and self.decorative(kid):
                    self.artifact(kid)
                    kids += [k for part in self.walk(kid) for k in self.kids(part)
                             if isinstance(k, self.pikepdf.Dictionary)
                             and k.get("/Type") == "/OBJR"]
                else:
                    kids.append(kid)
            self.set_kids(element, kids)

    def decorative(self, element: Any) -> bool:
        return (self.hint(element, "Decorative") is not None
                or self.hint(element, "Pseudo") in {f"/{p}" for p in DECORATIVE_PSEUDO})

    def caption_figures(self) -> None:
        """Put a picture's caption inside its `Figure`, as `<figure>` holds both."""
        for element in self.walk(self.document):
            if self.hint(element, "Tag") != "/figure":
                continue
            kids = self.kids(element)
            figures = [k for k in kids if self.is_element(k) and k.get("/S") == "/Figure"]
            captions = [k for k in kids if self.is_element(k) and k.get("/S") == "/Caption"]
            if len(figures) != 1 or not captions:
                continue
            self.set_kids(element, [k for k in kids if not any(
                k.objgen == c.objgen for c in captions)])
            self.set_kids(figures[0], self.kids(figures[0]) + self.portable(
                captions, element, figures[0].get("/Pg")))

    def label_cells(self) -> None:
        """Give every header cell its scope."""
        for element in self.walk(self.document):
            scope = self.hint(element, "Scope")
            if element.get("/S") == "/TH" and scope is not None:
                attributes = element.get("/A")
                if attributes is None:
                    element.A = attributes = self.pikepdf.Dictionary(O=self.pikepdf.Name.Table)
                attributes.Scope = scope

    def prune(self, element: Any) -> bool:
        """Drop elements left with nothing in them; return True when `element` is empty.

        An empty table cell stays: it holds its column, and a row without it would span
        fewer columns than the others.
        """
        kids = [k for k in self.kids(element)
                if not (self.is_element(k) and self.prune(k))]
        self.set_kids(element, kids)
        return not kids and element is not self.document and element.get("/S") not in CELLS

    def rebuild_parent_tree(self) -> None:
        """Point every marked sequence and annotation at the element that now holds it."""
        pikepdf = self.pikepdf
        pages = {page.objgen: index for index, page in enumerate(self.pdf.pages)}
        by_page: dict[int, dict[int, Any]] = {}
        annotations: list[tuple[Any, Any]] = []
        for element in self.walk(self.document):
            for kid in self.kids(element):
                found = self.marked(kid, element)
                if found:
                    by_page.setdefault(pages[found[0].objgen], {})[found[1]] = element
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    annotations.append((kid.Obj, element))
        nums: list[Any] = []  # one Array at the end: growing a pikepdf.Array copies it
        for index, page in enumerate(self.pdf.pages):
            page.obj.StructParents = index
            mapping = by_page.get(index, {})
            size = max(mapping, default=-1) + 1
            nums += [index, pikepdf.Array([mapping.get(m, None) for m in range(size)])]
        for number, (annotation, element) in enumerate(annotations, start=len(pages)):
            annotation.StructParent = number
            nums += [number, element]
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(
            Nums=pikepdf.Array(nums)))
        self.root.ParentTreeNextKey = len(pages) + len(annotations)

    def mark_artifacts(self) -> None:
        """Turn the marked-content sequences of decoration into `/Artifact` in the pages.

        WeasyPrint draws text as hexadecimal glyph strings, so in its content streams
        `/Tag <</MCID n>> BDC` can only be the operator that opens a marked sequence: the
        decoded stream is rewritten where it says so, with no parsing of the rest.
        """
        pikepdf = self.pikepdf
        for page in self.pdf.pages:
            mcids = self.artifacts.get(page.obj.objgen)
            if not mcids:
                continue

            def artifact(match: re.Match[bytes], mcids: set[int] = mcids) -> bytes:
                return b"/Artifact BMC" if int(match[1]) in mcids else match[0]

            page.contents_coalesce()
            contents = page.obj.Contents
            data = MARKED.sub(artifact, contents.read_bytes())
            contents.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)


MARKED = re.compile(rb"/[^\s/<>\[\]()%{}]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC\b")
"""A marked-content sequence opened in a content stream, as WeasyPrint writes it."""


def restructure(data: bytes, variant: str) -> bytes:
    """Return the PDF with its structure tree repaired, finished for its `variant`."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            tree = _Tree(pdf)
            tree.place_notes()
            tree.remove_decoration()
            tree.prune(tree.document)  # what notes and decoration left empty parts no join
            tree.join_and_dissolve(tree.document)
            tree.attach_links()
            tree.shape_lists()
            tree.caption_figures()
            tree.label_cells()
            tree.prune(tree.document)
            tree.rebuild_parent_tree()
            tree.mark_artifacts()
        _as_written(pdf)
        text_as_written(pdf)
        for page in pdf.pages:
            page.obj.Tabs = pikepdf.Name.S
            for annotation in page.obj.get("/Annots", []):
                annotation.F = 4  # printed, as on screen
        archival = variant.startswith("pdf/a")
        if archival:
            _archival(pdf, accessible=variant == "pdf/a-3a")
        out = io.BytesIO()
        # PDF/A files keep their streams as encoded here, and get no object streams,
        # whose bytes qpdf would encode on writing (see `_unambiguous_ends`).
        _unambiguous_ends(pdf)
        pdf.save(out, deterministic_id=True, compress_streams=not archival,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable if archival
                 else pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _as_written(pdf: Any) -> None:
    """Take the word joiners out of bookmarks, link descriptions and alternative texts.

    They come from the headings and links they describe, where they only steer line
    breaks; a bookmark copied or read aloud holds the words as the writer wrote them.
    """
    import pikepdf

    for item in pdf.objects:
        if not isinstance(item, pikepdf.Dictionary):
            continue
        for key in WORDS_KEYS:
            value = item.get(key)
            if isinstance(value, pikepdf.String) and INVISIBLE in str(value):
                item[key] = pikepdf.String(str(value).replace(INVISIBLE, ""))


def _unambiguous_ends(pdf: Any) -> None:
    """Give each stream whose encoded bytes end in a carriage return an ASCII85 layer.

    A stream is written as `stream LF data LF endstream`. Data ending in CR then reads as
    ending in a CR LF end of line, one byte short of its /Length: PDF/A validators (and
    veraPDF) then find the length wrong. Compressing again cannot help: Flate data ends
    in a checksum of what it holds. ASCII85 always ends in `~>`, so the encoded bytes
    are wrapped in it, untouched beneath.
    """
    import base64

    import pikepdf

    for stream in pdf.objects:
        if not isinstance(stream, pikepdf.Stream):
            continue
        data = stream.read_raw_bytes()
        if not data.endswith(b"\r"):
            continue
        filters, parameters = (_as_list(stream.get(key)) for key in ("/Filter", "/DecodeParms"))
        stream.write(base64.a85encode(data) + b"~>",
                     filter=pikepdf.Array([pikepdf.Name.ASCII85Decode, *filters]),
                     decode_parms=pikepdf.Array([None, *(parameters or [None] * len(filters))]))


def _as_list(value: Any) -> list[Any]:
    """Return a stream's /Filter or /DecodeParms as a list: one value or an array of them."""
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _archival(pdf: Any, accessible: bool) -> None:
    """Meet the PDF/A rules WeasyPrint leaves open: no interpolation, plain metadata.

    An `accessible` file (PDF/A-3A) also claims PDF/UA-1, whose rules its tags meet.
    """
    for image in itertools.chain.from_iterable(
            _images(page.obj.get("/Resources")) for page in pdf.pages):
        if "/Interpolate" in image:
            image.Interpolate = False
        if "/SMask" in image and "/Interpolate" in image.SMask:
            image.SMask.Interpolate = False
    metadata = pdf.Root.get("/Metadata")
    if metadata is not None:
        xmp = metadata.read_bytes()
        if accessible and b"pdfuaid" not in xmp:
            xmp = xmp.replace(b"</rdf:RDF>", PDF_UA_IDENTIFICATION + b"</rdf:RDF>", 1)
        metadata.write(xmp)


def _images(resources: Any, seen: set[tuple[int, int]] | None = None) -> Iterator[Any]:
    """Yield every image XObject reachable from a resource dictionary."""
    seen = set() if seen is None else seen
    if resources is None:
        return
    for name in ("/XObject", "/Pattern"):
        for item in (resources.get(name) or {}).values():
            if item.objgen in seen and item.objgen != (0, 0):
                continue
            seen.add(item.objgen)
            if item.get("/Subtype") == "/Image":
                yield item
            yield from _images(item.get("/Resources"), seen)
