"""`folio merge`: one PDF and one email per row, each holding its own row and no other."""

from __future__ import annotations

import html as html_lib
import sqlite3
from pathlib import Path

import pytest

from folio.errors import ContentError, FolioError
from folio.merge.run import merge
from tests.conftest import generate
from tests.merge.conftest import (
    COLUMNS,
    email_parts,
    many_rows,
    pdf_text,
    write_rows,
    write_xlsx,
)

PEOPLE = [
    ["D-1", "Zoë", "Ærøskøbing-Núñez", "zoe@example.org", "North", "£1,250", "3"],
    ["D-2", "مريم", "العربي", "maryam@example.org", "South", "£75", "1"],
    ["D-3", "王小明", "王", "wang@example.org", "Coast", "£300", "2"],
    ["D-4", 'Jean "JJ", Jr.', "O'Brien, Smith", "jj@example.org", "North", "£12", "1"],
    ["D-5", "", "", "empty@example.org", "", "", ""],
]
"""Accented, right-to-left and Chinese names, commas and quotes inside cells, empty cells."""


@pytest.mark.slow
def test_each_output_holds_its_own_row_and_no_other(donor_project: Path) -> None:
    data = write_rows(donor_project / "people.csv", PEOPLE)
    out = donor_project / "build"
    result = merge("donor-statement", data, content=donor_project / "content", out=out,
                   jobs=2)
    assert (result.done, result.skipped, result.failed) == (5, 0, [])
    folder = out / "donor-statement" / "merge"
    assert sorted(p.name for p in folder.iterdir() if p.suffix in (".pdf", ".eml")) == sorted(
        f"D-{n}{suffix}" for n in range(1, 6) for suffix in (".pdf", ".eml"))
    for row in PEOPLE:
        key, first, last, address, region, total, _ = row
        others = [other for other in PEOPLE if other is not row]
        text = pdf_text(folder / f"{key}.pdf")
        to, subject, plain, markup = email_parts(folder / f"{key}.eml")
        markup = html_lib.unescape(markup)
        assert to == address
        assert f"donor number {key}." in text and f"donor number {key}." in plain
        shown = first or "friend"
        assert shown in plain and shown in markup and subject.startswith(first or "Friend")
        if first.isascii() or key == "D-1":  # names in any script: in the PDF, fonts permitting
            assert shown in text.replace("\u201c", '"').replace("\u201d", '"')
        if last:
            assert last in plain
        assert (total or "your gifts") in text and (total or "your gifts") in plain
        for other in others:
            assert f"donor number {other[0]}." not in text + plain
            for value in (other[1], other[2], other[3]):
                if value and value not in row:
                    assert value not in text and value not in plain and value not in markup, (
                        key, value)
        north = "northern reaches" in text
        assert north == (region == "North") and north == ("northern reaches" in plain)


def test_bad_data_is_refused_before_anything_is_written(donor_project: Path) -> None:
    content, out = donor_project / "content", donor_project / "build"
    cases = {
        "empty.csv": ("", "the data file is empty"),
        "header-only.csv": ("donor_id,first_name\n", "no rows"),
        "duplicate.csv": ("donor_id,first_name,email\nA,x,a@example.org\nB,y,b@example.org\n"
                          "A,z,c@example.org\n", "rows 1 and 3 have the same donor_id 'A'"),
        "unsafe.csv": ("donor_id,first_name,email\n../etc,x,a@example.org\n",
                       "cannot name a file"),
        "no-header.csv": ("D-1,Ann,ann@example.org\n", "looks like data, not a column name"),
        "long.csv": ("donor_id,first_name,email\nA,x,a@example.org\nB,y,b@example.org,£1,200\n",
                     "long.csv, line 3: row 2 has 5 cells but there are 3 columns"),
        "columns.csv": ("donor_id,email\nA,a@example.org\n",
                        "names a column the data does not have; its columns are: donor_id, "
                        "email"),
    }
    for name, (text, message) in cases.items():
        (donor_project / name).write_text(text)
        with pytest.raises(ContentError, match=message.replace("(", r"\(")):
            merge("donor-statement", donor_project / name, content=content, out=out)
    assert not out.exists()


def test_an_xlsx_without_header_row_is_refused(donor_project: Path) -> None:
    write_xlsx(donor_project / "donors.xlsx", [["D-1", "Ann", "ann@example.org", 12]])
    refused = r"donors.xlsx, line 1: 'ann@example.org' looks like data"
    with pytest.raises(ContentError, match=refused):
        merge("donor-statement", donor_project / "donors.xlsx",
              content=donor_project / "content", out=donor_project / "build")
    assert not (donor_project / "build").exists()
    write_xlsx(donor_project / "good.xlsx", [
        COLUMNS, ["D-9", "Ann", "Lee", "ann@example.org", "North", 12.0, 2],
        [], ["D-10", "Bo", "", "bo@example.org", "", 7.5, 1]])
    from folio.merge.rows import read_table

    table = read_table(donor_project / "good.xlsx")
    assert [(row.line, row.values) for row in table.rows] == [
        (2, ("D-9", "Ann", "Lee", "ann@example.org", "North", "12", "2")),
        (4, ("D-10", "Bo", "", "bo@example.org", "", "7.5", "1"))]


def test_the_command_names_the_unknown_column_and_exits_1(donor_project: Path) -> None:
    section = donor_project / "content" / "donor-statement" / "01-thank-you.md"
    section.write_text(section.read_text() + "\nSee you in {{ recipient.town }}.\n")
    done = generate(donor_project, "merge", "donor-statement")
    assert done.returncode == 1, done.stderr
    assert ("error: content/donor-statement/01-thank-you.md, line 11: the merge field "
            "'recipient.town' names a column the data does not have; its columns are: "
            "donor_id, first_name, last_name, email, region, total, gifts") in done.stderr
    assert "Traceback" not in done.stderr and not (donor_project / "build").exists()


def test_a_misspelt_column_gets_the_column_meant(donor_project: Path) -> None:
    """A field, the key and the address column each say which column was likely meant."""
    section = donor_project / "content" / "donor-statement" / "01-thank-you.md"
    section.write_text(section.read_text() + "\nDear {{ recipient.firstname }}.\n")
    done = generate(donor_project, "merge", "donor-statement", "--key", "donor-ID",
                    "--to", "e_mail")
    assert done.returncode == 1, done.stderr
    assert ("the merge field 'recipient.firstname' names a column the data does not have; "
            "did you mean 'recipient.first_name'? The columns are: donor_id") in done.stderr
    section.write_text(section.read_text().replace("firstname", "first_name"))
    done = generate(donor_project, "merge", "donor-statement", "--key", "donorid",
                    "--to", "e_mail")
    assert "no column 'donorid' to name the files by; did you mean 'donor_id'?" in done.stderr
    done = generate(donor_project, "merge", "donor-statement", "--to", "e_mail")
    assert "no column 'e_mail' with the email addresses; did you mean 'email'?" in done.stderr
    assert "Traceback" not in done.stderr and not (donor_project / "build").exists()


@pytest.mark.slow
def test_a_rerun_makes_only_changed_or_missing_rows(donor_project: Path) -> None:
    rows = many_rows(5)
    data = write_rows(donor_project / "rows.csv", rows)
    content, out = donor_project / "content", donor_project / "build"
    first = merge("donor-statement", data, content=content, out=out, jobs=1)
    assert (first.done, first.skipped) == (5, 0)
    folder = out / "donor-statement" / "merge"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("D-*")}
    rows[1][1] = "Changed"
    rows.append(["D-0099", "New", "Row", "new@example.org", "North", "£1", "1"])
    del rows[3]  # D-0004 leaves the data: its files must not stay to be sent
    write_rows(data, rows)
    (folder / "D-0003.eml").unlink()
    again = merge("donor-statement", data, content=content, out=out, jobs=1)
    assert (again.done, again.skipped, again.failed) == (3, 2, [])
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("D-*")}
    untouched = {n for n in before if after.get(n) == before[n]}
    assert untouched == {f"D-000{n}.{s}" for n in (1, 5) for s in ("pdf", "eml")}
    assert sorted(after) == sorted(f"D-00{n}.{s}" for n in ("01", "02", "03", "05", "99")
                                   for s in ("pdf", "eml"))
    assert "Changed" in pdf_text(folder / "D-0002.pdf")
    assert (merge("donor-statement", data, content=content, out=out).skipped) == 5
    pdf_only = merge("donor-statement", data, content=content, out=out, formats=["pdf"])
    assert pdf_only.done == 5 and not list(folder.glob("*.eml"))


@pytest.mark.slow
def test_a_row_edited_in_the_editions_own_data_file_is_the_only_one_made_again(
        donor_project: Path) -> None:
    """The data file inside the edition (`merge: data:`) is keyed by its rows, not whole."""
    content, out = donor_project / "content", donor_project / "build"
    data = content / "donor-statement" / "donors.csv"
    first = merge("donor-statement", content=content, out=out, jobs=1)
    assert first.skipped == 0 and first.done == len(data.read_text().splitlines()) - 1
    data.write_text(data.read_text().replace("£240", "£250"), "utf-8")
    again = merge("donor-statement", content=content, out=out, jobs=1)
    assert (again.done, again.skipped) == (1, first.done - 1)
    assert "£250" in pdf_text(out / "donor-statement" / "merge" / "D-1001.pdf")


@pytest.mark.slow
def test_a_failing_row_is_named_and_the_others_go_on(donor_project: Path) -> None:
    rows = many_rows(3)
    rows[1][3] = "not an address"
    write_rows(donor_project / "content" / "donor-statement" / "donors.csv", rows)
    done = generate(donor_project, "merge", "donor-statement", "--jobs", "1")
    assert done.returncode == 1
    assert "error: row 2 (D-0002): its email address 'not an address' must be one address" \
        in done.stderr
    assert "2 row(s) made, 0 up to date, 1 failed" in done.stdout
    assert "\r" not in done.stderr  # no progress bar but on a terminal
    folder = donor_project / "build" / "donor-statement" / "merge"
    assert sorted(p.name for p in folder.glob("D-*")) == [
        "D-0001.eml", "D-0001.pdf", "D-0003.eml", "D-0003.pdf"]
    with sqlite3.connect(folder / "manifest.sqlite") as db:
        assert [k for (k,) in db.execute("SELECT key FROM rows ORDER BY key")] == [
            "D-0001", "D-0003"]


def test_pdf_only_needs_no_address_column(donor_project: Path) -> None:
    data = write_rows(donor_project / "rows.csv", [["D-1", "Ann", "Lee", "North", "£1", "1"]],
                      ["donor_id", "first_name", "last_name", "region", "total", "gifts"])
    with pytest.raises(ContentError, match="there is no column 'email'"):
        merge("donor-statement", data, content=donor_project / "content",
              out=donor_project / "build")


@pytest.mark.slow
def test_a_row_s_pdf_is_the_build_s_preview_of_that_row(donor_project: Path) -> None:
    from folio.build import build_edition

    content, out = donor_project / "content", donor_project / "build"
    result = merge("donor-statement", content=content, out=out, jobs=1, formats=["pdf"])
    assert result.done == 3
    preview = build_edition(content / "donor-statement", donor_project / "preview", ["pdf"],
                            preview_row=2)
    assert preview.ok, preview.problems
    built = donor_project / "preview" / "donor-statement" / "donor-statement.pdf"
    assert built.read_bytes() == (out / "donor-statement" / "merge" / "D-1002.pdf").read_bytes()


@pytest.mark.slow
def test_a_change_to_the_theme_makes_every_row_again(donor_project: Path) -> None:
    theme = donor_project / "templates" / "house"
    theme.mkdir(parents=True)
    fonts = ("body_font: {family: Lato, package: font_lato}\n"
             "heading_font: {family: Lato, package: font_lato}\n")
    (theme / "theme.yaml").write_text("name: house\nextends: default\n" + fonts)
    config = donor_project / "content" / "donor-statement" / "edition.yaml"
    config.write_text(config.read_text() + "theme: house\n")
    content, out = donor_project / "content", donor_project / "build"
    assert merge("donor-statement", content=content, out=out, formats=["email"]).done == 3
    assert merge("donor-statement", content=content, out=out, formats=["email"]).skipped == 3
    (theme / "theme.yaml").write_text("name: house\nextends: default\n" + fonts +
                                      "colours: {ink: \"#000000\"}\n")
    again = merge("donor-statement", content=content, out=out, formats=["email"])
    assert (again.done, again.skipped) == (3, 0)


def test_a_broken_theme_is_refused_before_any_row(donor_project: Path) -> None:
    theme = donor_project / "templates" / "house"
    theme.mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: house\nextends: default\n")
    config = donor_project / "content" / "donor-statement" / "edition.yaml"
    config.write_text(config.read_text() + "theme: house\n")
    with pytest.raises(FolioError, match="heading_font"):
        merge("donor-statement", content=donor_project / "content",
              out=donor_project / "build")
    assert not (donor_project / "build").exists()
