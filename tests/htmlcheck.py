"""A small HTML reader for tests: elements with their attributes and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


def parse(html: str) -> list[Element]:
    """Return every element of a page in document order."""
    reader = _Reader()
    reader.feed(html)
    return reader.elements


def find(elements: list[Element], tag: str, **attrs: str) -> list[Element]:
    """Return the elements with `tag` whose attributes include `attrs`."""
    return [e for e in elements if e.tag == tag and all(
        (e.attrs.get(k.rstrip("_")) or "").split().__contains__(v) if k == "class_"
        else e.attrs.get(k) == v for k, v in attrs.items())]
