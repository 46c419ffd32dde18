"""Balance: WeasyPrint's laid-out pages -> the sections to let run on, so no page is left short.

A section whose component wants a page of its own (the key figures of an annual review)
leaves the page before it short when the text before it ends early. A page of text under
`SHORT` full before such a section is a page a reader turns over wondering what is missing:
the section is then laid out again running on, its navy band under the text, as it is in a
newsletter, and that layout is kept when it leaves fewer short pages (a band too tall for
the rest of the page would only move the gap). A band that shares a page is set tighter
than a page of its own; when it is still too tall, its values are set a step smaller
(`SHRINK`, never below `SMALLEST_PT` unless they were already), and the first of these
layouts that leaves fewer short pages is kept. Kept-whole blocks that are not sections
(quotes, events, calls to action) are kept small or allowed to break by the stylesheet.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from .proof import _walk

SHORT = 0.4
"""A page of text less full than this, before a section that opens a page, is short."""
SHRINK = (1.0, 0.9, 0.8)
"""The sizes tried for the values of a band that runs on, as a share of their size."""
SMALLEST_PT = 20.0
"""The smallest size a value is shrunk to when its band runs on."""
VALUE_SIZE = re.compile(r'(class="figure__value" style="font-size: )([\d.]+)pt')


def _fill(page_box: Any, without: str | None = None) -> float:
    """Return how far down its text area a page is used, from 0 to 1 (by what is not in
    section `without`, when one is given)."""
    from weasyprint.formatting_structure import boxes

    top = page_box.content_box_y()
    lowest = top
    for box, section in _walk_flow(page_box):
        if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) and (
                without is None or section != without):
            lowest = max(lowest, box.position_y + box.margin_height())
    return (lowest - top) / page_box.height if page_box.height else 1.0


def _walk_flow(page_box: Any) -> Any:
    """Yield the boxes of a page's flow: no running heads or folios, no footnotes."""
    from weasyprint.formatting_structure import boxes

    for child in page_box.children:
        if isinstance(child, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        yield from _walk(child, None)


def _opening(page_box: Any) -> tuple[str | None, str]:
    """Return the id and classes of the section whose box opens a page."""
    for box, section in _walk_flow(page_box):
        if getattr(box, "element_tag", None) == "section" and section:
            return section, box.element.get("class") or ""
        if section:
            return None, ""
    return None, ""


def run_on(pages: list[Any]) -> list[str]:
    """Return the ids of the sections to lay out again running on (see the docstring)."""
    found = []
    for before, page in itertools.pairwise(pages[1:]):
        section, classes = _opening(page._page_box)
        if (section and "section--figures" in classes and "section--new-page" in classes
                and _fill(before._page_box) < SHORT):
            found.append(section)
    return found


def confirmed(pages: list[Any], sections: list[str]) -> bool:
    """Whether a layout with these sections running on is still the one `run_on` would
    choose: each starts on a page that the text before it leaves short, and fills it."""
    short = set(short_pages(pages))
    for section in sections:
        number = next((n for n, page in enumerate(pages, 1) if any(
            found == section for _, found in _walk_flow(page._page_box))), None)
        if number is None or number in short or not (
                0 < _fill(pages[number - 1]._page_box, without=section) < SHORT):
            return False
    return True


def _shrunk(match: re.Match[str], scale: float) -> str:
    size = float(match[2])
    return f"{match[1]}{max(size * scale, min(size, SMALLEST_PT)):.1f}pt"


def running_on(html: str, sections: dict[str, float]) -> str:
    """Return the print HTML with these sections running on rather than opening a page,
    the values of their figures set at the given share of their size (see `SHRINK`)."""
    for section, scale in sections.items():
        opening = re.search(rf'<section id="{re.escape(section)}" class="[^"]*'
                            r"\bsection--new-page\b", html)
        if opening is None:
            continue
        end = html.find("</section>", opening.end())
        body = html[opening.start():end].replace("section--new-page", "section--run-on", 1)
        if scale != 1.0:
            body = VALUE_SIZE.sub(functools.partial(_shrunk, scale=scale), body)
        html = html[:opening.start()] + body + html[end:]
    return html


def short_pages(pages: list[Any]) -> list[int]:
    """Return the numbers of the pages of text, all but the last, less than `SHORT` full."""
    return [number for number, page in enumerate(pages[1:-2], 2)
            if _fill(page._page_box) < SHORT]
