"""PDF format: an `Edition` -> `<edition>.pdf`, a tagged print document, and its `print.html`.

In: a rendered `Edition` and its `Theme`. Out: the PDF bytes and the exact HTML WeasyPrint
was given. Modules, in the order they run:
- `resources`: which files each section asks for, checked against `fetcher`'s policy;
- `document`: the print HTML (paper adaptations, stylesheet, options);
- `layout`: WeasyPrint with the safe `fetcher`; `finish`: artifacts, bleed and crop marks;
  `structure`: the tag tree repaired to read as the page does;
- `conformance`: the finished file checked against the standard it claims;
- `helper`: a forked process that imports WeasyPrint while the edition is read.
Imports only the shared stages (content, context, theme, errors), never a command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ...content import Edition
from ...errors import ResourceError
from ...theme import Theme
from .. import Files
from .conformance import MissingGlyphs, claim, failures, unclaimed, uncovered
from .document import print_document
from .helper import begin_layout, prepare
from .resources import refusal_problems

__all__ = ["prepare", "print_document", "render", "start"]

log = logging.getLogger("folio")


def start(edition: Edition, theme: Theme) -> Callable[[], Files]:
    """Render the print HTML and start its layout; return the function that finishes the PDF."""
    document = print_document(edition, theme)
    wait = begin_layout(document, edition.config.pdf.print_ready)

    def finish() -> Files:
        glyphs = MissingGlyphs()
        log.addHandler(glyphs)
        try:
            pdf, refused = wait()
        finally:
            log.removeHandler(glyphs)
        if refused:
            raise ResourceError(refusal_problems(refused, edition, theme, document.policy,
                                                 document.base_url))
        variant = edition.config.pdf.variant
        failed = failures(pdf, variant)
        if failed:
            pdf = unclaimed(pdf)
            causes = uncovered(edition, glyphs.characters) or [
                "the content passed check, so this is a fault of the theme's pdf/ templates "
                "or of Folio: run `python generate.py build --keep-html` and report it with "
                "print.html"]
            log.warning("PDF: the file does not meet %s (%s), so it was written without "
                        "claiming it: %s", claim(variant), "; ".join(failed[:5]),
                        "; ".join(causes))
        return {f"{edition.slug}.pdf": pdf, "print.html": document.html.encode()}

    return finish


def render(edition: Edition, theme: Theme) -> Files:
    """Render the edition's PDF; return it with the exact HTML WeasyPrint was given."""
    return start(edition, theme)()
