"""Writer: a `Draft` -> an edition folder, staged beside the target, loaded back, swapped in.

The draft is written into a temporary folder next to the target, loaded as an edition to be
sure it is valid, and only then moved into place, replacing an old edition (with --force)
only once everything is written.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from ..content import MAX_SECTION_BYTES, UNSHOWABLE, load_edition
from ..errors import ContentError, FolioError, command_line, display_path, printable
from ..i18n import catalogue
from ..schema import YEAR
from .draft import INTRODUCTION, Draft, ImportReport, _slugify, _unique

ANNUAL_REVIEW_WORDS = 1500
"""A draft longer than this is imported as an annual review, a shorter one as a newsletter."""
ANNUAL_REVIEW_SECTIONS = 6
"""A draft of this many sections or more whose title names a year is an annual review too
(`Our year 2025`, seven sections): a year in review, however short each section is."""
PLACEHOLDER_ORGANISATION = "Your organisation"
DEFAULT_LANGUAGE = "en-GB"


def write_edition(draft: Draft, source: Path, target: Path, language: str | None = None
                  ) -> ImportReport:
    """Write `draft` (read from `source`) as the edition folder `target`, atomically.

    The edition's language is `language` if given, else the draft's own, else en-GB.

    Raises `FolioError` for a draft without sections or with more than 99, or if the
    written edition does not load.
    """
    if not draft.sections:
        raise FolioError(f"{display_path(source)}: the draft has no text to import")
    if len(draft.sections) > 99:
        raise FolioError(f"{display_path(source)}: the draft has {len(draft.sections)} "
                         "sections; an edition holds at most 99, so join some first")
    for section in draft.sections:
        size = len(section.body.encode("utf-8", "surrogatepass"))
        if size > MAX_SECTION_BYTES - 10_000:  # room for the front matter
            raise FolioError(f"{display_path(source)}: the part '{printable(section.title[:60])}' "
                             f"is {size / 1e6:.1f} MB of text, over Folio's 1 MB limit for a "
                             "section; add headings in the draft to split it, then import "
                             "it again")
    content_dir, name = target.parent, target.name
    try:
        content_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=content_dir))
        staging.chmod(_folder_mode())  # mkdtemp makes it private: give it what `new` gives
    except OSError as exc:
        raise _unwritten(target, exc) from exc
    try:
        try:
            report = _write(draft, staging, source, language, name)
        except OSError as exc:
            raise _unwritten(target, exc) from exc
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


def _unwritten(target: Path, exc: OSError) -> FolioError:
    """Say that the edition could not be written, and that nothing of it was."""
    return FolioError(f"{display_path(target)} could not be written ({exc.strerror or exc}); "
                      "nothing was imported and an edition already there is unchanged: free "
                      "some space, or choose another --content folder, and import again")


def _folder_mode() -> int:
    """Return the mode `mkdir` gives a new folder here: 0o755 under the usual umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


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


def _write(draft: Draft, folder: Path, source: Path, language: str | None,
           name: str) -> ImportReport:
    """Write edition.yaml, the section files and the pictures of a draft into `folder`."""
    words = sum(_count_words(s.title) + _count_words(s.body) for s in draft.sections)
    title = draft.title.strip() or _title_from_name(source)
    reviews_a_year = (len(draft.sections) >= ANNUAL_REVIEW_SECTIONS
                      and YEAR.search(title) is not None)
    kind = "annual-review" if words > ANNUAL_REVIEW_WORDS or reviews_a_year else "newsletter"
    lines = [f"# Imported from {source.name} by {command_line('import')}.",
             "# Check the title, set the organisation, and add names and acronyms to",
             f"# `words:` so that {command_line('check')} knows them.",
             _yaml_line("title", title)]
    if draft.subtitle.strip():
        lines.append(_yaml_line("subtitle", draft.subtitle.strip()))
    lines += [_yaml_line("organisation", PLACEHOLDER_ORGANISATION)
              + "  # change this to the publishing organisation's name",
              f"date: {datetime.date.today().isoformat()}",
              _yaml_line("language", language or draft.language or DEFAULT_LANGUAGE),
              f"kind: {kind}",
              "words: []",
              "# A draft: left out of the archive, the feed and `publish` until you delete",
              "# this line (or set it to false) once the edition is ready.",
              "draft: true"]
    if draft.pictures:
        lines += ["# For the email, say where its pictures will be uploaded:",
                  "# email:",
                  f"#   asset_base_url: https://example.org/{name}/email-images/"]
    (folder / "edition.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    written: list[tuple[str, str]] = []
    missing: list[tuple[str, str]] = []
    slugs: set[str] = set()
    _ = catalogue(language or draft.language or DEFAULT_LANGUAGE).gettext
    for number, section in enumerate(draft.sections, start=1):
        section_title = section.title.strip() or _("Section %(number)s") % {"number": number}
        if section_title == INTRODUCTION:  # the name given to text before the first heading
            section_title = _("Introduction")
        slug = _unique(_slugify(section_title), slugs)
        file = f"{number:02d}-{slug}.md"
        body = section.body
        front = _yaml_line("title", section_title)
        (folder / file).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
        written.append((file, section_title))
        for match in re.finditer(r'!\[\s*\]\(images/([^)\s]+)\)|<img alt="" src="images/([^"]+)"',
                                 body):
            missing.append((match[1] or match[2], file))
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
    """Return `key: value` as one line of YAML, quoted only where YAML needs it.

    Control characters (a terminal escape pasted into a heading) are left out: no output
    could show them, and the edition would not load.
    """
    value = UNSHOWABLE.sub("", value)
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10_000).strip()


def _count_words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text))


def _title_from_name(source: Path) -> str:
    words = re.sub(r"[-_]+", " ", source.stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled edition"
