"""PDF rules: a built PDF -> findings from two validators, for `check --pdf`.

- pdf-standard: the file fails the standard its `pdf: variant:` claims (PDF/UA-1,
  PDF/A-3A or PDF/A-3B), as `page-validation` (tested against veraPDF's corpus) finds;
- pdf-reading: what the `outloud` accessibility checker counts as an error: a link
  without its text, a note without a label, a figure without a description...

Both read the PDF a build wrote (`ctx.pdf`); without one they find nothing. A build
already refuses to write a PDF that fails its standard, so pdf-standard guards a file
made by another version of Folio or changed since; outloud is optional
(`pip install 'folio[validate]'`), and its warnings are left to `outloud FILE`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import display_path
from .registry import Finding, Rule, rule
from .texts import Context

PROFILES = {"pdf/ua-1": "ua1", "pdf/a-3a": "3a", "pdf/a-3b": "3b"}
"""Each `pdf: variant:` -> page-validation's profile of the standard it claims."""


@rule(
    Rule("pdf-standard", "pdf", "error",
         "The built PDF fails the standard it claims (page-validation).",
         "PDFUA1-LINK-LINK-TAG-001: annotation 3 on page 2 is not nested within a Link"),
    Rule("pdf-reading", "pdf", "error",
         "The outloud accessibility checker finds an error in the built PDF.",
         "LNK-003: 4 /Link element(s) have no text and no /Alt"),
)
def check_pdf(ctx: Context) -> Iterator[Finding]:
    """Validate the built PDF against its standard, then read it with outloud."""
    if ctx.pdf is None:
        return
    import page

    where = display_path(ctx.pdf)
    variant = ctx.edition.config.pdf.variant
    report = page.validate_pdf(ctx.pdf, profile=PROFILES[variant])
    counts: dict[str, list[str]] = {}
    for failure in report.failures:
        counts.setdefault(failure.rule_id, []).append(failure.message)
    for rule_id, messages in counts.items():
        yield Finding(where, 1, 1, "pdf-standard", "error",
                      f"{rule_id}: {messages[0]}; the file does not meet "
                      f"{variant.upper()}: rebuild it with `build --force`")
    try:
        from outloud import check as outloud_check
    except ImportError:
        yield Finding(where, 1, 1, "pdf-reading", "warning",
                      "outloud is not installed, so the PDF was not read as a screen reader "
                      "would: pip install 'folio[validate]'")
        return
    result = outloud_check(str(ctx.pdf))
    if result.error:
        yield Finding(where, 1, 1, "pdf-reading", "error", f"outloud cannot read the PDF: "
                                                           f"{result.error}")
    for found in result.sorted_findings():
        if found.severity == "error":
            page_note = f" (page {found.page})" if found.page else ""
            yield Finding(where, 1, 1, "pdf-reading", "error",
                          f"{found.rule}{page_note}: {found.message}")
