"""Tests of how rules are registered and how findings leave `check`: a new rule taking part
in a check, the PDF's claim rules, load errors as findings, the text and JSON reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.check import (
    CHECKS,
    RULES,
    Finding,
    Rule,
    check_edition,
    claim_findings,
    format_findings,
    problem_findings,
)
from folio.check.registry import Check, reference, rule
from folio.content import load_edition
from folio.errors import ContentError, Problem
from tests.check.conftest import CONFIG, write_edition

# --- registering a rule -------------------------------------------------------------------


@pytest.fixture
def registered() -> Iterator[list[Rule]]:
    """Rules a test registers, removed again afterwards."""
    added: list[Rule] = []
    checks = list(CHECKS)
    yield added
    for one in added:
        RULES.pop(one.name, None)
    CHECKS[:] = checks


def test_a_registered_rule_takes_part_in_check(tmp_path: Path, registered: list[Rule]) -> None:
    """Adding a rule touches one file: the decorator puts it in RULES and its function in
    CHECKS, so `check` runs it and `checks:` switches it off."""
    first = Rule("test-first", "editorial", "warning", "A test rule.", "x")
    second = Rule("test-second", "editorial", "error", "Another.", "y")
    registered += [first, second]

    def finds(ctx: object) -> Iterator[Finding]:
        yield Finding("a.md", 2, 3, "test-first", "warning", "first")
        yield Finding("a.md", 1, 1, "test-second", "error", "second")

    assert rule(first, second)(finds) is finds
    assert RULES["test-first"] is first and RULES["test-second"] is second
    assert list(RULES)[-2:] == ["test-first", "test-second"]  # the docs' order
    assert CHECKS[-1] == Check(("test-first", "test-second"), finds, False)
    folder = write_edition(tmp_path / "on", {"01-a.md": "Fine."})
    assert [f.message for f in check_edition(folder)] == ["second", "first"]
    off = write_edition(tmp_path / "off", {"01-a.md": "Fine."},
                        CONFIG + "checks: {test-second: false}\n")
    assert [f.message for f in check_edition(off)] == ["first"]


def test_an_always_rule_keeps_its_findings_when_switched_off(
        tmp_path: Path, registered: list[Rule]) -> None:
    always = Rule("test-always", "settings", "error", "A rule about checks: itself.", "x")
    registered.append(always)

    @rule(always, always=True)
    def finds(ctx: object) -> Iterator[Finding]:
        yield Finding("a.md", 1, 1, "test-always", "error", "kept")

    assert CHECKS[-1].always is True
    folder = write_edition(tmp_path, {"01-a.md": "Fine."},
                           CONFIG + "checks: {test-always: false}\n")
    assert [f.message for f in check_edition(folder)] == ["kept"]


def test_a_new_rule_is_documented_in_the_reference(registered: list[Rule]) -> None:
    """The docs' rule tables come from RULES: a new family gets a table of its own, a cell
    keeps its '|' and line breaks from breaking the table, an example with a backtick is
    fenced with two."""
    new = Rule("test-doc", "test-family", "warning", "Finds a | b\nacross lines.",
               "use `x` here", default=False)
    registered.append(new)
    rule(new)(lambda ctx: iter(()))
    assert reference().endswith(
        "### Test-family\n\n| rule | severity | finds | example that is flagged |\n"
        "|---|---|---|---|\n| `test-doc` | warning | Finds a \\| b across lines. Off unless "
        "asked for. | ``use `x` here`` |\n")


def test_a_rule_registered_twice_is_refused(registered: list[Rule]) -> None:
    count = len(CHECKS)
    with pytest.raises(ValueError, match="'spelling' is registered twice"):
        rule(RULES["spelling"])(lambda ctx: iter(()))
    assert len(CHECKS) == count


# --- the PDF's claim ------------------------------------------------------------------------


def test_claim_findings_ignore_the_switches_and_the_other_rules(tmp_path: Path) -> None:
    """What would break PDF/UA is reported even with its rules switched off, and nothing
    else is: not the misspelling, not the doubled word."""
    config = CONFIG + "checks: {image-alt: false, heading-levels: false}\n"
    folder = write_edition(tmp_path, {
        "01-a.md": "We will acheive the the goal.\n\n### Too deep\n\nText.\n",
        "02-b.md": "![](images/chart.png)\n"}, config)
    (folder / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (4, 4)).save(folder / "images" / "chart.png")
    edition = load_edition(folder)
    assert [f.rule for f in check_edition(folder, edition=edition)] == [
        "spelling", "repeated-word"]
    claims = claim_findings(edition)
    assert [(Path(f.file).name, f.rule) for f in claims] == [
        ("01-a.md", "heading-levels"), ("02-b.md", "image-alt")]


# --- load errors as findings ----------------------------------------------------------------


def test_problems_that_stop_loading_become_error_findings(tmp_path: Path) -> None:
    error = ContentError([Problem(tmp_path / "edition.yaml", 3, "bad date", 18),
                          Problem(tmp_path / "01-a.md", None, "no title"),
                          Problem("", None, "no edition here")])
    assert problem_findings(error) == [
        Finding(str(tmp_path / "edition.yaml"), 3, 18, "content", "error", "bad date"),
        Finding(str(tmp_path / "01-a.md"), 1, 1, "content", "error", "no title"),
        Finding("", 1, 1, "content", "error", "no edition here")]


# --- the reports ----------------------------------------------------------------------------

FINDINGS = [Finding("01-a.md", 4, 2, "spelling", "warning", "'café' is spelt\u202e well"),
            Finding("02-b.md", 1, 1, "repeated-word", "error", "'the the': delete one")]


def test_text_report_is_one_finding_a_line() -> None:
    assert format_findings(FINDINGS, "text") == (
        "01-a.md:4:2: warning spelling: 'café' is spelt\\u202e well\n"
        "02-b.md:1:1: error repeated-word: 'the the': delete one")


def test_json_report_is_indented_readable_and_safe_for_a_terminal() -> None:
    """Letters stay letters, a bidirectional override is escaped (it would reorder the
    lines on a terminal) and still reads back as itself."""
    text = format_findings(FINDINGS, "json")
    assert "café" in text and "\u202e" not in text and "\\u202e" in text
    assert text.startswith('[\n  {\n    "file": "01-a.md",\n    "line": 4,\n')
    assert json.loads(text) == [
        {"file": f.file, "line": f.line, "column": f.column, "rule": f.rule,
         "severity": f.severity, "message": f.message} for f in FINDINGS]


def test_an_unknown_report_format_is_named() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'; use 'text' or 'json'"):
        format_findings(FINDINGS, "xml")
