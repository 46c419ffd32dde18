"""Word reader: a .docx file -> a Draft, via mammoth (HTML) and markdownify (Markdown).

Comments and tracked changes are read from the package's XML for the report; the
document's properties give the title if no paragraph has the Title style.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from ..errors import FolioError, display_path
from ..markup import MAX_SPAN
from ..pictures import content_problem
from .draft import Draft, DraftSection, Picture, escape_markdown
from .ooxml import OldWordFormat, PasswordProtected, inspect_ole, parse_part, repair
from .wordhtml import (
    FOOTNOTE_MARK,
    FOOTNOTE_TOKEN,
    Markdown,
    flatten_nested_tables,
    heading,
    table,
    tidy,
    title_text,
    widest_span,
)

PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg",
                 "image/gif": "gif", "image/webp": "webp", "image/svg+xml": "svg"}
"""Picture formats a browser shows; others (EMF, WMF, PICT, TIFF) are converted or noted."""
METAFILE_TYPES = {"image/x-wmf", "image/wmf", "image/x-emf", "image/emf", "image/x-emz",
                  "image/x-wmz"}
"""Windows' vector formats, which `metafile-render` (the `metafiles` extra) draws as PNG
without Windows; PICT (old Mac) has no such library."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLE_MAP = """
p[style-name='Title'] => h1.folio-title:fresh
p[style-name='Subtitle'] => p.folio-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='HTML Preformatted'] => pre:separator('\\n')
p[style-name='Plain Text'] => pre:separator('\\n')
p[style-name='Code'] => pre:separator('\\n')
p[style-name='Source Code'] => pre:separator('\\n')
p[style-name='Macro Text'] => pre:separator('\\n')
r[style-name='HTML Code'] => code
r[style-name='Verbatim Char'] => code
"""
"""mammoth's style map: Word's title, subtitle, quotation and preformatted styles."""


def read_docx(source: Path) -> Draft:
    """Read a Word draft through mammoth (HTML) and markdownify (Markdown).

    The Title style gives the title, Heading 1 starts a section and deeper headings stay
    inside it, one level up (Heading 2 -> `#`). Pictures go to images/ with their alt
    text; footnotes follow the section citing them; comments and tracked changes are
    listed in the report, not written into the text. The language is the one most of the
    text is marked with in Word.
    """
    import mammoth
    from bs4 import BeautifulSoup

    data = source.read_bytes()
    draft = Draft(title="")
    pictures: dict[str, Picture] = {}
    skipped: list[str] = []
    converted: list[str] = []
    missing: list[str] = []

    def save(image: Any) -> dict[str, str]:
        try:
            with image.open() as stream:
                content = stream.read()
        except (KeyError, OSError):  # a picture part missing from the package
            missing.append(image.alt_text or "")
            return {"src": "folio-skipped:missing"}
        kind = (image.content_type or "").lower()
        extension = PICTURE_TYPES.get(kind)
        if extension is None and kind in METAFILE_TYPES:
            content, extension = _metafile_png(content), "png"
            if content is not None:
                converted.append(kind)
        if extension is None or content is None or content_problem(content, f".{extension}",
                                                                   "picture"):
            skipped.append(image.content_type or "unknown")
            return {"src": f"folio-skipped:{len(skipped)}", "alt": image.alt_text or ""}
        digest = hashlib.sha256(content).hexdigest()
        if digest not in pictures:
            name = f"image-{len(pictures) + 1}.{extension}"
            pictures[digest] = Picture(name, content, (image.alt_text or "").strip())
        return {"src": f"images/{pictures[digest].name}"}

    where = display_path(source)
    try:
        inspect_ole(data)
    except PasswordProtected:
        raise FolioError(f"{where}: this Word document is password-protected, so Folio cannot "
                         "read it; open it in Word, remove the password (File > Info > "
                         "Protect Document > Encrypt with Password, clear the box), save, "
                         "and import it again") from None
    except OldWordFormat:
        raise FolioError(f"{where}: this is an old Word 97-2003 document (.doc) named .docx; "
                         "open it in Word and save it as 'Word Document (.docx)'") from None
    try:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ValueError("not a zip package")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_sizes(archive, source)
            draft.comments, draft.changes = _review_marks(archive)
            core_title = _core_title(archive)
        package = repair(data)
        result = mammoth.convert_to_html(io.BytesIO(package.data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(save),
                                         external_file_access=False)
    except FolioError:
        raise
    except Exception as exc:  # mammoth and zipfile raise many kinds on a damaged file
        raise FolioError(f"{where}: this is not a Word document Folio can read "
                         f"({type(exc).__name__}: {exc}); open it in Word and save it again "
                         "as .docx") from exc
    draft.language = package.language
    draft.notes += package.notes

    soup = BeautifulSoup(result.value, "html.parser")
    notes = _take_footnotes(soup)
    for anchor in soup.find_all("a"):
        href = anchor.get("href")
        if not href or (isinstance(href, str) and href.startswith("#")):
            anchor.unwrap()  # bookmarks and cross-references inside the document
    kept = 0
    for image in soup.find_all("img"):
        if str(image.get("src", "")).startswith("folio-skipped:"):
            description = " ".join(str(image.get("alt", "")).split())
            if description:  # the words stay, where the picture was, for the writer to see
                image.replace_with(f" [image: {description}] ")
                kept += 1
            else:
                image.decompose()
    tidy(soup)
    if span := widest_span(soup):
        raise FolioError(f"{where}: a merged table cell spans {span[1]} {span[0]}; Folio "
                         f"allows at most {MAX_SPAN:,}: undo the merge in Word (Table Layout "
                         "> Split Cells), save, and import again")
    nested = flatten_nested_tables(soup)
    if nested:
        draft.notes.append(f"{nested} table(s) inside table cells were flattened into lines "
                           "of their cell (cells apart by ' | '); check them")
    if converted:
        draft.notes.append(f"{len(converted)} picture(s) in Windows formats "
                           f"({', '.join(sorted(set(converted)))}) were converted to PNG; "
                           "compare them with the draft")
    if skipped:
        described = (f"; the description of {kept} is kept in the text as [image: ...], "
                     "where the picture was" if kept else "")
        draft.notes.append(f"{len(skipped)} picture(s) in formats browsers cannot show "
                           f"({', '.join(sorted(set(skipped)))}) were left out{described}; "
                           "save them as PNG and add them by hand")
    if missing:
        draft.notes.append(f"{len(missing)} picture(s) whose file is missing from the Word "
                           "document were left out; insert them again in Word")

    converter = Markdown()
    elements: list[Any] = list(soup.contents)
    for element in elements:
        name = getattr(element, "name", None)
        if name is None:
            if str(element).strip():
                draft.section().blocks.append(escape_markdown(str(element).strip()))
            continue
        classes = element.get("class") or []
        text = " ".join(FOOTNOTE_MARK.sub("", element.get_text(" ")).split())
        if name == "h1" and "folio-title" in classes and not draft.title:
            draft.title = escape_markdown(text)
        elif (name == "p" and "folio-subtitle" in classes and not draft.subtitle
              and not draft.sections):
            draft.subtitle = escape_markdown(text)
        elif name == "h1":
            title, extras = title_text(element, FOOTNOTE_MARK)
            if title:
                draft.sections.append(DraftSection(title))
            if extras:
                draft.section().blocks.append(" ".join(extras))
        elif name in ("h2", "h3", "h4", "h5", "h6"):
            line, extras = heading(element, converter)
            if line:
                draft.section().blocks.append("#" * (int(name[1]) - 1) + " " + line)
            draft.section().blocks.extend(extras)
        elif name == "table":
            draft.section().blocks.append(table(element, converter))
        else:
            markdown = converter.convert(str(element)).strip("\n")
            if markdown.strip():
                draft.section().blocks.append(markdown)
    _attach_footnotes(draft, notes)
    draft.title = draft.title or escape_markdown(core_title)
    draft.pictures = list(pictures.values())
    return draft


def _metafile_png(data: bytes) -> bytes | None:
    """Return a WMF or EMF picture drawn as PNG, or None where no converter can."""
    try:
        from metafile_render import render_metafile
    except ImportError:
        return None
    try:
        return bytes(render_metafile(data, output_format="png", dpi=150, backend="replay").data)
    except Exception:  # a converter meets many a damaged or unusual file
        return None


MAX_PART_BYTES = 50_000_000
MAX_PACKAGE_BYTES = 200_000_000
MAX_PARTS = 10_000
"""Limits on what a .docx unpacks to: a zip bomb (a few KB holding gigabytes) is refused
before anything is decompressed. Python's zipfile never reads past a part's declared size,
so the declared sizes are the sizes."""


def check_sizes(package: zipfile.ZipFile, source: Path) -> None:
    """Refuse a Word package whose parts unpack to more than the limits."""
    parts = package.infolist()
    largest = max(parts, key=lambda part: part.file_size, default=None)
    total = sum(part.file_size for part in parts)
    if (len(parts) > MAX_PARTS or total > MAX_PACKAGE_BYTES
            or (largest and largest.file_size > MAX_PART_BYTES)):
        what = (f"{largest.filename} unpacks to {largest.file_size / 1e6:,.0f} MB"
                if largest and largest.file_size > MAX_PART_BYTES
                else f"it unpacks to {total / 1e6:,.0f} MB in {len(parts):,} parts")
        raise FolioError(f"{display_path(source)}: this Word file is far larger inside than a "
                         f"document can be ({what}); open it in Word and save it again as "
                         ".docx, or copy its text into a new document")


def _take_footnotes(soup: Any) -> dict[str, str]:
    """Replace footnote references by tokens; remove and return the footnote texts."""
    notes: dict[str, str] = {}
    converter = Markdown()
    for item in soup.find_all("li", id=re.compile(r"^(?:footnote|endnote)-")):
        for back in item.find_all("a", href=re.compile(r"^#(?:footnote|endnote)-ref-")):
            back.decompose()
        key = item["id"]
        notes[key] = " ".join(converter.convert(item.decode_contents()).split())
        parent = item.parent
        item.decompose()
        if parent is not None and parent.name == "ol" and not parent.find("li"):
            parent.decompose()
    for link in soup.find_all("a", href=re.compile(r"^#(?:footnote|endnote)-\d")):
        key = str(link["href"])[1:]
        holder = link.parent if link.parent is not None and link.parent.name == "sup" else link
        holder.replace_with(FOOTNOTE_TOKEN.format(key.replace("-", "")))
    return notes


def _attach_footnotes(draft: Draft, notes: dict[str, str]) -> None:
    """Turn footnote tokens into [^n] and put each note under the section citing it.

    Markdown is not read inside an HTML table, so a note cited there is marked with a
    symbol (*, †, ...) and written in a paragraph right below its table instead.
    """
    token = re.compile(FOOTNOTE_TOKEN.format(r"((?:footnote|endnote)\d+)"))

    def text_of(key: str) -> str:
        return notes.get(re.sub(r"(\D+)(\d+)", r"\1-\2", key), "")

    for section in draft.sections:
        cited: list[str] = []
        marked: list[str] = []
        blocks: list[str] = []
        for block in section.blocks:
            if not block.startswith("<table"):
                cited += [key for key in token.findall(block) if key not in cited]
                blocks.append(token.sub(lambda m: f"[^{_label(m[1])}]", block))
                continue
            here = list(dict.fromkeys(token.findall(block)))
            marked += [key for key in here if key not in marked]
            for key in here:
                block = block.replace(FOOTNOTE_TOKEN.format(key),
                                      f"<sup>{_symbol(marked.index(key))}</sup>")
            blocks.append(block)
            blocks += [f"<sup>{_symbol(marked.index(key))}</sup> {text_of(key)}" for key in here]
        section.blocks = blocks
        section.blocks += [f"[^{_label(key)}]: {text_of(key)}".rstrip() for key in cited]


def _label(key: str) -> str:
    return key.replace("footnote", "").replace("endnote", "e")


def _symbol(index: int) -> str:
    """Return the mark of the index-th note cited in a table: *, †, ‡, §, **, ††, ..."""
    marks = "*†‡§"
    return marks[index % len(marks)] * (index // len(marks) + 1)


def _review_marks(package: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """List the comments and tracked changes of a Word package, for the report."""
    comments: list[str] = []
    changes: list[str] = []
    names = set(package.namelist())
    anchored: dict[str, list[str]] = {}
    if "word/document.xml" in names:
        document = parse_part(package.read("word/document.xml"))
        open_ranges: dict[str, list[str]] = {}
        for element in document.iter():
            if element.tag == f"{W}commentRangeStart":
                open_ranges[element.get(f"{W}id", "")] = []
            elif element.tag == f"{W}commentRangeEnd":
                key = element.get(f"{W}id", "")
                anchored[key] = open_ranges.pop(key, [])
            elif element.tag == f"{W}t" and element.text:
                for buffer in open_ranges.values():
                    buffer.append(element.text)
        for kind, tag, text_tag in (("insertion", "ins", "t"), ("deletion", "del", "delText"),
                                    ("moved text", "moveTo", "t")):
            for element in document.iter(f"{W}{tag}"):
                text = "".join(t.text or "" for t in element.iter(f"{W}{text_tag}"))
                author = element.get(f"{W}author") or "someone"
                if text.strip():
                    changes.append(f"{kind} by {author}: {_short(text)}")
        formatting = sum(1 for _ in document.iter(f"{W}rPrChange")) + sum(
            1 for _ in document.iter(f"{W}pPrChange"))
        if formatting:
            changes.append(f"{formatting} formatting change(s), applied as they stand")
    if "word/comments.xml" in names:
        root = parse_part(package.read("word/comments.xml"))
        for comment in root.iter(f"{W}comment"):
            text = " ".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                            for p in comment.iter(f"{W}p")).strip()
            author = comment.get(f"{W}author") or "someone"
            on = "".join(anchored.get(comment.get(f"{W}id", ""), []))
            where = f" on {_short(on, 40)}" if on.strip() else ""
            comments.append(f"{author}{where}: {_short(text)}")
    return comments, changes


def _core_title(package: zipfile.ZipFile) -> str:
    """Return the title in the document's properties, if any."""
    if "docProps/core.xml" not in package.namelist():
        return ""
    root = parse_part(package.read("docProps/core.xml"))
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (title.text or "").strip() if title is not None else ""


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'
