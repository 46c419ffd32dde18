"""Sensible defaults for real drafts: the cover's year is the year under review, an
imported year in review is an annual review, the email is from the organisation and
previews the introduction, and a review-comment anchor stops the build."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from folio.build import build
from folio.content import load_edition
from folio.formats.email import first_sentence
from folio.importers import import_draft
from folio.markup import render_sections
from folio.schema import EditionConfig

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content"


def config(**values: object) -> EditionConfig:
    return EditionConfig.model_validate({"title": "Our year", "organisation": "Harbour Lights",
                                         "date": "2026-01-20", **values})


@pytest.mark.parametrize(("values", "year"), [
    ({"title": "Reflections 2025"}, 2025),  # the title wins over the date
    ({"title": "Harbour Lights: our year in numbers, 2025", "date": "2026-06-01"}, 2025),
    ({"period": "2024-25"}, 2024),
    ({"year": 2023}, 2023),
    ({}, 2025),  # an annual review dated January reviews the year before
    ({"date": "2026-04-01"}, 2026),
    ({"kind": "newsletter"}, 2026),  # a newsletter's year is its date's
])
def test_the_cover_year_is_the_year_under_review(values: dict, year: int) -> None:
    assert config(**values).year_under_review == year


def test_the_cover_says_the_year_under_review(tmp_path: Path) -> None:
    from folio.formats.pdf import print_document
    from folio.theme import load_theme

    edition = render_sections(load_edition(FIXTURES / "data-review"))
    assert edition.config.date == datetime.date(2026, 1, 20)
    document = print_document(edition, load_theme("default", tmp_path, edition.root))
    assert '<span class="cover__year">2025</span>' in document.html


def test_the_email_is_from_the_organisation_unless_told() -> None:
    assert config().sender == "Harbour Lights <newsletter@example.org>"
    assert config(organisation="Smith, Jones & Co").sender == \
        '"Smith, Jones & Co" <newsletter@example.org>'
    assert config(email={"from": "News <n@example.org>"}).sender == "News <n@example.org>"


def test_the_preheader_is_the_first_sentence_of_the_introduction() -> None:
    edition = render_sections(load_edition(FIXTURES / "data-review"))
    assert first_sentence(edition) == ("Twelve months ago we promised to keep every one of "
                                       "our drop-in centres open through the winter.")


def test_an_imported_year_in_review_of_seven_sections_is_an_annual_review(
        tmp_path: Path) -> None:
    draft = tmp_path / "review.md"
    sections = "\n\n".join(f"## Part {n}\n\nA short paragraph about part {n}." for n in range(7))
    draft.write_text(f"# Our year 2025\n\n{sections}\n", encoding="utf-8")
    assert import_draft(draft, tmp_path / "content", "review").kind == "annual-review"
    draft.write_text("# Our news\n\n" + sections, encoding="utf-8")
    assert import_draft(draft, tmp_path / "content", "news").kind == "newsletter"


def test_a_review_comment_anchor_stops_the_build(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "content" / "mini")
    intro = tmp_path / "content" / "mini" / "01-introduction.md"
    intro.write_text(intro.read_text().replace("Welcome to", "Welcome [FD1] to"))
    [result, *_] = build(["mini"], content=tmp_path / "content", out=tmp_path / "build",
                         formats=["web"], checks="off")
    assert not result.ok
    assert "01-introduction.md, line 5: '[FD1]' is a comment anchor" in str(result.problems[0])
    assert not (tmp_path / "build" / "mini" / "index.html").exists()
