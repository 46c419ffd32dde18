"""A chart's words and numbers follow the edition's language; its drawing follows the theme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.charts import chart_view, described, read_charts
from folio.charts.palette import contrast, palette
from folio.charts.spec import vega_lite
from folio.content import load_edition
from folio.i18n import words_for
from folio.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "content" / "charts"


def edition_with(tmp_path: Path, language: str, block: str, data: str) -> object:
    folder = tmp_path / "content" / "numbers"
    (folder / "data").mkdir(parents=True)
    settings = (FIXTURE / "edition.yaml").read_text().replace("language: en-GB",
                                                              f"language: {language}")
    (folder / "edition.yaml").write_text(settings)
    (folder / "data" / "money.csv").write_text(data)
    (folder / "01-money.md").write_text(f"---\ntitle: Money\n---\n```chart\n{block}\n```\n")
    return read_charts(load_edition(folder))


BLOCK = "data: data/money.csv\ntype: bar\nx: year\ny: amount"
DATA = "year,amount\n2024,1234.5\n2025,-20\n"


@pytest.mark.parametrize(("language", "written"), [
    ("en-GB", "1,234.5"), ("fr", "1\u202f234,5"), ("de", "1.234,5"), ("ar", "1,234.5")])
def test_the_data_table_writes_numbers_as_the_language_does(
        tmp_path: Path, language: str, written: str) -> None:
    edition = edition_with(tmp_path, language, BLOCK, DATA)
    chart = edition.sections[0].charts[0]  # type: ignore[attr-defined]
    view = chart_view(chart, language)
    assert view.columns == [("year", False), ("amount", True)]
    assert view.rows == [["2024", written], ["2025", "-20"]]  # a year is a name, not grouped


@pytest.mark.parametrize(("language", "start"), [
    ("en-GB", "Bar chart of amount by year. Highest: 2024, 1,234.5. Lowest: 2025, -20."),
    ("fr", "Diagramme en barres de amount par year. Maximum : 2024, 1\u202f234,5."),
    ("ar", "مخطط شريطي لـamount حسب year. الأعلى: 2024، 1,234.5."),
])
def test_a_description_left_out_is_written_from_the_data_in_the_language(
        tmp_path: Path, language: str, start: str) -> None:
    edition = edition_with(tmp_path, language, BLOCK, DATA)
    chart = edition.sections[0].charts[0]  # type: ignore[attr-defined]
    assert described(chart, words_for(language, {})).startswith(start)


def test_right_to_left_editions_draw_from_the_right(tmp_path: Path) -> None:
    edition = edition_with(tmp_path, "ar", BLOCK, DATA)
    chart = edition.sections[0].charts[0]  # type: ignore[attr-defined]
    theme = load_theme("default", ROOT)
    spec = vega_lite(chart, theme.config, "ar", "'Lato'", rtl=True)
    encoding = spec["layer"][0]["encoding"]
    assert encoding["y"]["axis"]["orient"] == "right"
    assert encoding["x"]["scale"]["reverse"] is True
    assert spec["layer"][-1]["mark"]["type"] == "rule"  # the zero line, under a negative value


def test_series_colours_are_the_theme_s_and_readable_on_its_paper() -> None:
    for name in ("default", "plain"):
        config = load_theme(name, ROOT).config
        colours = palette(config)
        assert colours[0] == config.colours.accent or contrast(config.colours.accent,
                                                               config.colours.paper) < 3
        assert len(set(colours)) == 6
        assert all(contrast(colour, config.colours.paper) >= 3 for colour in colours)


def test_an_xlsx_sheet_is_read_by_name_with_numbers_as_numbers(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "charts")
    edition = read_charts(load_edition(tmp_path / "charts"))
    members = edition.sections[1].charts[0]
    assert members.table.columns == ("quarter", "city", "members")
    assert members.table.rows[0] == ("Q1", "Montréal", 120)


def test_without_vl_convert_the_build_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from folio.charts import draw_charts
    from folio.errors import ContentError

    edition = edition_with(tmp_path, "en-GB", BLOCK, DATA)
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # as if it were not installed
    with pytest.raises(ContentError) as raised:
        draw_charts(edition, load_theme("default", ROOT))  # type: ignore[arg-type]
    [problem] = raised.value.problems
    assert (problem.line, problem.column) == (4, 1)
    assert "pip install 'folio[charts]'" in problem.message
