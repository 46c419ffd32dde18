"""Markdown reader: a .md draft -> a Draft (`#` gives the title, `##` starts a section).

Front matter may give the title instead. Footnotes move to the section citing them, link
definitions are copied to every section using them, and pictures linked from the draft's
own folder are taken into images/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import yaml

from .. import pictures
from ..content import split_front_matter
from ..sources import plain_file
from .draft import Draft, DraftSection, Picture, _decode, _slugify, _unique

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
        except Exception:
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
    """Copy pictures the draft links from its own folder into images/.

    Only real pictures (by content, not name) that are regular files inside the draft's
    folder are taken: never a hidden file, never one above or outside the folder. Every
    link left out is reported.
    """
    folder = source.parent.resolve()
    taken: dict[Path, str] = {}

    def skip(target: str, why: str) -> None:
        draft.notes.append(f"picture '{target}' was not copied: {why}")

    def replace(match: re.Match[str]) -> str:
        alt, target = match[1], match[2]
        if re.match(r"^[a-z][\w+.-]*:", target, re.I) or target.startswith(("/", "#")):
            return match[0]
        relative = unquote(target)
        parts = Path(relative).parts
        if any(part.startswith(".") for part in parts) or "\\" in relative:
            skip(target, "hidden files and folders above the draft are never copied")
            return match[0]
        path = folder / relative
        if not path.resolve().is_relative_to(folder) or path.is_symlink() or (
                path.exists() and not plain_file(path, folder)):  # through a folder link
            skip(target, "it is a link to a file elsewhere; copy the picture itself beside "
                 "the draft")
            return match[0]
        if not path.exists():
            skip(target, "it was not found beside the draft; copy it into images/ and "
                 "correct the link")
            return match[0]
        if reason := pictures.problem(path, target):
            skip(target, reason)
            return match[0]
        if path not in taken:
            name = _unique(_slugify(path.stem, 60), {p.name.rsplit(".", 1)[0]
                                                     for p in draft.pictures})
            name = f"{name}{path.suffix.lower()}"
            draft.pictures.append(Picture(name, path.read_bytes(), alt))
            taken[path] = name
        return f"![{alt}](images/{taken[path]})"

    for section in draft.sections:
        section.blocks = [LOCAL_PICTURE.sub(replace, block) for block in section.blocks]


LOCAL_PICTURE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^()\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
"""A picture in Markdown: `![alt](target "title")`. The target stops at a `(`, so that a
line of `![a](![a](...` is read in linear time (from each `![`, the target ran to the end
of the line: 300 KB took minutes)."""
