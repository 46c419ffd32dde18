"""Word tables: a first row that reads as column headings becomes the table's header row.

Word marks a header row only when the author asks for one; most drafts just type the
headings into the first row, in plain text or in bold. Such a table imports as a pipe table
(or, when Markdown cannot express it, an HTML table with a `<thead>`); a table that starts
with figures keeps its first row as data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from folio.importers import import_draft
from folio.importers.draft import reads_as_header
from tests.importers.conftest import _import_text, bodies

QUARTERS = [("Region", "Q1", "Q2", "Q3", "Q4", "Total"),
            ("North coast", "£12,400", "£15,900", "£11,250", "£19,800", "£59,350"),
            ("South valleys", "£8,100", "£9,450", "£10,020", "£12,600", "£40,170"),
            ("Islands", "£3,300", "£2,950", "£4,100", "£5,210", "£15,560"),
            ("City centre", "£21,000", "£24,350", "£19,880", "£27,400", "£92,630")]
"""A 6-column table of figures whose first row is typed labels, not a Word header row."""


def word_table(path: Path, rows: list[tuple[str, ...]], *, merge: bool = False) -> Path:
    """Write a Word draft of one section holding one table; `merge` joins two body cells."""
    import docx

    document = docx.Document()
    document.add_heading("Money raised", level=1)
    document.add_paragraph("The money each region raised, by quarter.")
    table: Any = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if merge:
        table.cell(len(rows) - 1, 1).merge(table.cell(len(rows) - 1, 2)).text = "Not counted"
    document.save(str(path))
    return path


def imported(tmp_path: Path, rows: list[tuple[str, ...]], *, merge: bool = False) -> str:
    """Import a one-table draft; return its section's Markdown."""
    draft = word_table(tmp_path / "money.docx", rows, merge=merge)
    import_draft(draft, tmp_path / "content", "money")
    return bodies(tmp_path / "content" / "money")["01-money-raised.md"]


def test_a_first_row_of_labels_becomes_the_header_of_a_pipe_table(tmp_path: Path) -> None:
    body = imported(tmp_path, QUARTERS)
    assert ("| Region | Q1 | Q2 | Q3 | Q4 | Total |\n| --- | --- | --- | --- | --- | --- |\n"
            "| North coast | £12,400 |") in body
    assert "<table" not in body


def test_merged_cells_keep_an_html_table_with_its_header_row(tmp_path: Path) -> None:
    body = imported(tmp_path, QUARTERS, merge=True)
    assert "| ---" not in body
    head, _, rest = body.partition("</thead>")
    assert ('<thead>\n<tr><th scope="col">Region</th><th scope="col">Q1</th>'
            '<th scope="col">Q2</th>') in head
    assert '<th scope="col">Total</th></tr>' in head
    assert '<td colspan="2">Not counted</td>' in rest and "<th" not in rest


def test_a_first_row_of_figures_stays_a_row_of_data(tmp_path: Path) -> None:
    body = imported(tmp_path, QUARTERS[1:])
    assert "| ---" not in body and "<thead>" not in body and "<th" not in body
    assert "<tr><td>North coast</td><td>£12,400</td>" in body


def test_a_first_row_reaching_into_the_next_is_no_header_row(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Money raised", level=1)
    table: Any = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Region", "Quarter", "Note"), ("", "Q1", "Q2"),
                             ("North", "£1,200", "£1,400")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))
    document.save(str(tmp_path / "tall.docx"))
    import_draft(tmp_path / "tall.docx", tmp_path / "content", "tall")
    body = bodies(tmp_path / "content" / "tall")["01-money-raised.md"]
    assert '<td rowspan="2">Region</td>' in body and "<th" not in body


@pytest.mark.parametrize("rows", [
    [["Region", "Q1", "Total"], ["North", "£12,400", "£59,350"]],
    [["", "2024", "2025"], ["Members", "1,200", "1,450"]],  # an empty corner, years
    [["Year", "2024/25", "FY2026"], ["Members", "1,200", "1,450"]],
    [["Country", "Measure"], ["Brazil", "Digital Statute"]],
    [["Δομή", "Μέλη"], ["Αθήνα", "120"]],
])
def test_rows_of_short_labels_read_as_headers(rows: list[list[str]]) -> None:
    assert reads_as_header(rows)


@pytest.mark.parametrize("rows", [
    [["North coast", "£12,400", "£59,350"], ["Islands", "£3,300", "£15,560"]],
    [["Members", "95%"], ["Partners", "85"]],
    [["Region", "Q1"]],  # nothing under it
    [["Region", ""], ["North", "£12,400"]],  # a column without a heading
    [["Region", "Region"], ["North", "South"]],  # two columns of one name
    [["", ""], ["North", "South"]],
    [["12 May 2025", "Launch"], ["3 June 2025", "Summit"]],
    [["Our regions raised more money than in any year before this one", "Q1"],
     ["North", "£12,400"]],
    [["—", "Q1"], ["North", "£12,400"]],
])
def test_rows_of_figures_sentences_or_gaps_do_not(rows: list[list[str]]) -> None:
    assert not reads_as_header(rows)


def test_a_text_draft_decides_its_tables_header_rows_the_same_way() -> None:
    text = ("Harbour review\n\nMoney raised\n\nBy quarter:\n" + "\n".join(
        "\t".join(row) for row in QUARTERS[:3]) + "\n\nAnd by town:\n"
        "Falmouth\t32\t1,450\nBude & Truro\t<12>\t310\n")
    body = next(iter(bodies(_import_text(text, ".txt")).values()))
    assert "| Region | Q1 | Q2 | Q3 | Q4 | Total |\n| --- | --- | --- | --- | --- | --- |" in body
    assert ("<table>\n<tbody>\n<tr><td>Falmouth</td><td>32</td><td>1,450</td></tr>\n"
            "<tr><td>Bude &amp; Truro</td><td>&lt;12&gt;</td><td>310</td></tr>") in body
