"""Conformance: a finished PDF -> the standard it claims, confirmed by a validator, or refused.

The file says which standard it meets (PDF/UA-1, PDF/A-3A or PDF/A-3B, from `pdf:
variant:`). Before it is handed back to be written, `page-validation` (a PDF/UA-1 and
PDF/A validator, tested against veraPDF's corpus) checks it against that standard: a file
that fails is never written, so no PDF Folio makes claims what it is not.
"""

from __future__ import annotations

CLAIMS = {"pdf/ua-1": ("PDF/UA-1", "ua1"), "pdf/a-3a": ("PDF/A-3A", "3a"),
          "pdf/a-3b": ("PDF/A-3B", "3b")}
"""Each `pdf: variant:` -> the standard's name and page-validation's profile for it."""


def failures(pdf: bytes, variant: str) -> list[str]:
    """Return how the PDF fails the standard its variant claims, one rule a line; [] if none."""
    import page

    report = page.validate_pdf_bytes(pdf, profile=CLAIMS[variant][1])
    if report.is_compliant:
        return []
    messages: dict[str, str] = {}
    for failure in report.failures:
        messages.setdefault(failure.rule_id, failure.message)
    return [f"{rule}: {message}" for rule, message in messages.items()]
