"""Delivering a merge: a real SMTP server (aiosmtpd) on 127.0.0.1 receives each row's message.

The merge's outputs are made here, with Folio's own message code (`build_message`) and
small real PDFs (pikepdf), so these tests do not need `folio merge`.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import sqlite3
from collections import Counter
from email.policy import default
from pathlib import Path

import pikepdf
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import folio.delivery
from folio.delivery import deliver, outbox_status, parse_rate
from folio.delivery.messages import encoded_size
from folio.errors import SendError
from folio.formats.email.message import PLACEHOLDER_TO, build_message
from folio.send import PASSWORD_VARIABLE
from tests.test_send import free_port
from tests.test_send_tls import certificate, trusted  # noqa: F401 (fixtures)

PASSWORD = "s3cret-relay-pass"
REFUSED = "gone@example.org"
"""The server refuses this address for good: 550."""
LATER = "busy@example.org"
"""The server answers this address 451 the first time, then takes it."""


def merge_outputs(project: Path, addresses: dict[str, str], pdfs: bool = True) -> Path:
    """Write build/mini/merge/<key>.eml (To: the row's address) and <key>.pdf, as merge does."""
    folder = project / "build" / "mini" / "merge"
    folder.mkdir(parents=True, exist_ok=True)
    for key, address in addresses.items():
        data = build_message(
            subject="Your 2025 donor statement", sender="Test Org <news@example.org>",
            reply_to=None, date=datetime.date(2025, 12, 1), language="en-GB",
            text=f"Dear donor {key},\n\nthank you.\n", html=f"<p>Dear donor {key},</p>",
            attachments=[], list_unsubscribe=f"https://example.org/unsubscribe/{key}")
        to = f"To: {address}".encode() if address else b"X-No-Address: yes"
        (folder / f"{key}.eml").write_bytes(
            data.replace(f"To: {PLACEHOLDER_TO}".encode(), to))
        if pdfs:
            with pikepdf.new() as pdf:
                pdf.add_blank_page()
                pdf.docinfo["/Title"] = f"Statement {key}"
                pdf.save(folder / f"{key}.pdf")
    return folder


ROWS = {"0001": "ada@example.org", "0002": REFUSED, "0003": LATER,
        "0004": "grace@example.org", "0005": "Alan Turing <alan@example.org>"}
DELIVERABLE = ["ada@example.org", LATER, "grace@example.org", "alan@example.org"]


class Relay:
    """A mail server's handler: refuses REFUSED (550), LATER once (451); keeps the rest."""

    def __init__(self, delay: float = 0.0, early: bool = False) -> None:
        self.envelopes: list = []
        self.ehlo = 0
        self.delay = delay
        """Seconds the server takes over each message before it answers."""
        self.early = early
        """Keep a message before the delay: a client killed then has sent it, unknowing."""
        self.deferred: set[str] = set()
        self.drop: set[str] = set()
        """Addresses whose first DATA closes the connection without an answer."""
        self.unstable: set[str] = set()
        """Addresses whose every DATA closes the connection."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlo += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == REFUSED:
            return "550 5.1.1 <gone@example.org>: no such mailbox"
        if address == LATER and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.7.1 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        [address] = envelope.rcpt_tos
        if address in self.drop or address in self.unstable:
            self.drop.discard(address)
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if self.early:  # keep the message before answering, as a real relay may
            self.envelopes.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.early:
            self.envelopes.append(envelope)
        return f"250 2.0.0 Ok: queued as {len(self.envelopes)}"

    def received(self) -> Counter:
        return Counter(a for e in self.envelopes for a in e.rcpt_tos)


@pytest.fixture
def relay():
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield f"127.0.0.1:{controller.port}", handler
    controller.stop()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait 0.05 s before a retry instead of a second: the same back-off, shorter."""
    monkeypatch.setattr(folio.delivery, "BACKOFF", 0.05)


def run(project: Path, smtp: str, **options) -> tuple[folio.delivery.Summary, list[str]]:
    said: list[str] = []
    summary = deliver("mini", content=project / "content", out=project / "build", smtp=smtp,
                      say=said.append, **options)
    return summary, said


def outbox(project: Path) -> dict[str, tuple]:
    path = project / "build" / "mini" / "merge" / "outbox.sqlite"
    with sqlite3.connect(path) as db:
        return {row[0]: row[1:] for row in db.execute(
            "SELECT key, state, message_id, reply, attempts FROM messages")}


def messages(handler: Relay) -> dict[str, email.message.EmailMessage]:
    return {e.rcpt_tos[0]: email.message_from_bytes(e.content, policy=default)
            for e in handler.envelopes}


def test_every_deliverable_row_gets_one_message_with_its_own_pdf(project, relay):
    address, handler = relay
    folder = merge_outputs(project, ROWS)
    summary, said = run(project, address, attach_pdf=True)

    assert handler.received() == Counter(DELIVERABLE)  # each once; the 550 one never
    assert (summary.sent, summary.failed, summary.left) == (4, 1, 0) and not summary.ok
    assert summary.line() == "sent 4, failed 1, left 0"
    assert "failed 0002 to gone@example.org: 550 5.1.1 <gone@example.org>: no such mailbox" \
        in said
    assert handler.ehlo == 1  # one connection carried every message

    states = outbox(project)
    assert {k: v[0] for k, v in states.items()} == {
        "0001": "sent", "0002": "failed", "0003": "sent", "0004": "sent", "0005": "sent"}
    assert states["0003"][3] == 2  # tried twice: 451, then taken
    assert states["0001"][2] == "250 2.0.0 Ok: queued as 1"
    received = messages(handler)
    for key, row in ROWS.items():
        if row == REFUSED:
            continue
        message = received[row.split("<")[-1].rstrip(">")]
        assert message["Message-ID"] == states[key][1]
        assert message["To"] == row
        assert message["From"] == "Test Org <news@example.org>"
        assert message["List-Unsubscribe"] == f"<https://example.org/unsubscribe/{key}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.get_content_type() == "multipart/mixed"
        assert f"Dear donor {key}" in message.get_body(("plain",)).get_content()
        assert f"Dear donor {key}" in message.get_body(("html",)).get_content()
        [attachment] = message.iter_attachments()
        assert attachment.get_filename() == "mini.pdf"
        assert attachment.get_content() == (folder / f"{key}.pdf").read_bytes()
        sent = email.utils.parsedate_to_datetime(message["Date"])
        assert abs(sent - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    assert len({m["Message-ID"] for m in received.values()}) == 4

    # --status: counts, then the failed row with the server's words.
    status = outbox_status("mini", content=project / "content", out=project / "build")
    assert status[0].endswith("outbox.sqlite: 0 queued, 0 sending, 4 sent, 1 failed")
    assert status[1:] == ["failed 0002 to gone@example.org: 550 5.1.1 <gone@example.org>: "
                          "no such mailbox"]

    # A rerun sends nothing and says so; the refused row is not tried again.
    again, said = run(project, address, attach_pdf=True)
    assert handler.received() == Counter(DELIVERABLE)
    assert said == ["nothing to send: all 5 messages of mini went in earlier runs, but 1 "
                    "failed (see --status)"]
    assert (again.sent, again.failed, again.failed_before) == (0, 0, 1)

    # Corrected in the data (a new .eml for the row), the failed row goes.
    merge_outputs(project, {"0002": "gina@example.org"})
    fixed, said = run(project, address, attach_pdf=True)
    assert (fixed.sent, fixed.failed, fixed.left) == (1, 0, 0) and fixed.ok
    assert handler.received()["gina@example.org"] == 1
    assert outbox(project)["0002"][1] == states["0002"][1]  # its Message-ID kept


def test_without_attachment_the_message_travels_as_merged(project, relay):
    address, handler = relay
    folder = merge_outputs(project, {"0001": "ada@example.org"}, pdfs=False)
    summary, _ = run(project, address)
    assert summary.ok
    [envelope] = handler.envelopes
    built = (folder / "0001.eml").read_bytes()
    assert envelope.content.split(b"\r\n\r\n", 1)[1] == built.split(b"\r\n\r\n", 1)[1]
    assert envelope.mail_from == "news@example.org"


def test_attach_pdf_in_edition_yaml(project, relay):
    address, handler = relay
    path = project / "content" / "mini" / "edition.yaml"
    settings = yaml.safe_load(path.read_text())
    settings["email"]["attach_pdf"] = True
    path.write_text(yaml.safe_dump(settings, sort_keys=False))
    folder = merge_outputs(project, {"0007": "ada@example.org"})
    run(project, address)
    [message] = messages(handler).values()
    [attachment] = message.iter_attachments()
    assert attachment.get_content() == (folder / "0007.pdf").read_bytes()


def test_a_retry_keeps_the_message_id(project, relay):
    address, handler = relay
    handler.drop.add("ada@example.org")  # the first try is cut off after the message
    merge_outputs(project, {"0001": "ada@example.org", "0002": "grace@example.org"})
    summary, _ = run(project, address)
    assert summary.ok and handler.received() == Counter(["ada@example.org",
                                                         "grace@example.org"])
    assert handler.ehlo == 2  # the connection was opened again
    [first] = [m for a, m in messages(handler).items() if a == "ada@example.org"]
    assert first["Message-ID"] == outbox(project)["0001"][1]


def test_a_temporary_refusal_that_lasts_fails_the_row_and_a_rerun_tries_again(
        project, relay, monkeypatch):
    address, handler = relay
    monkeypatch.setattr(folio.delivery, "RETRIES", 0)  # one try: the 451 stays
    merge_outputs(project, {"0003": LATER, "0004": "grace@example.org"})
    summary, said = run(project, address)
    assert (summary.sent, summary.failed) == (1, 1)
    assert any(line.startswith("failed 0003 to busy@example.org: 451 4.7.1 greylisted")
               for line in said)
    again, _ = run(project, address)  # temporary: tried again, and now taken
    assert (again.sent, again.failed) == (1, 0) and again.ok
    assert handler.received() == Counter([LATER, "grace@example.org"])


def test_rate_caps_messages_per_second(project, relay):
    address, _ = relay
    merge_outputs(project, {f"{n:04}": f"reader{n}@example.org" for n in range(5)},
                  pdfs=False)
    started = datetime.datetime.now()
    summary, _ = run(project, address, rate=parse_rate("10/s"))
    elapsed = (datetime.datetime.now() - started).total_seconds()
    assert summary.sent == 5 and elapsed >= 0.4  # 5 messages, 0.1 s apart at least


def test_rates():
    assert parse_rate("5/s") == 5 and parse_rate("120/min") == 2 and parse_rate("2") == 2
    assert parse_rate("3600/h") == 1
    for bad in ("fast", "0/s", "-1", "5/week"):
        with pytest.raises(SendError, match="is not a rate"):
            parse_rate(bad)


def test_dry_run_sends_and_writes_nothing(project, relay):
    address, handler = relay
    merge_outputs(project, ROWS)
    _, said = run(project, address, dry_run=True, attach_pdf=True)
    assert handler.envelopes == [] and handler.ehlo == 0
    assert not (project / "build" / "mini" / "merge" / "outbox.sqlite").exists()
    assert said[0].startswith("would send 0001 to ada@example.org (") and "PDF attached" in said[0]
    assert said[-1].startswith("dry run: 5 to send, 0 sent or failed before")
    run(project, address)
    before = outbox(project)
    _, said = run(project, address, dry_run=True)
    assert said == ["dry run: 0 to send, 5 sent or failed before; nothing was sent and the "
                    "outbox is unchanged"]
    assert outbox(project) == before


# --- bad input: one line each, nothing sent, the outbox unchanged ----------------------


def test_no_merge_outputs_says_to_run_merge(project, relay):
    with pytest.raises(SendError, match=r"no merged messages in .*mini/merge/; make them "
                       r"first with `\S+ merge mini --data FILE`"):
        run(project, relay[0])


@pytest.mark.parametrize(("address", "said"), [
    ("", "row 0002 has no address (the message has no To)"),
    ("not-an-address", "row 0002: 'not-an-address' is not an email address"),
    ("a@b@example.org, c@example.org", "is not an email address"),
])
def test_a_row_without_a_proper_address(project, relay, address, said):
    merge_outputs(project, {"0001": "ada@example.org", "0002": address})
    with pytest.raises(SendError) as failure:
        run(project, relay[0])
    [problem] = failure.value.problems
    assert said in str(problem) and "0002.eml" in str(problem)
    assert "run `" in problem.message and "\n" not in str(problem)
    assert relay[1].envelopes == []
    assert not (project / "build" / "mini" / "merge" / "outbox.sqlite").exists()


def test_a_message_from_the_placeholder_address_is_not_sent(project, relay):
    """An edition without `email.from` is sent from a placeholder: Folio does not send it."""
    folder = merge_outputs(project, {"0001": "ada@example.org"})
    path = folder / "0001.eml"
    path.write_bytes(path.read_bytes().replace(b"Test Org <news@example.org>",
                                               b"Test Org <newsletter@example.org>"))
    with pytest.raises(SendError, match=r"0001\.eml.*no From address of yours; set "
                       r"email\.from in edition\.yaml"):
        run(project, relay[0])
    assert relay[1].envelopes == []


def test_a_missing_pdf_and_a_message_too_large(project, relay):
    folder = merge_outputs(project, {"0001": "ada@example.org"})
    (folder / "0001.pdf").unlink()
    with pytest.raises(SendError, match=r"row 0001 has no PDF \(0001\.pdf\) to attach"):
        run(project, relay[0], attach_pdf=True)
    (folder / "0001.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 3_000_000)
    path = project / "content" / "mini" / "edition.yaml"
    path.write_text(path.read_text().replace("email:\n", "email:\n  max_size: 2 MB\n"))
    with pytest.raises(SendError, match=r"the message is 4.\d+ MB, more than the 2 MB"):
        run(project, relay[0], attach_pdf=True)
    assert relay[1].envelopes == []
    assert encoded_size(57) == 78 and encoded_size(3) == 6


def test_unreachable_server_and_refused_login_leave_the_outbox_unchanged(
        project, relay, monkeypatch):
    address, _ = relay
    merge_outputs(project, {"0001": "ada@example.org"})
    port = free_port()
    with pytest.raises(SendError, match=f"127.0.0.1:{port}: connection refused"):
        run(project, f"127.0.0.1:{port}")
    assert not (project / "build" / "mini" / "merge" / "outbox.sqlite").exists()

    def check(server, session, envelope, mechanism, data):
        return AuthResult(success=isinstance(data, LoginPassword)
                          and data.password == PASSWORD.encode(), handled=False)

    guarded = Controller(Relay(), hostname="127.0.0.1", port=free_port(),
                         authenticator=check, auth_require_tls=False)
    guarded.start()
    try:
        run(project, address)  # one sent: there is an outbox now
        merge_outputs(project, {"0002": "grace@example.org"})
        before = outbox(project)
        monkeypatch.setenv(PASSWORD_VARIABLE, "wrong")
        with pytest.raises(SendError) as failure:
            run(project, f"127.0.0.1:{guarded.port}", user="editor")
    finally:
        guarded.stop()
    assert "refused the user name or password for 'editor'" in str(failure.value)
    assert "wrong" not in str(failure.value)
    assert outbox(project) == before and "0002" not in before


def test_a_connection_lost_again_and_again_stops_the_run_and_a_rerun_sends_the_rest(
        project, relay):
    address, handler = relay
    handler.unstable.add("grace@example.org")
    merge_outputs(project, {"0001": "ada@example.org", "0002": "grace@example.org",
                            "0003": "alan@example.org"}, pdfs=False)
    with pytest.raises(SendError, match=r"connection to the mail server at 127.0.0.1:\d+ was "
                       r"lost 4 times in a row .* sent 1, failed 0, left 2: run the same "
                       "command again to send the rest"):
        run(project, address)
    assert outbox(project)["0002"][0] == "sending" and outbox(project)["0003"][0] == "queued"
    handler.unstable.clear()
    summary, said = run(project, address)
    assert said[0] == ("0002 to grace@example.org was being sent when the last run stopped: "
                       "sending it again with the same Message-ID")
    assert summary.ok and handler.received() == Counter(
        ["ada@example.org", "grace@example.org", "alan@example.org"])


def test_starttls_and_login(project, trusted, monkeypatch):  # noqa: F811
    """A server that takes mail only over TLS and after a login, as a relay on port 587."""
    class TlsRelay(Relay):
        def __init__(self) -> None:
            super().__init__()
            self.encrypted: list[bool] = []

        async def handle_DATA(self, server, session, envelope):
            self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
            return await super().handle_DATA(server, session, envelope)

    def check(server, session, envelope, mechanism, data):
        return AuthResult(success=isinstance(data, LoginPassword) and data.login == b"editor"
                          and data.password == PASSWORD.encode(), handled=False)

    handler = TlsRelay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            tls_context=trusted, require_starttls=True,
                            authenticator=check, auth_require_tls=True)
    controller.start()
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    folder = merge_outputs(project, {"0001": "ada@example.org", "0004": "grace@example.org"})
    try:
        summary, _ = run(project, f"127.0.0.1:{controller.port}", starttls=True, user="editor",
                         attach_pdf=True)
        with pytest.raises(SendError, match=r"takes mail only after a login or over TLS "
                           r"\(530 Must issue a STARTTLS command first\); add --starttls"):
            merge_outputs(project, {"0005": "alan@example.org"})
            run(project, f"127.0.0.1:{controller.port}", starttls=False, user=None)
    finally:
        controller.stop()
    assert summary.ok and handler.encrypted == [True, True]
    assert handler.received() == Counter(["ada@example.org", "grace@example.org"])
    [attachment] = messages(handler)["grace@example.org"].iter_attachments()
    assert attachment.get_content() == (folder / "0004.pdf").read_bytes()


def test_a_sending_service_s_merge_tags_are_refused(project, relay):
    path = project / "content" / "mini" / "edition.yaml"
    path.write_text(path.read_text().replace("email:\n", "email:\n  merge_tags: mailchimp\n"))
    merge_outputs(project, {"0001": "ada@example.org"})
    with pytest.raises(SendError) as failure:
        run(project, relay[0])
    [problem] = failure.value.problems
    assert problem.line == 11 and "email.merge_tags is 'mailchimp'" in problem.message
    assert "merge_tags: none and your own unsubscribe_url" in problem.message
    assert relay[1].envelopes == []


def test_two_runs_at_once_cannot_send_the_same_messages(project, relay):
    import fcntl

    folder = merge_outputs(project, {"0001": "ada@example.org"}, pdfs=False)
    with open(folder / ".outbox.lock", "a") as held:  # as a run in another process holds it
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(SendError, match=r"another `send mini --merge` is running"):
            run(project, relay[0])
    assert relay[1].envelopes == []
    summary, _ = run(project, relay[0])
    assert summary.ok and relay[1].received() == Counter(["ada@example.org"])
