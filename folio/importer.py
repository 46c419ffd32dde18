"""Import: a Word, Markdown or plain-text draft -> a new edition folder.

Each reader turns its file into a `Draft` (a title, sections of Markdown, pictures and
what was left out); `import_draft` then writes the draft into a temporary folder beside
the target, loads it back as an edition to be sure it is valid, and only then moves it
into place. Nothing is lost: every paragraph of the draft lands in exactly one section,
in order.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

import yaml

from .content import load_edition, split_front_matter
from .errors import ContentError, FolioError, display_path

EDITION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ANNUAL_REVIEW_WORDS = 1500
"""A draft longer than this is imported as an annual review, a shorter one as a newsletter."""
HEADING_WORDS = 14
"""The longest line of a .txt draft that can still be a heading."""
INTRODUCTION = "Introduction"
PLACEHOLDER_ORGANISATION = "Your organisation"
PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg",
                 "image/gif": "gif", "image/webp": "webp", "image/svg+xml": "svg"}
"""Picture formats a browser shows; others (EMF, WMF, TIFF) are left out with a note."""
MAX_DRAFT_BYTES = 100_000_000


# --- the draft and the report -------------------------------------------------------


@dataclass
class Picture:
    """A picture taken out of a draft, to be saved in images/."""

    name: str
    data: bytes
    alt: str


@dataclass
class DraftSection:
    """One section of a draft: its title and Markdown blocks."""

    title: str
    blocks: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(b.strip("\n") for b in self.blocks if b.strip())


@dataclass
class Draft:
    """What a reader found in a draft file."""

    title: str
    subtitle: str = ""
    sections: list[DraftSection] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def section(self) -> DraftSection:
        """Return the section being filled, opening an introduction if there is none."""
        if not self.sections:
            self.sections.append(DraftSection(INTRODUCTION))
        return self.sections[-1]


@dataclass
class ImportReport:
    """What `import_draft` created and what the editor should look at."""

    source: Path
    edition: Path
    title: str
    kind: str
    words: int
    sections: list[tuple[str, str]]
    """(file name, section title) of every section written."""
    pictures: list[tuple[str, str]]
    """(file name in images/, alt text) of every picture saved."""
    missing_alt: list[tuple[str, str]]
    """(picture, section file) of pictures without alt text."""
    comments: list[str]
    changes: list[str]
    notes: list[str]

    def __str__(self) -> str:
        name = self.edition.name
        out = [f"Imported {self.source.name} into {display_path(self.edition)}/ as "
               f"{'an annual review' if self.kind == 'annual-review' else 'a newsletter'} "
               f"of {self.words:,} words:",
               f"  edition.yaml  {self.title}"]
        width = max((len(f) for f, _ in self.sections), default=0)
        out += [f"  {file:<{width}}  {title}" for file, title in self.sections]
        if self.pictures:
            out.append(f"Pictures saved in images/ ({len(self.pictures)}):")
            missing = dict(self.missing_alt)
            for picture, alt in self.pictures:
                if picture in missing:
                    out.append(f"  {picture}  NO ALT TEXT: describe it in {missing[picture]}, "
                               f"between the brackets of ![](images/{picture})")
                else:
                    out.append(f"  {picture}  alt text: {alt}")
        if self.comments or self.changes:
            out.append("Left out of the text (look at them in the draft):")
            if self.comments:
                out.append(f"  {len(self.comments)} comment(s):")
                out += [f"    {c}" for c in self.comments]
            if self.changes:
                out.append(f"  {len(self.changes)} tracked change(s); insertions were kept and "
                           "deletions dropped, as in Word's 'No Markup' view:")
                out += [f"    {c}" for c in self.changes]
        if self.notes:
            out.append("Notes:")
            out += [f"  {n}" for n in self.notes]
        out.append(f"Next: set 'organisation' in edition.yaml, then run "
                   f"`python generate.py check {name}`.")
        return "\n".join(out)


# --- importing ----------------------------------------------------------------------


def import_draft(source: Path, content_dir: Path, name: str, force: bool = False) -> ImportReport:
    """Create the edition `content_dir/name` from a .docx, .md or .txt draft.

    Refuses to replace an existing edition unless `force` is true. Raises `FolioError`
    for a missing or unknown file, an unreadable Word document or an existing edition.
    """
    source, content_dir = Path(source), Path(content_dir)
    if not EDITION_NAME.match(name):
        raise FolioError(f"'{name}' cannot name an edition: use lower-case letters, digits "
                         "and dashes, such as reflections-2025")
    if not source.is_file():
        raise FolioError(f"{display_path(source)}: there is no such file to import")
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        kind = f"'{source.suffix}' files" if source.suffix else "files without an extension"
        raise FolioError(f"{display_path(source)}: Folio imports .docx, .md and .txt drafts, "
                         f"not {kind}; save the draft in one of those formats first")
    if source.stat().st_size > MAX_DRAFT_BYTES:
        raise FolioError(f"{display_path(source)}: the draft is over 100 MB; take the largest "
                         "pictures out and import it again")
    target = content_dir / name
    if target.exists() and not force:
        raise FolioError(f"{display_path(target)} already exists; choose another --name, or "
                         "add --force to replace it")
    if target.exists() and not target.is_dir():
        raise FolioError(f"{display_path(target)} is a file, not an edition folder; move it away")

    draft = reader(source)
    if not draft.sections:
        raise FolioError(f"{display_path(source)}: the draft has no text to import")
    if len(draft.sections) > 99:
        raise FolioError(f"{display_path(source)}: the draft has {len(draft.sections)} "
                         "sections; an edition holds at most 99, so join some first")
    content_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=content_dir))
    try:
        report = _write(draft, staging, source)
        try:
            load_edition(staging)
        except ContentError as exc:
            raise FolioError(f"the imported edition does not load, which is a bug in the "
                             f"importer; please report it with the draft:\n{exc}") from exc
        _replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.edition = target
    return report


def _replace(staging: Path, target: Path) -> None:
    """Move the staged edition to `target`, replacing an old one only once all is written."""
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}-replaced")
    shutil.rmtree(old, ignore_errors=True)
    target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write(draft: Draft, folder: Path, source: Path) -> ImportReport:
    """Write edition.yaml, the section files and the pictures of a draft into `folder`."""
    words = sum(_count_words(s.title) + _count_words(s.body) for s in draft.sections)
    kind = "annual-review" if words > ANNUAL_REVIEW_WORDS else "newsletter"
    title = draft.title.strip() or _title_from_name(source)
    lines = [f"# Imported from {source.name} by `python generate.py import`.",
             "# Check the title, set the organisation, and add names and acronyms to",
             "# `words:` so that `python generate.py check` knows them.",
             _yaml_line("title", title)]
    if draft.subtitle.strip():
        lines.append(_yaml_line("subtitle", draft.subtitle.strip()))
    lines += [_yaml_line("organisation", PLACEHOLDER_ORGANISATION)
              + "  # change this to the publishing organisation's name",
              f"date: {datetime.date.today().isoformat()}",
              "language: en-GB",
              f"kind: {kind}",
              "words: []"]
    if draft.pictures:
        lines += ["# For the email, say where its pictures will be uploaded:",
                  "# email:",
                  f"#   asset_base_url: https://example.org/{source.stem}/email-images/"]
    (folder / "edition.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    written: list[tuple[str, str]] = []
    missing: list[tuple[str, str]] = []
    slugs: set[str] = set()
    for number, section in enumerate(draft.sections, start=1):
        section_title = section.title.strip() or f"Section {number}"
        slug = _unique(_slugify(section_title), slugs)
        file = f"{number:02d}-{slug}.md"
        body = section.body
        front = yaml.safe_dump({"title": section_title}, allow_unicode=True, sort_keys=False,
                               width=10_000)
        (folder / file).write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
        written.append((file, section_title))
        for match in re.finditer(r"!\[\s*\]\(images/([^)\s]+)\)", body):
            missing.append((match[1], file))
    if draft.pictures:
        (folder / "images").mkdir()
        for picture in draft.pictures:
            (folder / "images" / picture.name).write_bytes(picture.data)
    return ImportReport(source=source, edition=folder, title=title, kind=kind, words=words,
                        sections=written,
                        pictures=[(p.name, p.alt) for p in draft.pictures],
                        missing_alt=list(dict.fromkeys(missing)), comments=draft.comments,
                        changes=draft.changes, notes=draft.notes)


def _yaml_line(key: str, value: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10_000).strip()


def _count_words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text))


def _title_from_name(source: Path) -> str:
    words = re.sub(r"[-_]+", " ", source.stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled edition"


def _slugify(title: str, limit: int = 40) -> str:
    """Turn a section title into a file-name slug: lower-case ASCII words and dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "section"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, count = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{count}"
        count += 1
    taken.add(candidate)
    return candidate


def _decode(data: bytes) -> str:
    """Decode a text draft: UTF-8 or UTF-16 with a byte-order mark, else UTF-8, else
    Windows-1252 (what Word writes as 'Plain Text' on Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0b", "\n")


# --- Markdown drafts ----------------------------------------------------------------


ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")


def read_markdown(source: Path) -> Draft:
    """Read a Markdown draft: the first `#` heading is the title, `##` starts a section."""
    text = _decode(source.read_bytes())
    draft = Draft(title="")
    front, body, _ = split_front_matter(text)
    if front is not None:
        try:
            data = yaml.safe_load(front)
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("title"), str):
            draft.title = data["title"]
        text = body
    lines = text.split("\n")
    block: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if any(line.strip() for line in block):
            draft.section().blocks.append("\n".join(block))
        block.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        index += 1
        if fence:
            block.append(line)
            closing = FENCE.match(line)
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening[1]
            block.append(line)
            continue
        heading = ATX.match(line)
        level, words = (len(heading[1]), (heading[2] or "").strip()) if heading else (0, "")
        underline = UNDERLINE.match(following)
        if (not heading and underline and line.strip() and not block
                and not LIST_MARK.match(line) and not line.startswith(("    ", "\t"))):
            level, words = (1 if underline[1][0] == "=" else 2), line.strip()
            index += 1
        if not level:
            if line.strip():
                block.append(line)
            else:
                flush()
            continue
        flush()
        if level == 1 and not draft.title:
            draft.title = words
        elif level <= 2:
            draft.sections.append(DraftSection(words))
        else:
            draft.section().blocks.append("#" * (level - 2) + " " + words)
    flush()
    _place_definitions(draft)
    _take_local_pictures(draft, source)
    return draft


FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")
LINK_DEF = re.compile(r"^ {0,3}\[((?!\^)[^\]]+)\]:\s*\S")


def _place_definitions(draft: Draft) -> None:
    """Move footnotes to the section citing them, and copy link definitions to every
    section using them: each section file is rendered on its own."""
    footnotes: dict[str, tuple[int, str]] = {}
    links: dict[str, tuple[int, str]] = {}
    for number, section in enumerate(draft.sections):
        kept = []
        for block in section.blocks:
            lines = block.split("\n")
            if FOOTNOTE_DEF.match(lines[0]):
                label = ""
                for line in lines:
                    found = FOOTNOTE_DEF.match(line)
                    if found:
                        label = found[1]
                        footnotes[label] = (number, line)
                    else:
                        home, text = footnotes[label]
                        footnotes[label] = (home, f"{text}\n{line}")
            elif all(LINK_DEF.match(line) for line in lines):
                for line in lines:
                    found = LINK_DEF.match(line)
                    assert found
                    links[found[1].strip().casefold()] = (number, line)
            else:
                kept.append(block)
        section.blocks = kept
    for label, (home, block) in footnotes.items():
        users = [s for s in draft.sections if f"[^{label}]" in s.body]
        (users[0] if users else draft.sections[home]).blocks.append(block)
    for label, (home, line) in links.items():
        users = [s for s in draft.sections
                 if re.search(r"\]\[\s*" + re.escape(label) + r"\s*\]|\[" + re.escape(label)
                              + r"\]\[\]", s.body, re.I)
                 or re.search(r"\[" + re.escape(label) + r"\](?![(\[:])", s.body, re.I)]
        for section in users or [draft.sections[home]]:
            section.blocks.append(line)


def _take_local_pictures(draft: Draft, source: Path) -> None:
    """Copy pictures the draft links from its own folder into images/."""
    folder = source.parent.resolve()
    taken: dict[Path, str] = {}

    def replace(match: re.Match[str]) -> str:
        alt, target = match[1], match[2]
        if re.match(r"^[a-z][\w+.-]*:", target, re.I) or target.startswith(("/", "#")):
            return match[0]
        path = (folder / unquote(target)).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            draft.notes.append(f"picture '{target}' was not found beside the draft; copy it "
                               "into images/ and correct the link")
            return match[0]
        if path not in taken:
            name = _unique(_slugify(path.stem, 60), {p.name.rsplit(".", 1)[0]
                                                     for p in draft.pictures})
            name = f"{name}{path.suffix.lower()}"
            draft.pictures.append(Picture(name, path.read_bytes(), alt))
            taken[path] = name
        return f"![{alt}](images/{taken[path]})"

    for section in draft.sections:
        section.blocks = [re.sub(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)",
                                 replace, block) for block in section.blocks]


# --- plain-text drafts --------------------------------------------------------------


BULLET = re.compile(r"^\s*(?:[•\-*–·▪◦■]\s+|o\t\s*)(?=\S)")
NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
CLOSING = tuple(".!?:;,…")
URLISH = re.compile(r"://|@|^www\.", re.I)


def read_text(source: Path) -> Draft:
    """Read a plain-text draft as a word processor saves it, one paragraph a line.

    The first non-empty line is the title. A short line (up to HEADING_WORDS words) with
    no closing punctuation, standing alone between paragraphs, is a section heading. Runs
    of bullet or numbered lines become lists, runs of tab-separated lines tables, and
    every other line a paragraph. Text before the first heading becomes an introduction.
    """
    lines = _unwrap([line.rstrip() for line in _decode(source.read_bytes()).split("\n")])
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return Draft(title="")
    draft = Draft(title=lines[filled[0]].strip())
    rest = filled[1:]
    kinds = {i: _kind(lines[i]) for i in rest}
    tables = _table_rows(lines, [i for i in rest if kinds[i] not in ("bullet", "numbered")])
    headings = set()
    for position, i in enumerate(rest):
        if kinds[i] != "candidate" or i in tables:
            continue
        before = rest[position - 1] if position else None
        after = rest[position + 1] if position + 1 < len(rest) else None
        if after is None or kinds[after] == "candidate" or after in tables:
            continue
        if before is not None and (kinds[before] == "candidate"
                                   or lines[before].rstrip().endswith(":")):
            continue
        headings.add(i)

    pending: list[str] = []
    pending_kind = ""

    def flush() -> None:
        nonlocal pending_kind
        if pending:
            draft.section().blocks.append("\n".join(pending))
        pending.clear()
        pending_kind = ""

    for i in rest:
        line = lines[i]
        if i in headings:
            flush()
            draft.sections.append(DraftSection(line.strip()))
            continue
        kind = "table" if i in tables else kinds[i]
        if kind == "table":
            cells = [c.strip() for c in line.strip().split("\t")]
            if pending_kind != "table" or i - 1 not in tables:
                flush()
                pending_kind = "table"
                pending.append(_row(cells))
                pending.append(_row(["---"] * len(cells)))
            else:
                pending.append(_row(cells))
        elif kind in ("bullet", "numbered"):
            if pending_kind != kind:
                flush()
                pending_kind = kind
            pending.append(_list_item(line, kind))
        else:
            flush()
            draft.section().blocks.append(escape_markdown(line.strip()))
    flush()
    return draft


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped paragraph: a line without closing punctuation
    followed straight away by a line starting in lower case continues into it."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (previous.strip() and line[:1].islower() and not previous.endswith(CLOSING)
                and _kind(previous) not in ("bullet", "numbered") and "\t" not in previous
                and "\t" not in line):
            out[-1] = f"{previous} {line.strip()}"
        else:
            out.append(line)
    return out


def _kind(line: str) -> str:
    """Classify a non-empty line of a text draft."""
    stripped = line.strip()
    if BULLET.match(line):
        return "bullet"
    if NUMBERED.match(line):
        return "numbered"
    words = stripped.split()
    if (len(words) <= HEADING_WORDS and not stripped.endswith(CLOSING)
            and not re.search(r"[.!?…][\"'”’)\]]+$", stripped)
            and (stripped[0].isupper() or stripped[0].isdigit())
            and not URLISH.search(stripped) and "\t" not in stripped):
        return "candidate"
    return "paragraph"


def _table_rows(lines: list[str], filled: list[int]) -> set[int]:
    """Return the lines that are rows of tab-separated tables: runs of two or more
    consecutive lines with the same number (2 or more) of cells."""
    rows: set[int] = set()
    run: list[int] = []
    width = 0
    for i in [*filled, -10]:
        cells = len(lines[i].strip().split("\t")) if i >= 0 and "\t" in lines[i].strip() else 0
        if cells >= 2 and run and run[-1] == i - 1 and cells == width and i in filled:
            run.append(i)
            continue
        if len(run) >= 2:
            rows.update(run)
        run, width = ([i], cells) if cells >= 2 else ([], 0)
    return rows


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(escape_markdown(c).replace("|", "\\|") for c in cells) + " |"


def _list_item(line: str, kind: str) -> str:
    if kind == "bullet":
        return "- " + escape_markdown(BULLET.sub("", line, count=1).strip(), start=False)
    match = NUMBERED.match(line)
    assert match
    return f"{match[1]}. " + escape_markdown(line[match.end():].strip(), start=False)


ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def escape_markdown(text: str, start: bool = True) -> str:
    """Escape what Markdown would read as markup in a line of plain text, leaving web and
    e-mail addresses alone."""
    out = []
    last = 0
    for match in ADDRESS.finditer(text):
        out.append(_escape_plain(text[last: match.start()]))
        out.append(match[0])
        last = match.end()
    out.append(_escape_plain(text[last:]))
    escaped = "".join(out)
    if start:
        escaped = re.sub(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|=+$)", r"\\\1", escaped)
        escaped = re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", escaped)
    return escaped


def _escape_plain(text: str) -> str:
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*])", r"\\\1", text)
    text = re.sub(r"(?<![\w])_|_(?![\w])", r"\\_", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return re.sub(r"\[(?=[^\]]*\]\s*[(\[])", r"\\[", text)


# --- Word drafts --------------------------------------------------------------------


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLE_MAP = """
p[style-name='Title'] => h1.folio-title:fresh
p[style-name='Subtitle'] => p.folio-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""
INLINE_PICTURES = ["td", "th", "a", "li", "p", "span", "strong", "em", "b", "i", "sup", "sub"]
"""Elements whose pictures stay pictures (markdownify keeps only their alt text otherwise)."""
FOOTNOTE_TOKEN = "FOLIOFOOTNOTE{}X"
FOOTNOTE_MARK = re.compile(r"FOLIOFOOTNOTE\w+?\d+X")


def read_docx(source: Path) -> Draft:
    """Read a Word draft through mammoth (HTML) and markdownify (Markdown).

    The Title style gives the title, Heading 1 starts a section and deeper headings stay
    inside it, one level up (Heading 2 -> `#`). Pictures go to images/ with their alt
    text; footnotes follow the section citing them; comments and tracked changes are
    listed in the report, not written into the text.
    """
    import mammoth
    from bs4 import BeautifulSoup

    data = source.read_bytes()
    draft = Draft(title="")
    pictures: dict[str, Picture] = {}
    skipped: list[str] = []

    def save(image: Any) -> dict[str, str]:
        with image.open() as stream:
            content = stream.read()
        extension = PICTURE_TYPES.get((image.content_type or "").lower())
        if extension is None:
            skipped.append(image.content_type or "unknown")
            return {"src": f"folio-skipped:{len(skipped)}"}
        digest = hashlib.sha256(content).hexdigest()
        if digest not in pictures:
            name = f"image-{len(pictures) + 1}.{extension}"
            pictures[digest] = Picture(name, content, (image.alt_text or "").strip())
        return {"src": f"images/{pictures[digest].name}"}

    try:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ValueError("not a zip package")
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            draft.comments, draft.changes = _review_marks(package)
            core_title = _core_title(package)
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(save),
                                         external_file_access=False)
    except Exception as exc:  # mammoth and zipfile raise many kinds on a damaged file
        raise FolioError(f"{display_path(source)}: this is not a Word document Folio can read "
                         f"({type(exc).__name__}: {exc}); open it in Word and save it again "
                         "as .docx") from exc

    soup = BeautifulSoup(result.value, "html.parser")
    notes = _take_footnotes(soup)
    for anchor in soup.find_all("a"):
        href = anchor.get("href")
        if not href or (isinstance(href, str) and href.startswith("#")):
            anchor.unwrap()  # bookmarks and cross-references inside the document
    for image in soup.find_all("img"):
        if str(image.get("src", "")).startswith("folio-skipped:"):
            image.decompose()
    if skipped:
        draft.notes.append(f"{len(skipped)} picture(s) in formats browsers cannot show "
                           f"({', '.join(sorted(set(skipped)))}) were left out; save them "
                           "as PNG and add them by hand")

    converter = _Markdown(heading_style="ATX", bullets="-", table_infer_header=True,
                          keep_inline_images_in=INLINE_PICTURES)
    elements: list[Any] = list(soup.contents)
    for element in elements:
        name = getattr(element, "name", None)
        if name is None:
            if str(element).strip():
                draft.section().blocks.append(escape_markdown(str(element).strip()))
            continue
        classes = element.get("class") or []
        text = " ".join(FOOTNOTE_MARK.sub("", element.get_text()).split())
        if name == "h1" and "folio-title" in classes and not draft.title:
            draft.title = text
        elif (name == "p" and "folio-subtitle" in classes and not draft.subtitle
              and not draft.sections):
            draft.subtitle = text
        elif name == "h1":
            if text:
                draft.sections.append(DraftSection(text))
        elif name in ("h2", "h3", "h4", "h5", "h6"):
            if text:
                draft.section().blocks.append("#" * (int(name[1]) - 1) + " " + text)
        else:
            markdown = converter.convert(str(element)).strip("\n")
            if markdown.strip():
                draft.section().blocks.append(markdown)
    _attach_footnotes(draft, notes)
    draft.title = draft.title or core_title
    draft.pictures = list(pictures.values())
    return draft


@functools.cache
def _markdown_converter() -> Any:
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        """markdownify, with nested lists indented by four spaces as Python-Markdown needs."""

        def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
            text = (text or "").strip()
            if not text:
                return "\n"
            parent = el.parent
            if parent is not None and parent.name == "ol":
                start = str(parent.get("start") or "1")
                first = int(start) if start.isdigit() else 1
                bullet = f"{first + len(el.find_previous_siblings('li'))}."
            else:
                bullet = "-"
            head, _, tail = text.partition("\n")
            indented = "\n".join("    " + line if line.strip() else "" for line in
                                 tail.split("\n")) if tail else ""
            return f"{bullet} {head}" + (f"\n{indented}" if indented else "") + "\n"

    return Converter


class _Markdown:
    """Lazily built markdownify converter (the import costs time only when used)."""

    def __init__(self, **options: Any) -> None:
        self.converter = _markdown_converter()(**options)

    def convert(self, html: str) -> str:
        return str(self.converter.convert(html))


def _take_footnotes(soup: Any) -> dict[str, str]:
    """Replace footnote references by tokens; remove and return the footnote texts."""
    notes: dict[str, str] = {}
    converter = _Markdown(heading_style="ATX", bullets="-")
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
    """Turn footnote tokens into [^n] and put each note under the section citing it."""
    token = re.compile(FOOTNOTE_TOKEN.format(r"((?:footnote|endnote)\d+)"))
    for section in draft.sections:
        cited: list[str] = []

        def label(match: re.Match[str], cited: list[str] = cited) -> str:
            key = match[1]
            if key not in cited:
                cited.append(key)
            return f"[^{key.replace('footnote', '').replace('endnote', 'e')}]"

        section.blocks = [token.sub(label, block) for block in section.blocks]
        for key in cited:
            number = key.replace("footnote", "").replace("endnote", "e")
            original = re.sub(r"(\D+)(\d+)", r"\1-\2", key)
            section.blocks.append(f"[^{number}]: {notes.get(original, '')}".rstrip())


def _review_marks(package: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """List the comments and tracked changes of a Word package, for the report."""
    comments: list[str] = []
    changes: list[str] = []
    names = set(package.namelist())
    anchored: dict[str, list[str]] = {}
    if "word/document.xml" in names:
        document = ElementTree.fromstring(package.read("word/document.xml"))
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
        root = ElementTree.fromstring(package.read("word/comments.xml"))
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
    root = ElementTree.fromstring(package.read("docProps/core.xml"))
    title = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (title.text or "").strip() if title is not None else ""


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1].rstrip()}…"'


READERS = {".docx": read_docx, ".md": read_markdown, ".markdown": read_markdown,
           ".txt": read_text}
"""The draft readers, by file extension."""
