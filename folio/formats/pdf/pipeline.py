"""Pipeline: an `Edition` -> its PDF and `print.html`, each step of `folio.formats.pdf` in turn.

The print HTML is rendered here; its layout, the repair of its tag tree and the check of
the standard it claims happen in the helper process when one runs (`helper`), so that the
web page and the email are rendered meanwhile. What comes back is written as it is, or,
when it fails its standard, without the claim, saying why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ...content import Edition
from ...errors import LayoutError, Problem, ResourceError, command_line
from ...theme import Theme
from .. import Files
from .balance import running_on
from .conformance import BEYOND_LIMITS, MissingGlyphs, claim, unclaimed, uncovered
from .document import print_document
from .helper import begin_layout
from .resources import refusal_problems

log = logging.getLogger("folio")


def start(edition: Edition, theme: Theme) -> Callable[[], Files]:
    """Render the print HTML and start its layout; return the function that finishes the PDF."""
    document = print_document(edition, theme)
    wait = begin_layout(document, edition.config.pdf.print_ready)

    def finish() -> Files:
        glyphs = MissingGlyphs()
        log.addHandler(glyphs)
        try:
            pdf, refused, failed, spills, ran_on = wait()
        finally:
            log.removeHandler(glyphs)
        if refused:
            raise ResourceError(refusal_problems(refused, edition, theme, document.policy,
                                                 document.base_url))
        if spills:
            report_spills(spills, edition.config.pdf.print_ready)
        if failed and all(line.startswith(BEYOND_LIMITS) for line in failed):
            pdf = unclaimed(pdf)
            log.warning("PDF: the file is too large for the validator to confirm %s (%s), so "
                        "it was written without claiming it; to keep the claim, split tables "
                        "of over 1,000 rows or columns, or the edition, into smaller ones",
                        claim(edition.config.pdf.variant), failed[0].partition(": ")[2])
        elif failed:
            pdf = unclaimed(pdf)
            causes = uncovered(edition, glyphs.characters) or [
                "the content passed check, so this is a fault of the theme's pdf/ templates "
                f"or of Folio: run {command_line(f'build {edition.slug} --keep-html')} and "
                "report it with print.html"]
            log.warning("PDF: the file does not meet %s (%s), so it was written without "
                        "claiming it: %s", claim(edition.config.pdf.variant),
                        "; ".join(failed[:5]), "; ".join(causes))
        # print.html is exactly what WeasyPrint laid out: with the sections that ran on.
        return {f"{edition.slug}.pdf": pdf,
                "print.html": running_on(document.html, ran_on).encode()}

    return finish


def report_spills(spills: list[str], print_ready: bool) -> None:
    """Stop a print-ready build at what a printer would reject; else warn about it."""
    if print_ready:
        raise LayoutError([Problem("", None, f"PDF: {spill}; the printer would reject "
                                   "this page: shorten or break the text there")
                           for spill in spills])
    for spill in spills:
        log.warning("PDF: %s (a print-ready build, `pdf: print_ready: true`, stops here)",
                    spill)


def render(edition: Edition, theme: Theme) -> Files:
    """Render the edition's PDF; return it with the exact HTML WeasyPrint was given."""
    return start(edition, theme)()
