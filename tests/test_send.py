"""Proof sending: a real SMTP server (aiosmtpd) on 127.0.0.1 receives the built email."""

from __future__ import annotations

import datetime
import email
import email.utils
import socket
from email.policy import default
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from folio.errors import SendError
from folio.send import PASSWORD_VARIABLE, parse_recipients, parse_server, send_proof

PASSWORD = "s3cret-proof-pass"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(**options) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller, inbox


@pytest.fixture
def server():
    controller, inbox = start()
    yield f"127.0.0.1:{controller.port}", inbox
    controller.stop()


@pytest.fixture
def auth_server():
    def check(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == b"editor" and \
            data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    controller, inbox = start(authenticator=check, auth_require_tls=False)
    yield f"127.0.0.1:{controller.port}", inbox
    controller.stop()


def unsubscribe(project: Path, url: str) -> None:
    path = project / "content" / "mini" / "edition.yaml"
    data = yaml.safe_load(path.read_text())
    data["email"]["unsubscribe_url"] = url
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_proof_round_trip(project, server):
    address, inbox = server
    unsubscribe(project, "https://example.org/unsubscribe/mini")
    out = project / "build"
    said = send_proof("mini", content=project / "content", out=out,
                      to=["Editor <editor@example.org>", "desk@example.org"], smtp=address)
    assert said.startswith("sent a proof of mini (") and address in said
    assert "editor@example.org, desk@example.org" in said
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "news@example.org"
    assert envelope.rcpt_tos == ["editor@example.org", "desk@example.org"]

    received = email.message_from_bytes(envelope.content, policy=default)
    assert received["Subject"] == "[Proof] Mini Review is out"
    assert received["To"] == "editor@example.org, desk@example.org"
    assert received["From"] == "Test Org <news@example.org>"
    assert received["Message-ID"].endswith("@example.org>")
    sent = email.utils.parsedate_to_datetime(received["Date"])
    assert abs(sent - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    assert received["List-Unsubscribe"] == "<https://example.org/unsubscribe/mini>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in received.iter_parts()] == ["text/plain", "text/html"]
    html = received.get_body(("html",)).get_content()
    text = received.get_body(("plain",)).get_content()
    assert "<h1 class=\"fo-h1\"" in html and 'href="https://example.org/unsubscribe/mini"' in html
    assert text.startswith("Mini Review\r\n===========")

    # The email was built first, and its body travels unchanged.
    built = (out / "mini" / "email.eml").read_bytes()
    assert envelope.content.split(b"\r\n\r\n", 1)[1] == built.split(b"\r\n\r\n", 1)[1]


def test_second_proof_is_not_a_duplicate(project, server):
    address, inbox = server
    for _ in range(2):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=address)
    first, second = (email.message_from_bytes(e.content, policy=default)
                     for e in inbox.envelopes)
    assert first["Message-ID"] != second["Message-ID"]


def test_login_reads_the_password_from_the_environment(project, auth_server, monkeypatch):
    address, inbox = auth_server
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    send_proof("mini", content=project / "content", out=project / "build",
               to=["editor@example.org"], smtp=address, user="editor")
    assert len(inbox.envelopes) == 1


def test_wrong_password_is_refused_and_never_printed(project, auth_server, monkeypatch):
    address, inbox = auth_server
    monkeypatch.setenv(PASSWORD_VARIABLE, "wrong-" + PASSWORD)
    with pytest.raises(SendError) as caught:
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=address, user="editor")
    message = str(caught.value)
    assert "refused the user name or password for 'editor'" in message
    assert PASSWORD not in message and PASSWORD_VARIABLE in message
    assert inbox.envelopes == []


def test_user_without_password_variable(project, server, monkeypatch):
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    with pytest.raises(SendError, match=PASSWORD_VARIABLE):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=server[0], user="editor")


def test_no_password_in_clear_to_another_machine(project, monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    with pytest.raises(SendError, match="unencrypted; add --starttls"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp="smtp.example.org:25", user="editor")


def test_starttls_when_the_server_has_none(project, server):
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=server[0], starttls=True)


def test_connection_refused(project):
    port = free_port()  # nothing listens there now
    with pytest.raises(SendError) as caught:
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=f"127.0.0.1:{port}")
    assert f"could not connect to the mail server at 127.0.0.1:{port}: connection refused" \
        in str(caught.value)


def test_missing_edition_and_message(project, server):
    with pytest.raises(SendError, match=r"no edition 'nope' .* no .*nope/email.eml"):
        send_proof("nope", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=server[0])


def test_built_message_is_sent_when_the_edition_folder_is_gone(project, server):
    address, inbox = server
    out = project / "build"
    send_proof("mini", content=project / "content", out=out, to=["a@example.org"],
               smtp=address)
    send_proof("mini", content=project / "elsewhere", out=out, to=["b@example.org"],
               smtp=address)
    assert [e.rcpt_tos for e in inbox.envelopes] == [["a@example.org"], ["b@example.org"]]


def test_broken_edition_is_reported(project, server):
    (project / "content" / "mini" / "edition.yaml").write_text("title: [unclosed\n")
    with pytest.raises(SendError, match=r"edition\.yaml"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=server[0])
    assert server[1].envelopes == []


def test_an_edition_without_a_from_is_not_sent_from_the_placeholder(project, server):
    config = project / "content" / "mini" / "edition.yaml"
    config.write_text(config.read_text().replace("  from: Test Org <news@example.org>\n", ""))
    with pytest.raises(SendError, match=r"no From address of yours; set email\.from"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org"], smtp=server[0])
    assert server[1].envelopes == []


def test_recipients_are_checked():
    assert parse_recipients(["a@example.org, B <b@example.org>", "A@example.org"]) == \
        ["a@example.org", "b@example.org"]
    with pytest.raises(SendError, match="at most 5"):
        parse_recipients([f"p{n}@example.org" for n in range(6)])
    with pytest.raises(SendError, match="not an email address"):
        parse_recipients(["nobody"])
    with pytest.raises(SendError, match="not an email address"):
        parse_recipients(["a@example.org\r\nBcc: x@example.org"])
    with pytest.raises(SendError, match="at least one"):
        parse_recipients([])


def test_server_addresses():
    assert parse_server("localhost") == ("localhost", 25)
    assert parse_server("smtp.example.org:587") == ("smtp.example.org", 587)
    assert parse_server("[::1]:2525") == ("::1", 2525)
    for bad in ("smtp.example.org:x", ":25", "host:70000"):
        with pytest.raises(SendError):
            parse_server(bad)
