"""The catalogue of bad input: one clear message with file and line, exit 1, nothing lost.

Each case starts from a project whose last build succeeded, breaks one thing, builds
again through the command line, and checks the message, the exit status, the absence
of a traceback, and that every output of the last good build is still there, unchanged.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.conftest import generate as run

MINI = Path("content") / "mini"


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("good")
    shutil.copytree(FIXTURES / "content" / "mini", project / MINI)
    done = run(project, "build", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    return project


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / MINI / relative
        text = path.read_text()
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1))
    return apply


def write(relative: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / MINI / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return apply


def remove_sections(project: Path) -> None:
    for path in (project / MINI).glob("*.md"):
        path.unlink()


def huge_image(project: Path) -> None:
    from PIL import Image

    Image.new("P", (8000, 6000)).save(project / MINI / "images" / "pic.png", optimize=True)


def not_utf8(project: Path) -> None:
    path = project / MINI / "06-join.md"
    path.write_bytes(path.read_bytes().replace(b"Members shape", b"Membres fa\xe7onnent"))


def page_with(tail: str) -> Callable[[Path], None]:
    """Override the web page template for this edition with a broken one."""
    return write("templates/web/page.html",
                 "<!DOCTYPE html>\n<html lang=\"{{ lang }}\">\n<body>\n" + tail + "\n</body>\n")


NESTED = "".join("    " * depth + "- level\n" for depth in range(40))
BOMB = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" \
       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"

CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "broken YAML in edition.yaml": (
        replace("edition.yaml", "subtitle: A small edition for tests", "subtitle: [oops"),
        ["content/mini/edition.yaml, line 2: the YAML cannot be read: a [ list opened here "
         "is never closed; close it with ], or put the whole value in double quotes"]),
    "broken YAML in front matter": (
        replace("03-voice.md", "attribution: A young participant", "attribution: \"unclosed"),
        ["content/mini/03-voice.md, line 5: the YAML cannot be read: a quotation mark"]),
    "wrong type": (
        replace("edition.yaml", "keywords: [test, folio]", "keywords: {a: b}"),
        ["content/mini/edition.yaml, line 8: 'keywords' must be a list"]),
    "unknown key": (
        replace("02-numbers.md", "summary:", "sumary:"),
        ["content/mini/02-numbers.md, line 4: unknown key 'sumary'; did you mean 'summary'?"]),
    "missing required field": (
        replace("edition.yaml", "organisation: Test Organisation\n", ""),
        ["content/mini/edition.yaml, line 1: 'organisation' is required"]),
    "missing image": (
        replace("04-picture.md", "images/pic.png", "images/photo.png"),
        ["content/mini/04-picture.md, line 4: image 'images/photo.png' does not exist; did "
         "you mean 'images/pic.png'?"]),
    "corrupt image": (
        write("images/pic.png", b"\x89PNG\r\n\x1a\n this is not a picture"),
        ["content/mini/04-picture.md, line 4: image 'images/pic.png' is damaged"]),
    "enormous image": (
        huge_image, ["content/mini/04-picture.md, line 4:", "scale it below 40 megapixels"]),
    "file not UTF-8": (
        not_utf8, ["content/mini/06-join.md, line 7: this file is not UTF-8 text"]),
    "empty edition": (remove_sections, ["content/mini: this edition has no sections"]),
    "same slug twice": (
        write("07-voice.md", "---\ntitle: Again\n---\nText.\n"),
        ["content/mini/07-voice.md: two sections are called 'voice'"]),
    "template syntax error": (
        page_with("{% if title %}\n<p>{{ title }}</p>"),
        ["content/mini/templates/web/page.html, line ", "template syntax error"]),
    "template undefined variable": (
        page_with("<h1>{{ title }}</h1>\n<p>{{ subtitel }}</p>"),
        ["content/mini/templates/web/page.html, line 5: 'subtitel' is undefined"]),
    "template includes itself": (
        page_with('{% include "web/page.html" %}'),
        ["content/mini/templates/web/page.html", "includes or extends itself"]),
    "5 MB section": (
        write("07-long.md", "---\ntitle: Long\n---\n" + "All work and no play. " * 240_000),
        ["content/mini/07-long.md: this section is 5.3 MB; the limit is 1 MB"]),
    "deeply nested lists": (
        write("07-deep.md", "---\ntitle: Deep\n---\nIntro.\n\n" + NESTED),
        ["content/mini/07-deep.md, line 19: lists or quotations are nested more than 12"]),
    "YAML alias bomb": (
        lambda project: write("edition.yaml", BOMB + (project / MINI / "edition.yaml")
                              .read_text())(project),
        ["content/mini/edition.yaml, line 2: ", "aliases (*name) are not allowed"]),
    "unknown theme": (
        replace("edition.yaml", "language: en-GB", "language: en-GB\ntheme: fancy"),
        ["content/mini/edition.yaml: theme 'fancy' does not exist; known themes: default, "
         "plain"]),
}


def outputs(project: Path) -> dict[str, bytes]:
    out = project / "build" / "mini"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input(good_build: Path, tmp_path: Path, case: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(good_build, project)
    before = outputs(project)
    assert {"index.html", "mini.pdf", "email.html", "email.txt", "email.eml"} <= set(before)
    breaks, expected = CASES[case]
    breaks(project)
    done = run(project, "build", "--jobs", "1", timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, errors  # the problem, then the one closing line
    assert outputs(project) == before
