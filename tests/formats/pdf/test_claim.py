"""Ordinary content keeps the PDF's claim, and what the PDF says reads as it was written.

An empty table cell, a compound word in a heading, a PDF the build wrote without its claim:
each met on content no test was tuned for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from folio.build import build
from folio.check import check_edition
from tests.conftest import FIXTURES
from tests.formats.pdf.helpers import ROOT, build_pdf, set_pdf

pytestmark = pytest.mark.slow

TOTALS = """---
title: Totals
---
| Region | Members |
|---|---|
| North | 12 |
| South |   |
|   | 30 |
"""
"""A table with empty cells, as a totals row has: one in each column."""


def broken_claim(project: Path) -> Path:
    """Copy the `constructs` edition with a back page whose picture has no description:
    a theme template breaks PDF/UA-1 where the content cannot."""
    folder = project / "content" / "constructs"
    shutil.copytree(FIXTURES / "content" / "constructs", folder)
    (folder / "templates" / "pdf").mkdir(parents=True)
    (folder / "templates" / "pdf" / "back.html").write_text(
        '<footer class="back"><img src="images/pic.png"></footer>\n', encoding="utf-8")
    return folder


def elements(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def cells_per_row(pdf: pikepdf.Pdf) -> list[list[int]]:
    """Return, for each `Table` of the tag tree, how many cells each of its rows holds."""
    tables, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if node.get("/S") == "/Table":
            rows, inside = [], [node]
            while inside:
                part = inside.pop()
                if part.get("/S") == "/TR":
                    rows.append(sum(k.S in ("/TD", "/TH") for k in elements(part)))
                inside += elements(part)
            tables.append(rows)
        stack += elements(node)
    return tables


def test_an_empty_table_cell_keeps_the_pdf_ua_claim(project: Path) -> None:
    (project / "content" / "mini" / "07-totals.md").write_text(TOTALS, encoding="utf-8")
    result, *_archive = build(["mini"], content=project / "content", out=project / "build",
                              formats=["pdf"], force=True)
    assert result.ok and not [w for w in result.warnings if "does not meet" in w], \
        result.warnings
    path = project / "build" / "mini" / "mini.pdf"
    assert page.validate_pdf(path, profile="ua1").is_compliant
    with pikepdf.open(path) as pdf:
        assert b"pdfuaid:part" in pdf.Root.Metadata.read_bytes()
        rows = cells_per_row(pdf)
    assert [2, 2, 2, 2] in rows, rows  # the empty cells hold their place
    assert all(len(set(table)) == 1 for table in rows), rows


def test_the_warning_names_the_command_as_the_user_ran_it(tmp_path: Path) -> None:
    """Installed, Folio is `folio`: its advice must not send the user to generate.py."""
    folio = Path(sys.executable).with_name("folio")
    if not folio.is_file():
        pytest.skip("the `folio` command is not installed next to this Python")
    broken_claim(tmp_path)
    done = subprocess.run([str(folio), "build", "constructs", "--format", "pdf"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "does not meet PDF/UA-1" in done.stderr, done.stderr
    assert "`folio build constructs --keep-html`" in done.stderr
    assert "generate.py" not in done.stderr


def test_check_pdf_does_not_say_an_unclaimed_file_claims_its_standard(tmp_path: Path) -> None:
    folder = broken_claim(tmp_path)
    result, *_archive = build(["constructs"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["pdf"], force=True)
    assert [w for w in result.warnings if "written without claiming it" in w]
    path = tmp_path / "build" / "constructs" / "constructs.pdf"
    standard = [f for f in check_edition(folder, pdf=path) if f.rule == "pdf-standard"]
    assert standard and all(f.severity == "warning" for f in standard), standard
    assert not [f for f in standard if "as it claims" in f.message]
    assert all("without claiming it" in f.message for f in standard)


def test_check_pdf_says_how_to_install_outloud_from_the_clone(tmp_path: Path) -> None:
    """`folio[validate]` is not on any index (another project may hold the name there)."""
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / "content" / "mini")
    path = build_pdf(tmp_path)
    script = ("import sys; sys.modules['outloud'] = None\n"
              "from folio.check import check_edition\n"
              "for f in check_edition(sys.argv[1], pdf=sys.argv[2]):\n"
              "    print(f.rule, f.severity, f.message)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "content" / "mini"),
                           str(path)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    [line] = [x for x in done.stdout.splitlines() if x.startswith("pdf-reading")]
    assert "outloud is not installed" in line
    assert "python -m pip install -e '.[validate]'" in line and "clone" in line
    assert "folio[validate]" not in line


CROSS = """---
title: A cross-sector partnership
---
We built cross-sector partnerships with youth-led groups, as the
[cross-sector report](https://example.org/cross-sector) says.
"""


def test_bookmarks_contents_and_text_copy_as_written(project: Path) -> None:
    """The word joiner that keeps `cross-sector` on one line is never part of the words."""
    folder = project / "content" / "mini"
    (folder / "07-cross.md").write_text(CROSS, encoding="utf-8")
    set_pdf(folder, contents="true")
    path = build_pdf(project)
    reader = PdfReader(path)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "A cross-sector partnership" in titles, titles
    texts = [p.extract_text() for p in reader.pages]
    with pdfplumber.open(path) as pdf:
        texts += [p.extract_text() for p in pdf.pages]
    assert all("\u2060" not in t for t in [*titles, *texts])
    assert sum("cross-sector partnership" in t for t in texts) >= 4  # contents and section
    with pikepdf.open(path) as pdf:
        strings = [str(v) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                   for v in o.values() if isinstance(v, pikepdf.String)]
    assert "cross-sector report" in strings  # the link's description
    assert not [s for s in strings if "\u2060" in s]
