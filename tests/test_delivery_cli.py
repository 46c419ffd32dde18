"""`folio send EDITION --merge` as a person runs it, killed with SIGKILL in the middle and run
again: every deliverable row gets its message, at most the one in flight twice."""

from __future__ import annotations

import email
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import ROOT, generate
from tests.test_delivery import LATER, REFUSED, Relay, merge_outputs
from tests.test_send import free_port


def states(project: Path) -> Counter:
    with sqlite3.connect(project / "build" / "mini" / "merge" / "outbox.sqlite") as db:
        return Counter(state for (state,) in db.execute("SELECT state FROM messages"))


@pytest.mark.slow
@pytest.mark.parametrize("early", [False, True], ids=["kept-after-reply", "kept-before-reply"])
def test_kill_9_in_the_middle_then_a_rerun_delivers_the_rest(project: Path, early: bool) -> None:
    handler = Relay(delay=0.25, early=early)  # slow: the kill lands while a message is out
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    rows = {f"{n:04}": f"donor{n}@example.org" for n in range(12)}
    rows |= {"0003": REFUSED, "0006": LATER}
    deliverable = [a for a in rows.values() if a != REFUSED]
    merge_outputs(project, rows)
    command = [sys.executable, str(ROOT / "generate.py"), "send", "mini", "--merge",
               "--smtp", f"127.0.0.1:{controller.port}", "--attach-pdf"]
    try:
        running = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env={**os.environ,
                                                                "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 60
        while len(handler.envelopes) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)  # into the next message's DATA
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=30)
        assert running.returncode == -signal.SIGKILL
        halfway = sum(handler.received().values())
        assert 5 <= halfway < len(deliverable), "the kill landed mid-run"
        time.sleep(0.5)  # let the server finish the message it was reading
        left = states(project)
        assert left["sending"] <= 1 and left["queued"] >= 1

        again = generate(project, "send", "mini", "--merge", "--smtp",
                         f"127.0.0.1:{controller.port}", "--attach-pdf")
        assert again.returncode == 1, again.stderr  # the refused row failed
        received = handler.received()
        assert set(received) == set(deliverable)  # every deliverable row, no other
        repeated = sum(received.values()) - len(deliverable)
        assert repeated <= left["sending"]  # at most the message in flight, once more
        if early:  # the server had it when the client died: it arrives twice, as one
            assert repeated == 1
            [twice] = [a for a, n in received.items() if n == 2]
            ids = {email.message_from_bytes(e.content)["Message-ID"]
                   for e in handler.envelopes if e.rcpt_tos == [twice]}
            assert len(ids) == 1
        assert again.stdout.splitlines()[-1].startswith("sent ")
        assert states(project) == Counter(sent=len(deliverable), failed=1)

        final = generate(project, "send", "mini", "--merge", "--smtp",
                         f"127.0.0.1:{controller.port}")
        assert final.stdout.startswith("nothing to send: all 12 messages of mini went in "
                                       "earlier runs, but 1 failed (see --status)")
        assert handler.received() == received
    finally:
        controller.stop()

    status = generate(project, "send", "mini", "--merge", "--status")
    assert status.returncode == 0
    lines = status.stdout.splitlines()
    assert lines[0] == ("build/mini/merge/outbox.sqlite: 0 queued, 0 sending, 11 sent, "
                        "1 failed")
    assert lines[1].startswith("failed 0003 to gone@example.org: 550 5.1.1")


@pytest.mark.slow
def test_command_line_errors(project: Path) -> None:
    missing = generate(project, "send", "mini", "--merge", "--smtp", "127.0.0.1:9")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().splitlines() == [
        "error: there are no merged messages in build/mini/merge/; make them first with "
        "`python generate.py merge mini --data FILE`"]
    merge_outputs(project, {"0001": "ada@example.org", "0002": "nobody"}, pdfs=False)
    bad = generate(project, "send", "mini", "--merge", "--smtp", "127.0.0.1:9")
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: build/mini/merge/0002.eml: row 0002: 'nobody' is not "
                                 "an email address; correct row 0002 in the data file")
    assert len(bad.stderr.strip().splitlines()) == 1
    merge_outputs(project, {"0002": "grace@example.org"}, pdfs=False)
    port = free_port()  # nothing listens there
    unreachable = generate(project, "send", "mini", "--merge", "--smtp", f"127.0.0.1:{port}")
    assert unreachable.returncode == 1 and unreachable.stdout == ""
    assert unreachable.stderr.strip().splitlines() == [
        f"error: could not connect to the mail server at 127.0.0.1:{port}: connection refused; "
        "check --smtp HOST:PORT and that the server is running"]
    assert not (project / "build" / "mini" / "merge" / "outbox.sqlite").exists()
    for arguments, said in ((["--to", "a@example.org", "--rate", "5/s"], "--rate goes with "
                             "--merge"),
                            (["--merge", "--rate", "fast"], "--rate 'fast' is not a rate")):
        done = generate(project, "send", "mini", *arguments)
        assert done.returncode == 1 and said in done.stderr, done.stderr
    neither = generate(project, "send", "mini")
    assert neither.returncode == 1 and "one of the arguments --to --merge" in neither.stderr


def test_dry_run_and_status_before_any_send(project: Path) -> None:
    merge_outputs(project, {"0001": "ada@example.org"})
    done = generate(project, "send", "mini", "--merge", "--dry-run", "--attach-pdf")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("would send 0001 to ada@example.org (")
    status = generate(project, "send", "mini", "--merge", "--status")
    assert status.stdout.strip() == ("build/mini/merge/outbox.sqlite does not exist yet: "
                                     "nothing of mini has been sent")
    assert not (project / "build" / "mini" / "merge" / "outbox.sqlite").exists()


def test_the_password_is_asked_for_in_a_terminal(project: Path) -> None:
    """With no FOLIO_SMTP_PASSWORD, a run in a terminal asks, without echo, and logs in."""
    import pty

    from aiosmtpd.smtp import AuthResult, LoginPassword

    password = "typed-at-the-prompt"

    def check(server, session, envelope, mechanism, data):
        return AuthResult(success=isinstance(data, LoginPassword)
                          and data.password == password.encode(), handled=False)

    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            authenticator=check, auth_require_tls=False)
    controller.start()
    merge_outputs(project, {"0001": "ada@example.org"}, pdfs=False)
    env = {k: v for k, v in os.environ.items() if k != "FOLIO_SMTP_PASSWORD"}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, str(ROOT / "generate.py"), "send", "mini", "--merge",
               "--smtp", f"127.0.0.1:{controller.port}", "--user", "editor"]
    try:
        pid, terminal = pty.fork()
        if pid == 0:  # the child: Folio, in a terminal of its own
            os.chdir(project)
            os.execve(sys.executable, command, env)
        shown = b""
        deadline = time.monotonic() + 60
        while b"SMTP password for editor at 127.0.0.1" not in shown:
            assert time.monotonic() < deadline, shown
            shown += os.read(terminal, 1024)
        os.write(terminal, password.encode() + b"\n")
        while True:
            try:
                chunk = os.read(terminal, 1024)
            except OSError:  # the child ended and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        _, status = os.waitpid(pid, 0)
    finally:
        controller.stop()
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert password.encode() not in shown  # not echoed, not printed
    assert b"sent 1, failed 0, left 0" in shown
    assert handler.received() == Counter(["ada@example.org"])
