"""Fields: edition text -> merge fields found and checked, and text with a row's values filled.

A merge field is `{{ recipient.column }}` or `{{ recipient.column | default("text") }}`.
Fields are parsed here by hand and filled as plain text: nothing in an edition is ever
evaluated, so in a merge edition any other `{{ ... }}`, `{% ... %}` or `{# ... #}` is an
error at its file and line. The unsubscribe and view-online settings are the exception:
they may hold a sending service's own tags (`{{ UnsubscribeURL }}`), which stay as written.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..content import Edition
from ..errors import Problem

BRACES = re.compile(r"\{\{(.*?)\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
OPENED = re.compile(r"\{\{|\{%|\{#")
FIELD = re.compile(
    r"""^\s*recipient\.(?P<column>[^\W\d][\w-]*)\s*"""
    r"""(?:\|\s*default\s*\(\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')\s*\)\s*)?$""")
SERVICE_TAGS = (("email", "unsubscribe_url"), ("email", "view_online_url"))
"""Settings where a sending service's tags may stand beside merge fields."""
NOT_FILLED = ("only_for", "merge")
"""Settings that are never filled: the merge's own switches."""
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")


@dataclass(frozen=True)
class Field:
    """One merge field: the column it names and what an empty cell shows."""

    column: str
    default: str | None
    start: int
    """Where it starts in its text, as an index."""


Part = str | Field


def column_name(header: str) -> str:
    """Return the name a field uses for a column: `First name` is `first_name`."""
    return re.sub(r"[\s-]+", "_", header.strip()).casefold()


def columns_hint(wanted: str, columns: list[str], named: Callable[[str], str] = str) -> str:
    """Say which column was likely meant by `wanted`, then which columns there are.

    `named` writes a column as the reader would write it (a merge field's name).
    """
    near = difflib.get_close_matches(column_name(wanted), [column_name(c) for c in columns],
                                     n=1, cutoff=0.6)
    listed = ", ".join(columns) or "none"
    meant = next((named(c) for c in columns if near and column_name(c) == near[0]), None)
    return (f"did you mean '{meant}'? The columns are: {listed}" if meant
            else f"its columns are: {listed}")


@functools.lru_cache(maxsize=4096)
def parse(text: str, service_tags: bool = False) -> tuple[tuple[Part, ...], tuple[str, ...]]:
    """Split text into literal pieces and fields; return them with what is wrong, by index.

    Each wrong thing is `index<TAB>message`. With `service_tags`, braces that are not a
    field stay as literal text.
    """
    parts: list[Part] = []
    wrong: list[str] = []
    at = 0
    for match in BRACES.finditer(text):
        inner = match[1]
        field = FIELD.match(inner) if inner is not None else None
        if field is None:
            if not service_tags:
                shown = " ".join(match[0].split())[:60]
                wrong.append(f"{match.start()}\t'{shown}' is not a merge field; write "
                             "{{ recipient.COLUMN }} or {{ recipient.COLUMN | default(\"...\") }} "
                             "(nothing else in double braces is allowed)")
            continue
        if match.start() > at:
            parts.append(text[at:match.start()])
        default = field["double"] if field["double"] is not None else field["single"]
        parts.append(Field(column_name(field["column"]), default, match.start()))
        at = match.end()
    rest = text[at:]
    opened = OPENED.search(BRACES.sub(lambda m: " " * len(m[0]), text))
    if opened and not service_tags:
        wrong.append(f"{opened.start()}\tdouble braces are opened here and never closed; "
                     "write {{ recipient.COLUMN }}")
    if rest:
        parts.append(rest)
    return tuple(parts), tuple(wrong)


def has_fields(text: str) -> bool:
    """Return True when text holds anything in double braces."""
    return bool(OPENED.search(text))


def fill(text: str, values: dict[str, str] | None, markdown: bool = False,
         service_tags: bool = False) -> str:
    """Return text with each field replaced by the row's value, or its fallback.

    `values` is None for a preview: each field shows its default (or nothing). In
    Markdown, values are escaped so that they read as the text they are, never as markup.
    """
    if "{" not in text:
        return text
    parts, _ = parse(text, service_tags)
    filled = []
    for part in parts:
        if isinstance(part, str):
            filled.append(part)
            continue
        value = (values or {}).get(part.column, "")
        if not value.strip():
            value = part.default or ""
        filled.append(escape_markdown(value) if markdown else value)
    return "".join(filled)


def escape_markdown(value: str) -> str:
    """Return a value as Markdown that reads as exactly this text."""
    value = MARKDOWN_SPECIAL.sub(r"\\\1", value.replace("\n", " "))
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


# --- walking an edition -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One string of an edition: where it comes from and where in the settings."""

    path: Path
    at: tuple[Any, ...]
    """The key path inside the file's YAML, or () for a section's Markdown body."""
    value: str
    first_line: int
    """The file line of the body's first line (Markdown) or of the key (YAML)."""


def texts(edition: Edition) -> Iterator[Text]:
    """Yield every string of the edition that merge fields may stand in."""
    config_path = edition.root / "edition.yaml"
    for at, value in _strings(edition.config, ()):
        yield Text(config_path, at, value, edition.lines.get(at[:1], 1))
    for section in edition.sections:
        for at, value in _strings(section.meta, ()):
            yield Text(section.path, at, value, 1)
        yield Text(section.path, (), section.body, section.body_line)


def _strings(value: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if at and at[0] in NOT_FILLED:
        return
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*at, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, (*at, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*at, key))


def map_strings(value: Any, change: Callable[[tuple[Any, ...], str], str],
                at: tuple[Any, ...] = ()) -> Any:
    """Return `value` with every string replaced by `change(key path, string)`.

    Pydantic models are copied only where something changed, so an edition without
    fields costs nothing.
    """
    if at and at[0] in NOT_FILLED:
        return value
    if isinstance(value, str):
        return change(at, value)
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = map_strings(old, change, (*at, name))
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, (list, tuple)):
        items = [map_strings(item, change, (*at, i)) for i, item in enumerate(value)]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        mapped = {key: map_strings(item, change, (*at, key)) for key, item in value.items()}
        if all(mapped[key] is value[key] for key in value):
            return value
        return mapped
    return value


def line_in(text: Text, index: int) -> int:
    """Return the file line of position `index` of a text."""
    if not text.at:
        return text.first_line + text.value.count("\n", 0, index)
    # A YAML value: find the line of the file that holds what is at `index`.
    wanted = text.value[index:index + 24].split("\n")[0]
    try:
        lines = text.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return text.first_line
    for number, line in enumerate(lines, 1):
        if wanted and wanted in line:
            return number
    return text.first_line


def field_problems(edition: Edition, columns: list[str] | None) -> list[Problem]:
    """Return what is wrong with the edition's merge fields: syntax, and with `columns`
    (the data's headers), fields naming a column the data does not have."""
    problems: list[Problem] = []
    known = {column_name(c): c for c in columns} if columns is not None else None
    for text in texts(edition):
        if "{" not in text.value:
            continue
        parts, wrong = parse(text.value, text.at[:2] in SERVICE_TAGS)
        for item in wrong:
            index, message = item.split("\t", 1)
            problems.append(Problem(text.path, line_in(text, int(index)), message))
        if known is None:
            continue
        for part in parts:
            if isinstance(part, Field) and part.column not in known:
                hint = columns_hint(part.column, columns or [],
                                    lambda c: f"recipient.{column_name(c)}")
                problems.append(Problem(text.path, line_in(text, part.start), (
                    f"the merge field 'recipient.{part.column}' names a column the data does "
                    f"not have; {hint}")))
    for section in edition.sections:
        wanted = section.meta.only_for or {}
        for column in wanted:
            if known is not None and column_name(column) not in known:
                problems.append(Problem(section.path, line_in(
                    Text(section.path, ("only_for",), f"{column}:", 1), 0), (
                    f"'only_for' names the column '{column}', which the data does not have; "
                    f"{columns_hint(column, columns or [])}")))
    return problems


def fields_used(edition: Edition) -> bool:
    """Return True when any text of the edition holds a merge field."""
    return any(isinstance(part, Field)
               for text in texts(edition) if "{" in text.value
               for part in parse(text.value, text.at[:2] in SERVICE_TAGS)[0])
