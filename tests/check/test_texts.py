"""Tests of where findings point: lines and columns in the file, masked code and comments."""

from __future__ import annotations

from pathlib import Path

from folio.check import check_edition
from tests.check.conftest import CONFIG, check_body, write_edition

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
