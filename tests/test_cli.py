"""The command line end to end: builds, error messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.conftest import generate as run

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_generate_builds_every_sample_in_every_format(samples: Path) -> None:
    done = run(samples)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for edition in ("reflections-2025", "february-2026"):
        out = samples / "build" / edition
        assert (out / "index.html").is_file()
        assert (out / f"{edition}.pdf").is_file()
        assert (out / "email.html").is_file() and (out / "email.eml").is_file()
        for fmt in ("web", "pdf", "email"):
            assert f"{edition:<24} {fmt:<6} built in" in done.stdout


def test_web_page_has_every_section(samples: Path) -> None:
    from folio.content import load_edition

    done = run(samples, "build", "reflections-2025", "--format", "web")
    assert done.returncode == 0, done.stderr
    html = (samples / "build" / "reflections-2025" / "index.html").read_text()
    edition = load_edition(samples / "content" / "reflections-2025")
    assert len(edition.sections) >= 6
    for section in edition.sections:
        assert f'<section id="{section.id}"' in html
    layouts = {s.meta.layout for s in edition.sections}
    edition2 = load_edition(samples / "content" / "february-2026")
    layouts |= {s.meta.layout for s in edition2.sections}
    assert layouts == {"text", "figures", "quote", "image", "cta", "events"}


def test_bad_content_exits_1_with_file_and_line_and_keeps_last_output(project: Path) -> None:
    assert run(project, "build", "--format", "web").returncode == 0
    page = project / "build" / "mini" / "index.html"
    before = page.read_bytes()
    section = project / "content" / "mini" / "03-voice.md"
    section.write_text(section.read_text().replace("layout: quote", "layout: qoute"))
    done = run(project, "build", "--format", "web")
    assert done.returncode == 1
    assert "error: content/mini/03-voice.md, line 3: 'layout' must be one of" in done.stderr
    assert "Traceback" not in done.stderr
    assert page.read_bytes() == before


def test_debug_shows_traceback(project: Path) -> None:
    (project / "content" / "mini" / "edition.yaml").write_text("title: [\n")
    done = run(project, "--debug", "build", "--format", "web")
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_unknown_edition_and_format(project: Path) -> None:
    done = run(project, "build", "minny")
    assert done.returncode == 1
    assert "there is no edition 'minny' in content/ (editions: mini)" in done.stderr
    done = run(project, "build", "--format", "web,pfd")
    assert done.returncode == 1 and "unknown format 'pfd'" in done.stderr


def test_help_explains_commands() -> None:
    done = run(ROOT, "--help")
    assert done.returncode == 0
    for word in ("build", "watch", "check", "import", "new", "send"):
        assert word in done.stdout


def test_new_scaffolds_an_edition_that_builds(tmp_path: Path) -> None:
    done = run(tmp_path, "new", "spring-2026")
    assert done.returncode == 0, done.stderr
    done = run(tmp_path, "build", "spring-2026", "--format", "web")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "spring-2026" / "index.html").is_file()


def test_check_is_clean_on_the_samples(samples: Path) -> None:
    done = run(samples, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [f"content/{name}: no problems found"
                                        for name in sorted(SAMPLES)]
    assert done.stderr == ""


def test_import_then_check_lists_slips_with_exit_1(tmp_path: Path) -> None:
    import json

    draft = tmp_path / "draft.txt"
    draft.write_text("Our Year\n\nIntroduction\n\nWe thank the the members of the network.\n\n"
                     "Next steps\n\nTODO add the figures.\n")
    done = run(tmp_path, "import", str(draft), "--name", "our-year")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "content" / "our-year" / "edition.yaml").is_file()
    done = run(tmp_path, "import", str(draft), "--name", "our-year")
    assert done.returncode == 1 and "--force" in done.stderr
    done = run(tmp_path, "check", "our-year", "--format", "json")
    assert done.returncode == 1
    found = {(f["rule"], f["severity"]) for f in json.loads(done.stdout)}
    assert ("repeated-word", "error") in found and ("placeholder", "error") in found
    text = run(tmp_path, "check", "our-year").stdout
    assert "content/our-year/01-introduction.md:" in text and "'the the'" in text


def test_an_edition_folder_path_is_taken_wherever_a_name_is(project: Path) -> None:
    assert run(project, "build", "content/mini/", "--format", "web").returncode == 0
    assert (project / "build" / "mini" / "index.html").is_file()
    done = run(project, "check", "content/mini/")
    assert "there is no edition" not in done.stderr and "Traceback" not in done.stderr


def test_a_misspelt_edition_gets_did_you_mean(project: Path) -> None:
    for command in ("build", "check", "watch", "send"):
        args = ["--to", "a@example.org"] if command == "send" else []
        done = run(project, command, "mnii", *args)
        assert done.returncode == 1, command
        assert "there is no edition 'mnii' in content/; did you mean 'mini'?" in done.stderr
        assert "Traceback" not in done.stderr


def test_check_json_reports_a_content_error_as_a_finding(project: Path) -> None:
    section = project / "content" / "mini" / "03-voice.md"
    section.write_text(section.read_text().replace("layout: quote", "layout: qoute"))
    done = run(project, "check", "mini", "--format", "json")
    assert done.returncode == 1
    [finding] = json.loads(done.stdout)
    assert finding["file"] == "content/mini/03-voice.md" and finding["line"] == 3
    assert finding["column"] == len("layout: ") + 1  # the value, not the key
    assert finding["severity"] == "error" and "'layout' must be one of" in finding["message"]


def test_check_points_into_a_one_line_mapping(project: Path) -> None:
    section = project / "content" / "mini" / "06-join.md"
    section.write_text(section.read_text().replace('"https://example.org/join"',
                                                   "example.org/join"))
    done = run(project, "check", "mini")
    assert done.returncode == 1
    line = 'cta: {label: Become a member, url: example.org/join}'
    assert (f"content/mini/06-join.md:5:{line.index('example') + 1}: error url: "
            "'example.org/join': ") in done.stdout


def test_every_argument_has_help() -> None:
    from folio.cli import parser

    top = parser()
    commands = top._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, command in [("", top), *commands.items()]:
        for action in command._actions:
            assert action.help, f"{name} {action.dest} has no help"


def test_version_is_the_installed_package_s(tmp_path: Path) -> None:
    from importlib.metadata import version

    import folio

    done = run(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["python", "generate.py", folio.__version__]
    assert folio.__version__ == version("folio")  # pyproject's, as pip installed it
