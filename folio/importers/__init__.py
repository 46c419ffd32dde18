"""Import: a draft file (.docx, .md or .txt) -> a new edition folder and an `ImportReport`.

Every paragraph of the draft lands in exactly one section, in order. Imports no command
(cli, build, watch, check) and no output format; readers import `draft`, never this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import FolioError, display_path
from .docx import read_docx
from .draft import Draft, ImportReport, escape_markdown
from .markdown import read_markdown
from .text import read_text
from .write import write_edition

__all__ = ["READERS", "ImportReport", "escape_markdown", "import_draft"]

EDITION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DRAFT_BYTES = 100_000_000

READERS: dict[str, Callable[[Path], Draft]] = {
    ".docx": read_docx, ".md": read_markdown, ".markdown": read_markdown, ".txt": read_text}
"""The draft readers, by file extension: adding a reader is one module and one entry here."""


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
    return write_edition(reader(source), source, target)
