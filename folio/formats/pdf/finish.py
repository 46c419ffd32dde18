"""Finishing: WeasyPrint's PDF objects -> the tagged, print-ready file, before it is written.

Runs as WeasyPrint's `finisher`, on the pydyf objects of the finished document: running
heads and page numbers become artifacts, and print-ready files get a 3 mm bleed box with
crop marks outside it.
"""

from __future__ import annotations

from typing import Any

MM = 72 / 25.4
BLEED_POINTS = 3 * MM
"""The print-ready bleed: 3 mm, in PDF points."""
MARK_POINTS = 6 * MM
"""The length of a crop mark, drawn from the edge of the bleed outwards."""


def _pages(pdf: Any) -> list[Any]:
    """Return the page dictionaries of a pydyf PDF (`Kids` holds `number 0 R` triples)."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def _number(reference: Any) -> int:
    """Return the object number of a pydyf reference (`b"12 0 R"`)."""
    return int(bytes(reference).split()[0])


def crop_marks(pdf: Any) -> None:
    """Make each page print-ready: 3 mm bleed box, and crop marks in a slug around it.

    WeasyPrint's own marks sit inside the bleed, where a cut slightly off the line would
    show them; a printer expects them outside it. So the media box grows by a slug, the
    bleed box is set to exactly 3 mm, and the marks are drawn in the slug (as artifacts,
    in black, which PDF/A allows).
    """
    import pydyf

    offset, length, spare = BLEED_POINTS, MARK_POINTS, MM
    reach = offset + length + spare
    for page in _pages(pdf):
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        page["BleedBox"] = pydyf.Array([left - offset, bottom - offset,
                                        right + offset, top + offset])
        page["MediaBox"] = pydyf.Array([left - reach, bottom - reach,
                                        right + reach, top + reach])
        lines = []
        for x, y, dx, dy in ((left, bottom, -1, -1), (right, bottom, 1, -1),
                             (left, top, -1, 1), (right, top, 1, 1)):
            lines.append((x + dx * offset, y, x + dx * (offset + length), y))
            lines.append((x, y + dy * offset, x, y + dy * (offset + length)))
        content = pdf.objects[_number(page["Contents"])].stream
        content.insert(0, b"q")
        content.append(b"Q")
        content += [b"/Artifact BMC q 0 G 0.25 w 0 J"]
        content += [f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S".encode()
                    for x1, y1, x2, y2 in lines]
        content += [b"Q EMC"]


def margin_artifacts(pdf: Any) -> None:
    """Mark running headers and page numbers as artifacts, so they are never read out.

    WeasyPrint tags the text of page-margin boxes but leaves it out of the structure
    tree. Here those marked-content sequences become `/Artifact` and their entries in the
    parent tree are emptied: what a screen reader meets is the document, not its furniture.
    """
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    document_element = objects[_number(root["K"][0])]
    reachable: set[int] = set()
    stack = [_number(kid) for kid in document_element["K"] if not isinstance(kid, int)]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        kids = objects[number].get("K", []) if isinstance(objects[number], dict) else []
        stack += [_number(kid) for kid in kids if not isinstance(kid, int)]
    loose: dict[int, set[int]] = {}
    for element in objects:
        if (isinstance(element, dict) and element.get("Type") == "/StructElem"
                and getattr(element, "number", None) not in reachable
                and element is not document_element
                and "Pg" in element):
            mcids = {kid for kid in element["K"] if isinstance(kid, int)}
            loose.setdefault(_number(element["Pg"]), set()).update(mcids)
    nums = objects[_number(root["ParentTree"])]["Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(_pages(pdf)):
        furniture = loose.get(page.number)
        if not furniture or index not in parents:
            continue
        content = objects[_number(page["Contents"])].stream
        for at in range(1, len(content) - 1):
            item = content[at]
            if (isinstance(item, dict) and item.get("MCID") in furniture
                    and content[at + 1] == b"BDC"):
                parents[index][item["MCID"]] = "null"
                content[at - 1: at + 2] = ["/Artifact", b"", b"BMC"]


def finisher(print_ready: bool) -> Any:
    """Return the step WeasyPrint runs on the finished PDF, before writing it out."""

    def finish(document: Any, pdf: Any) -> None:
        if "StructTreeRoot" in pdf.catalog:
            margin_artifacts(pdf)
        if print_ready:
            crop_marks(pdf)

    return finish
