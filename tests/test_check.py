"""Tests of `check`: every rule on text it must flag and on text it must leave alone."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.check import (
    RULES,
    Finding,
    check_edition,
    contrast_ratio,
    exit_status,
    format_findings,
    mailto_problem,
    url_problem,
)
from folio.errors import ContentError
from folio.schema import Colours, FontSpec, ThemeConfig

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "README.md"
CONFIG = """\
title: Test edition
organisation: Test Organisation
date: 2025-06-01
language: en-GB
email: {asset_base_url: "https://example.org/img/"}
"""


def write_edition(root: Path, sections: dict[str, str], config: str = CONFIG,
                  name: str = "test") -> Path:
    """Write an edition folder: edition.yaml and one file per section.

    A section text that does not start with front matter gets `title: <file name>`.
    """
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text(config, encoding="utf-8")
    for file, text in sections.items():
        if not text.startswith("---"):
            text = f"---\ntitle: {Path(file).stem[3:].title()}\n---\n{text}"
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def check_body(tmp_path: Path, body: str, config: str = CONFIG, **options: object
               ) -> list[Finding]:
    """Check an edition of one section whose body is `body`."""
    folder = write_edition(tmp_path, {"01-text.md": body}, config)
    return check_edition(folder, **options)  # type: ignore[arg-type]


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


# --- each rule: text it must flag and text it must not ------------------------------


FLAGGED = [
    ("yaml-comment", "---\ntitle: Voices\nsummary: Our work through #MyVoiceMyFuture and more\n"
                     "---\nText."),
    ("repeated-word", "We thank the the members."),
    ("repeated-word", "We thank the\nthe members."),
    ("repeated-word", "The the report is out."),
    ("repeated-word", "It was **the** the best year."),
    ("repeated-phrase", "We met at the start at the start of the year."),
    ("repeated-phrase", "Thanks to our members and partners our members and partners."),
    ("placeholder", "We reached XX young people."),
    ("placeholder", "The launch [AB1] was a success."),
    ("placeholder", "TODO: add the figures."),
    ("placeholder", "The venue is TK."),
    ("placeholder", "Lorem ipsum dolor sit amet."),
    ("placeholder", "Our director [insert name] spoke."),
    ("placeholder", "The total was XXX."),
    ("run-together-case", "We worked in partnership withUNICEF this year."),
    ("run-together-case", "We thank theAlliance members."),
    ("run-together-words", "A new report on childprotection came out."),
    ("run-together-words", "It was a busy year forthe team."),
    ("spelling", "We will acheive more together."),
    ("spelling", "The reserach was published in May."),
    ("spelling", "Thier work matters."),
    ("spelling-variants", "We organise the forum. Members organize the webinars."),
    ("spelling-variants", "The colour of the logo and the color of the cover."),
    ("spelling-variants", "We analysed the data and they analyzed the answers."),
    ("spacing", "The report was published  in May."),
    ("spacing", "The report,, published in May."),
    ("spacing", "It was published in May.. Then June."),
    ("spacing", "What a year!!"),
    ("long-sentence", "We " + " ".join(f"did{i}" for i in range(45)) + "."),
    ("image-alt", "![](images/chart.png)"),
    ("image-alt", "![IMG_2034.jpg](images/chart.png)"),
    ("image-alt", 'A picture: <img src="images/chart.png">'),
    ("heading-levels", "Text.\n\n## Too deep\n\nMore text."),
    ("heading-levels", "# Fine\n\nText.\n\n### Skips one\n\nText."),
    ("link-text", "Read the report [here](https://example.org/report)."),
    ("link-text", "For details, [click here](https://example.org/report)."),
    ("link-text", "See https://example.org/report for details."),
    ("link-text", "See <https://example.org/report> for details."),
    ("link-text", "See [https://example.org](https://example.org)."),
    ("url", "Read [the report](htps://example.org/report)."),
    ("url", "Read [the report](https://example .org/report)."),
    ("url", "Read [the report](www.example.org/report)."),
    ("url", "Read [the report](https//example.org/report)."),
    ("url", "Read [the report](https://example/report)."),
    ("url", "Read [the report](https://https://example.org)."),
    ("http-link", "Visit [our site](http://example.org)."),
    ("anchor", "See [the research](#reserach)."),
    ("anchor", "See [below](#)."),
    ("mailto", "Write to [us](mailto:info@example)."),
    ("mailto", "Write to [us](mailto:)."),
    ("mailto", "Write to [us](info@example.org)."),
]

CLEAN = [
    ("yaml-comment", "---\ntitle: Voices\nsummary: \"Our work through #MyVoiceMyFuture\"\n"
                     "layout: text  # the default layout\n---\nWe use #MyVoiceMyFuture here."),
    ("repeated-word", "We had had enough. He said that that was fine."),
    ("repeated-word", "It ended.\n\nEnded it was, in 2024 2025 style."),
    ("repeated-word", "# Research\n\nResearch shows the need."),
    ("repeated-phrase", "Step by step, little by little, we grew."),
    ("placeholder", "The XXL size and TikTok videos, TKO and the AB1 code."),
    ("placeholder", "See [the report](https://example.org/todo) and [AB][1].\n\n[1]: https://example.org/"),
    ("run-together-case", "Follow us on iPhone, YouTube, LinkedIn, TikTok and macOS."),
    ("run-together-case", "Thanks to DeafKidz International, WeProtect and CrimeWatch."),
    ("run-together-case", "Join #MyVoiceMyFuture and follow @WeProtectGA."),
    ("spelling", "Iain Drennan spoke in Davos with UNICEF, ECPAT and INHOPE."),
    ("spelling", "It's been a year of firsts: we've organised 6 meetings."),
    ("spelling", "The colour-coded programme centred on behaviour and wellbeing."),
    ("spelling", "We recognised and prioritised the organisations' learnings."),
    ("spelling", "Webinars, chatbots, livestreams and toolkits, online and offline."),
    ("spelling", "NGOs, UNICEF's report, the members' work and the G7 summit."),
    ("spelling", "From 2023–2025, 1,000+ leaders and 18,000 views; the 21st and 3rd."),
    ("spelling", "Co-chairs, e-safety, well-being, cross-border, youth-led and non-profit."),
    ("spelling", "Email info@example.org or visit [our site](https://www.example.org/our-wrk/x_yz)."),
    ("spelling", "The survey `wrng_codez` stays in code.\n\n    indented codeblok\n"),
    ("spelling", "Download the report (reprt-2025.pdf) and the <span class=\"hghlght\">"
                 "summary</span>."),
    ("spelling", "Whilst travelling, our counsellors enrolled in a paediatric course."),
    ("spelling", "Ms Ngozi Adeyemi and Dr Okafor-Smith met in Kuala Lumpur."),
    ("spelling", "Join us at www.example.org, follow #OurShoreOurSay."),
    ("spelling-variants", "We organise events, analyse data and honour our partners."),
    ("spelling-variants", 'We organise events. As one partner put it, "we organize to win".'),
    ("spelling-variants", "We advertise, supervise and realise our aims; sizes vary."),
    ("spelling-variants", "Members enrolled and fulfilled the licence and practice rules."),
    ("spacing", "One space. Then another; then a list:\n\n-   item with wide marker\n"),
    ("spacing", "| Region | Members |\n|--------|--------:|\n| Europe | 120     |\n"),
    ("spacing", "Wait... what? The e.g., the i.e. and etc. stay. Time 10:30."),
    ("spacing", "A line break at the end  \nworks."),
    ("long-sentence", "> " + " ".join(f"part{i}" for i in range(45)) + "."),
    ("long-sentence", "Short. " * 30),
    ("image-alt", "![A chart of members by region](images/chart.png)"),
    ("image-alt", 'A rule: <img src="images/rule.png" alt="">'),
    ("heading-levels", "# One\n\n## Two\n\n### Three\n\n# One again\n\n## Two again"),
    ("heading-levels", "```\n### not a heading\n```\n\n# Real"),
    ("link-text", "Read [the Global Threat Assessment](https://example.org/gta)."),
    ("link-text", "Write to info@example.org or [the team](mailto:team@example.org)."),
    ("link-text", "[![The Alliance logo](images/logo.png)](https://example.org)"),
    ("url", "Links: [a](https://example.org/a?b=c&d=e#f), [b](https://example.org:8080/x), "
            "[c](images/chart.png), [d](tel:+441234567890), [e](https://例え.jp/)."),
    ("url", "[Wikipedia](https://en.wikipedia.org/wiki/Safety_(disambiguation)) and "
            "[unsubscribe](*|UNSUB|*) and [view]({{ web_url }})."),
    ("http-link", "Local preview at [localhost](http://localhost:8000/)."),
    ("anchor", "See [the text](#text) and [details](#text-details).\n\n# Details\n\nMore."),
    ("mailto", "Write to [us](mailto:info@example.org?subject=Hello%20there)."),
    ("mailto", "Write to [both](mailto:a@example.org,b@example.org)."),
]


@pytest.mark.parametrize(("rule", "body"), FLAGGED)
def test_rule_flags(tmp_path: Path, rule: str, body: str) -> None:
    findings = check_body(tmp_path, body)
    assert rule in rules_of(findings), format_findings(findings, "text")


@pytest.mark.parametrize(("rule", "body"), CLEAN)
def test_rule_leaves_alone(tmp_path: Path, rule: str, body: str) -> None:
    findings = check_body(tmp_path, body)
    assert findings == [], format_findings(findings, "text")


def test_every_rule_has_flagged_examples() -> None:
    tested = {rule for rule, _ in FLAGGED} | {"contrast", "language", "dead-link",
                                              "email-size", "email-head-styles", "email-images",
                                              "email-css", "unknown-check"}
    assert tested == set(RULES)


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


def test_findings_are_sorted_with_edition_yaml_first(tmp_path: Path) -> None:
    config = CONFIG.replace("language: en-GB\n", "")
    folder = write_edition(tmp_path, {"01-a.md": "Text  here.", "02-b.md": "The the end."},
                           config)
    findings = check_edition(folder)
    assert [Path(f.file).name for f in findings] == ["edition.yaml", "01-a.md", "02-b.md"]


def test_code_and_comments_are_skipped(tmp_path: Path) -> None:
    body = ("Text.\n\n```\nthe the acheive TODO\n```\n\n<!-- TODO the the -->\n\n"
            "Use `the the` here.\n")
    assert check_body(tmp_path, body) == []


# --- switches --------------------------------------------------------------------------


def test_rules_can_be_switched_off(tmp_path: Path) -> None:
    body = "We thank the the members and acheive more."
    config = CONFIG + "checks: {spelling: false, repeated-word: false}\n"
    assert check_body(tmp_path, body, config) == []


def test_unknown_switch_is_reported(tmp_path: Path) -> None:
    config = CONFIG + "checks:\n  speling: false\n"
    [finding] = check_body(tmp_path, "Fine.", config)
    assert (finding.rule, finding.severity, finding.line) == ("unknown-check", "error", 7)
    assert "spelling" in finding.message


# --- output formats and exit status -----------------------------------------------------


def test_text_and_json_formats(tmp_path: Path) -> None:
    findings = check_body(tmp_path, "We thank the the members.\n\nSee [x](#nowhere).")
    text = format_findings(findings, "text")
    lines = text.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert re.match(r"^.+\.md:\d+:\d+: (error|warning) [a-z-]+: .+$", line), line
    data = json.loads(format_findings(findings, "json"))
    assert [set(item) for item in data] == [{"file", "line", "column", "rule", "severity",
                                             "message"}] * 2
    assert data[0]["rule"] == "repeated-word" and data[0]["line"] == 4
    assert format_findings([], "json") == "[]" and format_findings([], "text") == ""
    with pytest.raises(ValueError):
        format_findings(findings, "xml")


def test_exit_status_follows_errors(tmp_path: Path) -> None:
    assert exit_status(check_body(tmp_path / "a", "What a year!!")) == 0  # a warning
    assert exit_status(check_body(tmp_path / "b", "The the year.")) == 1
    assert exit_status([]) == 0


def test_broken_edition_raises_content_error(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {"01-a.md": "Fine."}, "title: [unclosed\n")
    with pytest.raises(ContentError):
        check_edition(folder)


# --- accessibility rules on settings ----------------------------------------------------


def _theme(**colours: str) -> ThemeConfig:
    font = FontSpec(family="Lato")
    return ThemeConfig(name="t", colours=Colours(**colours), body_font=font, heading_font=font)


def test_contrast(tmp_path: Path) -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    assert check_edition(folder, theme=_theme()) == []
    [finding] = check_edition(folder, theme=_theme(ink="#999999"))
    assert finding.rule == "contrast" and "'ink: #999999'" in finding.message
    assert "2.8:1" in finding.message


def test_default_theme_passes_contrast(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "templates" / "default" / "theme.yaml").read_text())
    folder = write_edition(tmp_path, {"01-a.md": "Fine."})
    assert check_edition(folder, theme=ThemeConfig.model_validate(data)) == []


def test_language_must_be_set(tmp_path: Path) -> None:
    config = CONFIG.replace("language: en-GB\n", "")
    [finding] = check_body(tmp_path, "Fine.", config)
    assert (finding.rule, Path(finding.file).name) == ("language", "edition.yaml")


def test_front_matter_image_alt_and_cta(tmp_path: Path) -> None:
    from PIL import Image

    folder = write_edition(tmp_path, {
        "01-pic.md": "---\ntitle: Picture\nlayout: image\nimage: images/p.png\n"
                     "image_alt: p.png\n---\nText.\n",
        "02-cta.md": "---\ntitle: Join\nlayout: cta\ncta: {label: Click here, url: "
                     "\"http://example.org/join\"}\n---\n"})
    (folder / "images").mkdir()
    Image.new("RGB", (4, 4)).save(folder / "images" / "p.png")
    findings = check_edition(folder)
    assert [(Path(f.file).name, f.rule, f.line) for f in findings] == [
        ("01-pic.md", "image-alt", 4), ("02-cta.md", "http-link", 4),
        ("02-cta.md", "link-text", 4)]


def test_anchors_reach_sections_and_headings(tmp_path: Path) -> None:
    folder = write_edition(tmp_path, {
        "01-intro.md": "See [research](#research), [findings](#research-key-findings) and "
                       "[note](#intro-fn-1), [custom](#my-id).\n",
        "02-research.md": "# Key findings\n\nText. {#my-id}\n"})
    assert check_edition(folder) == []


# --- links helpers ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://example.org", "https://sub.example.co.uk/a_b?x=1",
                                    "images/x.png", "#top", "tel:+44123", "mailto:a@b.org",
                                    "http://127.0.0.1:8000/", "*|UNSUB|*", "report.pdf"])
def test_good_urls(target: str) -> None:
    assert url_problem(target) is None


@pytest.mark.parametrize("target", ["", "htps://example.org", "https:/example.org",
                                    "https://exa mple.org", "example.org", "www.example.org",
                                    "https://localhost.", "javascript:alert(1)",
                                    "C:\\Users\\me\\report.docx", "https://example..org"])
def test_bad_urls(target: str) -> None:
    assert url_problem(target) is not None


def test_mailto() -> None:
    assert mailto_problem("mailto:info@example.org") is None
    assert mailto_problem("mailto:info@example.org?subject=Hi") is None
    assert mailto_problem("mailto:info@") is not None
    assert mailto_problem("mailto:") is not None


# --- email readiness ----------------------------------------------------------------------


EMAIL_CONFIG = CONFIG


def _page(body: str = "", head_css: str = "", size: int = 0) -> str:
    filler = "<!-- " + "x" * size + " -->" if size else ""
    return (f"<!doctype html><html><head><style>{head_css}</style></head><body>{body}"
            f"{filler}</body></html>")


def check_email(tmp_path: Path, page: str) -> list[Finding]:
    folder = write_edition(tmp_path, {"01-a.md": "Fine."}, EMAIL_CONFIG)
    return check_edition(folder, email_html=page)


def test_email_size(tmp_path: Path) -> None:
    assert check_email(tmp_path / "a", _page(size=80 * 1024)) == []
    [warning] = check_email(tmp_path / "b", _page(size=95 * 1024))
    assert (warning.rule, warning.severity) == ("email-size", "warning")
    [error] = check_email(tmp_path / "c", _page(size=102 * 1024))
    assert (error.rule, error.severity) == ("email-size", "error")


def test_email_head_styles(tmp_path: Path) -> None:
    css = "p { color: #111111; }\n" * 1000
    [finding] = check_email(tmp_path, _page(head_css=css))
    assert finding.rule == "email-head-styles"
    assert check_email(tmp_path / "small", _page(head_css=css[:4000])) == []


def test_email_images(tmp_path: Path) -> None:
    body = ('<img src="https://example.org/img/a.png" alt="A">'
            '<img src="images/b.png" alt="B">'
            '<img src="https://example.org/img/c.svg" alt="C">'
            '<img src="data:image/png;base64,AAAA" alt="D">'
            '<img src="cid:logo" alt="E">')
    findings = check_email(tmp_path, _page(body))
    assert [(f.rule, f.severity, f.message.split("'")[1]) for f in findings] == [
        ("email-images", "warning", "images/b.png"),
        ("email-images", "error", "https://example.org/img/c.svg"),
        ("email-images", "error", "data:image/png;base64,AAAA")]
    assert Path(findings[0].file).name == "edition.yaml"


def test_email_images_without_a_rendered_email(tmp_path: Path) -> None:
    config = CONFIG.replace('email: {asset_base_url: "https://example.org/img/"}\n', "")
    folder = write_edition(tmp_path, {"01-a.md": "![A chart](images/chart.svg)"}, config)
    findings = check_edition(folder)
    assert sorted(f.rule for f in findings) == ["email-images", "email-images"]


def test_email_css(tmp_path: Path) -> None:
    css = ("@media (max-width: 600px) { .col { display: flex; position: relative; } }\n"
           ".row { display: grid; }\na:hover { color: red; }\n@import url(x.css);\n")
    body = ('<div style="display:flex; color: #111">x</div><p style="position: static">y</p>'
            '<!--[if mso]><div style="position:absolute">z</div><![endif]-->')
    findings = check_email(tmp_path, _page(body, css))
    assert sorted(f.message.split("'")[1] for f in findings) == [
        "@import", "display: flex", "display: grid"]
    assert {f.rule for f in findings} == {"email-css"}


def test_email_rules_are_quiet_on_a_good_page(tmp_path: Path) -> None:
    body = ('<table role="presentation" width="600"><tr><td style="padding:16px;'
            'font-family:Arial">Hello <img src="https://example.org/img/a.png" alt="A" '
            'width="100"></td></tr></table>')
    assert check_email(tmp_path, _page(body, "@media (max-width:600px){td{display:block}}")) == []


# --- dead links (only with online=True) ----------------------------------------------------


@pytest.fixture
def local_site() -> Iterator[str]:
    """A web server on the loopback address: /ok answers 200, anything else 404."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

        def do_GET(self) -> None:
            self.do_HEAD()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_dead_links_only_online(tmp_path: Path, local_site: str) -> None:
    body = f"See [the page]({local_site}/ok) and [the old page]({local_site}/gone)."
    assert check_body(tmp_path / "offline", body) == []
    findings = check_body(tmp_path / "online", body, online=True)
    assert [(f.rule, f.message.split("'")[1]) for f in findings] == [
        ("dead-link", f"{local_site}/gone")]
    assert "404" in findings[0].message


# --- the shipped samples, speed, robustness -----------------------------------------------


@pytest.mark.parametrize("name", ["reflections-2025", "february-2026"])
def test_samples_are_clean(name: str) -> None:
    folder = ROOT / "content" / name
    if not folder.is_dir():
        pytest.skip(f"the sample {name} is not there yet")
    findings = check_edition(folder)
    assert findings == [], format_findings(findings, "text")


def test_mini_fixture_is_clean() -> None:
    assert check_edition(ROOT / "tests" / "fixtures" / "content" / "mini") == []


def test_check_is_fast(tmp_path: Path) -> None:
    sample = ROOT / "content" / "reflections-2025"
    if not sample.is_dir():
        pytest.skip("the sample is not there yet")
    shutil.copytree(sample, tmp_path / "copy")
    check_edition(tmp_path / "copy")  # loads the dictionary
    start = time.perf_counter()
    check_edition(tmp_path / "copy")
    assert time.perf_counter() - start < 1.0


WORDS = st.sampled_from(["the", "The", "report", "UNICEF", "[AB1]", "**bold**", "`code`",
                         "[link](https://example.org)", "![alt](images/x.png)", "#tag", "\n",
                         "\n\n", "# Head", "- item", "|", "  ", "..", "é", "2023–2025", "’s",
                         "<b>", "-->", "<!--", "```", "www.x.org", "a@b.org", "\t", "\\"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=40).map(" ".join), st.text(max_size=60))
def test_check_never_crashes_and_points_inside_the_file(words: str, noise: str) -> None:
    import tempfile

    body = (words + " " + noise).replace("\r", "").replace("\x00", "")
    with tempfile.TemporaryDirectory() as temp:
        try:
            folder = write_edition(Path(temp), {"01-a.md": body})
            findings = check_edition(folder)
        except ContentError:
            return
        lines = (folder / "01-a.md").read_text(encoding="utf-8").split("\n")
        for finding in findings:
            if finding.file.endswith("01-a.md"):
                assert 1 <= finding.line <= len(lines)
                assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1


def test_every_rule_is_documented() -> None:
    if not DOC.is_file():
        pytest.skip("the README section is not written yet")
    text = DOC.read_text(encoding="utf-8")
    for name, rule in RULES.items():
        row = re.search(rf"^\| `{name}` \| (\w+) \|", text, re.M)
        assert row, f"{name} has no row in the README's rule tables"
        assert row[1] == rule.severity, name
