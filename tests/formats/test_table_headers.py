"""A table's header row reaches every output: cards on a phone, labels in the email, TH in the PDF.

Two tables nobody tuned: one imported from a Word draft whose first row is typed labels
(not a Word header row), and one written by hand in HTML with its `<th>` row in the body.
Measured in a real Chromium and in the PDF's structure tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.build import build
from folio.importers import import_draft
from folio.markup import column_labels, render_markdown
from tests.formats.pdf.helpers import Tagged
from tests.formats.test_web_design import OVERFLOW
from tests.importers.test_tables import QUARTERS, word_table

pytestmark = pytest.mark.browser

PROGRAMMES = """---
title: Programmes
---

What each programme reached this year.

<table>
<tr><th>Programme</th><th>Sites</th><th>Young people</th><th>Volunteers</th><th>Budget</th></tr>
<tr><td>Coastal clubs</td><td>12</td><td>1,450</td><td>88</td><td>£40,000</td></tr>
<tr><td>Safer online</td><td>31</td><td>3,200</td><td>140</td><td>£65,500</td></tr>
</table>
"""
"""A hand-written table whose header row is `<th>` cells without a `<thead>`."""
HEADINGS = {"Region": list(QUARTERS[0]),
            "Programme": ["Programme", "Sites", "Young people", "Volunteers", "Budget"]}
"""Each table (by its first heading) and its column headings."""
CARDS = """() => [...document.querySelectorAll('main table')].map(table => ({
    stacks: table.classList.contains('stacks'),
    cells: [...table.querySelectorAll(':scope > tbody > tr')].map(row =>
      [...row.cells].map(cell => ({
        label: cell.dataset.label ?? null, text: cell.textContent.trim(),
        right: cell.getBoundingClientRect().right,
        before: getComputedStyle(cell, '::before').content})))}))"""
PHONE_ROWS = """() => [...document.querySelectorAll('table.fo-data')].map(table =>
    [...table.querySelectorAll(':scope > tbody > tr')].map(row => [...row.cells].map(cell =>
        cell.innerText.trim())))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Import the Word table, add the hand-written one, build every output."""
    root = tmp_path_factory.mktemp("table-headers")
    import_draft(word_table(root / "money.docx", QUARTERS), root / "content", "money")
    (root / "content" / "money" / "02-programmes.md").write_text(PROGRAMMES, encoding="utf-8")
    [result, _] = build(["money"], content=root / "content", out=root / "build")
    assert result.ok, result.problems
    return root / "build" / "money"


def test_a_first_row_of_header_cells_becomes_the_header_row() -> None:
    html, _ = render_markdown(PROGRAMMES.split("---\n", 2)[2], "p")
    head, _, body = html.partition("</thead>")
    assert '<thead><tr><th scope="col">Programme</th><th scope="col" class="num">Sites</th>' in head
    assert "<th" not in body and "<td>Coastal clubs</td>" in body
    assert column_labels(html) == HEADINGS["Programme"]
    single, _ = render_markdown("<table><tr><th>Alone</th></tr></table>", "p")
    assert "<thead>" not in single, "a row with nothing under it heads nothing"


def test_wide_tables_become_labelled_cards_on_a_phone(open_page, built: Path) -> None:
    page = open_page(built / "index.html", 375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(OVERFLOW) == []
    tables = page.evaluate(CARDS)
    assert len(tables) == 2 and all(table["stacks"] for table in tables)
    for table in tables:
        headings = HEADINGS[table["cells"][0][0]["label"]]
        for row in table["cells"]:
            assert [cell["label"] for cell in row] == headings
            assert all(cell["right"] <= 375 for cell in row), row
            for cell in row[1:]:  # the first cell names the card; the others say their column
                assert cell["before"] not in ("none", "normal"), cell
    totals = [row[-1]["text"] for row in tables[0]["cells"]]
    assert totals == [row[-1] for row in QUARTERS[1:]]


def test_wide_tables_stay_tables_on_a_desk(open_page, built: Path) -> None:
    page = open_page(built / "index.html", 1280)
    heads = page.evaluate("""() => [...document.querySelectorAll('main thead')].map(head =>
        [...head.querySelectorAll('th')].filter(th => th.offsetWidth > 0)
            .map(th => th.textContent.trim()))""")
    assert heads == [HEADINGS["Region"], HEADINGS["Programme"]]


def test_every_value_in_the_email_on_a_phone_has_its_label(open_page, built: Path) -> None:
    phone = open_page(built / "email.html", 375).evaluate(PHONE_ROWS)
    desk = open_page(built / "email.html", 600).evaluate(PHONE_ROWS)
    assert len(phone) == 2
    for table, wide in zip(phone, desk, strict=True):
        headings = HEADINGS["Region" if table[0][0] == "North coast" else "Programme"]
        assert len(table) == (4 if headings[0] == "Region" else 2)
        for row, wide_row in zip(table, wide, strict=True):
            for heading, value, shown in zip(headings[1:], wide_row[1:], row[1:], strict=True):
                assert shown == f"{heading}: {value}", (shown, heading)
                assert ":" not in value, "on a wide screen the column heads the value"


def test_the_pdf_has_a_header_row_of_column_header_cells(built: Path) -> None:
    tree = Tagged(built / "money.pdf")
    for table in tree.of_kind("/Table"):
        assert [str(k.S) for k in tree.kids(table) if tree.is_element(k)] == ["/THead", "/TBody"]
        heads = [cell for cell in tree.walk(table) if cell.S == "/TH"]
        assert [tree.text(cell) for cell in heads] in HEADINGS.values()
        assert all(cell.A.Scope == "/Column" for cell in heads)
    assert len(tree.of_kind("/Table")) == 2
