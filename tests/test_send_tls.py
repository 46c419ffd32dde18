"""Proof sending over TLS and refusals: implicit TLS on port 465, a working STARTTLS, and a
server that refuses the sender or a recipient. The certificate is made by the test."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from folio.errors import SendError
from folio.send import send_proof
from tests.test_send import Inbox, free_port, unsubscribe


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as (certificate, key) files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def trusted(certificate, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """Make the test's certificate the one the client trusts; return the server's context."""
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def send(project: Path, address: str, **options) -> str:
    unsubscribe(project, "https://example.org/unsubscribe/mini")
    return send_proof("mini", content=project / "content", out=project / "build",
                      to=["editor@example.org"], smtp=address, **options)


class TlsInbox(Inbox):
    """An inbox that notes whether each message came over TLS."""

    def __init__(self) -> None:
        super().__init__()
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server, session, envelope):
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        return await super().handle_DATA(server, session, envelope)


def test_port_465_speaks_tls_from_the_start(project: Path, trusted: ssl.SSLContext) -> None:
    inbox = TlsInbox()
    try:
        controller = Controller(inbox, hostname="127.0.0.1", port=465, ssl_context=trusted)
        controller.start()
    except (OSError, RuntimeError) as exc:  # port 465 needs root and must be free
        if isinstance(exc, PermissionError) or "in use" in str(exc):
            pytest.skip(f"cannot listen on port 465 here: {exc}")
        raise
    try:
        said = send(project, "127.0.0.1:465")
    finally:
        controller.stop()
    assert said.startswith("sent a proof of mini")
    assert inbox.encrypted == [True]


def test_starttls_upgrades_the_connection(project: Path, trusted: ssl.SSLContext) -> None:
    inbox = TlsInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            tls_context=trusted, require_starttls=True)
    controller.start()
    try:
        send(project, f"127.0.0.1:{controller.port}", starttls=True)
    finally:
        controller.stop()
    assert inbox.encrypted == [True]
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["editor@example.org"]


def test_a_certificate_nobody_vouches_for_is_refused(project: Path, certificate) -> None:
    cert, key = certificate  # the server has it, but the client was not told to trust it
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    inbox = TlsInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context)
    controller.start()
    try:
        with pytest.raises(SendError, match=r"encrypted connection to 127\.0\.0\.1:\d+ failed"):
            send(project, f"127.0.0.1:{controller.port}", starttls=True)
    finally:
        controller.stop()
    assert inbox.envelopes == []


class Refusing(Inbox):
    """A server that refuses one sender and one recipient."""

    async def handle_MAIL(self, server, session, envelope, address, options):
        if address == "news@example.org":
            return "550 5.7.1 not allowed to send for example.org"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == "nobody@example.org":
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing():
    inbox = Refusing()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield f"127.0.0.1:{controller.port}", inbox
    controller.stop()


def test_a_refused_sender_says_which_setting_to_change(project: Path, refusing) -> None:
    address, inbox = refusing
    with pytest.raises(SendError) as failure:
        send(project, address)
    message = str(failure.value)
    assert "refused the sender news@example.org" in message
    assert "550 5.7.1 not allowed to send for example.org" in message
    assert "email.from in edition.yaml" in message
    assert inbox.envelopes == []


def test_refused_recipients(project: Path, refusing) -> None:
    address, inbox = refusing
    project_config = project / "content" / "mini" / "edition.yaml"
    project_config.write_text(project_config.read_text().replace(
        "Test Org <news@example.org>", "Test Org <desk@example.org>"))
    unsubscribe(project, "https://example.org/unsubscribe/mini")
    with pytest.raises(SendError, match=r"refused every address: nobody@example\.org"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["nobody@example.org"], smtp=address)
    with pytest.raises(SendError, match=r"proof was sent, but .* refused nobody@example.org"):
        send_proof("mini", content=project / "content", out=project / "build",
                   to=["editor@example.org", "nobody@example.org"], smtp=address)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["editor@example.org"]


def test_nothing_listening_on_465(project: Path, trusted: ssl.SSLContext) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", 465))
        except OSError:
            pytest.skip("port 465 is in use here")
    with pytest.raises(SendError, match="connection refused"):
        send(project, "127.0.0.1:465")
