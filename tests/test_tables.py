"""Numeric columns and total rows are found once, for every output (`folio.tables`), and
a table is fitted to the printed page before it is laid out (`formats.pdf.tables`)."""

from __future__ import annotations

import pytest

from folio.formats.pdf.tables import fit, fit_tables
from folio.markup import render_markdown
from folio.tables import is_number, is_total


def html(markdown: str) -> str:
    return render_markdown(markdown, "t")[0]


@pytest.mark.parametrize("text", ["1,250", "£12.4m", "−3.1 %", "+12.5 %", "٣٬٤٠٠", "98.7%",
                                  "$0.87", "1 250 000", "12.4 bn", "400+", "84.000 €",
                                  "14,20\u00a0€", "€ 84.000", "US$ 5", "R$ 1.200,50"])
def test_numbers_with_their_currency_sign_and_unit_are_numbers(text: str) -> None:
    assert is_number(text)


@pytest.mark.parametrize("text", ["Lismore", "Week 1", "n/a", "about 40", "2 or 3 times",
                                  "€", "Total €", "€ per head", "3 €/mes"])
def test_words_are_not_numbers(text: str) -> None:
    assert not is_number(text)


@pytest.mark.parametrize("cell", ["Total", "TOTAL:", "Totaal", "Gesamt", "Total général",
                                  "Totale", "الإجمالي", "<strong>All centres</strong>"])
def test_a_total_row_is_named_or_marked_in_bold(cell: str) -> None:
    assert is_total(cell)


def test_numeric_columns_and_the_total_row_are_marked() -> None:
    table = html("| Fund | Income | Note |\n|---|---|---|\n| Kitchens | 3,120 | rent |\n"
                 "| Warmth | – | fuel |\n| **All funds** | 3,120 | |\n")
    assert '<th scope="col" class="num">Income</th>' in table
    assert '<td class="num">–</td>' in table and "<td>rent</td>" in table
    assert '<tr class="total">' in table and table.count('class="total"') == 1


def test_a_last_row_that_is_not_a_total_stays_a_row() -> None:
    table = html("| Clinic | Visits |\n|---|---|\n| Lismore | 212 |\n| Kyogle | 88 |\n")
    assert "total" not in table


def row(cells: int, value: str = "12,345") -> str:
    return "| " + " | ".join(["Middlesbrough and district"] + [value] * (cells - 1)) + " |\n"


def table_of(columns: int, value: str = "12,345") -> str:
    head = "| Centre | " + " | ".join(f"M{n}" for n in range(1, columns)) + " |\n"
    rule = "|" + "---|" * columns + "\n"
    return html(head + rule + row(columns, value) * 3)


@pytest.mark.parametrize(("columns", "kind"), [
    (4, ""), (9, "table--wide"), (12, "table--wide table--small"),
    (17, "table--landscape table--small"), (30, "table--records")])
def test_a_wider_table_takes_more_room_never_less_than_it_needs(columns: int,
                                                                kind: str) -> None:
    assert fit(table_of(columns)) == kind


def test_a_table_too_wide_for_a_landscape_page_becomes_one_table_a_row() -> None:
    fitted = fit_tables(table_of(30))
    assert fitted.count('<table class="record">') == 3
    assert '<th scope="row">M29</th><td class="num">12,345</td>' in fitted


def test_a_landscape_page_takes_what_introduces_its_table() -> None:
    """The headings just above the table go over with it, and a short opening of the
    section too, which then opens on the landscape page (`table-page--opening`)."""
    table = table_of(17)
    short = fit_tables(f"<p>The weeks, centre by centre.</p>\n<h3>Weekly</h3>\n{table}")
    assert short.startswith('<div class="table-page table-page--opening"><p>The weeks')
    assert short.index("<h3>Weekly</h3>") < short.index("<table")
    long = " ".join(["The centres stayed open every evening of the winter."] * 8)
    fitted = fit_tables(f"<p>{long}</p>\n<h3>Weekly</h3>\n{table}")
    assert "table-page--opening" not in fitted
    assert fitted.index("<p>") < fitted.index('<div class="table-page"><h3>Weekly</h3>')
    inside = fit_tables(f"<ul>\n<li>Weekly\n{table}</li>\n</ul>")
    assert inside.startswith("<ul>\n<li>Weekly\n<div") and "--opening" not in inside
