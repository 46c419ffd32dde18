"""The README holds true: its quick start is CI's, its synopsis the parser's, its links live."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_docs import check_synopsis, commands_in, parses

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_readme_quick_start_is_two_commands() -> None:
    text = README.read_text()
    quick = text[text.index("## Quick start"):text.index("## Your first edition")]
    commands = [line for line in quick.splitlines() if line.startswith("python ")]
    assert commands == ["python -m pip install -e . && python generate.py",
                        "python -m pip install -e '.[test]' && python -m pytest -q"]
    assert commands[1] in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_stays_short() -> None:
    assert len(README.read_bytes()) <= 9_000, "move the details into docs/"


def test_readme_synopsis_is_the_parser_s() -> None:
    check_synopsis(README.read_text())


def test_readme_commands_parse() -> None:
    found = commands_in(README.read_text())
    assert len(found) >= 5
    for command in found:
        assert parses(command), command


def test_readme_links_lead_to_files() -> None:
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", README.read_text()):
        assert (ROOT / target).exists(), target


def test_readme_first_edition_edits_the_files_new_makes(tmp_path: Path) -> None:
    from folio.scaffold import new_edition

    text = README.read_text()
    edited = re.findall(r"^\$EDITOR content/spring-2026/(\S+)", text, re.M)
    assert len(edited) >= 2
    folder = new_edition(tmp_path / "content", "spring-2026")
    for name in edited:
        assert (folder / name).is_file(), name
