"""French spacing in section text, and titles that read inside a sentence."""

from __future__ import annotations

from pathlib import Path

from folio.content import load_edition
from folio.context import in_sentence, proper_names
from folio.i18n import ENGLISH
from folio.markup import render_sections
from folio.typography import NARROW, spaced

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "content"


def test_french_takes_a_narrow_no_break_space_before_high_punctuation() -> None:
    html = ('<p>Bonjour ! Voici : « le texte » et «autre». Pourquoi? '
            '<a href="https://x.fr/?a=1">https://x.fr</a> <code>a ; b</code> à 10:30 &amp; ok</p>')
    out = spaced(html, "fr-FR")
    assert f"Bonjour{NARROW}! Voici{NARROW}: «{NARROW}le texte{NARROW}» et «{NARROW}autre" \
           f"{NARROW}». Pourquoi{NARROW}?" in out
    assert 'href="https://x.fr/?a=1">https://x.fr</a> <code>a ; b</code> à 10:30 &amp; ok' in out
    assert spaced(html, "en-GB") == html


def test_a_french_edition_is_spaced_in_every_output() -> None:
    edition = render_sections(load_edition(FIXTURES / "francais"))
    text = "".join(s.html for s in edition.sections)
    assert " !" not in text and " ?" not in text and " :" not in text
    assert NARROW in text


def test_a_title_in_a_sentence_keeps_only_its_names_capitalised() -> None:
    edition = render_sections(load_edition(FIXTURES / "data-review"))
    names = proper_names(edition)
    assert "Harbour" in names and "Where" not in names
    assert in_sentence("Where the Money Came From", names, ENGLISH) == \
        "where the money came from"
    assert in_sentence("A Year at Harbour Lights with the NHS", names, ENGLISH) == \
        "a year at Harbour Lights with the NHS"


def test_an_arabic_edition_writes_its_numbers_in_one_digit_system(tmp_path: Path) -> None:
    """Its interface counts in Western digits; `١٢` typed in a key figure follows it."""
    import re
    import shutil

    from folio.build import build

    shutil.copytree(FIXTURES / "arabic-review", tmp_path / "content" / "arabic-review")
    [result, *_] = build(["arabic-review"], content=tmp_path / "content",
                         out=tmp_path / "build", formats=["web", "email"], checks="off")
    assert result.ok, result.problems
    for name in ("index.html", "email.html", "email.txt"):
        text = (tmp_path / "build" / "arabic-review" / name).read_text(encoding="utf-8")
        assert not re.search("[٠-٩]", text), name
        assert "12" in text


def test_french_titles_leads_and_the_cover_are_spaced_as_the_text_is(tmp_path: Path) -> None:
    """Every output sets its titles from one context: the web page, the email, and the
    PDF's cover, contents, headings, running heads and bookmarks."""
    import dataclasses

    from folio.context import section_view, template_context
    from folio.theme import load_theme

    edition = render_sections(load_edition(FIXTURES / "francais"))
    first = edition.sections[0]
    meta = first.meta.model_copy(update={"title": "Pourquoi compter ? Pour *savoir* : tout",
                                         "summary": "Un mot « juste »"})
    view = section_view(dataclasses.replace(first, meta=meta), False, "fr-FR")
    assert view.title == f"Pourquoi compter{NARROW}? Pour <em>savoir</em>{NARROW}: tout"
    assert view.title_text == f"Pourquoi compter{NARROW}? Pour savoir{NARROW}: tout"
    assert view.summary == f"Un mot «{NARROW}juste{NARROW}»"
    english = section_view(dataclasses.replace(first, meta=meta), False, "en-GB")
    assert NARROW not in english.title + english.title_text
    config = edition.config.model_copy(update={"title": "Bilan 2025 : ensemble",
                                               "subtitle": "Pourquoi ?"})
    context = template_context(dataclasses.replace(edition, config=config),
                               load_theme("default", tmp_path, edition.root))
    assert context["title"] == context["title_text"] == f"Bilan 2025{NARROW}: ensemble"
    assert context["subtitle_text"] == f"Pourquoi{NARROW}?"
