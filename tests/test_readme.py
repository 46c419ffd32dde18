"""The README's content-format reference is the schema's, word for word."""

from pathlib import Path

from folio.schema import reference

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_reference_matches_schema() -> None:
    text = README.read_text()
    start = text.index("<!-- schema:start -->\n") + len("<!-- schema:start -->\n")
    end = text.index("<!-- schema:end -->")
    assert text[start:end] == reference(), "refresh the README's reference tables"


def test_readme_quick_start_is_two_commands() -> None:
    text = README.read_text()
    quick = text[text.index("## Quick start"):text.index("## Commands")]
    commands = [line for line in quick.splitlines() if line.startswith("python ")]
    assert commands == ["python -m pip install -e . && python generate.py",
                        "python -m pip install -e '.[test]' && python -m pytest -q"]
    assert commands[1] in (README.parent / ".ci" / "run").read_text().splitlines()
