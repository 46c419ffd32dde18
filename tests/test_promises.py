"""Promises of the build that nothing else pins down: atomic writes, the build lock,
incremental keys, parallel jobs, and the sources a build starts from."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from folio.build import ARCHIVE, build, build_edition, output_keys
from folio.errors import FolioError
from folio.outputs import write_atomic
from folio.sources import BUILTIN_THEMES, find_editions, theme_chain, yaml_settings
from tests.conftest import ROOT

ALL = ["web", "pdf", "email"]



def editions(results) -> list:
    """Return the results of the editions, without the archive's."""
    return [r for r in results if r.edition != ARCHIVE]

def run_python(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run Python code in a fresh process that imports this worktree's Folio."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})


@contextmanager
def holding_lock(out: Path, name: str) -> Iterator[None]:
    """Hold the lock `name` under the output folder `out`, as another build would."""
    from folio.outputs import locked

    with locked(out, name):
        yield


def until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


# --- 1. atomic writes and the build lock ------------------------------------------------


# The file size limit makes the write fail half-way, as a full disk would.
FAILING_WRITE = """
import resource, signal, sys
from pathlib import Path
from folio.outputs import write_atomic, write_files
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
target = Path(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    WRITE
except OSError as exc:
    print("failed:", exc.errno)
"""


@pytest.mark.parametrize("write", ["write_atomic(target, b'new ' * 5000)",
                                   "write_files(target.parent, {target.name: b'new ' * 5000})"])
def test_a_write_that_fails_half_way_leaves_the_old_file(tmp_path: Path, write: str) -> None:
    target = tmp_path / "index.html"
    target.write_bytes(b"the last good page\n")
    code = FAILING_WRITE.replace("WRITE", write).replace("sys.argv[1]", repr(str(target)))
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("failed: 27")  # EFBIG: the write really failed midway
    assert target.read_bytes() == b"the last good page\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]  # no temporary left


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.html"
    target.write_bytes(b"old")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def waiting_for_lock(thread: threading.Thread) -> bool:
    """Return True when a thread is inside `folio.outputs.locked`, waiting for a lock."""
    frame = sys._current_frames().get(thread.ident or 0)
    return frame is not None and frame.f_code.co_name == "locked"


def test_a_build_waits_for_the_lock_of_its_edition(project: Path) -> None:
    out = project / "build"
    build_edition(project / "content" / "mini", out, ["web"])  # imports done: builds are quick
    page = out / "mini" / "index.html"
    before = page.stat().st_mtime_ns
    section = project / "content" / "mini" / "06-join.md"
    section.write_text(section.read_text().replace("Members shape", "Members steer"))
    finished = threading.Event()

    def run() -> None:
        build_edition(project / "content" / "mini", out, ["web"])
        finished.set()

    with holding_lock(out, "mini"):
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        time.sleep(1.0)
        assert waiting_for_lock(worker) and not finished.is_set(), "the build did not wait"
        assert page.stat().st_mtime_ns == before
    worker.join(60)
    assert finished.is_set() and "Members steer" in page.read_text()


def test_the_manifest_is_written_under_its_own_lock(project: Path) -> None:
    out = project / "build"
    finished = threading.Event()

    def run() -> None:
        build_edition(project / "content" / "mini", out, ["web"])
        finished.set()

    with holding_lock(out, "manifest"):
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        until(lambda: (out / "mini" / "index.html").is_file())
        time.sleep(0.5)
        assert not finished.is_set() and not (out / ".folio-manifest.json").exists()
    worker.join(60)
    assert finished.is_set() and (out / ".folio-manifest.json").is_file()


# --- 2. incremental keys ------------------------------------------------------------------


def keys(project: Path, edition: str = "mini") -> dict[str, str]:
    return output_keys(project / "content" / edition, ALL, project)


def test_folio_code_is_in_every_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import folio.build

    before = keys(project)
    monkeypatch.setattr(folio.build, "code_version", lambda: "another version of Folio")
    after = keys(project)
    assert all(before[fmt] != after[fmt] for fmt in ALL)


def test_an_edit_to_folio_changes_its_code_version(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "folio", copy / "folio",
                    ignore=shutil.ignore_patterns("__pycache__"))
    code = "from folio.build import code_version; print(code_version())"

    def version() -> str:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(copy)},
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    first = version()
    with (copy / "folio" / "formats" / "email" / "links.py").open("a") as handle:
        handle.write("# a change deep inside the package\n")
    assert version() != first


def brand_theme(project: Path, **settings: object) -> Path:
    """Write a project theme `brand` (no templates of its own) and make mini use it."""
    theme = project / "templates" / "brand"
    theme.mkdir(parents=True)
    base = yaml.safe_load((BUILTIN_THEMES / "default" / "theme.yaml").read_text())
    base.update(name="brand", **settings)
    (theme / "theme.yaml").write_text(yaml.safe_dump(base))
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text() + "theme: brand\n")
    return theme


def test_theme_assets_are_in_the_keys(project: Path) -> None:
    from PIL import Image

    theme = brand_theme(project, logo="logo.png")
    (theme / "assets").mkdir()
    Image.new("RGB", (40, 20), (10, 90, 140)).save(theme / "assets" / "logo.png")
    [first] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert first.built and first.ok
    Image.new("RGB", (40, 20), (200, 30, 30)).save(theme / "assets" / "logo.png")
    [second] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert list(second.built) == ["web"], "a new logo did not rebuild the web page"
    assert (project / "build" / "mini" / "assets" / "logo.png").read_bytes() == \
        (theme / "assets" / "logo.png").read_bytes()


def test_a_theme_without_extends_depends_on_the_default_theme(project: Path) -> None:
    theme = brand_theme(project)
    assert theme_chain("brand", project) == [theme, BUILTIN_THEMES / "default"]
    shutil.copytree(BUILTIN_THEMES / "default", project / "templates" / "default")
    before = keys(project)
    page = project / "templates" / "default" / "web" / "page.html"
    page.write_text(page.read_text().replace("In this edition", "Inside"))
    after = keys(project)
    assert before["web"] != after["web"]
    assert (before["pdf"], before["email"]) == (after["pdf"], after["email"])


# --- 3. parallel jobs -------------------------------------------------------------------


def two_editions(project: Path) -> None:
    shutil.copytree(project / "content" / "mini", project / "content" / "other")


def test_jobs_build_editions_side_by_side(project: Path) -> None:
    """With two jobs, `other` is built while `mini` waits for its lock; with one, it waits."""
    two_editions(project)
    out = project / "build"
    for jobs, side_by_side in ((1, False), (2, True)):
        shutil.rmtree(out, ignore_errors=True)
        results: list = []
        worker = threading.Thread(target=lambda j=jobs, r=results: r.extend(editions(build(
            content=project / "content", out=out, formats=["web"], jobs=j))), daemon=True)
        with holding_lock(out, "mini"):
            worker.start()
            if side_by_side:
                until(lambda: (out / "other" / "index.html").is_file())
            else:
                time.sleep(1.5)
                assert not (out / "other" / "index.html").exists()
        worker.join(120)
        assert [r.edition for r in results] == ["mini", "other"]
        assert all(r.ok and list(r.built) == ["web"] for r in results)


def test_command_line_jobs_option_runs_workers(project: Path) -> None:
    two_editions(project)
    out = project / "build"
    command = [sys.executable, str(ROOT / "generate.py"), "build", "--format", "web",
               "--jobs", "2"]
    with holding_lock(out, "mini"):
        process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        until(lambda: (out / "other" / "index.html").is_file())
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert (out / "mini" / "index.html").is_file()


def test_a_bare_build_of_several_stale_editions_uses_workers(project: Path) -> None:
    """`python generate.py` with no --jobs picks workers from the cores (default_jobs)."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the default is one job")
    two_editions(project)
    for index in range(2 * len(os.sched_getaffinity(0)) - 2):  # enough to pay for workers
        shutil.copytree(project / "content" / "mini", project / "content" / f"more-{index}")
    out = project / "build"
    with holding_lock(out, "mini"):
        process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "build",
                                    "--format", "web"], cwd=project, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        until(lambda: (out / "other" / "index.html").is_file())
    assert process.wait(120) == 0


# --- 8. sources ---------------------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\ntitle: Bomb\n"


@pytest.mark.parametrize("libyaml", [True, False])
def test_an_alias_bomb_is_refused_while_computing_keys(
        project: Path, monkeypatch: pytest.MonkeyPatch, libyaml: bool) -> None:
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(alias_bomb(5))
    assert yaml_settings(config) == {}
    started = time.perf_counter()
    keys(project)
    assert time.perf_counter() - started < 5
    [result] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert not result.ok and "aliases" in str(result.problems[0])


def test_an_empty_edition_yaml_is_a_clear_problem(project: Path) -> None:
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text("")
    assert yaml_settings(config) == {}
    [result] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert not result.ok
    assert all("unexpectedly" not in p.message for p in result.problems)
    assert any(Path(p.path).name == "edition.yaml" for p in result.problems)


def test_themes_extending_each_other_in_a_loop(project: Path) -> None:
    for name, parent in (("one", "two"), ("two", "one")):
        folder = project / "templates" / name
        folder.mkdir(parents=True)
        base = yaml.safe_load((BUILTIN_THEMES / "default" / "theme.yaml").read_text())
        base.update(name=name, extends=parent)
        (folder / "theme.yaml").write_text(yaml.safe_dump(base))
    reads: list[Path] = []

    def counting(path: Path) -> dict:
        reads.append(path)
        assert len(reads) < 20, "the theme chain never ends"
        return yaml_settings(path)

    assert theme_chain("one", project, counting) == [project / "templates" / "one",
                                                      project / "templates" / "two"]
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text() + "theme: one\n")
    [result] = editions(build(content=project / "content", out=project / "build", formats=["web"]))
    assert [p.message for p in result.problems] == ["themes extend each other in a loop"]


def test_only_folders_with_an_edition_yaml_are_editions(project: Path) -> None:
    content = project / "content"
    (content / "drafts").mkdir()
    (content / "drafts" / "notes.md").write_text("# notes\n")
    (content / "README.txt").write_text("editions live here\n")
    (content / "odd" / "edition.yaml").mkdir(parents=True)  # a folder, not a file
    stray = content / ".mini-k2j4"  # left by an import that was killed half-way
    shutil.copytree(content / "mini", stray)
    assert find_editions(content) == [content / "mini"]
    built = editions(build(content=content, out=project / "build", formats=["web"]))
    assert [r.edition for r in built] == ["mini"]


def test_editions_come_in_name_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    names = ["2025-spring", "2023-autumn", "zebra", "2024-summer", "alpha", "2025-autumn",
             "beta", "2019-winter"]
    for name in names:
        (content / name).mkdir(parents=True)
        (content / name / "edition.yaml").write_text("title: x\n")
    assert [p.name for p in find_editions(content)] == sorted(names)


def test_a_missing_content_folder(tmp_path: Path) -> None:
    assert find_editions(tmp_path / "content") == []
    with pytest.raises(FolioError,
                       match=r"no editions found in .*content.*(generate.py|folio) new"):
        list(build(content=tmp_path / "content", out=tmp_path / "build"))
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "build"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    assert "no editions found in content" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_edition_name_lists_the_known_ones(project: Path) -> None:
    with pytest.raises(FolioError, match=r"no edition 'nope'.*editions: mini"):
        list(build(["nope"], content=project / "content", out=project / "build"))
