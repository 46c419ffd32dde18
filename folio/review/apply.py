"""Apply: a reviewed .docx and an edition folder -> new section texts, comments, conflicts.

Only the units a reviewer changed are rewritten, each in its own lines: front matter,
components and every untouched paragraph keep their bytes. A unit changed in Word and
also in the Markdown since the export is a conflict: nothing is written until `force`.
Everything is worked out first; then each file is replaced atomically.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..content import regular_file_inside
from ..errors import FolioError, Problem, command_line, display_path
from .blocks import (
    EDITABLE,
    TABLE_SEPARATOR,
    Source,
    Unit,
    body_start,
    digest,
    read_source,
    table_cells,
    units,
)
from .inline import Span, canonical, fingerprint, plain, spans_of, to_markdown
from .word import Comment, Paragraph, Reviewed, shown_units

NEW_STYLES = {"ListBullet": "- ", "ListNumber": "1. ", "Quote": "> ", "IntenseQuote": "> "}
"""Word styles of an added paragraph -> the Markdown marker it gets."""
DELETE = "\x00delete"


@dataclass
class Added:
    """A paragraph the reviewer added, after the unit at `anchor` (or at `start`, `end`)."""

    section: int
    anchor: int | str
    paragraph: Paragraph


@dataclass
class Change:
    """What the import does to one section file."""

    path: Path
    old: str
    new: str
    form: Source = field(default_factory=lambda: Source(""))
    """How the file is written: its BOM and line ends, kept."""

    def data(self) -> bytes:
        return self.form.encode(self.new)

    def diff(self) -> str:
        name = display_path(self.path)
        return "".join(difflib.unified_diff(
            self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
            f"a/{name.lstrip('/')}", f"b/{name.lstrip('/')}"))


@dataclass
class Plan:
    """Everything an import would do, before anything is written."""

    changes: list[Change] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    edits: int = 0


def plan(reviewed: Reviewed, folder: Path, source: Path, force: bool = False) -> Plan:
    """Work out what applying `reviewed` to the edition in `folder` changes."""
    manifest = reviewed.manifest or {}
    table: dict[int, dict[str, Any]] = {int(k): v for k, v in manifest.get("units", {}).items()}
    sections: list[dict[str, Any]] = manifest.get("sections", [])
    result = Plan()
    # Ties to no unit (pasted from another export) and repeated ties (a paragraph copied)
    # are dropped: those paragraphs are new. A paragraph the reviewer moved loses its tie
    # too: it is taken out where it was and added where it is now.
    seen: set[tuple[int, int]] = set()
    paragraphs = []
    for one in reviewed.paragraphs:
        ties = [tie for tie in one.ties if tie[0] in table and tie not in seen]
        seen.update(ties)
        paragraphs.append(replace(one, ties=ties))
    _follow_text(paragraphs, table)
    moved = _moved(paragraphs, table)
    paragraphs = [replace(p, ties=[]) if number in moved else p
                  for number, p in enumerate(paragraphs)]
    owned, added, comment_at = _walk(paragraphs, table, result, source)
    shown = shown_units(paragraphs)
    changed = {key for key, unit in table.items()
               if digest(shown.get(key, "")) != unit.get("shown")}
    places: dict[tuple[Any, ...], int] = {}
    for index, info in enumerate(sections):
        path = folder / str(info.get("file", ""))
        mine = {key: unit for key, unit in table.items() if unit.get("section") == index}
        if not regular_file_inside(path, folder) or "/" in str(info.get("file", "")):
            if any(key in changed for key in mine):
                result.conflicts.append(Problem(path, None, "the reviewer changed this "
                                                "section, but its file is no longer in the "
                                                "edition; copy their changes by hand"))
            continue
        try:
            form = read_source(path)
        except UnicodeDecodeError:
            raise FolioError([Problem(path, None, "this file is not UTF-8 text; save it as "
                                      "UTF-8 and import again")]) from None
        text = form.text
        section = _Section(path, text, info, mine, changed, owned, force, result)
        new = section.rewrite([a for a in added if a.section == index])
        places.update({(index, *key): line for key, line in section.positions.items()})
        if new != text:
            result.changes.append(Change(path, text, new, form))
    edition_yaml = folder / "edition.yaml"
    for key, target in comment_at:
        comment = reviewed.comments.get(key)
        if comment is None:
            continue
        result.comments.append(_entry(comment, target, table, sections, places, folder,
                                      edition_yaml))
    return result


def _walk(paragraphs: list[Paragraph], table: dict[int, dict[str, Any]], result: Plan,
          source: Path) -> tuple[dict[int, Paragraph], list[Added], list[tuple[str, Any]]]:
    """Return each unit's paragraph, the paragraphs added, and where each comment sits."""
    owned: dict[int, Paragraph] = {}
    added: list[Added] = []
    comment_at: list[tuple[str, Any]] = []
    section = -1
    anchor: int | str = "start"
    anchor_unit: int | None = None
    for paragraph in paragraphs:
        if paragraph.ties:
            unit, part = paragraph.ties[0]
            info = table[unit]
            if part == 0:
                owned[unit] = paragraph
            section = int(info.get("section", -1))
            place = int(info.get("place", -1))
            anchor = place if place >= 0 else str(info.get("at") or "start")
            anchor_unit = unit
            comment_at += [(key, ("unit", unit)) for key in paragraph.comments]
            continue
        if section < 0 or paragraph.table:
            if canonical(paragraph.spans):
                result.notes.append(f"{display_path(source)}: "
                                    + ("a table the reviewer added" if paragraph.table else
                                       f"'{_short(plain(paragraph.spans))}'")
                                    + " is outside the sections' text and was not imported; "
                                    "copy it by hand")
            comment_at += [(key, ("unit", anchor_unit)) for key in paragraph.comments]
            continue
        if not canonical(paragraph.spans):
            comment_at += [(key, ("unit", anchor_unit)) for key in paragraph.comments]
            continue
        added.append(Added(section, anchor, paragraph))
        comment_at += [(key, ("new", id(paragraph))) for key in paragraph.comments]
    return owned, added, comment_at


def _follow_text(paragraphs: list[Paragraph], table: dict[int, dict[str, Any]]) -> None:
    """Give a tie back to its words when Word left it on a paragraph typed before them.

    Pressing Enter at the start of a paragraph can leave its bookmark on the new, empty
    line the reviewer then types in: the words as exported follow, untied.
    """
    for first, second in itertools.pairwise(paragraphs):
        if len(first.ties) != 1 or second.ties or first.ties[0][1] != 0:
            continue
        shown = table[first.ties[0][0]].get("shown")
        if digest(fingerprint(first.spans)) != shown \
                and digest(fingerprint(second.spans)) == shown:
            second.ties, first.ties = first.ties, []


def _moved(paragraphs: list[Paragraph], table: dict[int, dict[str, Any]]) -> set[int]:
    """Return the indices of the paragraphs the reviewer moved.

    Units are numbered in the order of the export, so the tied paragraphs that stayed in
    place form the longest run of rising numbers; the editable ones outside it were moved.
    """
    tied = [(index, p.ties[0][0]) for index, p in enumerate(paragraphs) if p.ties]
    tails: list[int] = []  # tails[k]: position in `tied` ending the best run of length k+1
    before: list[int | None] = []
    for position, (_index, unit) in enumerate(tied):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tied[tails[middle]][1] < unit:
                low = middle + 1
            else:
                high = middle
        before.append(tails[low - 1] if low else None)
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    kept: set[int] = set()
    step = tails[-1] if tails else None
    while step is not None:
        kept.add(step)
        step = before[step]
    return {index for position, (index, unit) in enumerate(tied)
            if position not in kept and table.get(unit, {}).get("kind") in EDITABLE}


class _Section:
    """One section file and the reviewer's changes to it."""

    def __init__(self, path: Path, text: str, info: dict[str, Any],
                 table: dict[int, dict[str, Any]], changed: set[int],
                 owned: dict[int, Paragraph], force: bool, result: Plan) -> None:
        self.path, self.text, self.table = path, text, table
        self.lines = text.split("\n")
        self.current = units(text)
        labels = info.get("notes") or {}
        self.labels = {str(number): label for label, number in labels.items()}
        self.force, self.result = force, result
        self.matched: dict[int, int] = {}  # unit -> index in self.current
        self.positions: dict[tuple[str, Any], int] = {}
        self._match()
        self.ops: dict[int, str] = {}
        for key, unit in sorted(table.items()):
            if key in changed:
                self._changed(key, unit, owned.get(key))

    def _match(self) -> None:
        """Find each exported unit among the file's units now: same place, else same text."""
        used: set[int] = set()
        sources = [digest(u.source(self.lines)) for u in self.current]
        for key, unit in sorted(self.table.items(), key=lambda item: item[1].get("place", -1)):
            place = int(unit.get("place", -1))
            if place < 0:
                continue
            if place < len(sources) and sources[place] == unit.get("source") \
                    and place not in used:
                found: int | None = place
            else:
                found = next((i for i, d in enumerate(sources)
                              if d == unit.get("source") and i not in used), None)
            if found is not None:
                used.add(found)
                self.matched[key] = found

    def _changed(self, key: int, unit: dict[str, Any], paragraph: Paragraph | None) -> None:
        place = int(unit.get("place", -1))
        kind = str(unit.get("kind", ""))
        if kind == "table" and paragraph is not None and paragraph.ties[0] == (key, 0) \
                and self._table(key, paragraph):
            return
        if place < 0 or kind not in EDITABLE:
            what = ("the title" if kind == "title" else
                    f"the {unit.get('field') or kind}" if kind == "component"
                    else f"a {kind}")
            found = self.matched.get(key)
            line = self._field_line(unit) or (self.current[found].start + 1
                                              if found is not None else None)
            self.result.notes.append(
                f"{display_path(self.path)}, line {line or 1}: "
                f"the reviewer changed {what}, which the import does not rewrite; make "
                "the change in the file by hand")
            return
        spans = paragraph.spans if paragraph is not None and paragraph.ties[0] == (key, 0) \
            else []
        index = self.matched.get(key)
        if index is None and spans and any(
                self._line(unit, spans) == unit.source(self.lines) for unit in self.current):
            return  # the file already says what the reviewer wrote (imported before)
        if index is None:
            where = self.current[place] if place < len(self.current) else None
            ours = where.source(self.lines) if where is not None else "(no longer in the file)"
            if not self.force or where is None:
                theirs = to_markdown(self._labelled(spans)) if spans else "(deleted)"
                line = where.start + 1 if where is not None else None
                self.result.conflicts.append(Problem(self.path, line, (
                    "this paragraph changed both in Word and in this file since the export; "
                    f"in the file: \"{_short(ours, 200)}\"; in Word: \"{_short(theirs, 200)}\"")))
                return
            index = place
        self.matched[key] = index
        current = self.current[index]
        new = self._line(current, spans) if spans else DELETE
        if new != current.source(self.lines):
            self.ops[index] = new
            self.result.edits += 1

    def _table(self, key: int, paragraph: Paragraph) -> bool:
        """Rewrite the rows of a table whose cells the reviewer changed; False when rows or
        columns were added or taken out (or the table changed in the file too)."""
        index = self.matched.get(key)
        if index is None:
            return False
        unit = self.current[index]
        rows = [(number, line) for number, line in enumerate(
            self.lines[unit.start:unit.end], unit.start) if not TABLE_SEPARATOR.match(line)]
        if len(rows) != len(paragraph.cells) or any(
                len(table_cells(line)) != len(cells)
                for (_, line), cells in zip(rows, paragraph.cells, strict=True)):
            return False
        numbers = {label: int(number) for number, label in self.labels.items()
                   if number.isdigit()}
        lines = self.lines[unit.start:unit.end]
        for row, ((number, line), cells) in enumerate(zip(rows, paragraph.cells, strict=True)):
            sources = table_cells(line)
            written = []
            for source, spans in zip(sources, cells, strict=True):
                shown = spans_of(source.replace("\\|", "|"), dict(numbers))
                if row == 0:  # the export shows the header row in bold
                    shown = [replace(s, bold=True) for s in shown]
                    spans = [replace(s, bold=False) for s in spans]
                    if fingerprint(self._labelled([replace(s, bold=True) for s in spans])) \
                            == fingerprint(shown):
                        written.append(source)
                        continue
                elif fingerprint(self._labelled(spans)) == fingerprint(shown):
                    written.append(source)
                    continue
                written.append(to_markdown(self._labelled(spans), start=False)
                               .replace("|", "\\|"))
            if written != sources:
                edge = "|" if line.strip().startswith("|") else ""
                lines[number - unit.start] = (f"{edge} " if edge else "") + " | ".join(
                    written) + (f" {edge}" if edge else "")
        new = "\n".join(lines)
        if new != unit.source(self.lines):
            self.ops[index] = new
            self.result.edits += 1
        return True

    def _labelled(self, spans: list[Span]) -> list[Span]:
        """Give footnote references their labels back (Word shows their numbers)."""
        return [Span(s.text, note=self.labels.get(s.note, s.note)) if s.note else s
                for s in spans]

    def _line(self, unit: Unit, spans: list[Span]) -> str:
        spans = canonical(self._labelled(spans))
        if unit.kind == "note" and spans and spans[0].note:
            spans = spans[1:]
        if not canonical(spans):
            return DELETE
        return f"{unit.prefix}{to_markdown(spans)}{unit.suffix}"

    def _field_line(self, unit: dict[str, Any]) -> int | None:
        name = unit.get("field") or ""
        end = body_start(self.text)
        for number, line in enumerate(self.lines[:end], 1):
            if name and re.match(rf"{re.escape(name)}\s*:", line):
                return number
        return None

    def _new_line(self, added: Added, tight_after: Unit | None) -> tuple[str, bool]:
        """Return the Markdown of an added paragraph and whether it joins a list tightly."""
        style = added.paragraph.style
        spans = self._labelled(added.paragraph.spans)
        heading = re.fullmatch(r"Heading([1-9])", style)
        if heading:
            level = max(int(heading[1]) - 1, 1)
            return f"{'#' * level} {to_markdown(spans)}", False
        marker = next((m for s, m in NEW_STYLES.items() if style.startswith(s)), "")
        if marker in ("- ", "1. "):
            if tight_after is not None and tight_after.kind == "item":
                same = tight_after.prefix.strip()[-1:] in ".)"
                if same == (marker == "1. "):
                    marker = tight_after.prefix
            return f"{marker}{to_markdown(spans)}", (
                tight_after is not None and tight_after.kind == "item")
        return f"{marker}{to_markdown(spans)}", False

    def rewrite(self, added: list[Added]) -> str:
        """Return the file's new text: changed units rewritten, deleted ones taken out, added
        paragraphs put after their neighbours; note where each unit and paragraph lands."""
        by_key = {k: self.matched.get(k) for k in self.table}
        inserts: dict[int | str, list[tuple[str, bool, Any]]] = {}
        rewritten = {line for index in self.ops
                     for line in range(self.current[index].start, self.current[index].end)}
        kept = {text for number, text in enumerate(self.lines) if number not in rewritten}
        for one in added:
            if self._new_line(one, None)[0] in kept:  # imported before, most likely
                self.result.notes.append(
                    f"{display_path(self.path)}: '{_short(plain(one.paragraph.spans))}' is "
                    "already in the file, so it was not added again")
                continue
            if isinstance(one.anchor, int):
                key = next((k for k, u in self.table.items()
                            if u.get("place") == one.anchor), None)
                index = by_key.get(key) if key is not None else None
                if index is None:
                    if not self.force or one.anchor >= len(self.current):
                        self.result.conflicts.append(Problem(self.path, None, (
                            "the reviewer added a paragraph after one that changed in this "
                            "file since the export, so its place is unclear; in Word: "
                            f"\"{_short(plain(one.paragraph.spans), 200)}\"")))
                        continue
                    index = one.anchor
                text, tight = self._new_line(one, self.current[index])
                inserts.setdefault(index, []).append((text, tight, one.paragraph))
            else:
                text, tight = self._new_line(one, None)
                inserts.setdefault(one.anchor, []).append((text, False, one.paragraph))
            self.result.edits += 1
        return self._emit(inserts, {v: k for k, v in by_key.items() if v is not None})

    def _emit(self, inserts: dict[int | str, list[tuple[str, bool, Any]]],
              keys: dict[int, int]) -> str:
        lines, out = self.lines, []
        start = body_start(self.text)
        out.extend(lines[:start])
        i = start
        while i < len(lines) and not lines[i].strip():
            out.append(lines[i])
            i += 1
        starts = {unit.start: index for index, unit in enumerate(self.current)}

        def emit(key: int | str, following: str) -> None:
            for text, tight, paragraph in inserts.get(key, []):
                if not tight and out and out[-1].strip() and len(out) > start:
                    out.append("")
                self.positions[("new", id(paragraph))] = len(out) + 1
                out.append(text)
            if inserts.get(key) and following.strip() and not inserts[key][-1][1]:
                out.append("")

        if "start" in inserts:
            emit("start", lines[i] if i < len(lines) else "")
        end_of_file = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
        while i < end_of_file:
            index = starts.get(i)
            if index is None:
                out.append(lines[i])
                i += 1
                continue
            unit = self.current[index]
            if index in keys:
                self.positions[("unit", keys[index])] = len(out) + 1
            op = self.ops.get(index)
            i = unit.end
            if op is None:
                out.extend(lines[unit.start:unit.end])
            elif op == DELETE:
                if (unit.kind != "item" and (not out or not out[-1].strip())
                        and i < end_of_file and not lines[i].strip()):
                    i += 1
            else:
                out.append(op)
            emit(index, lines[i] if i < len(lines) else "")
        if "end" in inserts:
            while len(out) > start and not out[-1].strip():
                out.pop()
            emit("end", "")
        if end_of_file < len(lines):
            if out and not out[-1].strip() and len(out) > start:
                out.pop()
            out.append("")
        return "\n".join(out)


def _entry(comment: Comment, target: tuple[str, Any], table: dict[int, dict[str, Any]],
           sections: list[dict[str, Any]], places: dict[tuple[Any, ...], int], folder: Path,
           edition_yaml: Path) -> dict[str, Any]:
    """Return the review list's entry for a comment: its file, line, author and text."""
    kind, key = target
    file, line = edition_yaml.name, 1
    if kind == "new":
        for (section, what, value), number in places.items():
            if what == "new" and value == key:
                file, line = str(sections[section]["file"]), number
    elif key is not None and key in table:
        unit = table[key]
        section = int(unit.get("section", -1))
        if 0 <= section < len(sections):
            file = str(sections[section]["file"])
            line = places.get((section, "unit", key)) or _front_line(
                folder / file, str(unit.get("field") or "title"))
        else:
            line = _front_line(edition_yaml, "title")
    entry: dict[str, Any] = {"file": file, "line": line, "author": comment.author,
                             "comment": comment.text}
    if comment.on:
        entry["words"] = _short(comment.on, 80)
    return entry


def _front_line(path: Path, name: str) -> int:
    try:
        lines = read_source(path).text.split("\n")
    except (OSError, UnicodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{name}:")), 1)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def refusal(source: Path, edition: str, found: str | None) -> FolioError:
    """Return the error for a document that is not an export of `edition`."""
    what = (f"an export of '{found}', not of '{edition}'" if found else
            "not an export of an edition (it has none of the ties `export` writes)")
    return FolioError(f"{display_path(source)}: this document is {what}, so its changes "
                      f"cannot be matched to the sections; export the edition with "
                      f"{command_line(f'export {edition}')} and send that to reviewers, or "
                      f"import this one as a new edition with "
                      f"{command_line(f'import {source.name} --name NEW')}")
