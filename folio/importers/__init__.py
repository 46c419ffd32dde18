"""Import: a draft file (.docx, .md or .txt) -> a new edition folder and an `ImportReport`.

Every paragraph of the draft lands in exactly one section, in order. Imports no command
(cli, build, watch, check) and no output format; readers import `draft`, never this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import FolioError, display_path
from ..pictures import kind_of
from ..schema import LANGUAGE_PATTERN
from ..sources import MAX_NAME
from .docx import read_docx
from .draft import Draft, ImportReport, escape_markdown
from .markdown import read_markdown
from .text import read_text
from .write import write_edition

__all__ = ["READERS", "ImportReport", "escape_markdown", "import_draft"]

EDITION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_TAG = re.compile(LANGUAGE_PATTERN)
MAX_DRAFT_BYTES = 100_000_000

READERS: dict[str, Callable[[Path], Draft]] = {
    ".docx": read_docx, ".md": read_markdown, ".markdown": read_markdown, ".txt": read_text}
"""The draft readers, by file extension: adding a reader is one module and one entry here."""


def import_draft(source: Path, content_dir: Path, name: str, force: bool = False,
                 language: str | None = None) -> ImportReport:
    """Create the edition `content_dir/name` from a .docx, .md or .txt draft.

    The edition's language is `language` (a BCP 47 tag) if given, else the one the draft
    declares (Word's `w:lang`), else en-GB.

    Refuses to replace an existing edition unless `force` is true. Raises `FolioError`
    for a missing or unknown file, an unreadable Word document or an existing edition.
    """
    source, content_dir = Path(source), Path(content_dir)
    if not EDITION_NAME.match(name):
        raise FolioError(f"'{name}' cannot name an edition: use lower-case letters, digits "
                         "and dashes, such as reflections-2025")
    if len(name) > MAX_NAME:
        raise FolioError(f"'{name[:40]}...' is too long for an edition name ({len(name)} "
                         f"characters); keep it under {MAX_NAME}, such as spring-2026")
    if language is not None and not LANGUAGE_TAG.match(language):
        shown = language if len(language) <= 40 else f"{language[:40]}..."
        raise FolioError(f"--language '{shown}' is not a language tag; write one such as "
                         "en-GB, fr or ru-RU")
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
    if reader is not read_docx:
        _refuse_binary(source)
    target = content_dir / name
    if target.exists() and not force:
        raise FolioError(f"{display_path(target)} already exists; choose another --name, or "
                         "add --force to replace it")
    if target.exists() and not target.is_dir():
        raise FolioError(f"{display_path(target)} is a file, not an edition folder; move it away")
    return write_edition(reader(source), source, target, language)


def _refuse_binary(source: Path) -> None:
    """Refuse a .md or .txt draft that is really a binary file (a PDF or a Word file renamed)."""
    with source.open("rb") as file:
        head = file.read(8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text has a zero byte in every other place
    kind = ("a PDF" if head.startswith(b"%PDF") else
            "a Word or zip file" if head.startswith(b"PK\x03\x04") else
            "a picture" if kind_of(head) not in (None, "svg") else
            "not text" if b"\x00" in head else None)
    if kind:
        raise FolioError(f"{display_path(source)}: this file is {kind}, not a text draft, "
                         f"although its name ends in {source.suffix}; save the draft as text "
                         "(or import the .docx itself)")
