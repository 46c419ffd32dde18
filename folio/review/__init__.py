"""Review: an edition -> a .docx for reviewers; their reviewed .docx -> edits to its sections.

- `blocks`: a section file -> units (paragraphs, headings, items, ...) with their lines;
- `inline`: one paragraph's Markdown <-> spans (words with bold, italics, links, notes);
- `export`: an Edition and its theme -> the .docx, each paragraph tied to its unit;
- `word`: a reviewed .docx -> its tie table, paragraphs (tracked changes resolved), comments;
- `apply`: those and the edition folder -> new section texts, comments and conflicts;
- `roundtrip`: the two commands: export, and import with `review.yaml`, the list of
  comments beside the sections that `check` reports.

Imports no command module, no output format and no check rule.
Importing the package itself is cheap (python-docx loads with `export`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from .roundtrip import ImportOutcome

__all__ = ["REVIEW_LIST", "export_edition", "import_review"]

REVIEW_LIST = "review.yaml"
"""The file beside the sections that lists the reviewers' comments still open."""


def export_edition(edition: str | Path, content: Path, out: Path) -> Path:
    """Write build/<edition>/<edition>.docx for reviewers; return its path."""
    from .roundtrip import export_edition as run

    return run(edition, content, out)


def import_review(source: Path, edition: str | Path, content: Path, *, dry_run: bool = False,
                  reject: bool = False, force: bool = False) -> ImportOutcome:
    """Apply a reviewed .docx to the edition's sections; list its comments in review.yaml."""
    from .roundtrip import import_review as run

    return run(source, edition, content, dry_run=dry_run, reject=reject, force=force)
