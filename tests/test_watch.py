"""`watch` end to end: a real server on loopback, real edits, live reload, errors shown."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.fixture
def watching(project: Path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "watch", "content/mini/", "--port", str(port),
         "--no-pdf"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = ""
    while "serving" not in line:
        line = process.stdout.readline()
        assert line or process.poll() is None, "watch stopped"
    assert f"serving http://127.0.0.1:{port}/mini/" in line
    yield project, port, process
    if process.poll() is None:  # stop it as a user would, so that its coverage is saved
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


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
    section = project / "content" / "mini" / "01-introduction.md"
    section.write_text(section.read_text().replace("Welcome", "Hello"))
    lines = []
    while b"event: reload\n" not in lines:
        lines.append(response.fp.readline())
        assert len(lines) < 50
    connection.close()


def test_serves_only_build_and_stops_cleanly(watching) -> None:
    project, port, process = watching
    (project / "secret.txt").write_text("do not serve")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/mini/../../secret.txt",
                 "/..%2fsecret.txt", "/.folio-manifest.json"):
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
    connection.close()
