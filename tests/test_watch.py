"""`watch` end to end: a real server on loopback, real edits, live reload, errors shown."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from folio.sources import BUILTIN_THEMES
from folio.watch import affected, inject
from tests.conftest import FIXTURES, generate

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response.status, body


def until(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def start_watch(project: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """Start `generate.py watch ARGS` in `project`; return it and its "serving" line."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "watch", *args], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = ""
    while "serving" not in line:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line or process.poll() is None, "watch stopped"
    return process, line


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a watch as a user would (Ctrl-C), so that its coverage is saved; return its output."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


@pytest.fixture
def watching(project: Path):
    port = free_port()
    process, line = start_watch(project, "content/mini/", "--port", str(port), "--no-pdf")
    assert f"serving http://127.0.0.1:{port}/mini/" in line
    yield project, port, process
    stop(process)


def test_edit_break_and_fix(watching) -> None:
    project, port, _ = watching
    status, page = get(port, "/mini/")
    assert status == 200 and "Members shape the work." in page
    assert "EventSource" in page  # live reload is injected when served...
    on_disk = (project / "build" / "mini" / "index.html").read_text()
    assert "EventSource" not in on_disk  # ...never written to build/
    status, email = get(port, "/mini/email.html")
    assert status == 200 and 'src="email-images/pic.png"' in email  # the preview shows local
    assert "https://example.org/mini/email-images/pic.png" in (  # copies; the file keeps
        project / "build" / "mini" / "email.html").read_text()  # the hosted addresses

    section = project / "content" / "mini" / "06-join.md"
    section.write_text(section.read_text().replace("Members shape", "Members steer"))
    until(lambda: "Members steer the work." in get(port, "/mini/")[1])

    config = project / "content" / "mini" / "edition.yaml"
    good = config.read_text()
    config.write_text(good.replace("subtitle: A small edition for tests", "subtitle: [broken"))
    def broken_page() -> str | None:
        page = get(port, "/mini/")[1]
        return page if "cannot be read" in page else None

    page = until(broken_page)
    assert "content/mini/edition.yaml, line" in page  # the error, shown over the page...
    assert "Members steer the work." in page  # ...which is the last good one

    config.write_text(good)
    until(lambda: "cannot be read" not in get(port, "/mini/")[1])


def test_live_reload_notifies_a_connected_client(watching) -> None:
    project, port, _ = watching
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/__folio/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b": connected\n"
    gone = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a tab closed at once
    gone.request("GET", "/__folio/events")
    assert gone.getresponse().fp.readline() == b": connected\n"
    gone.close()
    section = project / "content" / "mini" / "01-introduction.md"
    section.write_text(section.read_text().replace("Welcome", "Hello"))
    lines = []
    while b"event: reload\n" not in lines:
        lines.append(response.fp.readline())
        assert len(lines) < 50
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text().replace("subtitle: A small", "subtitle: [broken"))
    while b"event: failed\n" not in lines:  # a bad save: the message, not a reload
        lines.append(response.fp.readline())
        assert b"event: reload\n" not in lines[-1:] and len(lines) < 50
    message = json.loads(response.fp.readline().decode().removeprefix("data: "))
    assert message.startswith("content/mini/edition.yaml, line 2") and "cannot be read" in message
    connection.close()
    assert get(port, "/mini/")[0] == 200  # the closed tab took nothing down with it


def test_serves_only_build_and_stops_cleanly(watching) -> None:
    project, port, process = watching
    (project / "secret.txt").write_text("do not serve")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/mini/../../secret.txt",
                 "/..%2fsecret.txt", "/.folio-manifest.json", "/mini/%00index.html",
                 "/mini/%ff.html", "/" + "x" * 300, "/mini/nothing.html"):
        status, body = get(port, path)
        assert status == 404 and "do not serve" not in body, path
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=30)[0]
    assert process.returncode == 0
    assert "stopped watching" in output and "Traceback" not in output
    assert "warning" not in output.lower()  # Ctrl-C is how watch stops: nothing to warn of


def test_head_and_text_charset(watching) -> None:
    _, port, _ = watching
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/mini/email.txt")
    got = connection.getresponse()
    body = got.read()
    assert got.status == 200 and got.getheader("Content-Type") == "text/plain; charset=utf-8"
    connection.request("HEAD", "/mini/email.txt")
    head = connection.getresponse()
    assert head.status == 200 and head.read() == b""
    assert head.getheader("Content-Length") == str(len(body))
    connection.request("GET", "/mini/email-images/pic.png")
    picture = connection.getresponse()
    assert picture.getheader("Content-Type") == "image/png"  # no charset on a picture
    assert picture.read().startswith(b"\x89PNG")
    connection.request("GET", "/mini")
    moved = connection.getresponse()
    moved.read()
    assert moved.status == 301 and moved.getheader("Location") == "/mini/"
    connection.close()


def test_started_on_a_broken_edition_shows_why_then_builds_on_the_fix(project: Path) -> None:
    config = project / "content" / "mini" / "edition.yaml"
    good = config.read_text()
    config.write_text(good.replace("subtitle: A small edition for tests", "subtitle: [broken"))
    port = free_port()
    process, line = start_watch(project, "--port", str(port))  # every edition, the PDF too
    try:
        assert f"serving http://127.0.0.1:{port}/ " in line
        assert get(port, "/mini/")[0] == 404  # nothing was ever built
        status, page = get(port, "/")  # Folio's own list, with the error over it
        assert status == 200 and "<h1>Folio preview</h1>" in page
        assert "content/mini/edition.yaml, line 2" in page and "cannot be read" in page
        config.write_text(good)
        until(lambda: "Members shape the work." in get(port, "/mini/")[1])
        until(lambda: "cannot be read" not in get(port, "/mini/")[1])  # the error is gone
        until(lambda: (project / "build" / "mini" / "mini.pdf").is_file())  # after the page
        assert "Mini Review" in get(port, "/")[1]  # the archive, now built, is the front page
    finally:
        output = stop(process)
    assert "Traceback" not in output


def test_a_theme_change_rebuilds_every_edition(project: Path) -> None:
    shutil.copytree(FIXTURES / "content" / "draft-newsletter",
                    project / "content" / "draft-newsletter")
    theme = project / "templates" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    port = free_port()
    process, _ = start_watch(project, "--port", str(port), "--no-pdf")
    try:
        email = get(port, "/draft-newsletter/email.html")[1]  # no asset_base_url: as built
        assert email.split("<script>/* injected")[0] in (
            project / "build" / "draft-newsletter" / "email.html").read_text()
        notes = project / "content" / "notes.txt"  # beside the editions: no rebuild
        notes.write_text("ideas for next year\n")
        page = theme / "web" / "page.html"
        page.write_text(page.read_text().replace("{{ title|breakable }}</h1>",
                                                 "{{ title }} (draft)</h1>"))
        until(lambda: "Mini Review (draft)</h1>" in get(port, "/mini/")[1])
        until(lambda: "(draft)</h1>" in get(port, "/draft-newsletter/")[1])
    finally:
        output = stop(process)
    assert "Traceback" not in output


def test_nothing_to_watch(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    done = generate(tmp_path, "watch", "--port", "0", timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no edition to watch in content/; create one with" in done.stderr


def test_a_port_in_use_is_refused_with_the_fix(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = generate(project, "watch", "mini", "--port", str(port), timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (f"error: cannot listen on 127.0.0.1:{port} (Address already in use); "
            "choose another port with --port") in done.stderr


def test_changes_reach_the_editions_they_touch(project: Path) -> None:
    content = project / "content"
    editions = [content / "mini", content / "other"]
    assert affected([content / "mini" / "01-introduction.md"], content, editions) == [
        editions[0]]
    assert affected([content / "notes.txt"], content, editions) == []
    assert affected([project / "templates" / "default" / "web" / "page.html"], content,
                    editions) == editions
    assert affected([], content, editions) == []


def test_reload_script_goes_before_the_end_of_the_body_or_at_the_end() -> None:
    page = inject(b"<html><body><p>x</p></body></html>", "content/a.md, line 1: </script>")
    assert page.startswith(b"<html><body><p>x</p><script>")
    assert page.endswith(b"</script></body></html>")
    assert b"line 1: <\\/script>" in page  # the message cannot close the script early
    bare = inject(b"<p>a theme page without an end tag", None)
    assert bare.startswith(b"<p>a theme page without an end tag<script>")
    assert bare.endswith(b"</script>") and b"var initial = null;" in bare
