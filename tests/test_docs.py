"""The documentation site builds, its generated tables are current, its examples are true."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from folio.cli import parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
sys.path.insert(0, str(ROOT / "tools"))
from refresh_docs import generated, split  # noqa: E402


def blocks(text: str, language: str) -> list[str]:
    """Return the fenced code blocks of one language (\"\" for none) in a page, in order."""
    found, current, indent = [], None, ""
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if current is None and stripped.startswith("```"):
            indent = line[:len(line) - len(stripped)]
            current = [] if stripped[3:].strip() == language else None
            if current is None:
                current = False  # inside a block of another language
        elif current is not None and stripped == "```" and line.startswith(indent):
            if current is not False:
                found.append("".join(current))
            current = None
        elif current not in (None, False):
            current.append(line.removeprefix(indent) + "\n")
    return found


def commands_in(text: str) -> list[list[str]]:
    """Return every `folio ...` or `python generate.py ...` command of a page's sh blocks."""
    found = []
    for block in blocks(text, "sh"):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["folio"]:
                found.append(words[1:])
            elif words[:2] == ["python", "generate.py"]:
                found.append(words[2:])
    return found


def parses(arguments: list[str]) -> bool:
    """Return True when Folio's command line accepts these arguments."""
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            parser().parse_args(arguments)
        except SystemExit:
            return False
    return True


def check_synopsis(text: str) -> None:
    """Fail unless a page's synopsis shows each command with exactly the parser's options."""
    start = text.index("<!-- synopsis:start -->")
    lines = [line for line in text[start:text.index("<!-- synopsis:end -->")].splitlines()
             if line.startswith("folio ")]
    subparsers = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    shown: dict[str, str] = {}
    for line in lines:  # a command may take two lines (send --to, send --merge): their union
        shown[line.split()[1]] = f"{shown.get(line.split()[1], '')} {line}".strip()
    assert set(shown) == set(subparsers), "every command, once"
    common = {"--content", "--out", "--debug", "-h", "--help"}
    for name, command in subparsers.items():
        options = {o for a in command._actions for o in a.option_strings} - common
        assert set(re.findall(r"--[a-z-]+", shown[name])) == options, name
        for action in (a for a in command._actions if not a.option_strings):
            metavar = str(action.metavar)
            form = {"*": f"[{metavar}...]", "?": f"[{metavar}]", None: metavar}[action.nargs]
            assert f" {form}" in shown[name], f"{name}: {form}"


@pytest.mark.slow
def test_mkdocs_build_is_strict_and_clean(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "reference" / "checks" / "index.html").is_file()


def test_every_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in PAGES:
        assert f": {page.relative_to(DOCS)}\n" in nav, f"add {page.name} to the nav"


@pytest.mark.parametrize("name", ["schema", "rules"])
def test_generated_tables_are_current(name: str) -> None:
    page, write = generated()[name]
    _, inside, _ = split(page.read_text(), name)
    assert inside == write(), "run `python tools/refresh_docs.py`"


def test_synopsis_is_the_parser_s() -> None:
    check_synopsis((DOCS / "reference" / "commands.md").read_text())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_commands_parse(page: Path) -> None:
    for command in commands_in(page.read_text()):
        assert parses(command), f"{page.name}: folio {' '.join(command)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_yaml_and_sections_are_valid(page: Path, tmp_path: Path) -> None:
    """Settings examples load in a real edition or theme; section examples load as sections."""
    from folio.content import load_edition
    from folio.scaffold import new_edition
    from folio.schema import EditionConfig
    from folio.theme import load_theme

    text = page.read_text()
    keys = {f.alias or n for n, f in EditionConfig.model_fields.items()}
    for number, block in enumerate(blocks(text, "yaml")):
        data = yaml.safe_load(block)
        assert isinstance(data, dict), block
        project = tmp_path / str(number)
        folder = new_edition(project / "content", "example")
        if "name" in data:  # a theme.yaml
            (project / "templates" / data["name"]).mkdir(parents=True)
            (project / "templates" / data["name"] / "theme.yaml").write_text(block)
            load_theme(data["name"], project)
        elif set(data) <= keys:  # settings of edition.yaml
            settings = yaml.safe_load((folder / "edition.yaml").read_text())
            settings.update(data)
            (folder / "edition.yaml").write_text(yaml.safe_dump(settings))
            load_edition(folder)
    for number, block in enumerate(blocks(text, "markdown")):
        folder = new_edition(tmp_path / f"md{number}" / "content", "example")
        (folder / "09-example.md").write_text(block)
        load_edition(folder)


@pytest.mark.slow
def test_the_tutorial_works_as_written(tmp_path: Path) -> None:
    """Run the tutorial's steps; what it shows the reader is what the reader gets."""
    import os

    text = (DOCS / "tutorial.md").read_text()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def folio(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args],
                              cwd=tmp_path, capture_output=True, text=True, env=env,
                              timeout=600)

    assert folio("new", "spring-2026").returncode == 0
    folder = tmp_path / "content" / "spring-2026"
    settings, *_ = blocks(text, "yaml")
    (folder / "edition.yaml").write_text(settings)
    assert "rm content/spring-2026/0[1-3]-*.md" in blocks(text, "sh")[1]
    for example in folder.glob("0[1-3]-*.md"):  # the examples, which check flags
        example.unlink()
    section, = blocks(text, "markdown")
    (folder / "04-volunteers.md").write_text(section)
    found = folio("check", "spring-2026")
    shown = blocks(text, "")[1].strip()  # the check output the tutorial shows
    assert found.returncode == 1 and found.stdout.strip() == shown
    (folder / "04-volunteers.md").write_text(section.replace("the the", "the"))
    clean = folio("check", "spring-2026")
    assert clean.returncode == 0
    assert clean.stdout.strip() == "content/spring-2026: no problems found"
    assert f"`{clean.stdout.strip()}`" in text
    built = folio("build", "spring-2026")
    assert built.returncode == 0, built.stderr
    assert "no unsubscribe link" in built.stderr  # the warning step 5 speaks of
    for name in ("index.html", "spring-2026.pdf", "email.html", "email.txt", "email.eml"):
        assert (tmp_path / "build" / "spring-2026" / name).is_file()
    shown = blocks(text, "")[2]  # the build's lines the tutorial shows
    assert [line.split()[:2] for line in built.stdout.splitlines()] == [
        line.split()[:2] for line in shown.splitlines()]
    assert (tmp_path / "build" / "index.html").is_file()  # the archive it speaks of
    again = folio("build", "spring-2026")
    assert all(line.endswith("up to date") for line in again.stdout.splitlines())
