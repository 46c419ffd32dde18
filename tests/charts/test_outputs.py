"""Charts in every output: the `charts` fixture edition built once, offline, then read back.

The edition has five charts: stacked bars with negative values (CSV), lines of three
series and stacked areas (a sheet of an XLSX file, not the first), a pie with accented,
Arabic and Hebrew labels (JSON) and points; two have no description.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from folio.build import CHARTS, build
from tests.nuchecker import pages

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "content" / "charts"
DESCRIBED = ("Stacked bars for each year from 2021 to 2025. Grants rise from 120 to 180 "
             "thousand pounds and donations from 80 to 135; trading is small and below zero "
             "in 2021 and 2024.")
WRITTEN = ("Line chart of members by quarter and city (Montréal, Québec, Zürich). "
           "Highest: Q4, Montréal, 170. Lowest: Q1, Zürich, 40.")
"""The description written from the data of the chart that has none."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture edition built into all three outputs; returns its build folder."""
    project = tmp_path_factory.mktemp("charts")
    shutil.copytree(FIXTURE, project / "content" / "charts")
    results = list(build(["charts"], content=project / "content", out=project / "build"))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    assert not [w for r in results for w in r.warnings if "PDF" in w]  # it meets PDF/UA-1
    return project / "build" / "charts"


class Figures(HTMLParser):
    """The web page's chart figures: each SVG's attributes, its data table's rows."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[dict[str, str | None]] = []
        self.tables: list[list[list[str]]] = []
        self.summaries: list[str] = []
        self.in_figure = self.in_summary = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "figure" and found.get("class") == "chart":
            self.in_figure = True
        elif self.in_figure and tag == "svg":
            self.svgs.append(found)
        elif self.in_figure and tag == "table":
            self.tables.append([])
        elif self.in_figure and tag == "tr":
            self.tables[-1].append([])
        elif self.in_figure and tag in ("td", "th"):
            self.cell = []
        elif tag == "summary":
            self.in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self.in_figure = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "summary":
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.in_summary:
            self.summaries[-1] += data


def test_the_web_page_names_each_drawing_and_offers_its_data(built: Path) -> None:
    html = (built / "index.html").read_text()
    figures = Figures()
    figures.feed(html)
    assert len(figures.svgs) == 5
    assert all(svg["role"] == "img" for svg in figures.svgs)
    labels = [svg["aria-label"] for svg in figures.svgs]
    assert labels[0] == DESCRIBED
    assert labels[1] == WRITTEN
    assert labels[2].startswith("Pie chart of share by region: Île-de-France 38%")
    assert figures.summaries == ["Show the data"] * 5
    income = figures.tables[0]
    assert income[0] == ["year", "source", "amount"]
    assert len(income) == 16 and ["2021", "Trading", "-15"] in income
    assert ["Q4", "Zürich", "92"] in figures.tables[1]
    assert ["القاهرة", "17"] in figures.tables[2]
    # Labels are text of the drawing, non-Latin ones included; nothing is fetched.
    assert re.search(r"<t(?:ext|span)\b[^>]*>القاهرة</t", html)
    assert "Montréal</text>" in html
    assert "Donations</text>" in html  # each series named at its end, not by colour alone
    assert not re.search(r'<svg[^>]*>(?:(?!</svg>).)*(?:href|url\()', html, re.S)


def test_the_email_shows_a_png_twice_as_wide_as_shown_with_the_description(built: Path) -> None:
    html = (built / "email.html").read_text()
    assert "<svg" not in html
    pictures = re.findall(r'<img src="([^"]*charts-[^"]*\.png)" alt="([^"]*)" width="(\d+)"', html)
    assert len(pictures) == 5
    src, alt, width = pictures[0]
    assert src == "https://example.org/charts/email-images/charts-income--chart-1.png"
    assert alt == DESCRIBED
    assert pictures[1][1] == WRITTEN
    for src, _alt, width in pictures:
        with Image.open(built / "email-images" / src.rsplit("/", 1)[1]) as png:
            assert png.width == 2 * int(width) == 1072
    assert "<svg" not in (built / "email.eml").read_text(errors="replace")


def test_the_plain_text_email_gives_the_title_and_the_data_as_a_table(built: Path) -> None:
    text = (built / "email.txt").read_text()
    assert "Income by source, 2021 to 2025 (£ thousands)" in text
    assert "year | source    | amount\n-----+-----------+-------\n2021 | Grants    | 120" in text
    assert "Q1      | Montréal | 120" in text


def test_the_pdf_draws_labels_as_text_in_the_theme_font(built: Path) -> None:
    with pdfplumber.open(built / "charts.pdf") as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
        text = "\n".join(p.extract_text() for p in pdf.pages)
    for label in ("Grants", "Donations", "Trading", "Montréal", "Zürich", "Q4", "2025",
                  "Île-de-France", "Kraków", "38%"):
        assert label in text, label
    fonts = {c["fontname"].split("+")[-1] for c in chars if c["text"] == "Z"}
    assert fonts <= {"Lato", "Lato-Bold", "Lato-Regular"}, fonts


def test_the_pdf_tags_each_chart_a_figure_with_its_description(built: Path) -> None:
    with pikepdf.open(built / "charts.pdf") as pdf:
        alts = []

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Figure":
                alts.append(str(element.get("/Alt", "")))
            kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []):
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert DESCRIBED in alts and WRITTEN in alts
    assert sum(alt.startswith("Pie chart of share by region") for alt in alts) == 1


def test_the_pdf_passes_pdf_ua_1(built: Path) -> None:
    report = page.validate_pdf(built / "charts.pdf", profile="ua1")
    assert report.is_compliant, sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


def test_the_pdf_prints_the_data_table_when_asked(built: Path) -> None:
    with pdfplumber.open(built / "charts.pdf") as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Q3 Québec 88" in text  # `table: true` on the members chart
    assert "2023 Donations 110" not in text  # not on the others


def test_an_unchanged_chart_is_not_drawn_again(built: Path, tmp_path: Path) -> None:
    project = tmp_path
    shutil.copytree(FIXTURE, project / "content" / "charts")
    shutil.copytree(built.parent / CHARTS, project / "build" / CHARTS)
    kept = {p.name: p.stat().st_mtime_ns for p in (project / "build" / CHARTS).iterdir()}
    assert len(kept) == 10  # an SVG and a PNG for each of the five charts
    balance = project / "content" / "charts" / "data" / "balance.csv"
    balance.write_text(balance.read_text().replace("2025,21.75", "2025,30"))
    results = list(build(["charts"], content=project / "content", out=project / "build",
                         formats=["web"]))
    assert all(r.ok for r in results)
    now = {p.name: p.stat().st_mtime_ns for p in (project / "build" / CHARTS).iterdir()}
    assert {name: now[name] for name in kept} == kept  # nothing redrawn, nothing rewritten
    assert len(set(now) - set(kept)) == 2  # the changed chart only: its SVG and its PNG


def test_the_web_page_with_charts_passes_the_nu_checker(built: Path, nu_checker) -> None:
    checked = pages(built)
    assert checked
    assert nu_checker(checked) == []
