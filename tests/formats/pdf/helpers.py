"""Helpers shared by the tests in this folder."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from folio.build import build
from folio.content import load_edition
from folio.markup import plain, render_sections
from folio.theme import load_theme
from tests.conftest import generate

ROOT = Path(__file__).resolve().parents[3]


MM = 72 / 25.4


def build_pdf(project: Path, edition: str = "mini", *, keep_html: bool = False,
              force: bool = True) -> Path:
    """Build one edition's PDF in `project`; fail on any problem; return the PDF's path."""
    results = list(build([edition], content=project / "content", out=project / "build",
                         formats=["pdf"], force=force, keep_html=keep_html))
    assert results[0].ok, "\n".join(str(p) for p in results[0].problems)
    return project / "build" / edition / f"{edition}.pdf"


def render_pdf(folder: Path, body_html: dict[str, str] | None = None) -> dict[str, bytes]:
    """Render the edition in `folder` with the PDF format directly (no build cache).

    `body_html` replaces sections' HTML by slug, as if the Markdown stage had let it
    through, so that the PDF's own fence is tested on its own.
    """
    import dataclasses

    from folio.formats import pdf

    edition = load_edition(folder)
    if body_html is None:
        edition = render_sections(edition)
    else:
        edition = dataclasses.replace(edition, sections=tuple(
            dataclasses.replace(s, html=body_html.get(s.slug, s.body))
            for s in edition.sections))
    theme = load_theme(edition.config.theme, folder.parent.parent, edition.root)
    return pdf.render(edition, theme)


def set_pdf(folder: Path, **settings: object) -> None:
    """Add settings to the `pdf:` block of an edition's edition.yaml (a new block at its end
    when it has none)."""
    lines = "".join(f"  {key}: {str(value).lower() if isinstance(value, bool) else value}\n"
                    for key, value in settings.items())
    path = folder / "edition.yaml"
    text = path.read_text(encoding="utf-8")
    if re.search(r"^pdf:\n", text, re.M):
        text = re.sub(r"^pdf:\n", lambda _: f"pdf:\n{lines}", text, count=1, flags=re.M)
    else:
        text += f"pdf:\n{lines}"
    path.write_text(text, encoding="utf-8")


def write_section(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def section_titles(folder: Path) -> list[str]:
    return [plain(s.meta.title) for s in load_edition(folder).sections]


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    """Return the top-level outline as (title, 1-based page number)."""
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def contents_numbers(reader: PdfReader, titles: list[str]) -> dict[str, int]:
    """Read the page number the contents page prints after each title."""
    text = " ".join(reader.pages[1].extract_text().split())
    found = {}
    for title in titles:
        match = re.search(re.escape(title) + r"[\s.]*?(\d+)\b", text)
        assert match, f"'{title}' is not on the contents page: {text}"
        found[title] = int(match[1])
    return found


def resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def struct_kinds(reader: PdfReader) -> dict[str, int]:
    """Count the structure elements of the tag tree by type (`/P`, `/H2`, `/Figure` ...)."""
    counts: dict[str, int] = {}
    root = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = resolve(stack.pop())
        if id(node) in seen or not isinstance(node, DictionaryObject):
            continue
        seen.add(id(node))
        if "/S" in node:
            counts[str(node["/S"])] = counts.get(str(node["/S"]), 0) + 1
        kids = resolve(node.get("/K"))
        if isinstance(kids, ArrayObject):
            stack.extend(kids)
        elif kids is not None:
            stack.append(kids)
    return counts


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def read_pdf_bytes(data: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(data))


def run_generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python generate.py ARGS` in `project` (conftest's `generate`)."""
    return generate(project, *args)


CSS_ATTACKS = {
    "import-file": '@import url("file:///etc/passwd");',
    "import-relative": '@import "../../../../../../../../etc/passwd";',
    "url-relative": '.back { background: url("../../../../../../../../etc/passwd"); }',
    "url-metadata": ".back { background: url(http://169.254.169.254/latest/meta-data/); }",
}


# --- the structure tree, read from the file as a screen reader would -----------------


def marked_text(path: Path) -> dict[tuple[int, int], str]:
    """Return the text of every marked-content sequence: (page index, MCID) -> text."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(PdfReader(path).pages):
        texts.update({(index, mcid): text for mcid, text in _page_marked_text(page).items()})
    return texts


def _page_marked_text(page: Any) -> dict[int, str]:
    stack: list[int | None] = []
    texts: dict[int, str] = {}

    def operator(op: bytes, args: list[Any], *_: Any) -> None:
        if op == b"BDC":
            properties = args[1] if len(args) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, dict) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(value: str, *_: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and value:
            texts[mcid] = texts.get(mcid, "") + value

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


class Tagged:
    """A PDF's structure tree (pikepdf), with the text each element holds."""

    def __init__(self, path: Path):
        import pikepdf

        self.pikepdf = pikepdf
        self.pdf = pikepdf.open(path)
        self.pages = {page.objgen: index for index, page in enumerate(self.pdf.pages)}
        self.texts = marked_text(path)
        root = self.pdf.Root.StructTreeRoot
        self.document = self.kids(root)[0]

    def kids(self, element: Any) -> list[Any]:
        kids = element.get("/K")
        if kids is None:
            return []
        return list(kids) if isinstance(kids, self.pikepdf.Array) else [kids]

    def is_element(self, kid: Any) -> bool:
        return (isinstance(kid, self.pikepdf.Dictionary)
                and kid.get("/Type") not in ("/MCR", "/OBJR"))

    def walk(self, element: Any = None) -> list[Any]:
        element = self.document if element is None else element
        found = [element]
        for kid in self.kids(element):
            if self.is_element(kid):
                found += self.walk(kid)
        return found

    def of_kind(self, *kinds: str) -> list[Any]:
        return [e for e in self.walk() if str(e.get("/S")) in kinds]

    def text(self, element: Any) -> str:
        """Return the text an element holds, in tree order, spaces collapsed."""
        parts = []
        for kid in self.kids(element):
            if isinstance(kid, int):
                parts.append(self.texts.get((self.pages[element.Pg.objgen], int(kid)), ""))
            elif isinstance(kid, self.pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                page = kid.get("/Pg", element.get("/Pg"))
                parts.append(self.texts.get((self.pages[page.objgen], int(kid.MCID)), ""))
            elif self.is_element(kid):
                parts.append(self.text(kid))
        return " ".join(" ".join(parts).split())

    def parent_kind(self, kid: Any) -> str:
        return str(kid.get("/P", {}).get("/S"))

    def annotation_owners(self) -> dict[tuple[int, int], list[str]]:
        """Return, for each annotation, the kinds of the elements whose OBJR holds it."""
        owners: dict[tuple[int, int], list[str]] = {}
        for element in self.walk():
            for kid in self.kids(element):
                if isinstance(kid, self.pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    owners.setdefault(kid.Obj.objgen, []).append(str(element.S))
        return owners
