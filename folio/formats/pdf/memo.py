"""Memo: what `balance` decided for a feature section, kept so that the same text is laid
out once.

A feature section (the key figures) after a short page takes a second layout of the
whole document, with the section running on, kept when it leaves fewer short pages. The
outcome depends only on the section and what comes before it: the head (stylesheet,
options) and the sections above. So it is kept in the user's cache folder under a digest
of that much of the print HTML and of WeasyPrint's version, as an empty file whose name
ends in `.on` (it ran on) or `.off` (it was tried and stayed on its own page); the next
layout of the same text starts from it and lays out once. Editing a section after it, or
rebuilding with `--force`, keeps the digest.

A layout that starts from a kept `.on` still confirms it on its own pages
(`balance.confirmed`); one that does not hold (fonts installed since, say) is dropped and
the document laid out as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ...sources import user_cache

FOLDER = "layout"
KEPT = 2000
"""The most decisions kept; beyond it the oldest go, a few at a time."""


def _key(html: str, section: str) -> str | None:
    """Return the digest of what decides whether `section` runs on, or None if not found."""
    import weasyprint

    start = html.find(f'<section id="{section}"')
    if start < 0:
        return None
    end = html.find("<section ", start + 1)
    text = f"{weasyprint.__version__}\0{section}\0{html[:end if end > 0 else len(html)]}"
    return hashlib.sha256(text.encode()).hexdigest()


def candidates(html: str) -> list[str]:
    """Return the ids of the sections that open a feature page: those that may run on."""
    return re.findall(r'<section id="([^"]+)" class="[^"]*\bsection--figures\b[^"]*'
                      r'\bsection--new-page\b', html)


def recall(html: str) -> dict[str, bool]:
    """Return, by section, whether it ran on when this text was last laid out."""
    folder = user_cache(FOLDER)
    found = {}
    for section in candidates(html):
        if key := _key(html, section):
            for outcome in (True, False):
                if (folder / f"{key}.{SUFFIX[outcome]}").is_file():
                    found[section] = outcome
    return found


SUFFIX = {True: "on", False: "off"}


def remember(html: str, outcomes: dict[str, bool | None]) -> None:
    """Keep how each section was laid out (True: it ran on); None drops what was kept."""
    folder = user_cache(FOLDER)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for section, outcome in outcomes.items():
            if (key := _key(html, section)) is None:
                continue
            for each in (True, False):
                if each is not outcome:
                    (folder / f"{key}.{SUFFIX[each]}").unlink(missing_ok=True)
            if outcome is not None:
                (folder / f"{key}.{SUFFIX[outcome]}").touch()  # empty: never half written
        _prune(folder)
    except OSError:  # a cache that cannot be written only costs time
        pass


def _prune(folder: Path) -> None:
    kept = list(folder.iterdir())
    if len(kept) <= KEPT:
        return
    kept.sort(key=lambda path: path.stat().st_mtime)
    for path in kept[:len(kept) - KEPT + KEPT // 10]:
        path.unlink(missing_ok=True)
