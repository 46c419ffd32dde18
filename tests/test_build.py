"""Incremental builds: each kind of change rebuilds exactly the outputs that depend on it."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from folio.build import ARCHIVE, MANIFEST, build
from folio.sources import BUILTIN_THEMES

ALL = ("web", "pdf", "email")
OUTPUTS = {"web": "index.html", "pdf": "mini.pdf", "email": "email.html"}


def build_all(project: Path, **options) -> dict[str, list[str]]:
    """Build every edition; return the formats built per edition (the archive aside)."""
    results = build(content=project / "content", out=project / "build", jobs=1, **options)
    built = {}
    for result in results:
        assert result.ok, result.problems
        if result.edition != ARCHIVE:
            built[result.edition] = sorted(result.built)
    return built


def stamps(project: Path) -> dict[str, tuple[int, bytes]]:
    """Modification times and bytes of every output file."""
    out = project / "build"
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def built(project: Path) -> Path:
    shutil.copytree(project / "content" / "mini", project / "content" / "other")
    assert build_all(project) == {"mini": sorted(ALL), "other": sorted(ALL)}
    time.sleep(0.01)
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def assert_only(project: Path, before: dict, expected: dict[str, list[str]]) -> None:
    built = build_all(project)
    assert {k: v for k, v in built.items() if v} == {k: sorted(v) for k, v in expected.items()}
    after = stamps(project)
    for name, (mtime, data) in before.items():
        edition, fmt = name.split("/")[0], None
        for candidate, output in OUTPUTS.items():
            if name.endswith("/" + output) or (candidate == "pdf" and name.endswith(".pdf")):
                fmt = candidate
        if fmt and fmt not in expected.get(edition, []):
            assert after[name] == (mtime, data), f"{name} was rewritten"


def test_noop_build_renders_nothing(built: Path) -> None:
    before = stamps(built)
    assert_only(built, before, {})
    assert stamps(built) == before


def test_section_text_rebuilds_every_format_of_that_edition(built: Path) -> None:
    before = stamps(built)
    edit(built / "content" / "mini" / "06-join.md", "Members shape", "Our members shape")
    assert_only(built, before, {"mini": list(ALL)})
    assert "Our members shape" in (built / "build" / "mini" / "index.html").read_text()


def test_image_rebuilds_the_formats_that_show_it(built: Path) -> None:
    from PIL import Image

    before = stamps(built)
    Image.new("RGB", (400, 200), (200, 30, 30)).save(built / "content" / "mini" / "images" /
                                                     "pic.png")
    assert_only(built, before, {"mini": list(ALL)})


def test_web_template_rebuilds_only_web_pages(built: Path) -> None:
    theme = built / "templates" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    build_all(built, force=True)  # the project's own copy of the theme is now in use
    before = stamps(built)
    edit(theme / "web" / "page.html", "In this edition", "Inside")
    assert_only(built, before, {"mini": ["web"], "other": ["web"]})
    assert "Inside" in (built / "build" / "other" / "index.html").read_text()


def test_theme_setting_rebuilds_every_format(built: Path) -> None:
    theme = built / "templates" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    build_all(built, force=True)
    before = stamps(built)
    edit(theme / "theme.yaml", 'accent: "#0a5c8a"', 'accent: "#0b4f76"')
    assert_only(built, before, {"mini": list(ALL), "other": list(ALL)})


def test_edition_settings_rebuild_only_what_uses_them(built: Path) -> None:
    before = stamps(built)
    with (built / "content" / "mini" / "edition.yaml").open("a") as handle:
        handle.write("pdf:\n  paper: letter\n")
    assert_only(built, before, {"mini": ["pdf"]})
    before = stamps(built)
    edit(built / "content" / "mini" / "edition.yaml", "subject: Mini Review is out",
         "subject: Mini Review is here")
    assert_only(built, before, {"mini": ["email"]})
    before = stamps(built)
    edit(built / "content" / "mini" / "edition.yaml", "title: Mini Review", "title: Mini Annual")
    # The next edition's web page names its previous one: it follows the new title.
    assert_only(built, before, {"mini": list(ALL), "other": ["web"]})
    assert "Mini Annual" in (built / "build" / "other" / "index.html").read_text()


def test_second_edition_alone(built: Path) -> None:
    before = stamps(built)
    edit(built / "content" / "other" / "01-introduction.md", "Welcome", "Hello")
    assert_only(built, before, {"other": list(ALL)})


def test_force_and_corrupt_or_missing_manifest_mean_a_full_build(built: Path) -> None:
    assert build_all(built, force=True)["mini"] == sorted(ALL)
    (built / "build" / MANIFEST).write_text("{not json")
    assert build_all(built)["mini"] == sorted(ALL)
    (built / "build" / MANIFEST).unlink()
    assert build_all(built)["other"] == sorted(ALL)
    manifest = json.loads((built / "build" / MANIFEST).read_text())
    assert set(manifest) == {f"{e}/{f}" for e in ("mini", "other") for f in ALL} | {"/archive"}


def test_deleted_output_is_rebuilt(built: Path) -> None:
    (built / "build" / "mini" / "index.html").unlink()
    assert build_all(built) == {"mini": ["web"], "other": []}


def test_noop_build_does_not_import_weasyprint(built: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    code = ("import sys; from folio.cli import main; code = main([]); "
            "print('weasyprint' in sys.modules, 'mrml' in sys.modules, 'yaml' in sys.modules); "
            "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code], cwd=built, capture_output=True,
                          text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    # Nor PyYAML: the settings come from the memo the last build kept (sources.py).
    assert done.stdout.strip().splitlines()[-1] == "False False False", done.stdout
    assert "up to date" in done.stdout


def test_an_edited_setting_is_read_again_though_a_memo_is_kept(built: Path) -> None:
    assert (built / "build" / ".folio-settings.json").is_file()
    edit(built / "content" / "mini" / "edition.yaml", "title: ", "title: Renamed ")
    assert build_all(built)["mini"] == sorted(ALL)
    assert "Renamed " in (built / "build" / "mini" / "index.html").read_text()
    assert "Renamed " in (built / "build" / "index.html").read_text()  # the archive too


def test_failed_format_keeps_its_last_good_output_and_the_others_build(built: Path) -> None:
    theme = built / "templates" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    build_all(built, force=True)
    before = stamps(built)
    edit(theme / "web" / "page.html", "{{ title|breakable }}</h1>", "{{ title.nope }}</h1>")
    edit(built / "content" / "mini" / "06-join.md", "Members shape", "All members shape")
    results = {r.edition: r for r in build(["mini"], content=built / "content",
                                           out=built / "build", jobs=1)}
    assert sorted(results["mini"].built) == ["email", "pdf"]
    [problem] = results["mini"].problems
    assert str(problem.path).endswith("web/page.html") and problem.line
    assert stamps(built)["mini/index.html"] == before["mini/index.html"]


def test_outputs_are_readable_by_others(built: Path) -> None:
    page = built / "build" / "mini" / "index.html"
    assert page.stat().st_mode & 0o044 == 0o044  # group and others may read what is published


def test_keep_html_writes_print_html_even_when_the_pdf_is_up_to_date(built: Path) -> None:
    kept = built / "build" / "mini" / "print.html"
    assert not kept.exists()
    assert build_all(built, keep_html=True) == {"mini": ["pdf"], "other": ["pdf"]}
    assert kept.is_file()
    edit(built / "content" / "mini" / "06-join.md", "Members shape", "Our members shape")
    build_all(built)
    assert not kept.exists()  # a print.html that no longer matches the PDF is not left behind


def test_parallel_workers_write_the_same_outputs(built: Path, tmp_path: Path) -> None:
    serial = stamps(built)
    results = list(build(content=built / "content", out=tmp_path / "parallel", jobs=2))
    assert [r.edition for r in results] == ["mini", "other", ARCHIVE]
    assert all(r.ok and sorted(r.built) == sorted(ALL) for r in results[:2])
    assert results[2].ok and results[2].built
    parallel = {str(p.relative_to(tmp_path / "parallel")): p.read_bytes()
                for p in sorted((tmp_path / "parallel").rglob("*"))
                if p.is_file() and not p.name.startswith(".")}
    assert parallel == {name: data for name, (_mtime, data) in serial.items()}


def test_default_jobs_follow_the_work() -> None:
    import os

    from folio.build import default_jobs

    cores = len(os.sched_getaffinity(0))
    assert default_jobs(0) == 1
    assert default_jobs(1) == 1
    assert default_jobs(2 * cores - 1) == 1  # too few to pay for the workers' start
    assert default_jobs(2 * cores) == (cores if cores > 1 else 1)
    assert default_jobs(50) == cores


def test_command_line_writes_web_and_email_while_the_pdf_is_laid_out(built: Path) -> None:
    """With the PDF helper, the web page and the email are on disk before the PDF."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "generate.py"), "build", "--force"],
                          cwd=built, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = [line.split()[1] for line in done.stdout.splitlines() if "built in" in line]
    # Each edition's web page and email before its PDF; the archive after the editions.
    assert lines == ["web", "email", "pdf", "web", "email", "pdf", "site"]
    folder = built / "build" / "mini"
    pdf = (folder / "mini.pdf").stat().st_mtime_ns
    assert (folder / "index.html").stat().st_mtime_ns <= pdf
    assert (folder / "email.html").stat().st_mtime_ns <= pdf


def test_a_picture_no_longer_used_leaves_the_build_folder(project: Path) -> None:
    edition = project / "content" / "mini" / "edition.yaml"  # a newsletter: no theme artwork
    edition.write_text(edition.read_text().replace("kind: annual-review", "kind: newsletter"))
    build_all(project, formats=["web", "email"])
    out = project / "build" / "mini"
    pictures = {p.relative_to(out) for p in out.rglob("*.png")}
    assert any(p.parts[0] == "email-images" for p in pictures), pictures
    assert Path("images/pic.png") in pictures
    (out / "notes.txt").write_text("mine")  # a file Folio did not write
    (out / "images" / "mine.png").write_bytes(b"not Folio's")
    section = project / "content" / "mini" / "04-picture.md"
    section.write_text(section.read_text().replace("layout: image", "layout: text")
                       .replace("image: images/pic.png\n", ""))
    build_all(project, formats=["web", "email"])
    assert not (out / "images" / "pic.png").exists()
    assert not (out / "email-images").exists()  # emptied by the removal: gone too
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "images" / "mine.png").read_bytes() == b"not Folio's"
    assert (out / "index.html").is_file() and (out / "email.html").is_file()


def test_locks_stay_out_of_the_published_folders(project: Path) -> None:
    build_all(project, formats=["web"])
    assert not list((project / "build").rglob(".folio.lock"))
    assert sorted(p.name for p in (project / "build" / "mini").iterdir()
                  if p.name.startswith(".")) == []
    assert (project / "build" / ".folio-locks" / "mini.lock").is_file()


@pytest.mark.slow
def test_command_line_workers_share_the_imports_and_write_the_same_outputs(
        built: Path, tmp_path: Path) -> None:
    """`build --jobs 2` imports WeasyPrint before forking its workers (`_share_imports`):
    each worker still checks its PDF against its standard in place, and every file is the
    one a serial build writes, the PDFs' claims included."""
    import subprocess
    import sys

    serial = stamps(built)
    shutil.rmtree(built / "build")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "generate.py"), "build", "--jobs", "2"],
                          cwd=built, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "does not meet" not in done.stdout + done.stderr
    assert {name: data for name, (_mtime, data) in stamps(built).items()} == {
        name: data for name, (_mtime, data) in serial.items()}


def test_results_come_in_order_and_the_idle_call_comes_once_a_worker_is_free() -> None:
    """`_in_order` yields as `map` does, and calls `when_idle` while the last task still
    runs: here the first task waits until that call, so a late call fails the test."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from folio.build import Result, _in_order

    freed = threading.Event()
    calls: list[int] = []

    def slow() -> Result:
        assert freed.wait(timeout=30), "when_idle was not called while a task still ran"
        return Result("slow")

    tasks = [slow, lambda: Result("a"), lambda: Result("b")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        yielded: list[str] = []

        def when_idle() -> None:
            calls.append(len(yielded))
            freed.set()

        for result in _in_order(pool, tasks, 2, when_idle):
            yielded.append(result.edition)
    assert yielded == ["slow", "a", "b"]
    assert calls == [0]  # once, before the first (slowest) result was handed on


def test_a_forced_parallel_build_renders_the_archive_once(built: Path, monkeypatch) -> None:
    """The archive drafted while the last edition is built is the one written (not
    rendered a second time after it), and it is the archive a serial build writes."""
    import folio.archive

    before = {name: data for name, (_mtime, data) in stamps(built).items()}
    real = folio.archive.render_site
    rendered: list[int] = []
    monkeypatch.setattr(folio.archive, "render_site",
                        lambda *args: rendered.append(1) or real(*args))
    results = list(build(content=built / "content", out=built / "build", jobs=2, force=True))
    assert all(r.ok for r in results) and results[-1].edition == ARCHIVE
    assert results[-1].built and rendered == [1]
    assert {name: data for name, (_mtime, data) in stamps(built).items()} == before


def test_an_archive_drafted_from_other_inputs_is_rendered_again(built: Path,
                                                                monkeypatch) -> None:
    import folio.archive
    from folio.build import archive_key, build_archive, draft_archive

    content, out = built / "content", built / "build"
    index = (out / "index.html").read_bytes()
    stale = draft_archive(content, out, "the key of an older state")
    stale.files = {"index.html": b"drafted from an older state"}
    real = folio.archive.render_site
    rendered: list[int] = []
    monkeypatch.setattr(folio.archive, "render_site",
                        lambda *args: rendered.append(1) or real(*args))
    assert build_archive(content, out, force=True, draft=stale).ok
    assert rendered == [1] and (out / "index.html").read_bytes() == index
    fresh = draft_archive(content, out, archive_key(content, out))
    assert build_archive(content, out, force=True, draft=fresh).ok
    assert rendered == [1, 1]  # the fresh draft's own rendering: nothing more
