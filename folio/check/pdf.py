"""PDF rules: a built PDF -> findings from two validators, for `check --pdf`.

- pdf-standard: the file fails a standard its `pdf: variant:` claims (PDF/UA-1; PDF/A-3A
  and PDF/UA-1; or PDF/A-3B), as `page-validation` (tested against veraPDF's corpus) finds;
- pdf-reading: what the `outloud` accessibility checker counts as an error: a link
  without its text, a note without a label, a figure without a description...

Both read the PDF a build wrote; they run only with `check --pdf`. A build
already refuses to write a PDF that fails its standard, so pdf-standard guards a file
made by another version of Folio or changed since; outloud is optional
(`pip install 'folio[validate]'`), and its warnings are left to `outloud FILE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..content import Edition
from ..errors import display_path
from .registry import Finding

CLAIMS = {"pdf/ua-1": {"PDF/UA-1": "ua1"}, "pdf/a-3a": {"PDF/A-3A": "3a", "PDF/UA-1": "ua1"},
          "pdf/a-3b": {"PDF/A-3B": "3b"}}
"""Each `pdf: variant:` -> the standards its file claims, with page-validation's profiles."""


RULE_NAMES = ("pdf-standard", "pdf-reading")
"""The names its findings carry. They run only when asked (`check --pdf`), whatever
`checks:` says, so they are not in the registry of switchable rules."""


def pdf_findings(edition: Edition, pdf: Path) -> Iterator[Finding]:
    """Validate a built PDF against the standards it claims, then read it with outloud."""
    import page

    where = display_path(pdf)
    for standard, profile in CLAIMS[edition.config.pdf.variant].items():
        messages: dict[str, str] = {}
        for failure in page.validate_pdf(pdf, profile=profile).failures:
            messages.setdefault(failure.rule_id, failure.message)
        for rule_id, message in messages.items():
            yield Finding(where, 1, 1, "pdf-standard", "error",
                          f"{rule_id}: {message}; the file does not meet {standard}, as it "
                          "claims: rebuild it with `build --force`")
    try:
        from outloud import check as outloud_check
    except ImportError:
        yield Finding(where, 1, 1, "pdf-reading", "warning",
                      "outloud is not installed, so the PDF was not read as a screen reader "
                      "would: pip install 'folio[validate]'")
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
