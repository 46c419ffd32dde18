"""`check --pdf`: the built PDF against the standard it claims, and read by outloud."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf

from folio.check import check_edition
from tests.conftest import FIXTURES
from tests.formats.pdf.helpers import build_pdf, run_generate


def test_check_pdf_passes_a_built_edition(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / "content" / "mini")
    done = run_generate(tmp_path, "check", "mini", "--pdf", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [f for f in json.loads(done.stdout or "[]") if f["rule"].startswith("pdf-")]
    assert (tmp_path / "build" / "mini" / "mini.pdf").is_file()  # built on the way


def test_check_pdf_finds_a_file_that_breaks_its_claim(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / "content" / "mini")
    path = build_pdf(tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for annotation in pdf.pages[1].Annots:  # the contents page's links lose their tags
            del annotation["/StructParent"]
            annotation.Contents = pikepdf.String("")
        pdf.save(path)
    findings = check_edition(tmp_path / "content" / "mini", pdf=path)
    rules = {(f.rule, f.severity) for f in findings}
    assert ("pdf-standard", "error") in rules and ("pdf-reading", "error") in rules
    standard = next(f for f in findings if f.rule == "pdf-standard")
    assert standard.file.endswith("mini.pdf") and "PDFUA1-" in standard.message
    assert "PDF/UA-1" in standard.message
