"""Loading editions: the good fixture loads; each kind of bad input names its file and line.

The bad inputs that `test_bad_input.py` walks through the command line are not repeated here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.content import load_edition
from folio.errors import ContentError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_edition(folder)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in caught.value.problems]


def test_good_edition_loads_in_file_order(project: Path) -> None:
    edition = load_edition(project / "content" / "mini")
    assert edition.slug == "mini"
    assert [s.slug for s in edition.sections] == [
        "introduction", "numbers", "voice", "picture", "dates", "join"]
    assert [s.meta.layout for s in edition.sections] == [
        "text", "figures", "quote", "image", "events", "cta"]
    assert edition.sections[0].body_line == 5
    assert edition.config.email_mode == "digest"


def test_wrong_type_unknown_key_and_missing_field_reported_together(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "edition.yaml", "keywords: [test, folio]", "keywords: 12")
    edit(folder / "edition.yaml", "language: en-GB", "langauge: en-GB")
    edit(folder / "06-join.md", "title: Join us\n", "")
    found = problems_of(folder)
    assert "edition.yaml:5: unknown key 'langauge'; did you mean 'language'?" in found
    assert "edition.yaml:8: 'keywords' must be a list (lines starting with '- '), not a number" \
        in found
    assert any(p.startswith("06-join.md:") and "'title' is required" in p for p in found)


def test_unknown_layout_names_choices(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "03-voice.md", "layout: quote", "layout: qoute")
    [problem] = problems_of(folder)
    assert problem.startswith("03-voice.md:3: 'layout' must be one of")
    assert "'quote'" in problem


def test_image_needs_alt_text(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "04-picture.md", "image_alt: A plain blue rectangle.\n", "")
    found = problems_of(folder)
    assert any("'image_alt' is required with 'image'" in p for p in found)


def test_layout_needs_its_fields(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "03-voice.md", "quote: Every child deserves to be safe online.\n", "")
    [problem] = problems_of(folder)
    assert problem == ("03-voice.md:3: layout 'quote' needs 'quote'; add it to the front "
                       "matter or choose another layout")


def test_nested_unknown_key_gets_hint(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "edition.yaml", "  subject: Mini Review is out", "  subjet: Mini Review is out")
    [problem] = problems_of(folder)
    assert problem == "edition.yaml:11: unknown key 'subjet'; did you mean 'subject'?"


def test_image_outside_edition_refused(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "04-picture.md", "images/pic.png", "../../../../etc/passwd")
    [problem] = problems_of(folder)
    assert "outside the edition folder" in problem


def test_stray_markdown_file(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "notes.md").write_text("scratch")
    [problem] = problems_of(folder)
    assert problem.startswith("notes.md:None: section files are named NN-slug.md")


def test_section_order_from_edition_yaml(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "edition.yaml").write_text((folder / "edition.yaml").read_text() +
                                         "sections: [join, introduction, numbers, voice, "
                                         "picture, dates]\n")
    edition = load_edition(folder)
    assert edition.sections[0].slug == "join"


# --- where a problem points: the value itself, in block and in flow style -----------------


def pointed(folder: Path) -> list[tuple[str, str]]:
    """Load a broken edition; return each problem's message and the text from its column on."""
    with pytest.raises(ContentError) as caught:
        load_edition(folder)
    found = []
    for p in caught.value.problems:
        assert p.line and p.column, p
        line = Path(p.path).read_text().split("\n")[p.line - 1]
        found.append((p.message, line[p.column - 1:]))
    return found


CTA_STYLES = {
    "block": 'cta:\n  label: Become a member\n  url: "{url}"\n',
    "flow": 'cta: {{label: Become a member, url: "{url}"}}\n',
    "flow, two lines": 'cta: {{label: Become a member,\n      url: "{url}"}}\n',
}
JOIN_CTA = 'cta: {label: Become a member, url: "https://example.org/join"}\n'


@pytest.mark.parametrize("style", CTA_STYLES.values(), ids=CTA_STYLES.keys())
def test_a_bad_nested_value_is_pointed_at_itself(project: Path, style: str) -> None:
    folder = project / "content" / "mini"
    edit(folder / "06-join.md", JOIN_CTA, style.format(url=""))
    [(message, at)] = pointed(folder)
    assert message == "'cta.url' must not be empty" and at.startswith('""')


@pytest.mark.parametrize("style", CTA_STYLES.values(), ids=CTA_STYLES.keys())
def test_an_unknown_nested_key_is_pointed_at_itself(project: Path, style: str) -> None:
    folder = project / "content" / "mini"
    edit(folder / "06-join.md", JOIN_CTA,
         style.format(url="https://example.org/join").replace("url:", "link:"))
    found = pointed(folder)
    assert [m for m, _ in found] == ["'cta.url' is required; add a line `url: ...`",
                                     "unknown key 'link'; known keys: label, url"]
    assert found[0][1].startswith("cta:") and found[1][1].startswith("link:")


def test_an_unreadable_value_in_a_flow_list_is_pointed_at_itself(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "05-dates.md", "date: 2026-03-05", "date: 2026-02-30")
    [(message, at)] = pointed(folder)
    assert message.startswith("the value '2026-02-30' cannot be read as a date")
    assert at.startswith("2026-02-30, title: Members' meeting")


def test_a_bad_value_in_flow_style_edition_yaml_is_pointed_at_itself(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "edition.yaml", "email:\n  subject: Mini Review is out\n",
         "pdf: {paper: A4, variant: pdf/ua-2}\nemail:\n  subject: Mini Review is out\n")
    [(message, at)] = pointed(folder)
    assert message.startswith("'pdf.variant' must be one of")
    assert at == "pdf/ua-2}"


# --- messages whose fix must be right as written ---------------------------------------


def test_a_layout_one_letter_off_is_named(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "02-numbers.md", "layout: figures", "layout: figure")
    [problem] = problems_of(folder)
    assert "did you mean 'figures'?" in problem


def test_a_section_subtitle_is_meant_as_its_summary(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "01-introduction.md", "summary: A short opening.", "subtitle: A short opening.")
    [problem] = problems_of(folder)
    assert problem == "01-introduction.md:3: unknown key 'subtitle'; did you mean 'summary'?"


def test_an_impossible_date_is_not_called_no_date(project: Path) -> None:
    """Unquoted, the loader names it; quoted as it then suggests, the schema must not say
    that the value must be a date, which it is, only not one of the calendar."""
    folder = project / "content" / "mini"
    edit(folder / "edition.yaml", "date: 2025-12-01", "date: 2025-02-30")
    [unquoted] = problems_of(folder)
    assert "2025-02-30' cannot be read as a date that exists" in unquoted
    assert "put it in double quotes if" not in unquoted
    edit(folder / "edition.yaml", "date: 2025-02-30", 'date: "2025-02-30"')
    [quoted] = problems_of(folder)
    assert "must be a date" not in quoted
    assert quoted == ("edition.yaml:4: 'date': '2025-02-30' is not a day of the calendar; "
                      "write a date that exists, as YYYY-MM-DD")


def test_a_number_where_text_is_needed_says_which_figure_and_how(project: Path) -> None:
    folder = project / "content" / "mini"
    edit(folder / "02-numbers.md", 'value: "345"', "value: 345")
    edit(folder / "02-numbers.md", 'value: "109"', "value: 109.5")
    found = problems_of(folder)
    assert found == [
        '02-numbers.md:6: the first figure\'s value must be text: put it in quotes, as "345"',
        '02-numbers.md:8: the third figure\'s value must be text: put it in quotes, as "109.5"']
