"""Tests of where findings point: lines and columns in the file, masked code and comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio.check import check_edition
from tests.check.conftest import CONFIG, EMAIL, check_body, write_edition

# --- where findings point ------------------------------------------------------------


def test_line_and_column_count_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Intro\nsummary: A short one.\n---\n\nFirst line.\nWe thank the the team.\n"
    folder = write_edition(tmp_path, {"01-intro.md": text})
    [finding] = check_edition(folder)
    assert (finding.line, finding.column) == (7, 10)
    source = (folder / "01-intro.md").read_text().split("\n")[finding.line - 1]
    assert source[finding.column - 1:].startswith("the the")


def test_windows_line_endings(tmp_path: Path) -> None:
    text = "---\r\ntitle: Intro\r\n---\r\nOne.\r\nTwo.\r\nWe thank the the team.\r\n"
    folder = write_edition(tmp_path, {"01-intro.md": text})
    assert [(f.rule, f.line, f.column) for f in check_edition(folder)] == [
        ("repeated-word", 6, 10)]


def test_front_matter_values_are_checked_in_place(tmp_path: Path) -> None:
    text = ("---\ntitle: The the title\nsummary: >\n  A summary that goes\n  on to acheive"
            " more.\n---\nBody.\n")
    folder = write_edition(tmp_path, {"01-intro.md": text})
    findings = check_edition(folder)
    assert [(f.rule, f.line, f.column) for f in findings] == [("repeated-word", 2, 8),
                                                               ("spelling", 5, 9)]


def test_edition_yaml_values_are_checked(tmp_path: Path) -> None:
    config = CONFIG.replace("Test edition", "Our the the year")
    findings = check_body(tmp_path, "Fine text.", config)
    assert [(Path(f.file).name, f.rule, f.line, f.column) for f in findings] == [
        ("edition.yaml", "repeated-word", 1, 12)]


def test_code_and_comments_are_skipped(tmp_path: Path) -> None:
    body = ("Text.\n\n```\nthe the acheive TODO\n```\n\n<!-- TODO the the -->\n\n"
            "Use `the the` here.\n")
    assert check_body(tmp_path, body) == []


def found(tmp_path: Path, body: str, config: str = CONFIG) -> list[tuple[int, int, str, str]]:
    """Check one section and return (line, column, rule, message) of every finding."""
    return [(f.line, f.column, f.rule, f.message) for f in check_body(tmp_path, body, config)]


# --- what the messages quote ---------------------------------------------------------


def test_a_quote_from_the_first_character(tmp_path: Path) -> None:
    assert found(tmp_path, "The the report is out.") == [
        (4, 1, "repeated-word", "'The the': 'The' is written twice in a row; delete one")]


def test_a_quote_across_lines_is_on_one_line(tmp_path: Path) -> None:
    [(_, _, _, message)] = found(tmp_path, "We thank the \n  the team.")
    assert message.startswith("'the the': ")


def test_a_quote_of_spaces_keeps_them(tmp_path: Path) -> None:
    [(_, _, _, message)] = found(tmp_path, "The report was published  in May.")
    assert message == "'as published  in May.': 2 spaces in a row; use one"


@pytest.mark.parametrize(("link", "quoted"), [
    ("![](images/" + "a" * 104 + ".png)", "![](images/" + "a" * 104 + ".png)"),  # 120
    ("![](images/" + "a" * 105 + ".png)", "![](images/" + "a" * 105 + ".pn…"),  # 121
    ("![](images/" + "a" * 103 + '.png "b")', "![](images/" + "a" * 103 + ".png…"),
])
def test_a_long_link_is_cut_at_120_characters(tmp_path: Path, link: str, quoted: str
                                              ) -> None:
    [(_, _, rule, message)] = found(tmp_path, link)
    assert (rule, message.split("': ")[0]) == ("image-alt", f"'{quoted}")


# --- where findings point, in the text and in YAML -------------------------------------


def test_a_value_that_cannot_be_placed_points_at_its_start(tmp_path: Path) -> None:
    body = '---\ntitle: "Caf\\u00e9 the the"\n---\nText.'
    assert [f[:3] for f in found(tmp_path, body)] == [(2, 8, "repeated-word")]  # the quote


def test_a_finding_after_a_comment_of_several_lines(tmp_path: Path) -> None:
    body = "<!-- a note\nover two lines -->\nThe report  was out."
    assert [f[:3] for f in found(tmp_path, body)] == [(6, 11, "spacing")]


def test_a_word_alone_on_the_first_line_is_its_own_block(tmp_path: Path) -> None:
    assert found(tmp_path / "a", "Members\n\nMembers joined in May.") == []
    assert [f[2] for f in found(tmp_path / "b", "Members members joined in May.")] == [
        "repeated-word"]


# --- what counts as code -----------------------------------------------------------


@pytest.mark.parametrize("code", [
    "~~~\nthe the acheive\n~~~",  # a fence of tildes
    "```\nthe the\n\nacheive\n```",  # a blank line inside
    "```\n~~~\nthe the\n\n```",  # tildes do not close backticks
    "````\nthe the\n\n```\nacheive\n````",  # nor a shorter fence
    "```python\nthe the\n\nacheive\n```",  # an info string
])
def test_fenced_code_is_skipped_up_to_its_closing_fence(tmp_path: Path, code: str) -> None:
    findings = found(tmp_path, code + "\n\nWe thank the the team.\n")
    closing = 4 + code.count("\n") + 2
    assert [f[:3] for f in findings] == [(closing, 10, "repeated-word")]


def test_text_right_after_a_closing_fence_is_checked(tmp_path: Path) -> None:
    findings = found(tmp_path, "```\nthe the\n\nacheive\n```\nWe thank the the team.\n")
    assert [f[:3] for f in findings] == [(9, 10, "repeated-word")]


def test_an_indented_code_block_at_the_start_is_skipped(tmp_path: Path) -> None:
    assert found(tmp_path, "    the the codeblok\n\nText.") == []


# --- the prose and links of front matter and edition.yaml ------------------------------


SECTION = """---
title: The the title
summary: Our the the summary
caption: A the the caption
image: images/p.png
image_alt: An the the picture
quote: We the the quote
attribution: By the the author
figures:
  - value: "10"
    label: the the figure
cta:
  label: Join the the team
  url: "htps://example.org/join"
events:
  - date: 2025-06-01
    title: The the fair
    place: The the hall
    url: "htps://example.org/e"
---
Body.
"""


def test_every_prose_field_of_a_section_is_checked_in_place(tmp_path: Path) -> None:
    from PIL import Image

    folder = write_edition(tmp_path, {"01-a.md": SECTION})
    (folder / "images").mkdir()
    Image.new("RGB", (4, 4)).save(folder / "images" / "p.png")
    assert [(f.line, f.column, f.rule) for f in check_edition(folder)] == [
        (2, 8, "repeated-word"), (3, 14, "repeated-word"), (4, 12, "repeated-word"),
        (6, 15, "repeated-word"), (7, 11, "repeated-word"), (8, 17, "repeated-word"),
        (11, 12, "repeated-word"), (13, 15, "repeated-word"), (14, 9, "url"),
        (17, 12, "repeated-word"), (18, 12, "repeated-word"), (19, 11, "url")]


EDITION = """title: Our the the edition
subtitle: A the the subtitle
description: The the description
organisation: Test Organisation
date: 2025-06-01
language: en-GB
website: "htps://example.org/site"
cover_image_alt: A the the cover
email:
  subject: The the subject
  preheader: The the preheader
  web_url: "htps://example.org/web"
  pdf_url: "htps://example.org/pdf"
  asset_base_url: "htps://example.org/img/"
"""


def test_every_prose_and_address_field_of_edition_yaml_is_checked_in_place(tmp_path: Path
                                                                          ) -> None:
    findings = check_body(tmp_path, "Body.", EDITION)
    assert [(Path(f.file).name, f.line, f.column, f.rule) for f in findings] == [
        ("edition.yaml", 1, 12, "repeated-word"), ("edition.yaml", 2, 13, "repeated-word"),
        ("edition.yaml", 3, 14, "repeated-word"), ("edition.yaml", 7, 11, "url"),
        ("edition.yaml", 8, 20, "repeated-word"), ("edition.yaml", 9, 1, "email-from"),
        ("edition.yaml", 10, 12, "repeated-word"), ("edition.yaml", 11, 14, "repeated-word"),
        ("edition.yaml", 12, 13, "url"),
        ("edition.yaml", 13, 13, "url"), ("edition.yaml", 14, 20, "url")]


def test_a_quotation_keeps_its_own_spelling(tmp_path: Path) -> None:
    body = "We organise events and organise webinars."
    quoted = f'---\ntitle: Voices\nquote: "We organize to win."\n---\n{body}'
    summary = f'---\ntitle: Voices\nsummary: "We organize to win."\n---\n{body}'
    assert found(tmp_path / "a", quoted) == []
    assert [f[:3] for f in found(tmp_path / "b", summary)] == [(3, 14, "spelling-variants")]


# --- headings ------------------------------------------------------------------------


def test_a_heading_with_code_or_a_comment_is_named_as_the_page_names_it(tmp_path: Path
                                                                          ) -> None:
    body = ("See [the file](#text-the-config-file), [the note](#text-a-note) and "
            "[the setting](#text-the-setting-config).\n\n## The `config` file\n\n"
            "# A <!-- x --> note\n\nThe setting `config`\n--------------------\n")
    assert found(tmp_path, body) == [
        (6, 1, "heading-levels", "'## The `config` file' skips a level after the section "
                                 "title; use #")]


# --- links: what they point to, where they are, how they are quoted ---------------------


LINKS = [
    ('Read [the report](htps://example.org/r "The title").',
     [(4, 6, "url", "'[the report](htps://example.org/r \"The title\")': 'htps:' looks like a "
                    "misspelt 'https:'")]),
    ("Read [the report](<htps://example.org/a b>).",
     [(4, 6, "url", "'[the report](<htps://example.org/a b>)': the address has a space in it")]),
    ("Read [the report]( ).",
     [(4, 6, "url", "'[the report]( )': the link has no address")]),
    ("[![](images/logo.png)](https://example.org)",
     [(4, 2, "image-alt", "'![](images/logo.png)': images/logo.png has no alt text; describe "
                          "what it shows")]),
    ("[![]( )](https://example.org)",
     [(4, 2, "image-alt", "'![]( )': the picture has no alt text; describe what it shows"),
      (4, 2, "url", "'![]( )': the link has no address")]),
    ("Read [the report][r].\n\n[r]: htps://example.org/r",
     [(6, 6, "url", "'htps://example.org/r': 'htps:' looks like a misspelt 'https:'")]),
    ("See ![][pic] and [nothing][none].\n\n[PIC]: images/p.png",
     [(4, 5, "image-alt", "'![][pic]': the picture has no alt text; describe what it shows")]),
    ("See ![the chart][] here.\n\n[the chart]: images/p.png", []),
    ("See <htps://example.org/r> now.",
     [(4, 5, "url", "'<htps://example.org/r>': 'htps:' looks like a misspelt 'https:'")]),
    ("A <a href=\"htps://example.org/r\">report</a> and <a href='#nowhere'>the notes</a>.",
     [(4, 3, "url", "'<a href=\"htps://example.org/r\">report</a>': 'htps:' looks like a "
                    "misspelt 'https:'"),
      (4, 49, "anchor", "'<a href='#nowhere'>the notes</a>': nothing in the edition is "
                        "called '#nowhere'")]),
    ('A <A HREF="https://example.org/r"><b>here</b></A>.',
     [(4, 3, "link-text", "'here': link text that says nothing on its own; name where the "
                          "link leads")]),
    ("<img src=\"images/p.png\"> <img alt=\"\" src=\"images/q.png\"> "
     "<img src='images/r.png' alt='r.png'> <IMG ALT=\"\">",
     [(4, 1, "image-alt", "'<img src=\"images/p.png\">': images/p.png has no alt text; "
                          "describe what it shows"),
      (4, 58, "image-alt", "'r.png': the alt text of images/r.png is a file name; describe "
                           "what the picture shows"),
      (4, 95, "url", "'<IMG ALT=\"\">': the link has no address")]),
    ("Visit http://example.org. Or (see http://en.wikipedia.org/wiki/Safety_(law)).",
     [(4, 7, "http-link", "'http://example.org': use https:// (readers' browsers warn about "
                          "http:// pages)"),
      (4, 7, "link-text", "'http://example.org': a bare address; screen readers spell it "
                          "out: write [what it leads to](http://example.org)"),
      (4, 35, "http-link", "'http://en.wikipedia.org/wiki/Safety_(law)': use https:// "
                           "(readers' browsers warn about http:// pages)"),
      (4, 35, "link-text", "'http://en.wikipedia.org/wiki/Safety_(law)': a bare address; "
                           "screen readers spell it out: write [what it leads to]"
                           "(http://en.wikipedia.org/wiki/Safety_(law))")]),
    ('A <a href="htps://example.org/r">the\nreport</a>.',  # over two lines
     [(4, 3, "url", "'<a href=\"htps://example.org/r\">the report</a>': 'htps:' looks like a "
                    "misspelt 'https:'")]),
    ('<img src="images/p.png" alt="A chart\nof members"> <IMG SRC="images/q.png" ALT="q.png">',
     [(5, 14, "image-alt", "'q.png': the alt text of images/q.png is a file name; describe "
                           "what the picture shows")]),
    ("See ![chart.png][] here.\n\n[chart.png]: images/chart.png",
     [(4, 5, "image-alt", "'chart.png': the alt text of the picture is a file name; "
                          "describe what the picture shows")]),
    ('[![](images/logo.png "The logo")](https://example.org)',
     [(4, 2, "image-alt", "'![](images/logo.png \"The logo\")': images/logo.png has no alt "
                          "text; describe what it shows")]),
    ("[Logo: ![](images/logo.png)](https://example.org)",  # a picture inside, not first
     [(4, 8, "image-alt", "'![](images/logo.png)': images/logo.png has no alt text; describe "
                          "what it shows")]),
    ("Write to [us][r].\n\n[r]: info@example.org",
     [(6, 6, "mailto", "'info@example.org': an e-mail address needs mailto: in front "
                       "(mailto:info@example.org)")]),
    ("See [the notes](<#nowhere>).",
     [(4, 5, "anchor", "'[the notes](<#nowhere>)': nothing in the edition is called "
                       "'#nowhere'")]),
    ("See [the report](https://example.org/r) and the the end.",  # the words after a link
     [(4, 45, "repeated-word", "'the the': 'the' is written twice in a row; delete one")]),
    (" ### Deep",  # an indented heading
     [(4, 2, "heading-levels", "'### Deep' skips a level after the section title; use #")]),
    ("See [https://example.org/x](https://example.org/x).",
     [(4, 5, "link-text", "'https://example.org/x': a bare address as link text; say what "
                          "it leads to")]),
]


@pytest.mark.parametrize(("body", "expected"), LINKS)
def test_links_are_found_and_quoted(tmp_path: Path, body: str,
                                    expected: list[tuple[int, int, str, str]]) -> None:
    assert found(tmp_path, body) == expected


def test_links_in_front_matter_prose(tmp_path: Path) -> None:
    body = ('---\ntitle: Voices\nsummary: "Read [the report](htps://example.org/r)."\n---\n'
            "Text.\n\n[unused]: https://example.org/u\n")
    assert [f[:3] for f in found(tmp_path, body)] == [(3, 16, "url")]


@pytest.mark.parametrize("body", [
    "Text.\n\n\tthe the codeblok\n\nMore.",  # indented with a tab
    "Text.\n\n    codeblok one\n    the the\n\nMore.",  # two lines of code
    "    codeblok\n\n```\nthe the\n\nx\n```",  # a fence after indented code
])
def test_indented_code_is_skipped(tmp_path: Path, body: str) -> None:
    assert found(tmp_path, body) == []


@pytest.mark.parametrize(("body", "where"), [
    ("    codeblok\n\nA paragraph with\n    an indented the the line.", (7, 17)),
    ("- item\n\n    the the continued", (6, 5)),  # a list item goes on
    ("1. item\n\n    the the continued", (6, 5)),
    ("Text[^1].\n\n[^1]: note\n\n    more the the", (8, 10)),  # so does a footnote
])
def test_indented_prose_is_checked(tmp_path: Path, body: str, where: tuple[int, int]) -> None:
    assert [f[:3] for f in found(tmp_path, body)] == [(*where, "repeated-word")]


@pytest.mark.parametrize("body", [
    "See [the report][acheive] and the the end.\n\n[acheive]: https://example.org",
    "See ![the chart][acheive] and the the end.\n\n[acheive]: images/p.png",
])
def test_a_reference_is_masked_and_the_text_around_it_stays_in_place(tmp_path: Path,
                                                                     body: str) -> None:
    assert [f[:3] for f in found(tmp_path, body)] == [(4, 31, "repeated-word")]


def test_the_text_of_a_reference_link_is_checked(tmp_path: Path) -> None:
    body = "See [the acheive][r] now.\n\n[r]: https://example.org"
    assert [f[:3] for f in found(tmp_path, body)] == [(4, 10, "spelling")]


# --- blocks: a word repeated across a block boundary is no repeated word ----------------


@pytest.mark.parametrize(("body", "where"), [
    ("We thank the members\nmembers of the board.", (4, 14)),  # one paragraph
    ("> We thank the members\n> members of the board.", (4, 16)),  # one quotation
])
def test_a_word_repeated_inside_a_block(tmp_path: Path, body: str, where: tuple[int, int]
                                        ) -> None:
    assert [f[:3] for f in found(tmp_path, body)] == [(*where, "repeated-word")]


@pytest.mark.parametrize("body", [
    "# Members\nMembers joined in May.",  # after a heading
    "Members joined\n# members",  # before a heading
    "- Members\n- members joined in May.",  # list items
    "| Members | 2 |\nmembers joined in May.",  # after a table row
    "Members joined | 2\nmembers joined in May.",  # a row without its outer bars
    "We thank the members\n| members | 2 |",  # before a table row
    "Members\n=======\nMembers joined in May.",  # after a setext heading
    "We thank the members\n> members of the board.",  # a quotation begins
])
def test_a_word_repeated_across_blocks(tmp_path: Path, body: str) -> None:
    assert "repeated-word" not in [f[2] for f in found(tmp_path, body)]


def test_a_byte_order_mark_moves_nothing(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {"01-a.md": "Text."},
                           "\ufeff" + CONFIG.replace("Test edition", "Our the the year"))
    (folder / "01-a.md").write_text("\ufeff---\ntitle: The the title\n---\nWe thank the the team.",
                                    encoding="utf-8")
    assert [(Path(f.file).name, f.line, f.column) for f in check_edition(folder)] == [
        ("edition.yaml", 1, 12), ("01-a.md", 2, 8), ("01-a.md", 4, 10)]


def test_a_front_matter_address_is_quoted_as_written(tmp_path: Path) -> None:
    body = '---\ntitle: Join\ncta:\n  label: Join the team\n  url: "htps://example.org/j"\n---\n'
    assert found(tmp_path, body) == [
        (5, 9, "url", "'htps://example.org/j': 'htps:' looks like a misspelt 'https:'")]


def test_the_word_list_names_words_and_phrases(tmp_path: Path) -> None:
    config = CONFIG + 'words: ["Duran  Duran", "Zyxo’s", "Okafor-Smyth", "Ngozi Adeyemmi"]\n'
    body = "We saw Duran Duran, Zyxo’s and Zyxo's team, Okafor-Smyth and Adeyemmi."
    assert found(tmp_path, body, config) == []


def test_closing_hashes_are_not_part_of_a_heading(tmp_path: Path) -> None:
    assert found(tmp_path, "See [the title](#text-title).\n\n# Title ##") == []


@pytest.mark.parametrize(("body", "expected"), [
    ("Intro\n=====\n\n### Deep", [(7, 1, "'### Deep' skips a level after # heading; use ##")]),
    ("Intro\n-----\n\n#### Deep",
     [(4, 1, "'## Intro' skips a level after the section title; use #"),
      (7, 1, "'#### Deep' skips a level after ## heading; use ###")]),
    # a line of dashes under a list item, a table row or after a blank line is a rule
    ("- item\n---\n\n## Next", [(7, 1, "'## Next' skips a level after the section title; "
                                       "use #")]),
    ("| a | b |\n---\n\n## Next", [(7, 1, "'## Next' skips a level after the section title; "
                                          "use #")]),
    ("Intro\n\n---\n\n## Next", [(8, 1, "'## Next' skips a level after the section title; "
                                        "use #")]),
])
def test_underlined_headings(tmp_path: Path, body: str,
                             expected: list[tuple[int, int, str]]) -> None:
    assert [(line, column, message) for line, column, _, message in found(tmp_path, body)
            ] == expected


def test_a_value_is_placed_after_its_key(tmp_path: Path) -> None:
    body = ('---\ntitle: Join\ncaption: a the the caption\ncta:\n  label: Join the team\n'
            '  url: "https://example.org/join"\n---\nText.\n')
    assert [f[:3] for f in found(tmp_path, body)] == [(3, 12, "repeated-word")]


# --- values in flow style: `key: {a: ..., b: ...}` on one line or spread over two ---------

CTA_STYLES = {
    "block": "cta:\n  label: Help the team\n  url: htps://example.org/join\n",
    "flow": "cta: {label: Help the team, url: htps://example.org/join}\n",
    "flow, two lines": "cta: {label: Help the team,\n      url: htps://example.org/join}\n",
    "flow, quoted": "cta: {label: 'Help the team', url: \"htps://example.org/join\"}\n",
    "flow, url first": "cta: {url: htps://example.org/join, label: Help the team}\n",
}


def pointed_at(folder: Path, finding: object) -> str:
    """Return the text of the file from where a finding points, to the end of its line."""
    file, line, column = (getattr(finding, name) for name in ("file", "line", "column"))
    text = (Path(file) if Path(file).is_absolute() else Path.cwd() / file).read_text()
    return text.split("\n")[line - 1][column - 1:]


@pytest.mark.parametrize("cta", CTA_STYLES.values(), ids=CTA_STYLES.keys())
def test_a_value_in_flow_style_is_pointed_at_itself(tmp_path: Path, cta: str) -> None:
    text = f"---\ntitle: Join\nlayout: cta\n{cta}---\nText.\n"
    folder = write_edition(tmp_path, {"01-join.md": text})
    [finding] = check_edition(folder)
    assert finding.rule == "url"
    assert pointed_at(folder, finding).startswith("htps://example.org/join")


@pytest.mark.parametrize("cta", CTA_STYLES.values(), ids=CTA_STYLES.keys())
def test_prose_in_flow_style_is_pointed_at_itself(tmp_path: Path, cta: str) -> None:
    text = f"---\ntitle: Join\nlayout: cta\n{cta.replace('Help the', 'Help the the')}---\nText.\n"
    folder = write_edition(tmp_path, {"01-join.md": text})
    found = [f for f in check_edition(folder) if f.rule == "repeated-word"]
    assert [pointed_at(folder, f)[:7] for f in found] == ["the the"]


def test_edition_yaml_in_flow_style_is_pointed_at_itself(tmp_path: Path) -> None:
    config = CONFIG.replace(
        EMAIL,
        'email: {asset_base_url: "https://example.org/img/", web_url: htps://example.org/web,\n'
        '        from: news@test.org,\n'
        '        subject: Help the the team}') + "checks: {spelling: true, speling: false}\n"
    folder = write_edition(tmp_path, {"01-a.md": "Text."}, config)
    found = {f.rule: pointed_at(folder, f) for f in check_edition(folder)}
    assert found["url"].startswith("htps://example.org/web")
    assert found["repeated-word"].startswith("the the team")
    assert found["unknown-check"].startswith("speling: false")
