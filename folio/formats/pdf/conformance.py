"""Conformance: a finished PDF -> the standard it claims, confirmed by a validator, or refused.

The file says which standard it meets (PDF/UA-1, PDF/A-3A or PDF/A-3B, from `pdf:
variant:`). Before it is handed back to be written, `page-validation` (a PDF/UA-1 and
PDF/A validator, tested against veraPDF's corpus) checks it against that standard. A
file that fails loses its claim (`unclaimed`) and the build says why: no PDF Folio writes
claims what it is not. The usual cause is text in a script the theme's fonts lack
(`uncovered`), which prints as empty boxes.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import display_path

if TYPE_CHECKING:
    from ...content import Edition

CLAIMS = {"pdf/ua-1": {"PDF/UA-1": "ua1"}, "pdf/a-3a": {"PDF/A-3A": "3a", "PDF/UA-1": "ua1"},
          "pdf/a-3b": {"PDF/A-3B": "3b"}}
"""Each `pdf: variant:` -> the standards the file claims, with page-validation's profiles."""


_LOADED_BY: int | None = None
"""The process that loaded page-validation through `validator_here`, if one did."""


def validator_here() -> bool:
    """Load page-validation for use in this process; return False where that is unsafe.

    Its worker threads do not survive a fork: a process that forks after validating, or
    that was forked from one that had page-validation loaded, can hang in it. So it runs
    in place only in a process Folio started (the PDF helper, a build worker), which
    starts no process of its own, and only when that process loaded it itself. Anywhere
    else (the command a person ran, `watch`, a program or test calling `build`) a fresh
    process checks the file.
    """
    global _LOADED_BY
    import multiprocessing

    if os.getpid() == _LOADED_BY:
        return True
    if multiprocessing.parent_process() is None or "page" in sys.modules:
        return False
    import page  # noqa: F401  (loaded here, used by `rule_failures`)

    _LOADED_BY = os.getpid()
    return True


BEYOND_LIMITS = "beyond the validator's limits"
"""How a failure line begins when page-validation refused to check the file at all: it
stops at tables of over 1,024 rows or columns, and at documents of very many objects."""


def rule_failures(pdf: bytes, profile: str) -> list[str]:
    """Return how the PDF fails one page-validation profile, one line a rule; [] if none."""
    import page

    messages: dict[str, str] = {}
    try:
        report = page.validate_pdf_bytes(pdf, profile=profile)
    except page.SafetyLimitError as exc:  # a file too large for it to check: say so
        return [f"{BEYOND_LIMITS}: {exc}"]
    for failure in report.failures:
        messages.setdefault(failure.rule_id, failure.message)
    return [f"{rule}: {message}" for rule, message in messages.items()]


VALIDATE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from folio.formats.pdf.conformance import rule_failures
pdf = sys.stdin.buffer.read()
print(json.dumps([line for profile in sys.argv[2:] for line in rule_failures(pdf, profile)]))
"""
"""The check in a fresh process, with this copy of Folio (its folder first on the path)."""


def failures(pdf: bytes, variant: str) -> list[str]:
    """Return how the PDF fails the standards its variant claims, one rule a line; [] if none.

    In this process where `validator_here` allows it; otherwise one fresh process checks
    every standard.
    """
    profiles = list(CLAIMS[variant].values())
    if validator_here():
        return [line for profile in profiles for line in rule_failures(pdf, profile)]
    folder = str(Path(__file__).resolve().parents[3])
    done = subprocess.run([sys.executable, "-c", VALIDATE, folder, *profiles], input=pdf,
                          capture_output=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"page-validation failed: {done.stderr.decode(errors='replace')}")
    found: list[str] = json.loads(done.stdout)
    return found


def claim(variant: str) -> str:
    """Return the standards a variant's file claims, for a person: `PDF/A-3A and PDF/UA-1`."""
    return " and ".join(CLAIMS[variant])


IDENTIFICATION = re.compile(rb'\s*pdf(?:ua|a)id:\w+="[^"]*"'
                            rb'|<pdf(?:ua|a)id:(\w+)>[^<]*</pdf(?:ua|a)id:\1>')
"""The PDF/UA and PDF/A identification in XMP metadata, as attribute or as element."""


def unclaimed(pdf: bytes) -> bytes:
    """Return the PDF without its PDF/UA and PDF/A identification: it claims no standard."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.Root.get("/Metadata")
        if metadata is not None:
            metadata.write(IDENTIFICATION.sub(b"", metadata.read_bytes()))
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.+?)"')
"""WeasyPrint's warning for text no font can draw, which prints as empty boxes."""
CODE_POINT = re.compile(r"\(U\+([0-9A-F]{4,6})\)")
"""A character as the layout's one warning for such text names it: `谢 (U+8C22)`."""


class MissingGlyphs(logging.Handler):
    """Collect the characters WeasyPrint warns no font could draw, from its warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for found in NOTDEF.finditer(message):
            self.characters.update(found[1])
        if "no font has" in message:
            self.characters.update(chr(int(code, 16)) for code in CODE_POINT.findall(message))


def uncovered(edition: Edition, characters: set[str]) -> list[str]:
    """Return where, by file and line, the edition uses characters no font could draw."""
    found = []
    for section in edition.sections:
        text = section.path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            missing = "".join(dict.fromkeys(c for c in line if c in characters))
            if missing:
                found.append(f"{display_path(section.path)}, line {number}: no font of the "
                             f"theme has '{missing}', which prints as empty boxes")
    return found
