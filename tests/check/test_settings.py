"""Tests of the `checks:` switches: rules switched off, unknown names reported."""

from __future__ import annotations

from pathlib import Path

from tests.check.conftest import CONFIG, check_body

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
