"""Round trip: `export` (edition -> .docx) and `import --into` (.docx -> sections, review.yaml).

`review.yaml`, beside the sections, lists the reviewers' comments still open: `check`
reports each at its file and line until the editor deletes it from the list.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content import load_edition, regular_file_inside
from ..errors import FolioError, Problem, command_line, display_path
from ..importers.ooxml import OldWordFormat, PasswordProtected, inspect_ole
from ..outputs import write_atomic
from ..sources import find_edition
from ..theme import load_theme
from . import REVIEW_LIST
from .apply import Change, plan, refusal
from .word import read_package

MAX_REVIEW_BYTES = 100_000_000

HEADER = """\
# Comments from reviewers, brought in by `folio import REVIEWED.docx --into EDITION`.
# `folio check` reports each at its file and line, and `folio build --strict` refuses to
# build, until you delete it from this list (once you have dealt with it).
"""


def export_edition(edition: str | Path, content: Path, out: Path) -> Path:
    """Write build/<edition>/<edition>.docx for reviewers; return its path."""
    from .export import render_docx

    folder = find_edition(edition, content)
    loaded = load_edition(folder)
    theme = load_theme(loaded.config.theme, folder.parent.parent, loaded.root)
    path = out / folder.name / f"{folder.name}.docx"
    write_atomic(path, render_docx(loaded, theme.config))
    return path


@dataclass
class ImportOutcome:
    """What an import into an edition did (or, with --dry-run, would do)."""

    edition: Path
    changes: list[Change]
    comments: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    edits: int = 0
    dry_run: bool = False
    diff: str = ""

    def __str__(self) -> str:
        verb = "would change" if self.dry_run else "changed"
        files = ", ".join(display_path(c.path) for c in self.changes) or "no file"
        lines = [f"{display_path(self.edition)}: {self.edits} edit(s); {verb} {files}"]
        if self.comments:
            lines.append(f"{len(self.comments)} comment(s) "
                         + ("would be listed" if self.dry_run else "listed")
                         + f" in {display_path(self.edition / REVIEW_LIST)}; "
                         f"{command_line(f'check {self.edition.name}')} shows them, "
                         "each at its line")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


def import_review(source: Path, edition: str | Path, content: Path, *, dry_run: bool = False,
                  reject: bool = False, force: bool = False) -> ImportOutcome:
    """Apply a reviewed export to the edition's sections, all files or none.

    Raises `FolioError` for a file that is no export of this edition, and for conflicts
    (unless `force`), before anything is written.
    """
    source = Path(source)
    folder = find_edition(edition, content)
    where = display_path(source)
    if not source.is_file():
        raise FolioError(f"{where}: there is no such file to import")
    if source.suffix.lower() != ".docx":
        raise FolioError(f"{where}: `import --into` reads a Word document (.docx) that "
                         f"{command_line(f'export {folder.name}')} wrote and a reviewer edited")
    if source.stat().st_size > MAX_REVIEW_BYTES:
        raise FolioError(f"{where}: the document is over 100 MB; take the largest pictures "
                         "out and import it again")
    data = source.read_bytes()
    try:
        inspect_ole(data)
        reviewed = read_package(data, source, reject=reject)
    except FolioError:
        raise
    except (PasswordProtected, OldWordFormat):
        raise FolioError(f"{where}: this is a password-protected or old-format (.doc) Word "
                         "file; open it in Word and save it as an unprotected .docx") from None
    except (ValueError, KeyError, zipfile.BadZipFile, SyntaxError, OSError) as exc:
        raise FolioError(f"{where}: this is not a Word document Folio can read "
                         f"({type(exc).__name__}: {exc}); open it in Word and save it again "
                         "as .docx") from exc
    manifest = reviewed.manifest
    if not manifest or manifest.get("edition") != folder.name:
        found = manifest.get("edition") if manifest else None
        raise refusal(source, folder.name, str(found) if found else None)
    result = plan(reviewed, folder, source, force=force)
    if result.conflicts:
        raise FolioError([*result.conflicts, _conflict_advice(source, folder)])

    listing = folder / REVIEW_LIST
    changes = list(result.changes)
    if result.comments:
        old = listing.read_text(encoding="utf-8") if regular_file_inside(listing, folder) else ""
        new = _merged_list(old, result.comments, listing)
        if new != old:
            changes.append(Change(listing, old, new))
    outcome = ImportOutcome(folder, changes, result.comments, result.notes, result.edits,
                            dry_run, "".join(change.diff() for change in changes))
    if not dry_run:
        for change in changes:  # all worked out above: each file swapped in whole
            write_atomic(change.path, change.data())
    return outcome


def _conflict_advice(source: Path, folder: Path) -> Problem:
    return Problem("", None, (
        "nothing was written. Merge each paragraph above by hand in the file (or in Word, "
        f"then import again), or add --force to take the reviewer's version: "
        f"{command_line(f'import {source.name} --into {folder.name} --force')}"))


def _merged_list(old: str, comments: list[dict[str, Any]], path: Path) -> str:
    """Return review.yaml with the new comments after those still listed (none twice)."""
    kept: list[dict[str, Any]] = []
    if old.strip():
        from ..safe_yaml import NoAliasLoader

        try:
            data = yaml.load(io.StringIO(old), Loader=NoAliasLoader)
        except yaml.YAMLError as exc:
            raise FolioError(f"{display_path(path)}: this list of comments cannot be read "
                             f"({exc}); fix it or move it away, then import again") from exc
        listed = data.get("comments") if isinstance(data, dict) else None
        kept = [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    seen = {(c.get("file"), c.get("author"), c.get("comment")) for c in kept}
    for comment in comments:
        key = (comment["file"], comment["author"], comment["comment"])
        if key not in seen:
            kept.append(comment)
            seen.add(key)
    body = yaml.safe_dump({"comments": kept}, sort_keys=False, allow_unicode=True, width=88)
    return HEADER + body
