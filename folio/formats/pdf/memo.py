"""Memo: what `balance` decided for a feature section, kept so that the same text is laid
out once.

A feature section (the key figures) after a short page takes a second layout of the
whole document, with the section running on, kept when it leaves fewer short pages. The
outcome depends only on the section and what comes before it: the head (stylesheet,
options) and the sections above. So it is kept in the user's cache folder under a digest
of that much of the print HTML and of WeasyPrint's version, as an empty file whose name
ends in `.on` (it ran on), `.on90` or `.on80` (it ran on, its figures at 90 or 80 % of
their size: `balance.SHRINK`) or `.off` (it was tried and stayed on its own page); the next
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


def recall(html: str) -> dict[str, float]:
    """Return, by section, the share of its figures' size at which it ran on when this
    text was last laid out (0: it kept its own page)."""
    folder = user_cache(FOLDER)
    found = {}
    for section in candidates(html):
        if key := _key(html, section):
            for path in folder.glob(f"{key}.*"):
                if (outcome := _outcome(path.suffix[1:])) is not None:
                    found[section] = outcome
    return found


def _suffix(outcome: float) -> str:
    """Return the name's ending for an outcome: `off`, `on` (full size), `on90` (90 %)."""
    if not outcome:
        return "off"
    return "on" if outcome == 1 else f"on{round(outcome * 100)}"


def _outcome(suffix: str) -> float | None:
    if suffix == "off":
        return 0.0
    if suffix == "on":
        return 1.0
    if re.fullmatch(r"on\d{1,2}", suffix):
        return int(suffix[2:]) / 100
    return None


def remember(html: str, outcomes: dict[str, float | None]) -> None:
    """Keep how each section was laid out (the share of its figures' size at which it ran
    on; 0 if it did not); None drops what was kept."""
    folder = user_cache(FOLDER)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for section, outcome in outcomes.items():
            if (key := _key(html, section)) is None:
                continue
            for path in folder.glob(f"{key}.*"):
                if outcome is None or path.suffix[1:] != _suffix(outcome):
                    path.unlink(missing_ok=True)
            if outcome is not None:
                (folder / f"{key}.{_suffix(outcome)}").touch()  # empty: never half written
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
