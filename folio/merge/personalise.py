"""Personalise: a loaded `Edition` and one row -> the edition as that recipient reads it.

Every string of `edition.yaml` and of the front matter, and every section body, gets the
row's values in its merge fields; sections whose `only_for` does not match the row are
left out. With no row (a preview) each field shows its fallback and every section stays.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..content import Edition, Section
from ..errors import ContentError, Problem
from .fields import SERVICE_TAGS, column_name, fields_used, fill, map_strings

MARKDOWN_SETTINGS = {(key,) for key in ("title", "subtitle", "description", "summary",
                                          "caption", "quote", "attribution")}
"""Settings and front matter read as a line of Markdown: values go in escaped."""


def is_merge_edition(edition: Edition) -> bool:
    """Return True when the edition is personalised: `merge:` in edition.yaml, or fields."""
    return edition.config.merge is not None or fields_used(edition)


def row_values(columns: list[str], row: list[str]) -> dict[str, str]:
    """Return a row as the values its fields take, by field name."""
    return {column_name(c): v for c, v in zip(columns, row, strict=False)}


def shown_to(section: Section, values: dict[str, str] | None) -> bool:
    """Return whether a section appears for a row (every section does in a preview)."""
    wanted = section.meta.only_for
    if not wanted or values is None:
        return True
    for column, allowed in wanted.items():
        choices = allowed if isinstance(allowed, list) else [allowed]
        value = values.get(column_name(column), "").strip().casefold()
        if value not in {str(choice).strip().casefold() for choice in choices}:
            return False
    return True


def personalise(edition: Edition, values: dict[str, str] | None) -> Edition:
    """Return the edition with the row's `values` filled in (None: a preview)."""

    def change(at: tuple[Any, ...], text: str, markdown: bool = False) -> str:
        return fill(text, values, markdown=markdown or at in MARKDOWN_SETTINGS,
                    service_tags=at[:2] in SERVICE_TAGS)

    config = map_strings(edition.config, change)
    sections = []
    for section in edition.sections:
        if not shown_to(section, values):
            continue
        meta = map_strings(section.meta, change)
        body = change((), section.body, markdown=True)
        sections.append(dataclasses.replace(section, meta=meta, body=body))
    if not sections:
        shown = ", ".join(f"{k}={v}" for k, v in (values or {}).items())[:120]
        raise ContentError([Problem(edition.root, None, (
            f"no section is shown for this row ({shown}); check the sections' 'only_for'"))])
    return dataclasses.replace(edition, config=config, sections=tuple(sections))


def preview(edition: Edition, row: int | None = None) -> Edition:
    """Return what `build` shows of an edition: a merge edition with each field's fallback,
    or with row `row` (1-based) of its `merge: data:` file; any other edition as it is."""
    from .fields import field_problems
    from .rows import read_table

    if not is_merge_edition(edition):
        if row is not None:
            raise ContentError([Problem(edition.root / "edition.yaml", None, (
                "--preview-row is for merge editions; this one has no `merge:` settings "
                "and no {{ recipient.COLUMN }} fields"))])
        return edition
    settings = edition.config.merge
    table = None
    if settings is not None and settings.data:
        path = edition.root / settings.data
        if path.resolve().is_relative_to(edition.root.resolve()) and path.is_file():
            table = read_table(path)
    problems = field_problems(edition, table.columns if table else None)
    if problems:
        raise ContentError(problems)
    if row is None:
        return personalise(edition, None)
    if table is None:
        raise ContentError([Problem(edition.root / "edition.yaml", None, (
            "--preview-row needs the data file inside the edition, named by "
            "`merge: data: FILE` in edition.yaml"))])
    if not 1 <= row <= len(table.rows):
        raise ContentError([Problem(table.path, None, (
            f"--preview-row {row}: the data file has rows 1 to {len(table.rows)}"))])
    return personalise(edition, row_values(table.columns, list(table.rows[row - 1].values)))
