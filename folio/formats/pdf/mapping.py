"""Mapping: the fonts of WeasyPrint's PDF -> ToUnicode maps that copy text as it was written.

A PDF draws glyphs; what a reader copies, searches or hears is what each font's ToUnicode
map says each glyph stands for. WeasyPrint writes one text a glyph, taken from a line it
drew, which goes wrong in two known ways:
- a font without a narrow no-break space (U+202F, which French sets before `: ; ! ?`)
  draws it with its word space; the shared glyph then maps to U+202F, and every space of
  every line in that font copies as a narrow one. When no glyph of a font maps to an
  ordinary space, the glyph mapped to U+202F is that font's space: it maps to U+0020, the
  space the writer typed.
- a glyph shaped as part of a cluster whose text another glyph carries (Arabic letters
  with a hamza) maps to nothing, which PDF/UA rejects as a malformed map
  (PDFUA1-FONT-UNICODE-MAPPING-001). It maps to the character the font's own table gives
  it (presentation forms in their plain form), or is left as it was when it has none.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

ENTRY = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")
"""One `bfchar` entry of a ToUnicode map: a glyph's code, then its text in UTF-16BE."""
SPACE, NARROW = b"0020", b"202f"
UNI_NAME = re.compile(r"uni[0-9A-F]{4}")
"""A glyph named after its character (`uni0623`), for a font program with no table."""


def as_written(pdf: Any) -> None:
    """Repair the ToUnicode map of every font of `pdf` (see the module docstring)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    for font in pdf.objects:
        if (not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != "/Font"
                or font.get("/Subtype") != "/Type0" or font.objgen in seen):
            continue
        seen.add(font.objgen)
        stream = font.get("/ToUnicode")
        if not isinstance(stream, pikepdf.Stream):
            continue
        data = stream.read_bytes()
        repaired = _spaces(data)
        if re.search(rb"<[0-9a-fA-F]{4}>\s*<>", repaired):
            repaired = _filled(repaired, _characters(font))
        if repaired != data:
            stream.write(repaired)


def _spaces(data: bytes) -> bytes:
    """Map a font's narrow no-break space to its word space, when it has no other."""
    targets = {target.lower() for _, target in ENTRY.findall(data)}
    if NARROW not in targets or SPACE in targets:
        return data
    return ENTRY.sub(lambda m: m[0] if m[2].lower() != NARROW else b"<%s> <0020>" % m[1],
                     data)


def _characters(font: Any) -> dict[int, str]:
    """Return the character the embedded font program itself gives each glyph it draws."""
    from fontTools.ttLib import TTFont

    try:
        descriptor = font.DescendantFonts[0].FontDescriptor
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        tables = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        order = {name: index for index, name in enumerate(tables.getGlyphOrder())}
        named = {name: int(name[3:], 16) for name in order if UNI_NAME.fullmatch(name)}
        codes = {**{name: code for code, name in (tables.getBestCmap() or {}).items()},
                 **named}
    except Exception:  # a font program fontTools cannot read: its map stays as it is
        return {}
    characters: dict[int, str] = {}
    for name, code in codes.items():
        if name not in order:  # a table naming a glyph the program does not have
            continue
        plain = unicodedata.normalize("NFKC", chr(code))
        characters[order[name]] = plain if len(plain) == 1 else chr(code)
    return characters


def _filled(data: bytes, characters: dict[int, str]) -> bytes:
    """Give each glyph mapped to nothing the character its font gives it, if any."""

    def fill(match: re.Match[bytes]) -> bytes:
        character = characters.get(int(match[1], 16))
        if match[2] or character is None:
            return match[0]
        return b"<%s> <%s>" % (match[1], character.encode("utf-16-be").hex().encode())

    return ENTRY.sub(fill, data)
