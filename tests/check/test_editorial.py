"""Tests of the editorial rules: messages, spelling, the word list, spelling variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.check import check_edition
from folio.check.editorial import _distance_one, _split_pair
from folio.check.lexicon import lexicon
from tests.check.conftest import CONFIG, check_body, rules_of, write_edition


def test_messages_quote_the_offending_text(tmp_path: Path) -> None:
    findings = check_body(tmp_path, "We thank the the members and acheive more.")
    messages = {f.rule: f.message for f in findings}
    assert "'the the'" in messages["repeated-word"]
    assert "'acheive'" in messages["spelling"] and "achieve" in messages["spelling"]


def test_spelling_suggests_british_forms_in_british_editions(tmp_path: Path) -> None:
    findings = check_body(tmp_path, "The organsation grew.")
    assert "organisation" in findings[0].message


def test_edition_words_are_accepted(tmp_path: Path) -> None:
    body = "Our partner Zorblax ran the qwertyfest with FOOBARBAZ."
    assert "spelling" in rules_of(check_body(tmp_path / "a", body))
    config = CONFIG + "words: [Zorblax, qwertyfest]\n"
    assert check_body(tmp_path / "b", body, config) == []


def test_a_name_one_letter_off_the_word_list_is_flagged(tmp_path: Path) -> None:
    config = CONFIG + "words: [Drennan]\n"
    findings = check_body(tmp_path, "Iain Drenan opened the meeting.", config)
    assert [(f.rule, f.column) for f in findings] == [("spelling", 6)]
    assert "Drennan" in findings[0].message


def test_a_name_spelt_two_ways_is_flagged(tmp_path: Path) -> None:
    body = "Okonkwo spoke. Okonkwo listened. Okonkwo left. Then Okonwko returned."
    findings = check_body(tmp_path, body)
    assert [f.message.split("'")[1] for f in findings] == ["Okonwko"]


def test_variants_follow_the_majority(tmp_path: Path) -> None:
    body = "We organize, realize and recognize. We organise."
    findings = check_body(tmp_path, body)
    assert [f.message.split("'")[1] for f in findings] == ["organise"]


def test_variants_break_ties_by_language(tmp_path: Path) -> None:
    body = "The colour and the color."
    british = check_body(tmp_path / "gb", body)
    american = check_body(tmp_path / "us", body, CONFIG.replace("en-GB", "en-US"))
    assert [f.message.split("'")[1] for f in british] == ["color"]
    assert [f.message.split("'")[1] for f in american] == ["colour"]


def test_variants_across_sections(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {"01-one.md": "We organise events.",
                                      "02-two.md": "They organise clubs. We organize more."})
    findings = check_edition(folder)
    assert [(Path(f.file).name, f.rule) for f in findings] == [("02-two.md",
                                                                 "spelling-variants")]
    assert "01-one.md" in findings[0].message


FRENCH = (CONFIG.replace("Test edition", "Édition d'essai")
          .replace("Test Organisation", "Organisation d'essai").replace("en-GB", "fr"))


def test_spelling_uses_the_dictionary_of_the_edition_language(tmp_path: Path) -> None:
    body = "---\ntitle: Réunion\n---\nNous avons organisé une réunion avec l'équipe en juin."
    assert check_body(tmp_path / "good", body, FRENCH) == []
    findings = check_body(tmp_path / "slip", body.replace("organisé", "organsié"), FRENCH)
    assert [(f.rule, "'organsié'" in f.message) for f in findings] == [("spelling", True)]


def test_english_only_rules_do_not_run_on_other_languages(tmp_path: Path) -> None:
    body = ("---\ntitle: Réunion\n---\nNous organisons des réunions en partenariat "
            "avecUNICEF. Les colour et color, organise et organize.")
    rules = rules_of(check_body(tmp_path, body, FRENCH))
    assert not {"run-together-case", "spelling-variants", "run-together-words"} & set(rules)


def test_a_paragraph_in_another_language_is_not_spelt_with_the_edition_dictionary(
        tmp_path: Path) -> None:
    body = ("---\ntitle: Réunion\n---\nNous avons organisé une réunion.\n\n"
            "Our partners asked for a summary in English.\n{: lang=\"en\" dir=\"ltr\" }\n")
    assert check_body(tmp_path, body, FRENCH) == []


def test_no_spelling_without_a_dictionary(tmp_path: Path) -> None:
    config = CONFIG.replace("en-GB", "sw")
    findings = check_body(tmp_path, "Tulikutana na wanachama wetu mwezi Juni.", config)
    assert rules_of(findings) == ["interface-words"]


@pytest.mark.parametrize("a, b, near", [
    ("abc", "abc", False), ("abc", "abd", True), ("abc", "acb", True), ("abcd", "abdc", True),
    ("abcd", "abxy", False),   # two neighbours changed, not swapped
    ("abcd", "xbcy", False),   # two letters apart changed
    ("abcd", "badc", False), ("abc", "ab", True), ("ab", "abc", True), ("hat", "ahat", True),
    ("abc", "abxd", False), ("abcd", "ab", False), ("ab", "abcd", False),
])
def test_names_one_edit_apart(a: str, b: str, near: bool) -> None:
    assert _distance_one(a, b) is near


@pytest.mark.parametrize("word, pair", [
    ("childprotection", ("child", "protection")), ("forthe", ("for", "the")),
    ("alot", ("a", "lot")),      # a one-letter word on the left
    ("andin", ("and", "in")),    # the commoner split, not the first one found
    ("x" * 61, None), ("zzzzqqqq", None),
])
def test_run_together_words_split(word: str, pair: tuple[str, str] | None) -> None:
    assert _split_pair(lexicon("en"), word) == pair
