"""Plain-text reader: a .txt draft (one paragraph a line) -> a Draft.

Headings, lists and tables are recognised by the shape of the lines: a table is a run
of rows whose cells are separated by tabs (as a word processor saves one) or written
between pipes (`| Region | Total |`, as tables are typed in plain text, with or without a
`|---|---|` rule under the header). A table's first row is its header when a rule
follows it or when it reads as one, as in a Word draft; all other text is escaped so
that Markdown shows it as written.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .draft import Draft, DraftSection, _decode, escape_markdown, reads_as_header

HEADING_WORDS = 14
"""The longest line of a .txt draft that can still be a heading."""

BULLET = re.compile(r"^\s*(?:[•\-*–·▪◦■]\s+|o\t\s*)(?=\S)")
NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
CLOSING = tuple(".!?:;,…")
URLISH = re.compile(r"://|@|^www\.", re.I)
PIPE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+(?:\s*:?-{3,}:?\s*)?$")
"""The rule under a pipe table's header: `|---|:---:|`, `---|---`."""


def read_text(source: Path) -> Draft:
    """Read a plain-text draft as a word processor saves it, one paragraph a line.

    The first non-empty line is the title. A short line (up to HEADING_WORDS words) with
    no closing punctuation, standing alone between paragraphs, is a section heading. Runs
    of bullet or numbered lines become lists, runs of tab-separated lines tables, and
    every other line a paragraph. Text before the first heading becomes an introduction.
    """
    raw = _unwrap([line.rstrip() for line in _decode(source.read_bytes()).split("\n")])
    lines: list[str] = []
    headed: set[int] = set()  # rows with a rule under them: their table's header
    for n, line in enumerate(raw):
        if (PIPE_RULE.match(line.strip()) and lines and _cells(lines[-1])
                and n + 1 < len(raw) and _cells(raw[n + 1])):
            headed.add(len(lines) - 1)
        else:
            lines.append(line)
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
    rows: list[list[str]] = []
    header = False

    def flush() -> None:
        nonlocal pending_kind
        if pending:
            draft.section().blocks.append("\n".join(pending))
        if rows:
            draft.section().blocks.append(_table(rows, header))
        pending.clear()
        rows.clear()
        pending_kind = ""

    for i in rest:
        line = lines[i]
        if i in headings:
            flush()
            draft.sections.append(DraftSection(line.strip()))
            continue
        kind = "table" if i in tables else kinds[i]
        if kind == "table":
            if pending_kind != "table" or i - 1 not in tables:
                flush()
                pending_kind, header = "table", i in headed
            rows.append(_cells(line) or [])
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
                and _kind(previous) not in ("bullet", "numbered") and not _cells(previous)
                and not _cells(line)):
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
            and not URLISH.search(stripped) and not _cells(stripped)):
        return "candidate"
    return "paragraph"


def _cells(line: str) -> list[str] | None:
    """Return the cells of a table row, separated by tabs or written between pipes (a
    pipe inside a cell escaped as `\\|`); None for a line that is not a row (a rule is not)."""
    stripped = line.strip()
    if "\t" in stripped:
        return [cell.strip() for cell in stripped.split("\t")]
    if len(stripped) > 2 and stripped[0] == stripped[-1] == "|" and not PIPE_RULE.match(stripped):
        cells = re.split(r"(?<!\\)\|", stripped[1:-1])
        if len(cells) >= 2:
            return [cell.strip().replace("\\|", "|") for cell in cells]
    return None


def _table_rows(lines: list[str], filled: list[int]) -> set[int]:
    """Return the lines that are rows of tables: runs of two or more consecutive lines of
    2 or more cells, the same number of them when separated by tabs (rows between pipes
    may be ragged, as typed: `_table` fills them out)."""
    rows: set[int] = set()
    run: list[int] = []
    width = 0  # of the run's rows; -1: rows between pipes, of any width
    for i in [*filled, -10]:
        cells = len(_cells(lines[i]) or ()) if i >= 0 else 0
        piped = -1 if cells and "\t" not in lines[i] else cells
        if cells >= 2 and run and run[-1] == i - 1 and piped == width and i in filled:
            run.append(i)
            continue
        if len(run) >= 2:
            rows.update(run)
        run, width = ([i], piped) if cells >= 2 else ([], 0)
    return rows


def _table(rows: list[list[str]], header: bool) -> str:
    """Write a table's rows as a pipe table when the first is a header row (`header`, or it
    reads as one), else as HTML; a row with fewer cells than the widest gets empty ones."""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if header or reads_as_header(rows):
        lines = [_row(row) for row in rows]
        lines.insert(1, _row(["---"] * len(rows[0])))
        return "\n".join(lines)
    body = "\n".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                     for row in rows)
    return f"<table>\n<tbody>\n{body}\n</tbody>\n</table>"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(escape_markdown(c).replace("|", "\\|") for c in cells) + " |"


def _list_item(line: str, kind: str) -> str:
    if kind == "bullet":
        return "- " + escape_markdown(BULLET.sub("", line, count=1).strip(), start=False)
    match = NUMBERED.match(line)
    assert match
    return f"{match[1]}. " + escape_markdown(line[match.end():].strip(), start=False)
