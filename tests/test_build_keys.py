"""The build's parts, pinned exactly: writing files, what an output's key depends on, when a
format is stale, how problems are worded, and what `build` yields (web and email only, so
that a mutation run over `folio/build.py` stays short)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

import folio.build as build_module
import folio.outputs as outputs_module
from folio.build import (
    ARCHIVE,
    MANIFEST,
    Result,
    _fresh,
    _listed,
    _without,
    build,
    build_archive,
    build_edition,
    default_jobs,
    output_key,
    output_keys,
    pdf_claim_problems,
    read_manifest,
    stale_formats,
)
from folio.content import load_edition
from folio.errors import FolioError, Problem, printable
from folio.outputs import (
    FILE_MODE,
    LOCKS,
    locked,
    output_problem,
    remove_stale,
    write_atomic,
    write_files,
)

ALL = ["web", "pdf", "email"]
QUICK = ["web", "email"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


# --- writing -------------------------------------------------------------------------


def test_the_mode_of_new_files() -> None:
    previous = os.umask(0o027)
    try:
        assert outputs_module._file_mode() == 0o640
        assert os.umask(0o027) == 0o027  # left as it was
    finally:
        os.umask(previous)


def test_write_atomic(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "file.bin"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == FILE_MODE
    assert 0o666 & ~(current_umask()) == FILE_MODE
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["file.bin"]  # no temporary file left


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_write_files_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files(out, {"index.html": b"<p>1</p>", "images/a.png": b"png", "deep/x/y.txt": b"y"})
    assert files_of(out) == {"index.html": b"<p>1</p>", "images/a.png": b"png",
                             "deep/x/y.txt": b"y"}
    assert all(p.stat().st_mode & 0o777 == FILE_MODE for p in out.rglob("*") if p.is_file())
    same = (out / "images" / "a.png").stat()
    write_files(out, {"index.html": b"<p>2</p>", "images/a.png": b"png"})
    assert (out / "index.html").read_bytes() == b"<p>2</p>"
    again = (out / "images" / "a.png").stat()  # identical: left untouched
    assert (again.st_ino, again.st_mtime_ns) == (same.st_ino, same.st_mtime_ns)
    (out / "blocked").write_text("a file where a folder is needed")
    with pytest.raises(OSError):
        write_files(out, {"index.html": b"<p>3</p>", "blocked/page.html": b"x"})
    assert (out / "index.html").read_bytes() == b"<p>2</p>"  # nothing renamed into place
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_write_files_same_size_other_bytes(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.txt": b"abc"})
    write_files(tmp_path, {"a.txt": b"abd"})
    assert (tmp_path / "a.txt").read_bytes() == b"abd"


@pytest.mark.parametrize("code, message", [
    (errno.ENOSPC, "no space left on the disk; free some space and build again (the last "
                   "good outputs are still in place)"),
    (errno.EACCES, "Folio may not write here; check the folder's permissions, or choose "
                   "another folder with --out"),
    (errno.EPERM, "Folio may not write here; check the folder's permissions, or choose "
                  "another folder with --out"),
    (errno.EROFS, "Folio may not write here; check the folder's permissions, or choose "
                  "another folder with --out"),
    (errno.EISDIR, "a folder stands where Folio keeps a file; remove it"),
    (errno.EIO, "the outputs cannot be written (Input/output error); the last good outputs "
                "are still in place"),
])
def test_output_problems(tmp_path: Path, code: int, message: str) -> None:
    failure = OSError(code, os.strerror(code), str(tmp_path / "a.html"))
    assert output_problem(failure, tmp_path) == Problem(tmp_path / "a.html", None, message)


def test_output_problem_names_the_file_at_fault(tmp_path: Path) -> None:
    renamed = OSError(errno.EACCES, "Permission denied", "/from", None, "/to")
    assert output_problem(renamed, tmp_path).path == Path("/to")
    unnamed = OSError("disk on fire")
    assert output_problem(unnamed, tmp_path) == Problem(
        tmp_path, None, "the outputs cannot be written (disk on fire); the last good outputs "
        "are still in place")
    (tmp_path / "build").write_text("a file")
    for code in (errno.ENOTDIR, errno.EEXIST):
        blocked = OSError(code, os.strerror(code), str(tmp_path / "build" / "mini" / "x.html"))
        assert output_problem(blocked, tmp_path) == Problem(
            tmp_path / "build", None, "a file stands where Folio needs a folder for the "
            "outputs; move it away, or choose another folder with --out")
    nothing = OSError(errno.ENOTDIR, "Not a directory", str(tmp_path / "gone" / "x"))
    assert output_problem(nothing, tmp_path).path == tmp_path / "gone" / "x"


def test_remove_stale(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_files(out, {"a.html": b"", "images/old.png": b"", "images/keep.png": b"",
                      "email-images/x/y.png": b"", "shared.css": b""})
    (tmp_path / "outside.txt").write_text("not Folio's")
    before = ["a.html", "images/old.png", "images/keep.png", "email-images/x/y.png",
              "shared.css", "../outside.txt", "images", "never-there.txt"]
    remove_stale(out, before, ["a.html", "images/keep.png"], {"shared.css"})
    assert sorted(files_of(out)) == ["a.html", "images/keep.png", "shared.css"]
    assert not (out / "email-images").exists()  # emptied: removed up to the folder
    assert (tmp_path / "outside.txt").is_file()
    remove_stale(out, ["a.html", "images/keep.png", "shared.css"], [], set())
    assert out.is_dir() and list(out.iterdir()) == []


def test_a_lock_is_exclusive(tmp_path: Path) -> None:
    order: list[str] = []
    entered = threading.Event()

    def other() -> None:
        with locked(tmp_path, "mini"):
            order.append("other")
            entered.set()

    with locked(tmp_path, "mini"):
        thread = threading.Thread(target=other)
        thread.start()
        assert not entered.wait(0.3)
        order.append("first")
    thread.join(30)
    assert order == ["first", "other"]
    assert sorted(p.name for p in (tmp_path / LOCKS).iterdir()) == ["mini.lock"]
    with locked(tmp_path, "archive"), locked(tmp_path, "mini"):  # other names: no wait
        pass


def test_read_manifest(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).write_text("{broken")
    assert read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).write_text("[1, 2]")
    assert read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).write_text('{"mini/web": {"key": "k"}}')
    assert read_manifest(tmp_path) == {"mini/web": {"key": "k"}}


def test_fresh_and_listed(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("")
    assert _fresh({"key": "k", "files": ["a.html"]}, "k", tmp_path)
    assert _fresh({"key": "k", "files": []}, "k", tmp_path)
    assert not _fresh({"key": "k", "files": ["a.html", "b.html"]}, "k", tmp_path)
    assert not _fresh({"key": "other", "files": ["a.html"]}, "k", tmp_path)
    assert not _fresh({"key": "k"}, "k", tmp_path)
    assert not _fresh({"key": "k", "files": "a.html"}, "k", tmp_path)
    assert not _fresh("k", "k", tmp_path)
    assert not _fresh(None, "k", tmp_path)
    assert _listed({"files": ["a", 2]}) == ["a", "2"]
    assert _listed({"files": "a"}) == [] and _listed({}) == [] and _listed(None) == []


# --- keys ----------------------------------------------------------------------------


def test_without() -> None:
    settings = {"title": "T", "pdf": {"variant": "x"}, "email": {"subject": "S", "from": "F"},
                "words": "not a mapping"}
    assert _without(settings, ("pdf", "email.subject", "words.x")) == {
        "title": "T", "email": {"from": "F"}, "words": "not a mapping"}
    assert settings["email"] == {"subject": "S", "from": "F"}  # the settings stay whole
    assert _without(settings, ()) == settings


def changed_keys(project: Path, change) -> list[str]:
    """Return the formats whose key `change` (a function of the project) changes."""
    edition = project / "content" / "mini"
    before = output_keys(edition, ALL, project)
    change(project)
    after = output_keys(edition, ALL, project)
    return [fmt for fmt in ALL if before[fmt] != after[fmt]]


def own_theme(project: Path) -> Path:
    """Give the mini edition a theme of the project's own that extends `plain`."""
    folder = project / "templates" / "house"
    (folder / "web").mkdir(parents=True)
    (folder / "theme.yaml").write_text("name: House\nextends: plain\n")
    edit(project / "content" / "mini" / "edition.yaml", "\nwords:", "\ntheme: house\nwords:")
    return folder


def test_output_keys_are_one_key_per_format(project: Path) -> None:
    edition = project / "content" / "mini"
    keys = output_keys(edition, ALL, project)
    assert list(keys) == ALL
    assert keys == {fmt: output_key(edition, fmt, project) for fmt in ALL}
    assert len(set(keys.values())) == 3
    assert all(len(k) == 64 and int(k, 16) >= 0 for k in keys.values())
    assert output_keys(edition, ["email"], project) == {"email": keys["email"]}


@pytest.mark.parametrize("change, expected", [
    (lambda p: edit(p / "content/mini/01-introduction.md", "title:", "title: New"), ALL),
    (lambda p: (p / "content/mini/images/pic.png").write_bytes(b"other"), ALL),
    (lambda p: (p / "content/mini/images/pic.png").rename(p / "content/mini/images/p2.png"),
     ALL),
    (lambda p: (p / "content/mini/notes.txt").write_text("a new file"), ALL),
    (lambda p: (p / "content/mini/.hidden").write_text("x"), []),
    (lambda p: (p / "content/mini/templates/notes.txt").parent.mkdir() or
     (p / "content/mini/templates/notes.txt").write_text("x"), []),
    (lambda p: edit(p / "content/mini/edition.yaml", "Mini Review", "Maxi Review"), ALL),
    (lambda p: edit(p / "content/mini/edition.yaml", "words: [Folio]", "words: [Fol]"), []),
    (lambda p: edit(p / "content/mini/edition.yaml", "subject: Mini", "subject: Maxi"),
     ["email"]),
    (lambda p: edit(p / "content/mini/edition.yaml", "  subject:", "  reply_to: a@b.org\n"
                    "  subject:"), ["email"]),
    (lambda p: edit(p / "content/mini/edition.yaml", "\nwords:", "\npdf: {variant: pdf/a-3b}"
                    "\nwords:"), ["pdf"]),
    (lambda p: edit(p / "content/mini/edition.yaml", "\nwords:", "\ndraft: true\nwords:"), []),
])
def test_what_a_key_depends_on(project: Path, change, expected: list[str]) -> None:
    assert changed_keys(project, change) == expected


@pytest.mark.parametrize("where, expected", [
    ("web/page.html", ["web"]), ("pdf/print.css", ["pdf"]), ("email/e.mjml", ["email"]),
    ("assets/logo.svg", ALL), ("assets/.hidden", []), ("web/.hidden", []),
    ("notes/readme.txt", []), ("theme.yaml", ALL),
])
def test_theme_files_in_the_keys(project: Path, where: str, expected: list[str]) -> None:
    theme = own_theme(project)
    (theme / "theme.yaml").write_text("name: House\nextends: plain\n")
    target = theme / where

    def change(_: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(target.read_text() + "\n" if target.exists() else "new")

    assert changed_keys(project, change) == expected


@pytest.mark.parametrize("where, expected", [
    ("web/page.html", ["web"]), ("assets/logo.svg", ALL), ("notes.txt", []),
])
def test_edition_templates_in_the_keys(project: Path, where: str, expected: list[str]) -> None:
    target = project / "content" / "mini" / "templates" / where

    def change(_: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("new")

    assert changed_keys(project, change) == expected


def test_the_themes_extended_are_in_the_keys(project: Path) -> None:
    own_theme(project)
    parent = project / "templates" / "plain"  # the project's own `plain` now comes first

    def shadow(_: Path) -> None:
        (parent / "web").mkdir(parents=True)
        (parent / "theme.yaml").write_text("name: Mine\n")

    assert changed_keys(project, shadow) == ALL
    assert changed_keys(project, lambda _: (parent / "web" / "x.html").write_text("x")) == [
        "web"]
    assert changed_keys(project, lambda _: edit(project / "templates/house/theme.yaml",
                                                "extends: plain", "extends: default")) == ALL


# --- stale formats -------------------------------------------------------------------


def build_quick(project: Path, **options) -> list[Result]:
    return list(build(**{"content": project / "content", "out": project / "build",
                         "formats": QUICK, "jobs": 1, **options}))


def test_stale_formats(project: Path) -> None:
    edition, out = project / "content" / "mini", project / "build"
    stale, keys = stale_formats(edition, out, QUICK)
    assert stale == QUICK
    build_quick(project)
    assert stale_formats(edition, out, QUICK) == ([], keys)
    assert stale_formats(edition, out, QUICK, force=True) == (QUICK, keys)
    (out / "mini" / "email.html").unlink()
    assert stale_formats(edition, out, QUICK)[0] == ["email"]
    manifest = read_manifest(out)
    assert manifest["mini/web"] == {"key": keys["web"], "files": sorted(manifest["mini/web"]
                                                                        ["files"])}
    assert "index.html" in manifest["mini/web"]["files"]
    # the web page's key also holds its links to the neighbouring editions
    assert keys["web"] != output_key(edition, "web", project)
    assert keys["email"] == output_key(edition, "email", project)


def test_a_neighbour_makes_only_the_web_page_stale(project: Path) -> None:
    build_quick(project)
    other = project / "content" / "other"
    other.mkdir()
    (other / "edition.yaml").write_text((project / "content/mini/edition.yaml").read_text()
                                        .replace("2025-12-01", "2026-01-01"))
    (other / "01-a.md").write_text("---\ntitle: A\n---\n\nText.\n")
    assert stale_formats(project / "content" / "mini", project / "build", QUICK)[0] == ["web"]


def test_keep_html_makes_a_pdf_without_its_print_html_stale(project: Path) -> None:
    edition, out = project / "content" / "mini", project / "build"
    _, keys = stale_formats(edition, out, ["pdf"])
    (out / "mini").mkdir(parents=True)
    (out / "mini" / "mini.pdf").write_bytes(b"%PDF")
    (out / MANIFEST).write_text(json.dumps({"mini/pdf": {"key": keys["pdf"],
                                                         "files": ["mini.pdf"]}}))
    assert stale_formats(edition, out, ["pdf"])[0] == []
    assert stale_formats(edition, out, ["pdf"], keep_html=True)[0] == ["pdf"]
    (out / "mini" / "print.html").write_text("<html>")
    assert stale_formats(edition, out, ["pdf"], keep_html=True)[0] == []


def test_default_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    assert [default_jobs(n) for n in (0, 5, 6, 40)] == [1, 1, 3, 3]
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    assert [default_jobs(n) for n in (3, 4)] == [1, 2]
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert default_jobs(40) == 1
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert [default_jobs(n) for n in (7, 8)] == [1, 4]
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert default_jobs(40) == 1



def test_the_default_jobs_decide_without_reading_editions_when_too_few(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer editions than twice the cores can never need a pool: the default then builds
    exactly as `--jobs 1` does, without first working out what is stale in each."""
    editions_like_mini(project, "other")
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    decided: list[str] = []
    real = build_module.stale_formats

    def counted(folder: Path, *args: object, **options: object) -> object:
        decided.append(folder.name)
        return real(folder, *args, **options)

    monkeypatch.setattr(build_module, "stale_formats", counted)
    assert [r.edition for r in build_quick(project, jobs=None)] == ["mini", "other", ARCHIVE]
    assert decided == ["mini", "other"]  # once each, while building
    editions_like_mini(project, "third", "fourth")
    decided.clear()
    build_quick(project, jobs=None)
    assert sorted(decided) == ["fourth", "mini", "other", "third"]  # to choose: 4 = 2 x 2 cores
    decided.clear()
    build_quick(project, jobs=None, force=True)
    assert decided == []  # forced, all four need building: the workers work out their keys


# --- building ------------------------------------------------------------------------


def test_a_quick_build_and_its_manifest(project: Path) -> None:
    results = build_quick(project)
    assert [r.edition for r in results] == ["mini", ARCHIVE]
    mini, archive = results
    assert mini.ok and sorted(mini.built) == ["email", "web"] and mini.skipped == []
    assert all(seconds >= 0 for seconds in mini.built.values())
    assert archive.ok and list(archive.built) == ["site"]
    out = project / "build"
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest) == ["/archive", "mini/email", "mini/web"]
    for fmt in QUICK:
        assert manifest[f"mini/{fmt}"]["files"] == sorted(manifest[f"mini/{fmt}"]["files"])
        assert all((out / "mini" / f).is_file() for f in manifest[f"mini/{fmt}"]["files"])
    assert "index.html" in manifest["/archive"]["files"]
    assert (out / MANIFEST).read_text() == json.dumps(manifest, indent=1, sort_keys=True)
    again = build_quick(project)
    assert [(r.edition, r.built, r.skipped) for r in again] == [
        ("mini", {}, QUICK), (ARCHIVE, {}, ["site"])]


def test_only_the_editions_named(project: Path) -> None:
    other = project / "content" / "other"
    other.mkdir()
    (other / "edition.yaml").write_text((project / "content/mini/edition.yaml").read_text())
    (other / "01-a.md").write_text("---\ntitle: A\n---\n\nText.\n")
    results = build_quick(project, editions=["other"])
    assert [r.edition for r in results] == ["other", ARCHIVE]
    assert not (project / "build" / "mini").exists()
    assert [r.edition for r in build_quick(project, jobs=2)] == ["mini", "other", ARCHIVE]


@pytest.mark.parametrize("options, message", [
    ({"checks": "loud"}, "unknown checks mode 'loud'; choose from off, report, strict"),
    ({"formats": ["web", "epub"]}, "unknown format 'epub'; choose from web, pdf, email"),
    ({"editions": ["nope"]}, "there is no edition 'nope'"),
])
def test_build_refuses(project: Path, options: dict, message: str) -> None:
    with pytest.raises(FolioError) as caught:
        list(build(content=project / "content", out=project / "build", **options))
    assert str(caught.value).startswith(message)


def test_no_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["folio"])
    (tmp_path / "content").mkdir()
    with pytest.raises(FolioError) as caught:
        list(build(content=tmp_path / "content", out=tmp_path / "build"))
    assert str(caught.value) == (f"no editions found in {tmp_path / 'content'}/; create one "
                                 "with `folio new NAME`")


def test_an_edition_that_does_not_load_keeps_the_last_archive(project: Path) -> None:
    build_quick(project)
    archive = (project / "build" / "index.html").read_bytes()
    edit(project / "content" / "mini" / "edition.yaml", "Mini Review", "[unclosed")
    edit(project / "content" / "mini" / "01-introduction.md", "title:", "title: New")
    results = build_quick(project)
    assert [r.edition for r in results] == ["mini", ARCHIVE]
    assert results[0].problems and not results[0].built
    assert len(results[0].tracebacks) == 1
    assert "ContentError" in results[0].tracebacks[0]
    assert results[1].ok and results[1].warnings == [
        "the archive keeps its last version until mini builds again"]
    assert (project / "build" / "index.html").read_bytes() == archive


def test_a_bug_in_one_format_leaves_the_others(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import folio.formats.web as web

    def broken(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(web, "render", broken)
    result = build_edition(project / "content" / "mini", project / "build", QUICK)
    assert list(result.built) == ["email"]
    assert [p.message for p in result.problems] == [
        "the web format failed unexpectedly (RuntimeError: boom); this is a bug in Folio: "
        "run again with --debug and report the traceback"]
    assert result.problems[0].path == project / "content" / "mini"
    assert len(result.tracebacks) == 1 and "RuntimeError: boom" in result.tracebacks[0]
    assert "broken" in result.tracebacks[0]  # the traceback of the bug, not of the report
    assert not (project / "build" / "mini" / "index.html").exists()
    assert "mini/web" not in read_manifest(project / "build")


def test_an_output_folder_in_the_way(project: Path) -> None:
    (project / "build").mkdir()
    (project / "build" / "mini").write_text("a file")
    result = build_edition(project / "content" / "mini", project / "build", QUICK)
    assert [str(p) for p in result.problems] == [
        f"{project / 'build' / 'mini'}: a file stands where Folio needs a folder for the "
        "outputs; move it away, or choose another folder with --out"]
    assert len(result.tracebacks) == 1


def placeholder(project: Path) -> None:
    edit(project / "content" / "mini" / "01-introduction.md", "\n\n", "\n\nTODO write this.\n\n")


def test_strict_checks_build_nothing(project: Path) -> None:
    placeholder(project)
    result = build_edition(project / "content" / "mini", project / "build", QUICK,
                           checks="strict")
    assert result.slips and all(f.severity == "error" for f in result.slips)
    assert any(f.rule == "placeholder" for f in result.slips)
    assert [p.message for p in result.problems] == [
        f"{len(result.slips)} check error(s) above; --strict builds nothing until they are "
        "fixed"]
    assert not result.built and not (project / "build" / "mini").exists()


def test_reported_checks_build_all(project: Path) -> None:
    placeholder(project)
    result = build_edition(project / "content" / "mini", project / "build", QUICK,
                           checks="report")
    assert any(f.rule == "placeholder" for f in result.slips)
    assert all(f.severity == "error" for f in result.slips)
    assert result.ok and sorted(result.built) == sorted(QUICK)
    quiet = build_edition(project / "content" / "mini", project / "build", QUICK, force=True)
    assert quiet.slips == [] and sorted(quiet.built) == sorted(QUICK)


def test_warnings_are_collected_per_build(project: Path) -> None:
    import logging

    result = Result("mini")
    with build_module._capture_warnings(result):
        build_module.log.warning("a %s warning\x07", "first")
        build_module.log.info("not kept")
    build_module.log.warning("after: not kept")
    assert result.warnings == [printable("a first warning\x07")]
    assert build_module.log.propagate is True
    assert not [h for h in build_module.log.handlers if isinstance(h, logging.Handler)
                and type(h).__name__ == "_WarningCollector"]


def test_pdf_claims(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    edition_dir = project / "content" / "mini"
    assert pdf_claim_problems(load_edition(edition_dir), Result("mini")) is None
    edit(edition_dir / "01-introduction.md", "\n\n", "\n\n![](images/pic.png)\n\n#### Too deep\n\n")
    result = Result("mini")
    refusal = pdf_claim_problems(load_edition(edition_dir), result)
    assert refusal is not None
    assert [str(p) for p in refusal.problems] == [
        "content/mini/01-introduction.md, line 7: '![](images/pic.png)': images/pic.png has no "
        "alt text; describe what it shows (the PDF claims PDF/UA-1, so it is not written until "
        "this is fixed)"]
    assert result.warnings == [
        "content/mini/01-introduction.md, line 9: '#### Too deep' skips a level after the "
        "section title; use # (the PDF tags it one level below the heading before it)"]
    edit(edition_dir / "edition.yaml", "\nwords:", "\npdf: {variant: pdf/a-3b}\nwords:")
    archival = Result("mini")
    assert pdf_claim_problems(load_edition(edition_dir), archival) is None
    assert archival.warnings == []


def test_the_archive_is_rebuilt_when_an_edition_changes(project: Path) -> None:
    content, out = project / "content", project / "build"
    build_edition(content / "mini", out, ["web"])
    first = build_archive(content, out)
    assert first.ok and list(first.built) == ["site"]
    assert build_archive(content, out).skipped == ["site"]
    assert list(build_archive(content, out, force=True).built) == ["site"]
    edit(content / "mini" / "edition.yaml", "Mini Review", "Maxi Review")
    build_edition(content / "mini", out, ["web"])
    assert list(build_archive(content, out).built) == ["site"]
    assert b"Maxi Review" in (out / "index.html").read_bytes()
    stored = read_manifest(out)["/archive"]
    assert stored["files"] == sorted(stored["files"])
    (out / "index.html").unlink()
    assert list(build_archive(content, out).built) == ["site"]



def test_forcing_named_editions_forces_their_outputs_not_the_archive(project: Path) -> None:
    """`build mini --force` rebuilds mini; the archive, whose inputs did not change, stays.
    `build --force` with no edition named rebuilds everything, the archive too."""
    content, out = project / "content", project / "build"
    list(build(content=content, out=out, formats=["web"]))
    named = {r.edition: r for r in build(["mini"], content=content, out=out, formats=["web"],
                                          force=True)}
    assert list(named["mini"].built) == ["web"] and named[ARCHIVE].skipped == ["site"]
    everything = {r.edition: r for r in build(content=content, out=out, formats=["web"],
                                               force=True)}
    assert list(everything["mini"].built) == ["web"]
    assert list(everything[ARCHIVE].built) == ["site"]


def editions_like_mini(project: Path, *names: str) -> None:
    for name in names:
        shutil.copytree(project / "content" / "mini", project / "content" / name)


@pytest.fixture
def render_pids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Record in a file the process that renders each web page (workers are forked)."""
    import folio.formats.web as web

    record, real = tmp_path / "pids.txt", web.render

    def render(*args):
        with open(record, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(web, "render", render)
    return record


def processes(record: Path) -> set[int]:
    return {int(line) for line in record.read_text().split()}


@pytest.mark.parametrize("jobs, editions, in_workers", [
    (1, 2, False), (2, 1, False), (2, 2, True), (3, 3, True),
])
def test_jobs_run_workers_only_for_several_editions(
    project: Path, render_pids: Path, jobs: int, editions: int, in_workers: bool,
) -> None:
    editions_like_mini(project, *[f"copy{n}" for n in range(1, editions)])
    results = list(build(content=project / "content", out=project / "build", formats=["web"],
                         jobs=jobs))
    assert all(r.ok for r in results) and len(results) == editions + 1
    assert (os.getpid() not in processes(render_pids)) == in_workers


@pytest.mark.parametrize("stale, force, in_workers", [(4, False, True), (2, False, False),
                                                       (2, True, True)])
def test_jobs_chosen_from_the_editions_to_build(
    project: Path, render_pids: Path, monkeypatch: pytest.MonkeyPatch,
    stale: int, force: bool, in_workers: bool,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    editions_like_mini(project, "b", "c", "d")
    for name in ["mini", "b", "c", "d"][stale:]:  # already built: not stale
        build_edition(project / "content" / name, project / "build", ["web"])
    render_pids.unlink(missing_ok=True)
    list(build(content=project / "content", out=project / "build", formats=["web"],
               jobs=None, force=force))
    assert len(render_pids.read_text().split()) == (4 if force else stale)
    assert (os.getpid() not in processes(render_pids)) == in_workers


def test_a_lone_edition_is_built_in_process(project: Path, render_pids: Path) -> None:
    list(build(content=project / "content", out=project / "build", formats=["web"], jobs=None))
    assert processes(render_pids) == {os.getpid()}


def test_build_passes_its_options_to_each_edition(project: Path) -> None:
    placeholder(project)
    results = build_quick(project, checks="report")
    assert any(f.rule == "placeholder" for f in results[0].slips)
    assert results[0].ok
    again = build_quick(project, force=True)
    assert sorted(again[0].built) == sorted(QUICK) and list(again[1].built) == ["site"]
    strict = build_quick(project, checks="strict", force=True)
    assert not strict[0].ok and not strict[0].built


def test_the_archive_waits_for_every_failed_edition(project: Path) -> None:
    editions_like_mini(project, "other")
    build_quick(project)
    for name in ("mini", "other"):
        edit(project / "content" / name / "edition.yaml", "Mini Review", "[unclosed")
    results = build_quick(project)
    assert results[-1].warnings == [
        "the archive keeps its last version until mini, other builds again"]


# --- the last details ----------------------------------------------------------------


def test_temporary_files_sit_hidden_beside_their_target(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    renames: list[tuple[Path, Path]] = []
    real = os.replace

    def replace(source, target) -> None:
        renames.append((Path(source), Path(target)))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "one" / "a.json", b"{}")
    write_files(tmp_path / "two", {"b.html": b"", "deep/c.css": b""})
    assert [target for _, target in renames] == [tmp_path / "one" / "a.json",
                                                 tmp_path / "two" / "b.html",
                                                 tmp_path / "two" / "deep" / "c.css"]
    for source, target in renames:
        assert source.parent == target.parent
        assert source.name.startswith(f".{target.name}.") and source.name.endswith(".tmp")


def test_an_unchanged_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write_files(tmp_path, {"same.txt": b"s", "changed.txt": b"1"})
    write_files(tmp_path, {"same.txt": b"s", "changed.txt": b"2"})
    assert (tmp_path / "changed.txt").read_bytes() == b"2"


def test_print_html_is_written_only_when_asked_for(tmp_path: Path) -> None:
    out, target = tmp_path / "build", tmp_path / "build" / "mini"
    target.mkdir(parents=True)
    (target / "print.html").write_text("old")
    result = Result("mini")
    before = build_module.time.perf_counter()
    build_module._write_output(result, "web", {"index.html": b"w"}, before, "k", out, False)
    assert (target / "print.html").read_text() == "old"  # not the web page's business
    build_module._write_output(result, "pdf", {"mini.pdf": b"%PDF", "print.html": b"new"},
                               before, "k", out, False)
    assert not (target / "print.html").exists()
    assert read_manifest(out)["mini/pdf"] == {"key": "k", "files": ["mini.pdf"]}
    build_module._write_output(result, "pdf", {"mini.pdf": b"%PDF", "print.html": b"new"},
                               before, "k2", out, True)
    assert (target / "print.html").read_text() == "new"
    assert read_manifest(out)["mini/pdf"] == {"key": "k2", "files": ["mini.pdf", "print.html"]}
    assert 0 <= result.built["pdf"] <= build_module.time.perf_counter() - before
    build_module._write_output(result, "email", None, before, "k", out, False)
    assert "email" not in result.built and "mini/email" not in read_manifest(out)


def test_files_another_output_lists_are_kept(tmp_path: Path) -> None:
    out, target = tmp_path / "build", tmp_path / "build" / "mini"
    write_files(target, {"shared.png": b"", "old.png": b"", "email.html": b"", "x.png": b""})
    (out / MANIFEST).write_text(json.dumps({
        "mini/email": {"key": "k", "files": ["email.html", "old.png", "shared.png", "x.png"]},
        "mini/web": {"key": "k", "files": ["index.html", "shared.png"]},
        "other/web": {"key": "k", "files": ["old.png"]},  # another edition's folder
    }))
    build_module._write_output(Result("mini"), "email", {"email.html": b"new"}, 0.0, "k2",
                               out, False)
    assert sorted(files_of(target)) == ["email.html", "shared.png"]


def test_a_lone_build_finds_its_neighbours(project: Path) -> None:
    editions_like_mini(project, "later")
    edit(project / "content" / "later" / "edition.yaml", "2025-12-01", "2026-03-01")
    edit(project / "content" / "later" / "edition.yaml", "Mini Review", "Later Review")
    result = build_edition(project / "content" / "mini", project / "build", ["web"])
    assert result.ok
    page = (project / "build" / "mini" / "index.html").read_text("utf-8")
    assert 'rel="next"' in page and "Later Review" in page


def test_an_edition_template_overrides_the_theme(project: Path) -> None:
    own = project / "content" / "mini" / "templates" / "web"
    own.mkdir(parents=True)
    (own / "page.html").write_text("<p>{{ edition.organisation }}, my own page</p>")
    assert build_edition(project / "content" / "mini", project / "build", ["web"]).ok
    assert (project / "build" / "mini" / "index.html").read_text("utf-8").startswith(
        "<p>Test Organisation, my own page</p>")


def test_build_edition_skips_what_is_fresh(project: Path) -> None:
    first = build_edition(project / "content" / "mini", project / "build", QUICK)
    assert sorted(first.built) == sorted(QUICK)
    second = build_edition(project / "content" / "mini", project / "build", QUICK)
    assert second.built == {} and second.skipped == QUICK
    locks = sorted(p.name for p in (project / "build" / LOCKS).iterdir())
    assert locks == ["fonts.lock", "manifest.lock", "mini.lock"]  # fonts: the shared ones


def test_a_format_refusing_its_input_leaves_the_others(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import folio.formats.web as web

    def refuse(*_):
        raise FolioError("the web page cannot show this")

    monkeypatch.setattr(web, "render", refuse)
    result = build_edition(project / "content" / "mini", project / "build", QUICK)
    assert list(result.built) == ["email"]
    assert result.problems == [Problem("", None, "the web page cannot show this")]
    assert result.tracebacks[0].startswith("Traceback (most recent call last):\n  File ")
    assert result.tracebacks[0].endswith("FolioError: the web page cannot show this\n")


def test_the_archive_keeps_its_last_version_while_an_edition_is_unreadable(
    project: Path,
) -> None:
    content, out = project / "content", project / "build"
    build_quick(project)
    page = (out / "index.html").read_bytes()
    edit(content / "mini" / "edition.yaml", "Mini Review", "[unclosed")
    result = build_archive(content, out, force=True)
    assert result.skipped == ["site"] and result.ok and not result.built
    assert (out / "index.html").read_bytes() == page


def test_the_archive_removes_the_files_it_no_longer_writes(project: Path) -> None:
    content, out = project / "content", project / "build"
    build_quick(project)
    manifest = read_manifest(out)
    manifest["/archive"]["files"] += ["old-feed.xml", "gone.xml"]
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / "old-feed.xml").write_text("<rss/>")
    started = build_module.time.perf_counter()
    result = build_archive(content, out, force=True)
    assert result.ok, result.problems
    assert not (out / "old-feed.xml").exists()
    assert 0 <= result.built["site"] <= build_module.time.perf_counter() - started


def test_the_archive_cannot_be_written(project: Path) -> None:
    content, out = project / "content", project / "build"
    (out / "index.html" / "x").mkdir(parents=True)  # a folder where the page goes
    result = build_archive(content, out)
    assert result.problems == [Problem(out / "index.html", None,
                                       "a folder stands where Folio keeps a file; remove it")]
    assert not result.built
