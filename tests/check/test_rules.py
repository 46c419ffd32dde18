"""Tests of the rule table: every rule on text it must flag and on text it must leave
alone, and every rule documented in the docs' rule reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from folio.check import RULES, format_findings
from tests.check.conftest import check_body, rules_of
from tests.conftest import ROOT

DOC = ROOT / "docs" / "reference" / "checks.md"


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
    ("email-tables", "| Region | Q1 | Q2 | Q3 | Q4 | 2025 | 2024 |\n"
                     "|---|---|---|---|---|---|---|\n| Europe | 1 | 2 | 3 | 4 | 10 | 9 |\n"),
    ("email-tables", "<table><tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td>"
                     "<td>7</td></tr></table>"),
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
    ("email-tables", "| Region | Q1 | Q2 | Q3 | Q4 | 2025 |\n|:--|--:|--:|--:|--:|--:|\n"
                     "| Europe | 1 | 2 | 3 | 4 | 10 |\n"),
    ("email-tables", "```\n| a | b | c | d | e | f | g |\n|---|---|---|---|---|---|---|\n```\n"),
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
                                              "email-css", "email-from", "unknown-check",
                                              "interface-words", "review-comment"}
    assert tested == set(RULES)


def test_every_rule_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, rule in RULES.items():
        row = re.search(rf"^\| `{name}` \| (\w+) \|", text, re.M)
        assert row, f"{name} has no row in the docs' rule tables"
        assert row[1] == rule.severity, name
