"""Shared fixtures: sample projects in temporary folders, and no network for any test."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Group the tests for parallel runs; skip the Chromium tests on a machine without
    Debian's chromium, except in CI."""
    _group_by_file(items)
    if os.environ.get("MUTANT_UNDER_TEST"):
        _skip_other_processes(items)
    if shutil.which("chromium") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed "
                                   "(apt-get install chromium; .ci/run installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _group_by_file(items: list[pytest.Item]) -> None:
    """Keep each test file's tests on one pytest-xdist worker (`--dist loadgroup`).

    A file's module-scoped fixtures (editions built once, a server) are then made once,
    and what its tests share (a fixed port such as 465, a file they all write) is never
    used by two of them at once. Tests of several files that share one resource say so
    with `@pytest.mark.xdist_group("name")`, which this leaves as it is.
    """
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def _skip_other_processes(items: list[pytest.Item]) -> None:
    """Under mutmut, skip the tests that run Folio in another process: mutants live only in
    the process mutmut starts, so those tests would measure the unmutated code."""
    import inspect

    skip = pytest.mark.skip(reason="runs Folio in another process (mutation testing)")
    words = ("subprocess", "Popen", "generate.py")
    for item in items:
        functions = [getattr(item, "function", None)]
        fixtures = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        functions += [definition.func for defs in fixtures.values() for definition in defs]
        source = "".join(inspect.getsource(f) for f in functions if f is not None)
        module = getattr(item, "module", None)
        helpers = [name for name, value in vars(module).items() if inspect.isfunction(value)
                   and value.__module__ == module.__name__
                   and any(w in inspect.getsource(value) for w in words)] if module else []
        if any(w in source for w in words) or any(f"{h}(" in source for h in helpers):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any socket connection that is not to this machine's loopback address."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(address: object) -> bool:
        if isinstance(address, tuple) and address:
            return str(address[0]) in LOOPBACK
        return isinstance(address, (str, bytes))  # Unix sockets stay on the machine

    def connect(self: socket.socket, address: object) -> None:
        if not allowed(address):
            raise ConnectionRefusedError(f"tests may not reach the network: {address}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not allowed(address):
            raise ConnectionRefusedError(f"tests may not reach the network: {address}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the `mini` fixture edition in content/mini/."""
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / "content" / "mini")
    return tmp_path


NO_FONT = "\U000F0041\U000F0042"
"""Characters of Unicode's Supplementary Private Use Area-A, which no font on any machine
draws: a test of text no font has uses these, never a script such as Chinese, which a
machine with a fallback font (Debian's fonts-droid-fallback) draws."""


SAMPLES = ("february-2026", "fevrier-2026", "reflections-2025")
"""The sample editions shipped in content/; a user's own editions there are left alone."""


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A project folder with a copy of the shipped sample editions (and nothing else)."""
    for name in SAMPLES:
        shutil.copytree(ROOT / "content" / name, tmp_path / "content" / name)
    return tmp_path


@pytest.fixture
def mini(project: Path):
    """The `mini` fixture edition, loaded and rendered to HTML fragments, with its theme."""
    from folio.content import load_edition
    from folio.markup import render_sections
    from folio.theme import load_theme

    edition = render_sections(load_edition(project / "content" / "mini"))
    return edition, load_theme(edition.config.theme, project, edition.root)


def reported(where: str, done: subprocess.CompletedProcess[str]) -> bool:
    """Return whether a command reported a problem at `where` (`file, line N: message`).

    `build` prints `error: file, line N: message`; `check` reports the same problem as a
    finding, `file:N:column: error content: message`: either form counts.
    """
    text = done.stdout + done.stderr
    if where in text:
        return True
    numbered = re.match(r"(.*?), line (\d*):? ?(.*)$", where, re.S)
    if numbered:
        file, line, message = numbered.groups()
    else:
        file, _, message = where.partition(": ")
        line = ""
    at = f"{file}:{line}"
    return any(at in found and message.strip() in found for found in text.splitlines())


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
"""Debian's Chromium, headless, reaching for nothing on the network by itself."""


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's), driven by Playwright: one per test process
    (per pytest-xdist worker), each test opening its own pages."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def nu_checker(tmp_path_factory: pytest.TempPathFactory):
    """The W3C Nu HTML checker's `validate(paths) -> messages`: one JVM serving on loopback
    per test process (per pytest-xdist worker), ended with the session. Without Java or
    the checker the tests that use it are skipped, except in CI, where they fail."""
    from tests.nuchecker import NuChecker, missing

    if reason := missing():
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    checker = NuChecker(tmp_path_factory.mktemp("nu-checker") / "checker.log")
    try:
        yield checker.validate
    finally:
        checker.stop()


@pytest.fixture
def open_page(browser):
    """Open a built file in Chromium at a width (and options such as `color_scheme`), with
    every request but `file:` refused; the pages close after the test."""
    opened = []

    def open_(path: Path, width: int, **options):
        page = browser.new_page(viewport={"width": width, "height": 900}, **options)
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            "file:") else route.abort())
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready.then(() => document.fonts.status)")  # lines as set
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


def generate(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python generate.py ARGS` in `project` with this checkout's Folio, as a user would."""
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def watch_on_port_0(project: Path, merged: bool = False) -> tuple[subprocess.Popen[str], str]:
    """Start `watch mini --port 0 --no-pdf` in `project`; return it and its "serving" line.

    With `merged`, its standard error goes to its standard output."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "watch", "mini", "--port", "0", "--no-pdf"],
        cwd=project, stdout=subprocess.PIPE, text=True,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = ""
    while "serving" not in line:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if not line and process.poll() is not None:
            raise AssertionError("watch stopped")
    return process, line
