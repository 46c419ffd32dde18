"""Bad chart input: each an error at the section's file, line and column, from `build` and
`check` alike; the build exits 1 and keeps the last good outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from folio.cli import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "content" / "charts"
SECTION = """---
title: Income
---
Some text first.

```chart
data: data/income.csv
type: bar
x: year
y: amount
color: source
title: Income
```
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose one edition has one chart (line 6 opens it), built for the web."""
    edition = tmp_path / "content" / "small"
    (edition / "data").mkdir(parents=True)
    shutil.copy(FIXTURE / "edition.yaml", edition)
    shutil.copy(FIXTURE / "data" / "income.csv", edition / "data")
    (edition / "01-income.md").write_text(SECTION)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "small", "--format", "web"]) == 0
    return tmp_path


def broken(project: Path, old: str, new: str) -> None:
    path = project / "content" / "small" / "01-income.md"
    path.write_text(path.read_text().replace(old, new))


def findings(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["check", "small", "--format", "json"]) == 1
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


CASES = {
    "missing file": ("data: data/income.csv", "data: data/incme.csv", 7, 7,
                     "the data file 'data/incme.csv' does not exist; did you mean "
                     "'data/income.csv'?"),
    "unknown column": ("y: amount", "y: amuont", 10, 4,
                       "data/income.csv has no column 'amuont'; did you mean 'amount'? its "
                       "columns: 'year', 'source', 'amount'"),
    "unknown type": ("type: bar", "type: bars", 8, 7, "'type' must be one of 'bar', 'line', "
                     "'area', 'point' or 'pie', not 'bars'"),
    "outside the edition": ("data: data/income.csv", "data: ../income.csv", 7, 7,
                            "'../income.csv' is outside the edition folder; copy it into "
                            "data/ and write data/<name>"),
    "on another website": ("data: data/income.csv", "data: https://example.org/income.csv",
                           7, 7, "'https://example.org/income.csv' is on another website; "
                           "every output is built offline"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_bad_input_is_an_error_at_its_place(project: Path, case: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old, new, line, column, message = CASES[case]
    if case == "outside the edition":
        shutil.copy(FIXTURE / "data" / "income.csv", project / "content")
    broken(project, old, new)
    page = (project / "build" / "small" / "index.html").read_bytes()
    capsys.readouterr()
    assert main(["build", "small", "--format", "web"]) == 1
    said = capsys.readouterr()
    assert f"content/small/01-income.md, line {line}: {message}" in said.out + said.err
    assert "Traceback" not in said.err
    assert (project / "build" / "small" / "index.html").read_bytes() == page  # kept
    [finding] = findings(capsys)
    assert finding["file"] == "content/small/01-income.md"
    assert (finding["line"], finding["column"]) == (line, column)
    assert finding["severity"] == "error" and str(finding["message"]).startswith(message)


def test_text_where_a_number_is_needed_names_the_row_and_the_value(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = project / "content" / "small" / "data" / "income.csv"
    data.write_text(data.read_text().replace("2022,Donations,95", "2022,Donations,n/a"))
    [finding] = findings(capsys)
    assert (finding["line"], finding["column"]) == (10, 4)
    assert finding["message"] == (
        "'y: amount' needs numbers, but row 6 of data/income.csv has 'n/a'; write a number "
        "there (digits, a '.' for decimals) or leave the cell empty")


def test_a_vega_lite_specification_may_not_bring_its_own_data(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken(project, "title: Income\n```", "vega-lite:\n  mark: bar\n  data:\n"
           "    url: https://example.org/x.json\n```")
    [finding] = findings(capsys)
    assert (finding["line"], finding["column"]) == (13, 3)
    assert str(finding["message"]).startswith("'data' is not allowed inside 'vega-lite:'")


def test_every_problem_is_reported_at_once(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "content" / "small" / "01-income.md"
    path.write_text(path.read_text() + SECTION.split("---\n", 2)[2]
                    .replace("y: amount", "y: yaer").replace("x: year", "x: years"))
    found = findings(capsys)
    assert [(f["line"], f["column"]) for f in found] == [(19, 4), (20, 4)]
