"""Drafts are not published by accident: `build` runs the quick checks, `--strict` obeys them."""

from __future__ import annotations

from pathlib import Path

from folio.build import build
from tests.conftest import generate


def leave_placeholder(project: Path) -> None:
    """Put the importer's placeholder back, as an unfinished draft has it."""
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text().replace("organisation: Test Organisation",
                                                 "organisation: Your organisation"))


def outputs(project: Path) -> dict[str, bytes]:
    folder = project / "build" / "mini"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()
            and not p.name.startswith(".")} if folder.is_dir() else {}


def test_build_lists_check_errors_and_still_builds(project: Path) -> None:
    leave_placeholder(project)
    done = generate(project, "build", "mini", "--format", "web,email")
    assert done.returncode == 0, done.stderr
    assert "warning: mini: check finds 1 error(s) that would be published" in done.stderr
    assert "content/mini/edition.yaml:3:15: error placeholder: 'organisation: Your " \
           "organisation'" in done.stderr
    assert "build --strict" in done.stderr
    assert set(outputs(project)) >= {"index.html", "email.html"}


def test_strict_builds_nothing_and_keeps_the_last_good_outputs(project: Path) -> None:
    done = generate(project, "build", "mini", "--strict")
    assert done.returncode == 0, done.stderr
    assert "check finds" not in done.stderr
    before = outputs(project)
    assert {"index.html", "email.html", "mini.pdf"} <= set(before)
    leave_placeholder(project)
    (project / "content" / "mini" / "01-introduction.md").write_text(
        (project / "content" / "mini" / "01-introduction.md").read_text() + "\nTODO: thank.\n")
    done = generate(project, "build", "mini", "--strict")
    assert done.returncode == 1
    assert "error: mini: check finds 2 error(s) that would be published" in done.stderr
    assert "01-introduction.md" in done.stderr and "TODO" in done.stderr
    assert "--strict builds nothing until they are fixed" in done.stderr
    assert "Traceback" not in done.stderr
    assert outputs(project) == before


def test_at_most_five_are_listed(project: Path) -> None:
    section = project / "content" / "mini" / "01-introduction.md"
    section.write_text(section.read_text() + "".join(f"\nTODO {n}.\n" for n in range(7)))
    done = generate(project, "build", "mini", "--format", "web")
    assert done.returncode == 0
    listed = [line for line in done.stderr.splitlines() if "error placeholder" in line]
    assert len(listed) == 5
    assert "... and 2 more" in done.stderr


def test_scripts_choose_whether_to_check(project: Path) -> None:
    leave_placeholder(project)
    content, out = project / "content", project / "build"
    [quiet, _archive] = build(["mini"], content=content, out=out, formats=["web"])
    assert quiet.ok and quiet.slips == []
    [reported, _archive] = build(["mini"], content=content, out=out, formats=["web"],
                                 force=True, checks="report")
    assert reported.ok and [f.rule for f in reported.slips] == ["placeholder"]
    [strict, _archive] = build(["mini"], content=content, out=out, formats=["web"],
                               force=True, checks="strict")
    assert not strict.ok and strict.built == {}
