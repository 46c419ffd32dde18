"""Tests of the editorial rules: messages, spelling, the word list, spelling variants."""

from __future__ import annotations

from pathlib import Path

from folio.check import check_edition
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


def test_spelling_is_skipped_for_other_languages(tmp_path: Path) -> None:
    config = CONFIG.replace("en-GB", "fr")
    assert check_body(tmp_path, "Nous avons organisé une réunion.", config) == []
