"""PDF rules: a built PDF -> findings from two validators, for `check --pdf`.

- pdf-standard: the file fails a standard its `pdf: variant:` claims (PDF/UA-1; PDF/A-3A
  and PDF/UA-1; or PDF/A-3B), as `page-validation` (tested against veraPDF's corpus) finds;
- pdf-reading: what the `outloud` accessibility checker counts as an error: a link
  without its text, a note without a label, a figure without a description...

Both read the PDF a build wrote; they run only with `check --pdf`. A build
already writes a PDF that fails its standard without claiming it (and says why), so
pdf-standard is an error for a file that claims what it is not (made by another version of
Folio or changed since), and a warning for a file the build wrote without the claim.
outloud is optional (the `validate` extra, installed from the clone:
`python -m pip install -e '.[validate]'`), and its warnings are left to `outloud FILE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..content import Edition
from ..errors import display_path
from .registry import Finding

CLAIMS = {"pdf/ua-1": {"PDF/UA-1": "ua1"}, "pdf/a-3a": {"PDF/A-3A": "3a", "PDF/UA-1": "ua1"},
          "pdf/a-3b": {"PDF/A-3B": "3b"}}
"""Each `pdf: variant:` -> the standards its file claims, with page-validation's profiles."""


IDENTIFIED_BY = {"PDF/UA-1": rb"pdfuaid:part", "PDF/A-3A": rb"pdfaid:part",
                 "PDF/A-3B": rb"pdfaid:part"}
"""Each standard -> what its identification in the file's XMP metadata holds."""
INSTALL_OUTLOUD = ("install Folio's `validate` extra: in your clone of Folio, run "
                   "`python -m pip install -e '.[validate]'`")


RULE_NAMES = ("pdf-standard", "pdf-reading")
"""The names its findings carry. They run only when asked (`check --pdf`), whatever
`checks:` says, so they are not in the registry of switchable rules."""


def pdf_findings(edition: Edition, pdf: Path) -> Iterator[Finding]:
    """Validate a built PDF against the standards it claims, then read it with outloud."""
    import page

    where = display_path(pdf)
    metadata = _metadata(pdf)
    for standard, profile in CLAIMS[edition.config.pdf.variant].items():
        messages: dict[str, str] = {}
        for failure in page.validate_pdf(pdf, profile=profile).failures:
            messages.setdefault(failure.rule_id, failure.message)
        claimed = re.search(IDENTIFIED_BY[standard], metadata) is not None
        for rule_id, message in messages.items():
            if claimed:
                yield Finding(where, 1, 1, "pdf-standard", "error",
                              f"{rule_id}: {message}; the file does not meet {standard}, as "
                              "it claims: rebuild it with `build --force`")
            else:
                yield Finding(where, 1, 1, "pdf-standard", "warning",
                              f"{rule_id}: {message}; the file does not meet {standard}, so "
                              "the build wrote it without claiming it: fix what the build's "
                              "warning names, then build again")
    try:
        from outloud import check as outloud_check
    except ImportError:
        yield Finding(where, 1, 1, "pdf-reading", "warning",
                      "outloud is not installed, so the PDF was not read as a screen reader "
                      f"would: {INSTALL_OUTLOUD}")
        return
    result = outloud_check(str(pdf))
    if result.error:
        yield Finding(where, 1, 1, "pdf-reading", "error", f"outloud cannot read the PDF: "
                                                           f"{result.error}")
    for found in result.sorted_findings():
        if found.severity == "error":
            page_note = f" (page {found.page})" if found.page else ""
            yield Finding(where, 1, 1, "pdf-reading", "error",
                          f"{found.rule}{page_note}: {found.message}")


def _metadata(pdf: Path) -> bytes:
    """Return the file's XMP metadata, where it says which standards it claims; b"" if none."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        metadata = document.Root.get("/Metadata")
        return b"" if metadata is None else bytes(metadata.read_bytes())
