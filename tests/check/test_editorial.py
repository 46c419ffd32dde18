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


# --- messages and limits of the word rules ---------------------------------------------------


def messages(tmp_path: Path, body: str, config: str = CONFIG) -> list[tuple[str, int, str]]:
    return [(f.rule, f.column, f.message) for f in check_body(tmp_path, body, config)]


def test_a_word_repeated_across_a_tab_but_not_across_markup_alone(tmp_path: Path) -> None:
    assert messages(tmp_path / "tab", "We thank the\tthe members.") == [
        ("repeated-word", 10, "'the the': 'the' is written twice in a row; delete one")]
    assert messages(tmp_path / "touching", "It was **the**the best year.") == []


@pytest.mark.parametrize("body, column, pair", [
    ("A new report on childprotection came out.", 17, "'childprotection': two words run "
                                                     "together? 'child protection'"),
    ("It was one ofthe best.", 12, "'ofthe': two words run together? 'of the'"),  # 5 letters
    ("We help eachother.", 9, "'eachother': two words run together? 'each other'"),  # e-
    ("We launched ourchatbot.", 13, "'ourchatbot': two words run together? 'our chatbot'"),
    ("The smartphoneuse grew.", 5, "'smartphoneuse': two words run together? "
                                   "'smartphone use'"),
])
def test_words_run_together_are_split_in_the_message(tmp_path: Path, body: str, column: int,
                                                     pair: str) -> None:
    """A word starting with a prefix ('e') is still split, and words known only from Folio's
    own list ('chatbot', 'smartphone') count as halves."""
    assert messages(tmp_path, body) == [("run-together-words", column, pair)]


def test_an_unknown_word_without_a_suggestion(tmp_path: Path) -> None:
    assert messages(tmp_path, "We met zqxjvk today.") == [
        ("spelling", 8, "'zqxjvk': unknown word; if it is right, add it to `words:` in "
                        "edition.yaml")]


def test_words_run_together_are_an_english_rule(tmp_path: Path) -> None:
    """In French 'parcontre' is a misspelling; its split is not offered (and the English
    rule would be switched off there, taking the finding with it)."""
    body = "---\ntitle: Réunion\n---\nNous avons, parcontre, organisé une réunion."
    assert [rule for rule, _, _ in messages(tmp_path, body, FRENCH)] == ["spelling"]


@pytest.mark.parametrize("body, fixed", [
    ("Ohter members came.", "Other"),    # the first two letters after the capital
    ("Theri work matters.", "Their"),    # the last two letters
    ("Cnacels are rare.", "Cancels"),    # a fix seen exactly 1,000 times in the word counts
])
def test_a_capitalised_slip_of_two_letters_swapped(tmp_path: Path, body: str,
                                                   fixed: str) -> None:
    [(rule, column, message)] = messages(tmp_path, body)
    assert (rule, column) == ("spelling", 1) and message.endswith(f"did you mean '{fixed}'?")


def test_a_name_of_five_letters_spelt_two_ways(tmp_path: Path) -> None:
    body = "Okoro spoke. Okoro left. Okoro returned. Then Okoru came."
    assert messages(tmp_path / "used", body) == [
        ("spelling", 47, "'Okoru': elsewhere written 'Okoro' (3 times); check the spelling")]
    listed = messages(tmp_path / "listed", "Then Amima came.", CONFIG + "words: [Amina]\n")
    assert listed == [("spelling", 6, "'Amima': the word list has 'Amina'; check the spelling")]


def test_short_names_and_names_used_once_each_are_left_alone(tmp_path: Path) -> None:
    """'Nkem' is another name than 'Nkemi', not a slip; two names used once each give no
    majority to follow; names sorted first (short, used twice, used once with nothing near)
    do not stop the others being judged."""
    body = ("Adeyemi, Nkemi and Nkemi spoke. Nkem stayed. The EU met Okonkwo, Okonkwo and "
            "Okonwko.")
    assert [message.split("'")[1] for _, _, message in messages(tmp_path / "a", body)] == [
        "Okonwko"]
    assert messages(tmp_path / "b", "Okonkwo spoke and Okonwko listened.") == []


def test_spelling_variants_name_their_family(tmp_path: Path) -> None:
    [(rule, _, message)] = messages(tmp_path, "We analysed the data, paralysed by doubt. "
                                              "They analyzed it.")
    assert rule == "spelling-variants"
    assert message.startswith("'analyzed' is a -yze spelling, but this edition elsewhere "
                              "uses a -yse spelling such as 'analysed' (")


@pytest.mark.parametrize("body", [
    "We organize events and realize our aims. What a surprise, and what expertise.",
    "We organise events, though the team downsized and the boat capsized.",
])
def test_words_ending_in_ise_or_ize_either_way_are_no_variants(tmp_path: Path,
                                                               body: str) -> None:
    """'surprise' and 'expertise' have no -ize form in use; 'downsize' and 'capsize' are
    spelt with -ize in British English too."""
    assert messages(tmp_path, body) == []


@pytest.mark.parametrize("body, flagged", [
    ("We met at the at the start.", "at the at the"),          # two words
    ("We thank all of our members we thank all of our members today.",
     "We thank all of our members we thank all of our members"),  # six words
    ("We thank all of our young members we thank all of our young members today.", None),
    ("We looked at the at\n\nthe figures.", None),              # a paragraph between
])
def test_repeated_phrases_of_two_to_six_words(tmp_path: Path, body: str,
                                              flagged: str | None) -> None:
    found = [message.split("'")[1] for rule, _, message in messages(tmp_path, body)
             if rule in ("repeated-word", "repeated-phrase")]
    assert found == ([flagged] if flagged else [])
