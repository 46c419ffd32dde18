"""Tests of the plain-text reader: .txt drafts -> editions that load and check, losing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.check import check_edition, format_findings
from folio.content import load_edition
from folio.importers import escape_markdown, import_draft
from tests.importers.conftest import (
    HARBOUR,
    _import_text,
    bodies,
    paragraph,
    short_line,
    titles,
)


def test_text_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(
        "Our Year\n\nA first paragraph before any heading.\n\nGrowing together\n"
        "We grew a lot this year.\nOur members include:\nAlpha Trust\nBeta Network\n"
        "Gamma Fund\nAll three joined in May.\n\nNumbers that matter\n\n•\tone point\n"
        "•\ttwo points\n1. first step\n"
        "2) second step\nTown\tGroups\nTruro\t4\nBude\t2\n"
        "Stars * stay text, as do _underscores_ and <tags>.\n"
        "# Not a heading, escaped, as is 2025. the year\n"
        "See https://example.org/a_b_c or mail a_b@example.org.\nThe end\n",
        encoding="utf-8")
    import_draft(draft, tmp_path / "content", "year")
    folder = tmp_path / "content" / "year"
    assert load_edition(folder).config.title == "Our Year"
    assert titles(folder) == ["Introduction", "Growing together", "Numbers that matter"]
    text = bodies(folder)
    assert text["01-introduction.md"] == "A first paragraph before any heading."
    assert text["02-growing-together.md"].split("\n\n") == [
        "We grew a lot this year.", "Our members include:", "Alpha Trust", "Beta Network",
        "Gamma Fund", "All three joined in May."]
    numbers = text["03-numbers-that-matter.md"].split("\n\n")
    assert numbers[:3] == ["- one point\n- two points", "1. first step\n2. second step",
                           "| Town | Groups |\n| --- | --- |\n| Truro | 4 |\n| Bude | 2 |"]
    assert numbers[3] == "Stars \\* stay text, as do \\_underscores\\_ and &lt;tags>."
    assert numbers[4].startswith("\\# Not a heading")
    assert numbers[5] == "See https://example.org/a_b_c or mail a_b@example.org."
    assert numbers[6] == "The end"


def test_tables_typed_between_pipes_are_tables(tmp_path: Path) -> None:
    """A table typed in plain text (`| a | b |` rows, a `|---|` rule under the header or
    none) imports as a table, its empty cells empty and an escaped pipe kept in its cell."""
    from folio.markup import render_sections

    draft = tmp_path / "pipes.txt"
    draft.write_text(
        "Water report\n\nAccounts by district\n\nEach district's links and losses.\n\n"
        "| District | Links | Losses | Total |\n|:---|---:|---|---|\n"
        "| San Isidro | 1.240 | 12 % | 98.200 € |\n| El Mirador | 410 | | 39.900 € |\n"
        "| A \\| B | 3 | 1 % | 1 € |\n\n"
        "Without a rule, a first row of figures stays a row:\n\n"
        "| 2024 | 31 |\n| 12 | 40 |\n\n"
        "A line | with a pipe is still a paragraph.\n\n"
        "| Town | Groups | Members |\n|---|---|---|\n| Truro | 4 |\n| Bude | 2 | 31 |\n\n"
        "| A lone header |\n|---|\n\nThe end.\n", encoding="utf-8")
    import_draft(draft, tmp_path / "content", "pipes")
    folder = tmp_path / "content" / "pipes"
    blocks = bodies(folder)["01-accounts-by-district.md"].split("\n\n")
    assert blocks[1] == ("| District | Links | Losses | Total |\n| --- | --- | --- | --- |\n"
                         "| San Isidro | 1.240 | 12 % | 98.200 € |\n"
                         "| El Mirador | 410 |  | 39.900 € |\n| A \\| B | 3 | 1 % | 1 € |")
    assert blocks[3].startswith("<table>") and "<td>2024</td>" in blocks[3]
    assert "<th>" not in blocks[3]
    assert blocks[4] == "A line | with a pipe is still a paragraph."
    assert blocks[5] == ("| Town | Groups | Members |\n| --- | --- | --- |\n| Truro | 4 |  |\n"
                         "| Bude | 2 | 31 |")  # a short row gets its empty cell
    assert "lone header" in blocks[6] and "---" in blocks[7]  # no table: kept as typed
    section = render_sections(load_edition(folder)).sections[0]
    assert section.html.count('<th scope="col"') == 4 + 3 and ">A | B</t" in section.html


def test_text_draft_wrapped_by_hand(tmp_path: Path) -> None:
    draft = tmp_path / "wrapped.txt"
    draft.write_text("Spring news\n\nWe now count 212 member groups across 14 coastal towns, up\n"
                     "from 180 in 2024, and six new groups joined in the spring\n"
                     "alone.\n\nLooking ahead\n\nMore to come.\n", encoding="utf-8")
    import_draft(draft, tmp_path / "content", "wrapped")
    folder = tmp_path / "content" / "wrapped"
    assert titles(folder) == ["Introduction", "Looking ahead"]
    assert bodies(folder)["01-introduction.md"] == (
        "We now count 212 member groups across 14 coastal towns, up from 180 in 2024, and "
        "six new groups joined in the spring alone.")


@pytest.mark.parametrize(("language", "introduction"), [
    ("es", "Introducción"), ("fr-FR", "Introduction"), ("ar", "مقدمة"), ("en-GB", "Introduction")])
def test_the_introduction_is_named_in_the_edition_language(
        tmp_path: Path, language: str, introduction: str) -> None:
    """Text before the first heading becomes a section named in the edition's language."""
    draft = tmp_path / "informe.txt"
    draft.write_text("Informe 2026\n\nUn primer párrafo.\n\nLas obras\n\nTerminadas.\n",
                     encoding="utf-8")
    import_draft(draft, tmp_path / "content", "informe", language=language)
    assert titles(tmp_path / "content" / "informe") == [introduction, "Las obras"]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                               ("cp1252", b""), ("utf-16", b"")])
def test_text_draft_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(bom + "Café news\r\n\r\nWe met at the café – twice.\r\n".encode(encoding))
    import_draft(draft, tmp_path / "content", "cafe")
    folder = tmp_path / "content" / "cafe"
    assert load_edition(folder).config.title == "Café news"
    assert bodies(folder)["01-introduction.md"] == "We met at the café – twice."


def test_real_year_in_review_text_draft(tmp_path: Path) -> None:
    report = import_draft(HARBOUR, tmp_path / "content", "harbour")
    folder = tmp_path / "content" / "harbour"
    assert titles(folder) == ["Introduction", "A growing network", "Research and learning",
                              "Money and governance", "Looking ahead"]
    network = bodies(folder)["02-a-growing-network.md"]
    assert "- 1,200+ hours of mentoring delivered by trained volunteers" in network
    findings = check_edition(folder)
    # The only findings are the organisation to fill in and a real slip of the draft: a
    # web address written out bare.
    assert [(f.rule, Path(f.file).name) for f in findings] == [
        ("placeholder", "edition.yaml"), ("link-text", "03-research-and-learning.md")], (
        format_findings(findings, "text"))
    assert report.kind == "newsletter" and report.words > 350


SLIPS = [("volunteers, partners and funders", "volunteers, partners and and funders",
          "repeated-word"),
         ("reached more young", "reached  more young", "spacing"),
         ("Six new groups", "Six new gruops", "spelling"),
         ("speakers from Kernow", "speakers fromKernow", "run-together-case"),
         ("to organise after-school", "to organize after-school", "spelling-variants"),
         ("Its findings were clear.", "Its findings were clear [JS1].", "placeholder"),
         ("We could not do it", "We couldnot do it", "run-together-words")]


def test_slips_in_a_text_draft_are_found(tmp_path: Path) -> None:
    text = HARBOUR.read_text(encoding="utf-8")
    for before, after, _ in SLIPS:
        assert before in text
        text = text.replace(before, after, 1)
    draft = tmp_path / "slips.txt"
    draft.write_text(text, encoding="utf-8")
    import_draft(draft, tmp_path / "content", "slips")
    findings = check_edition(tmp_path / "content" / "slips")
    found = sorted(f.rule for f in findings if f.rule not in ("link-text",)
                   and Path(f.file).name != "edition.yaml")
    assert found == sorted(rule for _, _, rule in SLIPS), format_findings(findings, "text")


def test_escape_markdown_round_trips_plain_words() -> None:
    assert escape_markdown("Plain words, 2023–2025; 18,000+.") == "Plain words, 2023–2025; 18,000+."
    assert escape_markdown("5 * 3 = 15") == "5 \\* 3 = 15"
    assert escape_markdown("- not a list") == "\\- not a list"


text_lines = st.lists(st.one_of(paragraph, short_line), min_size=1, max_size=30)
blank = st.sampled_from(["\n", "\n\n", "\n\n\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_line, text_lines, st.data())
def test_text_drafts_lose_nothing(title: str, lines: list[str], data: st.DataObject) -> None:
    separators = [data.draw(blank) for _ in lines]
    text = title + data.draw(blank) + "".join(
        line + sep for line, sep in zip(lines, separators, strict=True))
    folder = _import_text(text, ".txt")
    edition = load_edition(folder)
    assert edition.config.title == title
    seen: list[str] = []
    for index, section in enumerate(edition.sections):
        if not (index == 0 and section.meta.title == "Introduction"):
            seen.append(section.meta.title)
        seen += [p for p in section.body.strip().split("\n\n") if p]
    assert seen == lines
