"""Tests of the dictionaries: British spellings are words, not typos; inflected, prefixed
and contracted forms of known words are words; suggestions follow the edition's spelling.

Most tests read a dictionary of their own (`fresh`), not the shared `lexicon(...)`: the
shared one remembers every verdict it gave, so it would answer from memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.check.lexicon import WIDE_SEARCHES, Lexicon, dictionary_for, lexicon
from tests.check.conftest import check_body


@pytest.fixture(scope="module")
def fresh() -> Iterator[Lexicon]:
    """An English dictionary loaded for this module alone."""
    yield Lexicon("en")


@pytest.mark.parametrize("word", ["metre", "metres", "kilometres", "litres", "tyre",
                                  "programme", "colour", "organised", "centre", "travelled"])
def test_british_spellings_are_known(word: str) -> None:
    assert lexicon("en").known(word)


@pytest.mark.parametrize("word", ["metrre", "colur", "organsied"])
def test_misspellings_are_not(word: str) -> None:
    assert not lexicon("en").known(word)


@pytest.mark.parametrize("word", [
    "report", "a",  # pyspellchecker's list, one letter
    "allyship", "webinar", "changemaker",  # Folio's own list only
    "arbour", "colour", "centre",  # British forms of en-variants.txt
    "visualise", "criticising", "paralysed", "kilogrammes", "savoury", "oedema",  # by rule
    "colour's", "members'", "changemaker's",  # possessives
    "there'd", "should've", "colour'd", "children'll", "women'd", "where're",  # contractions
    "hadn't", "needn't", "daren't",
    "changemakers", "webinars", "memes", "gifs", "inboxes", "cybersecurities",  # inflected
    "reposted", "crowdfunded", "upcycled", "reimagined", "codesigning", "reimagining",
    "podcasters", "upcyclers", "podcaster", "upcycler", "intersectionally", "abdominals",
    "unavouch",  # a prefix before a word used 100 times
    "podcasting", "downvoting", "neurodiversities", "accountabilities", "analysers",
    "cochair", "superfish", "rebands", "cyberflashing", "unfollowing",  # prefixed
])
def test_words_a_fresh_dictionary_knows(fresh: Lexicon, word: str) -> None:
    assert fresh.known(word)


@pytest.mark.parametrize("word", [
    "zq",  # two letters are not a word by their length alone
    "acheive", "acheive's", "acheive'll",  # a misspelling stays one with an ending
    "colour'xy", "childrent't", "acheiven't",  # no such contractions
    "houseing",  # -ing on a common word it does not take
    "superdog",  # a prefix before a word of three letters
    "reband",  # a prefixed word of six letters
    "unxyzzy",  # a prefix before no word
    "achievingly",  # -ly on a word used 3,000 times is no longer rare
])
def test_words_a_fresh_dictionary_does_not_know(fresh: Lexicon, word: str) -> None:
    assert not fresh.known(word)


def test_the_word_lists_are_read_into_a_new_dictionary() -> None:
    english = Lexicon("en")
    assert "allyship" in english.extra and english.known("allyship")
    assert not [word for word in english.extra if word.startswith("#") or not word.strip()]
    assert not [word for word in english.variants if word.startswith("#")]
    # British and American forms pair up, with the usual endings where the stems agree
    assert english.variants["colour"] == "color"
    assert {english.variants[british] for british in (
        "favourites", "colourful", "honoured", "centres", "theatres")} == {
        "favorites", "colorful", "honored", "centers", "theaters"}
    endings = ["armours", "armoured", "armouring", "armourer", "armourers", "flavourful",
               "colourfully", "flavourless", "colourable", "favourably", "labourite",
               "labourites", "behaviourist", "behaviourists", "behaviourally"]
    assert {british: english.variants.get(british) for british in endings} == {
        british: british.replace("our", "or") for british in endings}
    # "centre" ends in -e: "centreing" is no word; only its plural is paired
    assert "centreing" not in english.variants and "centreed" not in english.variants
    assert english.variants["fibres"] == "fibers"
    assert "enroled" not in english.variants  # nor endings after an -l: enrol, enrolled
    assert english._wide_searches == 0 and english.suggest("acomodations", False) == (
        "accommodations")  # two edits and twelve letters: the first wide search


def test_other_languages_have_no_english_lists() -> None:
    french = Lexicon("fr")
    assert french.extra == set() and french.variants == {}
    assert not french.known("allyship")


def test_run_together_halves_must_be_common(fresh: Lexicon) -> None:
    assert fresh.common("of") and fresh.common("the") and fresh.common("allyship")
    assert not fresh.common("ox")  # two letters, not one of the short words
    assert fresh.common("cancels")  # used 1,000 times in the frequency list: just enough
    assert not fresh.common("assessed")  # 999 times
    assert fresh.common("assessed", least=999)


@pytest.mark.parametrize(("word", "british", "american"), [
    ("acheive", "achieve", "achieve"),
    ("colr", "cold", "cold"),
    ("recieveing", "receiving", "receiving"),  # two edits away
    ("organizatoins", "organisations", "organizations"),
])
def test_suggestions_follow_the_edition_spelling(fresh: Lexicon, word: str, british: str,
                                                 american: str) -> None:
    assert fresh.suggest(word, True) == british
    assert fresh.suggest(word, False) == american


def test_no_suggestion_for_a_very_long_word(fresh: Lexicon) -> None:
    assert fresh.suggest("counterintelligencee", False) == "counterintelligence"  # 20
    assert fresh.suggest("electroencephalogramss", False) is None  # 21 letters
    assert fresh.suggest("electroencephalogramz", False) is None


def test_words_of_more_than_twelve_letters_get_one_edit_suggestions_only(fresh: Lexicon
                                                                        ) -> None:
    assert fresh.suggest("acomodate", False) == "accommodate"  # two edits
    assert fresh.suggest("enviromentall", False) is None  # two edits, 13 letters


def test_two_edit_searches_are_bounded() -> None:
    english = Lexicon("en")
    english._wide_searches = WIDE_SEARCHES - 2
    assert english.suggest("acomodate", False) == "accommodate"
    assert english.suggest("acheeeve", False) == "achieve"
    assert english.suggest("recieveing", False) is None  # the last search was spent
    assert english.suggest("acheeve", False) == "achieve"  # one edit: no search needed


@pytest.mark.parametrize(("american", "british"), [
    ("color", "colour"), ("organized", "organised"), ("organizations", "organisations"),
    ("realizing", "realising"), ("size", "size"), ("seize", "seize"), ("report", "report"),
    ("seized", "seized"), ("prizes", "prizes"), ("resizing", "resizing"),
])
def test_british_forms(fresh: Lexicon, american: str, british: str) -> None:
    assert fresh.british(american) == british


@pytest.mark.parametrize(("tag", "dictionary"), [
    ("en-GB", "en"), ("fr_CA", "fr"), ("PT-br", "pt"), ("ar", "ar"), ("sw", None)])
def test_dictionary_for(tag: str, dictionary: str | None) -> None:
    assert dictionary_for(tag) == dictionary


def test_french_elisions_and_accents() -> None:
    french = Lexicon("fr")
    assert french.known("l'été") and french.known("qu'il") and french.known("d'accord")
    assert not french.known("l'étéé")
    assert french.known("lorsqu'il")  # six letters before the apostrophe
    assert not french.known("jusquoi'été")  # seven
    assert french.known("e\u0301te\u0301") == french.known("ete")


def test_arabic_marks_and_joined_words() -> None:
    arabic = Lexicon("ar")
    assert arabic.known("كتاب")
    assert arabic.known("كِتَاب")  # with its vowel marks
    assert arabic.known("والكتاب") and arabic.known("بالكتاب") and arabic.known("للكتاب")
    assert arabic.known("والطالب") and arabic.known("فالطالب")  # only with its clitic off
    assert not arabic.known("والكتابب")


def test_a_british_edition_is_not_told_to_write_seised(tmp_path: Path) -> None:
    [finding] = check_body(tmp_path, "The police siezed the goods.")
    assert "did you mean 'seized'?" in finding.message


def test_a_contraction_of_a_word_ending_in_n_is_a_word(tmp_path: Path) -> None:
    assert check_body(tmp_path, "The children'll love it, and the women'd agree.") == []


def test_persian_words_with_a_joined_and() -> None:
    persian = Lexicon("fa")
    assert persian.known("ومدرسه") and persian.known("بخانه")  # and a school, to a house
    assert not persian.known("ومدرسهه")
