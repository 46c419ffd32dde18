"""Proof: WeasyPrint's laid-out pages -> what a printer would reject, by section and page.

Read from the boxes of each page after layout, before the PDF is written (no second
reading of the file): a glyph within `SAFE_MM` of the trim (a guillotine cuts it), a line
of text drawn over another, a table wider than its page. Each finding names the section
whose box holds it and the page, so that the writer knows where to look.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SAFE_MM = 5.0
"""How far from the trim every glyph must stay."""
PX_PER_MM = 96 / 25.4
"""WeasyPrint lays out in CSS pixels."""
OVERLAP = 0.5
"""Two lines of text overlap when they share this much of the shorter one's ink..."""
OVERLAP_PX = 2.0
"""...and more than this much width (kerning and italic overhangs share less)."""


@dataclass(frozen=True)
class Spill:
    """One thing on a page a printer would reject."""

    section: str | None
    """The id of the `<section>` holding it (None: the cover, contents or back cover)."""
    page: int
    message: str


CAP, DESCENT = 0.72, 0.18
"""Where a line's ink lies, in ems above and below its baseline: a text box is as tall as
its font's ascent and descent, taller than the glyphs and than a tight line height, so
lines set solid would be taken for lines drawn over each other."""


@dataclass(frozen=True)
class _Text:
    section: str | None
    text: str
    left: float
    top: float
    right: float
    bottom: float


def _walk(box: Any, section: str | None) -> Iterator[tuple[Any, str | None]]:
    """Yield every box under `box` with the id of the section it belongs to."""
    element = getattr(box, "element", None)
    if getattr(box, "element_tag", None) == "section" and element is not None:
        section = element.get("id") or section
    yield box, section
    for child in getattr(box, "children", ()):
        yield from _walk(child, section)


def _shown(text: str) -> str:
    text = " ".join(text.replace("\u2060", "").split())
    return text if len(text) <= 40 else text[:39] + "…"


def page_spills(page_box: Any, number: int) -> list[Spill]:
    """Return what on one laid-out page a printer would reject."""
    from weasyprint.formatting_structure import boxes

    width, height = page_box.margin_width(), page_box.margin_height()
    safe = SAFE_MM * PX_PER_MM
    texts: list[_Text] = []
    spills: list[Spill] = []
    for box, section in _walk(page_box, None):
        if isinstance(box, boxes.TextBox) and box.text.strip():
            if box.style["visibility"] != "visible":
                continue
            size = box.style["font_size"]
            baseline = box.position_y + getattr(box, "baseline", box.height)
            left = box.position_x + box.margin_left
            texts.append(_Text(section, box.text, left, baseline - CAP * size,
                               left + box.width, baseline + DESCENT * size))
        elif isinstance(box, boxes.TableBox):
            left = box.border_box_x()
            right = left + box.border_width()
            if left < safe - 0.5 or right > width - safe + 0.5:
                spills.append(Spill(section, number, f"a table {right - left:.0f} px wide "
                                    f"runs past the safe zone of its {width:.0f} px page"))
    for text in texts:
        if (text.left < safe or text.top < safe or text.right > width - safe
                or text.bottom > height - safe):
            spills.append(Spill(text.section, number, f"'{_shown(text.text)}' is within "
                                f"{SAFE_MM:g} mm of the trim"))
    # Decorations (a quotation mark drawn large, a leader) are not words drawn over words.
    texts = sorted((t for t in texts if any(c.isalnum() for c in t.text)), key=lambda t: t.top)
    for index, first in enumerate(texts):
        for second in texts[index + 1:]:
            if second.top >= first.bottom:
                break
            shared_height = min(first.bottom, second.bottom) - second.top
            shorter = min(first.bottom - first.top, second.bottom - second.top)
            shared_width = min(first.right, second.right) - max(first.left, second.left)
            if shared_height > OVERLAP * shorter and shared_width > OVERLAP_PX:
                spills.append(Spill(first.section or second.section, number,
                                    f"'{_shown(second.text)}' is drawn over "
                                    f"'{_shown(first.text)}'"))
    return spills


def spills(pages: list[Any]) -> list[Spill]:
    """Return what on the laid-out pages of a document a printer would reject."""
    found = []
    for number, page in enumerate(pages, 1):
        found += page_spills(page._page_box, number)
    return found


def spill_text(spill: Spill, files: dict[str, str]) -> str:
    """Return a finding as the build says it: `03-finance.md, page 6: ...`."""
    where = files.get(spill.section or "", "the cover, contents or back cover")
    return f"{where}, page {spill.page}: {spill.message}"
