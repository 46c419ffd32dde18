"""The build proofs the laid-out PDF as a printer would (`formats.pdf.proof`): a glyph
near the trim, words drawn over words or a table wider than its page is named by section
and page; a print-ready build stops there, any other build warns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build
from folio.formats.pdf.fetcher import ResourcePolicy
from folio.formats.pdf.layout import PrintDocument, write_pdf
from tests.formats.pdf.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "content"
PAGE = "<style>@page { size: A4; margin: 20mm }</style>"


def proof_of(tmp_path: Path, body: str) -> list[str]:
    document = PrintDocument(
        f"<!doctype html><html lang=en><title>T</title>{PAGE}<body>"
        f'<section id="s-1">{body}</section></body></html>',
        tmp_path.as_uri() + "/", ResourcePolicy.of([tmp_path]),
        {"pdf_variant": "pdf/ua-1", "pdf_tags": True}, files={"s-1": "02-figures.md"})
    found: list[str] = []
    write_pdf(document, proof=found)
    return found


def test_a_clean_page_passes(tmp_path: Path) -> None:
    assert proof_of(tmp_path, "<p>Twelve months ago we promised.</p>" * 40) == []


def test_values_set_too_large_for_their_cells_are_caught(tmp_path: Path) -> None:
    """The PDF's old key figures: 38 pt values that may not wrap, in 50 mm columns."""
    cells = "".join(f'<span style="display: inline-block; width: 50mm; white-space: nowrap; '
                    f'font: 700 38pt serif">{value}</span>'
                    for value in ("£12.4 million", "1,250,000+", "98.7 per cent"))
    found = proof_of(tmp_path, f"<div>{cells}</div>")
    assert any("'1,250,000+' is drawn over '£12.4 million'" in f for f in found), found
    assert any("'98.7 per cent' is within 5 mm of the trim" in f for f in found), found
    assert all(f.startswith("02-figures.md, page 1: ") for f in found)


def test_a_table_wider_than_its_page_is_caught(tmp_path: Path) -> None:
    row = "".join(f"<td>{n * 1111:,}</td>" for n in range(1, 25))
    found = proof_of(tmp_path, f"<table><tr>{row}</tr></table>")
    assert any("a table" in f and "wide runs past the safe zone" in f for f in found), found


def test_lines_set_solid_are_not_taken_for_overlaps(tmp_path: Path) -> None:
    """Text boxes are as tall as the font's ascent and descent; only the ink counts."""
    found = proof_of(tmp_path, '<p style="font: 30pt/1 serif">Twelve<br>months<br>ago</p>'
                     '<p style="font: 96pt/1 serif; height: 10mm; margin: 0">\u201c</p>'
                     "<p>we promised</p>")
    assert found == []


@pytest.mark.slow
def test_a_print_ready_build_stops_at_a_spill_and_another_warns(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content / "mini")
    (content / "mini" / "02-code.md").write_text(
        "---\ntitle: Reference\n---\n`" + "X" * 160 + "`\n", encoding="utf-8")
    # Code may break anywhere in the default theme; this edition's copy says it may not.
    (content / "mini" / "templates" / "pdf").mkdir(parents=True)
    css = (ROOT / "templates" / "default" / "pdf" / "print.css").read_text(encoding="utf-8")
    (content / "mini" / "templates" / "pdf" / "print.css").write_text(
        css + "\n.prose code { white-space: nowrap; overflow-wrap: normal; }\n",
        encoding="utf-8")
    config = content / "mini" / "edition.yaml"
    text = config.read_text(encoding="utf-8")
    [result, *_] = build(["mini"], content=content, out=tmp_path / "build",
                         formats=["pdf"], force=True)
    assert result.ok
    assert any("02-code.md, page 3: 'XXX" in w and "within 5 mm of the trim" in w
               for w in result.warnings), result.warnings
    config.write_text(text + "pdf:\n  print_ready: true\n", encoding="utf-8")
    [result, *_] = build(["mini"], content=content, out=tmp_path / "build2",
                         formats=["pdf"], force=True)
    assert not result.ok
    assert any("02-code.md, page" in str(p) for p in result.problems), result.problems
