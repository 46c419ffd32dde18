"""Tests of `check_edition` as a whole: order, formats, exit status, samples, speed,
robustness."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.check import check_edition, exit_status, format_findings
from folio.errors import ContentError
from tests.check.conftest import CONFIG, check_body, write_edition
from tests.conftest import ROOT


def test_findings_are_sorted_with_edition_yaml_first(tmp_path: Path) -> None:
    config = CONFIG.replace("language: en-GB\n", "")
    folder = write_edition(tmp_path, {"01-a.md": "Text  here.", "02-b.md": "The the end."},
                           config)
    findings = check_edition(folder)
    assert [Path(f.file).name for f in findings] == ["edition.yaml", "01-a.md", "02-b.md"]


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
        except ContentError as exc:  # a body that cannot load: said where, inside the file
            lines = (Path(temp) / "test" / "01-a.md").read_text(encoding="utf-8").split("\n")
            for problem in exc.problems:
                assert Path(problem.path).name == "01-a.md", problem
                assert problem.line is None or 1 <= problem.line <= len(lines), problem
            return
        lines = (folder / "01-a.md").read_text(encoding="utf-8").split("\n")
        for finding in findings:
            if finding.file.endswith("01-a.md"):
                assert 1 <= finding.line <= len(lines)
                assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1
