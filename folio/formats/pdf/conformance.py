"""Conformance: a finished PDF -> the standard it claims, confirmed by a validator, or refused.

The file says which standard it meets (PDF/UA-1, PDF/A-3A or PDF/A-3B, from `pdf:
variant:`). Before it is handed back to be written, `page-validation` (a PDF/UA-1 and
PDF/A validator, tested against veraPDF's corpus) checks it against that standard: a file
that fails is never written, so no PDF Folio makes claims what it is not.
"""

from __future__ import annotations

import json
import subprocess
import sys

CLAIMS = {"pdf/ua-1": {"PDF/UA-1": "ua1"}, "pdf/a-3a": {"PDF/A-3A": "3a", "PDF/UA-1": "ua1"},
          "pdf/a-3b": {"PDF/A-3B": "3b"}}
"""Each `pdf: variant:` -> the standards the file claims, with page-validation's profiles."""

VALIDATE = """
import json, sys, page
report = page.validate_pdf_bytes(sys.stdin.buffer.read(), profile=sys.argv[1])
messages = {}
for failure in report.failures:
    messages.setdefault(failure.rule_id, failure.message)
print(json.dumps([f"{rule}: {message}" for rule, message in messages.items()]))
"""
"""The validation, run in a process of its own: page-validation's worker threads do not
survive a fork, so a build process that forks workers after validating would hang in
them (`build --jobs`, the PDF helper)."""


def failures(pdf: bytes, variant: str) -> list[str]:
    """Return how the PDF fails the standards its variant claims, one rule a line; [] if none."""
    found: list[str] = []
    for profile in CLAIMS[variant].values():
        done = subprocess.run([sys.executable, "-c", VALIDATE, profile], input=pdf,
                              capture_output=True, timeout=300, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"page-validation failed: {done.stderr.decode(errors='replace')}")
        found += json.loads(done.stdout)
    return found


def claim(variant: str) -> str:
    """Return the standards a variant's file claims, for a person: `PDF/A-3A and PDF/UA-1`."""
    return " and ".join(CLAIMS[variant])
