"""Interface words, dates and direction by language: the catalogues and `folio.i18n`."""

from __future__ import annotations

import datetime
import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from markupsafe import Markup

from folio.i18n import LOCALES, Words, catalogue, direction, messages, words_for
from folio.theme import load_theme
from tools.catalogues import files

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr", "es", "ar", "de"]
"""The catalogues Folio ships besides English, which the messages are written in."""
PLACE = re.compile(r"%\((\w+)\)s")


def test_the_catalogues_are_up_to_date_and_compiled_from_their_po_files() -> None:
    stale = [str(path.relative_to(ROOT)) for path, content in files([]).items()
             if not path.is_file() or path.read_bytes() != content]
    assert stale == [], "run `python tools/catalogues.py`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_places(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "folio.po").open("rb") as file:
        po = read_po(file, locale=language)
    entries = [m for m in po if m.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in entries} == set(messages())
    for message in entries:
        assert message.string and not message.fuzzy, message.id
        if isinstance(message.id, str):
            assert sorted(PLACE.findall(message.string)) == sorted(PLACE.findall(message.id)), \
                message.id
            continue
        # Plural forms: as many as the language has, each with no place the English lacks
        # (a form may leave the number out: `عدد واحد`, one issue).
        assert len(message.string) == po.num_plurals and all(message.string), message.id
        for form in message.string:
            assert set(PLACE.findall(form)) <= set(PLACE.findall(message.id[1])), form
    assert Words(language).missing() == []


@pytest.mark.parametrize(("language", "expected"), [
    ("de", ["0 Ausgaben", "1 Ausgabe", "2 Ausgaben", "12 Ausgaben"]),
    ("fr", ["0 numéro", "1 numéro", "2 numéros", "12 numéros"]),
    ("es", ["0 números", "1 número", "2 números", "12 números"]),
    ("ar", ["لا أعداد", "عدد واحد", "عددان", "12 عددًا"]),
    ("en-GB", ["0 editions", "1 edition", "2 editions", "12 editions"])])
def test_plural_forms_follow_the_language(language: str, expected: list[str]) -> None:
    words = Words(language)
    assert [words.ngettext("%(count)s edition", "%(count)s editions", n) % {"count": n}
            for n in (0, 1, 2, 12)] == expected


def test_english_needs_no_catalogue_and_a_missing_language_falls_back_to_english() -> None:
    assert Words("en-GB").missing() == []
    italian = Words("it")
    assert italian.gettext("Contents") == "Contents"
    assert italian.missing() == list(messages())


def test_a_regional_tag_finds_the_language_catalogue() -> None:
    assert Words("fr-CA").gettext("Contents") == "Sommaire"
    assert catalogue("es-419").gettext("Contents") == catalogue("es").gettext("Contents")


def test_the_package_data_ships_the_catalogues() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = settings["tool"]["setuptools"]["package-data"]["folio"]
    shipped = [p.relative_to(ROOT / "folio").as_posix() for p in LOCALES.rglob("*")
               if p.is_file()]
    assert any(name.endswith(".mo") for name in shipped)
    for name in shipped:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


@pytest.mark.parametrize(("language", "expected"), [
    ("en-GB", "15 December 2025"), ("fr", "15 décembre 2025"), ("es", "15 de diciembre de 2025"),
    ("ar", "15 ديسمبر 2025"), ("de", "15. Dezember 2025"), ("de-AT", "15. Dezember 2025"),
    ("fr-CA", "15 décembre 2025"), ("xx", "15 December 2025")])
def test_dates_in_the_locale_form(language: str, expected: str) -> None:
    assert Words(language).long_date(datetime.date(2025, 12, 15)) == expected


def test_month_and_year() -> None:
    day = datetime.date(2026, 2, 10)
    assert Words("fr").month_year(day) == "février 2026"
    assert Words("en-GB").month_year(day, short=True) == "Feb 2026"
    assert Words("ar").month_year(day) == "فبراير 2026"
    assert Words("de").month_year(day) == "Februar 2026"
    assert Words("de-AT").month_year(datetime.date(2026, 1, 5)) == "Jänner 2026"


@pytest.mark.parametrize(("language", "expected"), [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("ar-EG", "rtl"),
    ("az-Arab", "rtl"), ("en-GB", "ltr"), ("fr", "ltr"), ("ku-Latn", "ltr"), ("zh-Hant", "ltr")])
def test_direction(language: str, expected: str) -> None:
    assert direction(language) == expected


def test_a_theme_overrides_interface_words_by_language(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "house"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(
        "name: house\nextends: plain\n"
        "body_font: {family: Lato, package: font_lato, files: {regular: Lato-Regular.ttf}}\n"
        "heading_font: {family: Lato, package: font_lato, files: {bold: Lato-Black.ttf}}\n"
        "strings:\n  fr: {Contents: Table des matières}\n  it: {Contents: Indice}\n",
        encoding="utf-8")
    theme = load_theme("house", tmp_path)
    assert theme.words("fr").gettext("Contents") == "Table des matières"
    assert theme.words("fr").gettext("Unsubscribe") == "Se désabonner"
    assert theme.words("it-CH").gettext("Contents") == "Indice"
    assert "Contents" not in theme.words("it").missing()
    # The script fonts of the default theme reach a theme that extends it.
    assert [f.family for f in theme.config.script_fonts][:1] == ["Noto Naskh Arabic"]


def test_words_for_lays_the_exact_tag_over_the_language() -> None:
    strings = {"pt": {"Contents": "Conteúdo"}, "pt-BR": {"Contents": "Sumário"}}
    assert words_for("pt-BR", strings).gettext("Contents") == "Sumário"
    assert words_for("pt-PT", strings).gettext("Contents") == "Conteúdo"


def test_long_words_of_a_heading_get_soft_hyphens() -> None:
    german = Words("de")
    broken = german.breakable(Markup('Mehr <a href="#gewaesserschutzpartnerschaften">Gewässer'
                                     "schutzpartnerschaften</a> &amp; Auenrenaturierung"))
    assert broken == ('Mehr <a href="#gewaesserschutzpartnerschaften">Gewässer\u00adschutz'
                      "\u00adpart\u00adner\u00adschaften</a> &amp; Auenrenaturierung")
    assert german.breakable("<b>") == "&lt;b&gt;"  # plain text is escaped first
    assert Words("en-GB").breakable("Northamptonshire") == "Northamptonshire"
    assert Words("ar").breakable("ب" * 24) == "ب" * 24  # no dictionary: left alone
