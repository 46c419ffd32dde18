"""Unicode maps: each font's ToUnicode CMap -> one that gives every glyph its text.

WeasyPrint maps a glyph to the text of its cluster the first time it draws it. When a
cluster has more than one glyph (a letter with a mark in Arabic, an emoji with a skin
tone), the glyphs after the first get no text, written `<0007> <>`; and as the first
drawing decides, that glyph then copies as nothing everywhere: "أ" vanished from every
word of an Arabic edition. An empty entry is also malformed, so the PDF fails PDF/UA-1
(PDFUA1-FONT-UNICODE-MAPPING-001) and text extraction gives up on the font.

Each empty entry gets the character the font itself maps to that glyph (its `cmap`,
else a `uniXXXX` glyph name), in its compatibility form (`ﺌ` U+FE8C is `ئ`); an entry
for which the font says nothing is left out.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
GLYPH_NAME = re.compile(r"^(?:uni([0-9A-F]{4})|u([0-9A-F]{4,6}))(?:\..*)?$")


def fill_unicode_maps(pdf: Any) -> int:
    """Give the glyphs of every font that WeasyPrint mapped to nothing their text; return
    how many entries were filled."""
    import pikepdf

    filled = 0
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != pikepdf.Name.Font:
            continue
        stream = font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            continue
        data = stream.read_bytes()
        if not re.search(rb">\s*<>", data):
            continue
        entries = [(int(glyph, 16), text) for glyph, text in ENTRY.findall(
            data[data.find(b"endcodespacerange"):])]
        known = _font_text(font)
        mapped: list[tuple[int, str]] = []
        for glyph, text in entries:
            if text:
                mapped.append((glyph, bytes.fromhex(text.decode()).decode("utf-16-be")))
            elif glyph in known:
                mapped.append((glyph, known[glyph]))
                filled += 1
        stream.write(_cmap(data[:data.find(b"endcodespacerange")], mapped))
    return filled


def _font_text(font: Any) -> dict[int, str]:
    """Return the text the embedded font program maps to each glyph, where it says."""
    from fontTools.ttLib import TTFont

    descendants = font.get("/DescendantFonts")
    described = descendants[0] if descendants else font
    descriptor = described.get("/FontDescriptor")
    program = descriptor.get("/FontFile2") if descriptor is not None else None
    if program is None:
        return {}
    try:
        parsed = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        order = parsed.getGlyphOrder()
        best = parsed.getBestCmap() or {}
    except Exception:  # a font program fontTools cannot read: leave its entries out
        return {}
    index = {name: glyph for glyph, name in enumerate(order)}
    found: dict[int, str] = {}
    for code, name in sorted(best.items()):
        if name in index:
            found.setdefault(index[name], unicodedata.normalize("NFKC", chr(code)))
    for glyph, name in enumerate(order):
        match = GLYPH_NAME.match(name)
        if match and glyph not in found:
            found[glyph] = unicodedata.normalize("NFKC", chr(int(match[1] or match[2], 16)))
    return {glyph: text for glyph, text in found.items() if text}


def _cmap(head: bytes, mapped: list[tuple[int, str]]) -> bytes:
    """Write a ToUnicode CMap: the head as it was, then the entries in blocks of 100."""
    lines = [head + b"endcodespacerange"]
    for start in range(0, len(mapped), 100):
        block = mapped[start:start + 100]
        lines.append(f"{len(block)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                  for glyph, text in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
