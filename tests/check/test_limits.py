"""Check rules at their documented limits: one step either side of each threshold."""

from __future__ import annotations

import http.server
import itertools
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.check import check_edition
from folio.check.accessibility import CONTRAST_PAIRS, MIN_CONTRAST
from folio.check.editorial import LONG_SENTENCE
from folio.formats.email import HEAD_STYLE_LIMIT
from folio.schema import Colours, FontSpec, ThemeConfig
from tests.check.conftest import CONFIG, check_body, write_edition

WORDS = ["members", "partners", "met", "young", "people", "across", "the", "region", "and",
         "shared", "their", "ideas", "with", "our", "staff", "during", "a", "long", "summer"]


def sentence(words: int) -> str:
    return " ".join(itertools.islice(itertools.cycle(WORDS), words)).capitalize() + "."


def found(tmp_path: Path, body: str, rule: str, config: str = CONFIG, **options) -> list[str]:
    return [f.message for f in check_body(tmp_path, body, config, **options) if f.rule == rule]


# --- long sentences -------------------------------------------------------------------


def test_forty_words_pass_and_forty_one_are_long(tmp_path: Path) -> None:
    assert LONG_SENTENCE == 40  # the README's figure
    assert found(tmp_path / "a", sentence(40), "long-sentence") == []
    [message] = found(tmp_path / "b", sentence(41), "long-sentence")
    assert "has 41 words" in message
    two = sentence(40) + " " + sentence(40)  # two sentences, neither too long
    assert found(tmp_path / "c", two, "long-sentence") == []


# --- contrast -------------------------------------------------------------------------


def theme(**colours: str) -> ThemeConfig:
    font = FontSpec(family="Lato")
    return ThemeConfig(name="t", colours=Colours(**colours), body_font=font, heading_font=font)


def contrast_findings(tmp_path: Path, **colours: str) -> list[str]:
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    return [f.message for f in check_edition(folder, theme=theme(**colours))
            if f.rule == "contrast"]


def test_contrast_just_under_and_just_over_the_minimum(tmp_path: Path) -> None:
    assert MIN_CONTRAST == 4.5
    [message] = contrast_findings(tmp_path / "a", ink="#168484")  # 4.499:1 on white
    assert "'ink: #168484'" in message
    assert contrast_findings(tmp_path / "b", ink="#4e7f7f") == []  # 4.5005:1 on white


PAIRS = [("ink", "paper", "body text"), ("muted", "paper", "captions and dates"),
         ("accent", "paper", "links and headings"), ("accent_ink", "accent", "button text"),
         ("band_ink", "band", "text on the band")]
"""The pairs of text on a background, at 4.5:1; the print palette adds large text at 3:1."""


def test_the_checked_pairs() -> None:
    assert [pair[:3] for pair in CONTRAST_PAIRS if pair[3] == 4.5] == PAIRS
    assert [pair for pair in CONTRAST_PAIRS if pair[3] != 4.5] == [
        ("highlight_text", "paper", "section numbers in the PDF, large text", 3.0),
        ("highlight", "band", "key figures and running heads on the band, large and bold", 3.0)]


@pytest.mark.parametrize("fore, back, what", PAIRS)
def test_every_colour_pair_is_checked(tmp_path: Path, fore: str, back: str, what: str) -> None:
    unreadable = Colours().model_dump()[back]  # text in its own background colour
    [message] = [m for m in contrast_findings(tmp_path, **{fore: unreadable})
                 if m.startswith(f"'{fore}:")]
    assert message.startswith(f"'{fore}: {unreadable}' on '{back}: ") and f"({what})" in message
    assert "1.0:1" in message


# --- placeholders, link text, repeated numbers ----------------------------------------


@pytest.mark.parametrize("text", ["FIXME: add the total.", "The venue is FIXME.",
                                  "We reached TKTK people.", "Our XXXX partners met."])
def test_placeholders_are_flagged(tmp_path: Path, text: str) -> None:
    assert found(tmp_path, text, "placeholder")


@pytest.mark.parametrize("text", ["The fixme command is gone.", "A FIXMEs list.",
                                  "The TK-2 model.", "Radio XXL was there.",
                                  "The ATK team met.", "A non-FIXME note."])
def test_words_that_look_like_placeholders_are_not(tmp_path: Path, text: str) -> None:
    assert found(tmp_path, text, "placeholder") == []


@pytest.mark.parametrize("label", ["Read more", "read more.", "Learn more", "LEARN MORE!",
                                   "Find out more", "more info"])
def test_vague_link_text(tmp_path: Path, label: str) -> None:
    [message] = found(tmp_path, f"See [{label}](https://example.org/report).", "link-text")
    assert "says nothing on its own" in message


@pytest.mark.parametrize("label", ["Read more about the summit", "learn more about our work"])
def test_link_text_that_says_where_it_leads(tmp_path: Path, label: str) -> None:
    assert found(tmp_path, f"See [{label}](https://example.org/report).", "link-text") == []


@pytest.mark.parametrize("text", ["We counted 12 12 boats.", "The score was 3 1 3 1 in the end.",
                                  "Rooms 4B 4B were booked."])
def test_repeated_numbers_are_not_flagged(tmp_path: Path, text: str) -> None:
    findings = check_body(tmp_path, text)
    assert [f for f in findings if f.rule in ("repeated-word", "repeated-phrase")] == []


def test_repeated_words_beside_numbers_still_are(tmp_path: Path) -> None:
    assert found(tmp_path, "We counted 12 boats boats.", "repeated-word")


# --- the language -----------------------------------------------------------------------


@pytest.mark.parametrize("language, english", [("en", True), ("en-GB", True), ("EN-us", True),
                                               ("fr", False), ("de-CH", False)])
def test_english_rules_run_on_every_english_language_tag(tmp_path: Path, language: str,
                                                         english: bool) -> None:
    """British and American spellings are an English matter; spelling uses the language's
    own dictionary, so 'acheive' is a slip in English and one word of many elsewhere."""
    config = CONFIG.replace("language: en-GB", f"language: {language}")
    mixed = "We organise events. They organize webinars."
    assert bool(found(tmp_path / "v", mixed, "spelling-variants", config)) is english
    spelling = found(tmp_path / "s", "We will acheive more together.", "spelling", config)
    assert any("acheive" in message and "achieve" in message for message in spelling) \
        is english


def test_a_missing_language_is_an_error(tmp_path: Path) -> None:
    config = CONFIG.replace("language: en-GB\n", "")
    findings = check_body(tmp_path, "Fine.", config)
    [language] = [f for f in findings if f.rule == "language"]
    assert language.severity == "error" and language.line == 1


# --- email head styles ------------------------------------------------------------------


def email_with_head_styles(size: int) -> str:
    css = "a{color:red}" + " " * (size - len("a{color:red}"))
    return (f"<!doctype html><html><head><style>{css}</style></head>"
            "<body><p>Hi</p></body></html>")


def test_head_styles_up_to_the_limit_pass_and_one_byte_more_warns(tmp_path: Path) -> None:
    assert HEAD_STYLE_LIMIT == 16 * 1024
    at = found(tmp_path / "a", "Fine.", "email-head-styles",
               email_html=email_with_head_styles(HEAD_STYLE_LIMIT))
    assert at == []
    [message] = found(tmp_path / "b", "Fine.", "email-head-styles",
                      email_html=email_with_head_styles(HEAD_STYLE_LIMIT + 1))
    assert "16.0 KB" in message and "over 16 KB" in message


# --- dead links: status codes and HEAD then GET -----------------------------------------

ANSWERS = {  # path: (status to HEAD, status to GET)
    "/ok": (200, 200), "/gone": (404, 404), "/removed": (410, 410), "/broken": (500, 500),
    "/login": (401, 401), "/robots": (403, 403), "/busy": (429, 429),
    "/no-head": (405, 200), "/no-head-gone": (405, 404), "/head-unknown": (501, 200),
    "/head-forbidden": (403, 200), "/head-forbidden-gone": (403, 404),
}
DEAD = {"/gone": "404", "/removed": "410", "/broken": "500", "/no-head-gone": "404",
        "/head-forbidden-gone": "404"}


@pytest.fixture
def answering_site() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A local web server answering ANSWERS; it records each (method, path) asked."""
    asked: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, method: str) -> None:
            asked.append((method, self.path))
            head, get = ANSWERS.get(self.path, (404, 404))
            self.send_response(head if method == "HEAD" else get)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_HEAD(self) -> None:
            self.answer("HEAD")

        def do_GET(self) -> None:
            self.answer("GET")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def test_dead_link_status_codes_and_the_get_retry(tmp_path: Path, answering_site) -> None:
    site, asked = answering_site
    body = "\n\n".join(f"See [page {i}]({site}{path})." for i, path in enumerate(ANSWERS))
    findings = [f for f in check_body(tmp_path, body, online=True) if f.rule == "dead-link"]
    dead = {f.message.split("'")[1].removeprefix(site): f.message for f in findings}
    assert sorted(dead) == sorted(DEAD)
    for path, status in DEAD.items():
        assert f"answers {status} " in dead[path], dead[path]
    methods = {path: [m for m, p in asked if p == path] for path in ANSWERS}
    for path, (head, _get) in ANSWERS.items():
        retried = head in (403, 405, 501)
        assert methods[path] == (["HEAD", "GET"] if retried else ["HEAD"]), path


def test_a_server_that_does_not_answer(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    [message] = found(tmp_path, f"See [the page](http://127.0.0.1:{port}/x).", "dead-link",
                      online=True)
    assert "no answer" in message


def test_a_long_sentence_is_quoted_as_written(tmp_path: Path) -> None:
    """With its commas, so that a search for the quotation finds the sentence."""
    body = ("First, and above all, we thank our members, partners and friends"
            + " and" * 40 + ".")
    [message] = found(tmp_path, body, "long-sentence")
    assert message.startswith("'First, and above all, we thank our members …'")
    assert message.split("'")[1].removesuffix(" …") in body
