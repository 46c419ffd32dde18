"""Attacks from an untrusted edition: each one fails, and nothing outside is read, run or served.

An edition folder is a contributor's submission: its sections, pictures, `templates/` and
the theme it names. Every test here plays one attack through the command line and checks
that it is refused with a message naming the file, that no traceback is printed, and that
nothing outside the edition ended up read, executed or published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
MINI = Path("content") / "mini"


def run(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # The project folder is on the path, as when generate.py sits in it: whatever the
    # edition holds could be imported if Folio ever imported a name it was given.
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{project}"})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the `mini` edition, nothing built yet."""
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / MINI)
    return tmp_path


def published(project: Path) -> bytes:
    """Return every byte under build/, to search for what must never be published."""
    return b"".join(p.read_bytes() for p in sorted((project / "build").rglob("*"))
                    if p.is_file())


# --- 1. templates render in the sandbox ------------------------------------------------

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{% set x = [] %}{{ x.append(1) }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize(("template", "command"), [
    ("web/components/text.html", ["build", "--format", "web"]),
    ("email/head.css", ["check"]),
    ("pdf/print.css", ["build", "--format", "pdf"]),
])
def test_template_escapes_fail_with_the_template_and_line(
    project: Path, template: str, command: list[str], escape: str,
) -> None:
    marker = project / "pwned"
    target = project / MINI / "templates" / template
    target.parent.mkdir(parents=True)
    original = (ROOT / "templates" / "default" / template).read_text()
    target.write_text("{# line 1 #}\n" + escape.replace("MARKER", str(marker)) + "\n" + original)
    done = run(project, *command, "mini")
    assert not marker.exists()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{template}, line 2: " in done.stderr
    assert "sandbox" in done.stderr


# --- 2, 3. themes by name only, fonts from installed packages only --------------------

@pytest.mark.parametrize("theme", ["/etc", "../../../etc", "../content/mini", "default/../plain"])
def test_theme_is_a_name_never_a_path(project: Path, theme: str) -> None:
    config = project / MINI / "edition.yaml"
    config.write_text(config.read_text() + f"theme: {theme!r}\n")
    done = run(project, "build", "--format", "web", "mini")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "edition.yaml, line " in done.stderr and "not a path" in done.stderr


def make_theme(project: Path, font: str) -> None:
    folder = project / "templates" / "mine"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(
        "name: mine\n"
        "body_font: {family: X, package: font_lato, files: {regular: Lato-Regular.ttf}}\n"
        f"heading_font: {font}\n")
    config = project / MINI / "edition.yaml"
    config.write_text(config.read_text() + "theme: mine\n")


@pytest.mark.parametrize("files", [
    "{regular: ../../../../../../../../etc/passwd}", "{regular: /etc/passwd}",
    "{regular: ../__init__.py}", "{regular: .hidden}"])
def test_font_files_stay_inside_their_package(project: Path, files: str) -> None:
    make_theme(project, f"{{family: Y, package: font_lato, files: {files}}}")
    done = run(project, "build", "--format", "web,pdf", "mini")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "theme.yaml, line 3: 'heading_font.files.regular' must be a plain file name" \
        in done.stderr
    assert b"root:" not in published(project) if (project / "build").exists() else True


def test_a_font_file_not_in_its_package_is_reported(project: Path) -> None:
    """A plain name must still be a regular file inside the package's files/ folder."""
    from folio.errors import TemplateError
    from folio.theme import load_theme

    make_theme(project, "{family: Y, package: font_lato, files: {regular: missing.ttf}}")
    theme = load_theme("mine", project)
    with pytest.raises(TemplateError, match=r"'missing\.ttf' is not in the files/ folder"):
        theme.font_files()


@pytest.mark.parametrize("package", ["content.mini.evil", "mini", "evil"])
def test_font_package_is_never_imported(project: Path, package: str) -> None:
    marker = project / "imported"
    for folder in (project / "content" / "mini" / "evil", project / "content" / "mini",
                   project / "evil"):
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    make_theme(project, f"{{family: Y, package: {package}, files: {{regular: x.ttf}}}}")
    done = run(project, "build", "--format", "web,pdf", "mini")
    assert not marker.exists()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "theme.yaml" in done.stderr or f"font package '{package}' is not installed" \
        in done.stderr
