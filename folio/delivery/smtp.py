"""SMTP: a server address, a user and a password -> an open, verified connection, and replies.

Shared by the proof (`folio send --to`) and the delivery of a merge (`folio send --merge`):
the server address is parsed, the password comes from the environment or a prompt (never
from a flag or an edition file), TLS certificates are verified with the system's trust
store, and every failure becomes one sentence a person can act on (`explain`).
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import smtplib
import socket
import ssl
import sys
from dataclasses import dataclass

from ..errors import SendError, printable

PASSWORD_VARIABLE = "FOLIO_SMTP_PASSWORD"
TIMEOUT = 30
"""Seconds to wait for the mail server before giving up."""


@dataclass(frozen=True)
class Server:
    """Where to send and how to log in; the password is never printed (`repr` leaves it out)."""

    host: str
    port: int
    starttls: bool = False
    user: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return f"Server({self.where!r}, starttls={self.starttls}, user={self.user!r})"

    @property
    def where(self) -> str:
        """Return `host:port` as the messages name the server."""
        return f"{self.host}:{self.port}"


def server(smtp: str, *, starttls: bool = False, user: str | None = None,
           prompt: bool = True) -> Server:
    """Return the server `--smtp`, `--starttls` and `--user` name, with its password.

    The password is read from `FOLIO_SMTP_PASSWORD`, else asked for when Folio runs in a
    terminal (and `prompt` is true). It is never sent unencrypted to another machine.
    """
    host, port = parse_server(smtp)
    if not user:
        return Server(host, port, starttls)
    if not starttls and port != 465 and not is_loopback(host):
        raise SendError(f"refusing to send the password to {host}:{port} unencrypted; add "
                        "--starttls (usually with port 587) or use port 465")
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if password is None and prompt and sys.stdin.isatty():
        password = getpass.getpass(f"SMTP password for {user} at {host}:{port}: ") or None
    if not password:
        raise SendError(f"--user {user} needs a password: set the environment variable "
                        f"{PASSWORD_VARIABLE} (it is never printed), then run the command again")
    return Server(host, port, starttls, user, password)


def parse_server(smtp: str) -> tuple[str, int]:
    """Split `HOST:PORT` (`[::1]:25`, or `HOST` for port 25) into host and port."""
    value = smtp.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        host, port_text = value.split(":")
    else:
        host, port_text = value, ""
    if not host:
        raise SendError(f"--smtp '{smtp}' names no server; write HOST:PORT, such as "
                        "smtp.example.org:587")
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")) or any(
            character.isspace() or ord(character) < 32 for character in host):
        shown = host if len(host) <= 40 else f"{host[:40]}..."
        raise SendError(f"--smtp '{shown}' is not a server name (a name has at most 253 "
                        "characters, 63 between dots, and no spaces); write HOST:PORT, such "
                        "as smtp.example.org:587")
    try:
        port = int(port_text) if port_text else 25
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise SendError(f"--smtp '{smtp}': the port must be a number from 1 to 65535")
    return host, port


def is_loopback(host: str) -> bool:
    """Return True for a name or address of this machine's loopback interface."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(to: Server, sender: str, what: str = "the message") -> smtplib.SMTP:
    """Open a connection to the server, encrypted and logged in as asked; return the client.

    Raise `SendError` (see `explain`) when the server cannot be reached or refuses the login.
    """
    client: smtplib.SMTP | None = None
    try:
        if to.port == 465 and not to.starttls:
            client = smtplib.SMTP_SSL(to.host, to.port, timeout=TIMEOUT,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(to.host, to.port, timeout=TIMEOUT)
        client.ehlo()
        if to.starttls:
            if not client.has_extn("starttls"):
                raise SendError(f"the mail server at {to.where} does not offer STARTTLS; "
                                "leave out --starttls or use the server's submission port")
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if to.user and to.password:
            client.login(to.user, to.password)
        return client
    except BaseException as exc:
        if client is not None:
            close(client)
        if isinstance(exc, (smtplib.SMTPException, OSError)):
            raise explain(exc, to, sender, what) from None
        raise


def close(client: smtplib.SMTP) -> None:
    """Say QUIT when the server still listens, then close the socket."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def explain(exc: Exception, to: Server, sender: str, what: str = "the message") -> SendError:
    """Turn a failure of smtplib or the network into a `SendError` saying what to do."""
    where = to.where
    if isinstance(exc, ConnectionRefusedError):
        return SendError(f"could not connect to the mail server at {where}: connection refused; "
                         "check --smtp HOST:PORT and that the server is running")
    if isinstance(exc, socket.gaierror):
        return SendError(f"the mail server '{to.host}' cannot be found; check the name in --smtp")
    if isinstance(exc, TimeoutError):
        return SendError(f"the mail server at {where} did not answer within {TIMEOUT} seconds")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(f"the mail server at {where} refused the user name or password for "
                         f"'{to.user}' ({reply_text(exc)}); check --user and "
                         f"{PASSWORD_VARIABLE}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(f"the mail server at {where} does not accept a login; leave out "
                         "--user, or add --starttls if it only allows logging in over TLS")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return sender_refused(to, sender, exc.smtp_code, reply_text(exc))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return SendError(f"the mail server at {where} refused every address: "
                         f"{', '.join(exc.recipients)}")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if "timed out" in str(exc):
            return SendError(f"the mail server at {where} did not answer within {TIMEOUT} "
                             "seconds")
        return SendError(f"the mail server at {where} closed the connection; check the port "
                         "(587 usually needs --starttls, 465 is encrypted from the start)")
    if isinstance(exc, smtplib.SMTPException):
        return SendError(f"the mail server at {where} refused {what}: {exc}")
    if isinstance(exc, ssl.SSLError):
        return SendError(f"the encrypted connection to {where} failed ({exc.reason}); check "
                         "the port and --starttls")
    if isinstance(exc, OSError):
        return SendError(f"could not reach the mail server at {where}: {exc.strerror or exc}")
    return SendError(f"the mail server at {where} failed: {exc}")


def sender_refused(to: Server, sender: str, code: int, reply: str) -> SendError:
    """Say why the server refused the sender: a login or TLS it wants, or the address."""
    if code in (530, 554) and ("tls" in reply.lower() or "auth" in reply.lower()):
        return SendError(f"the mail server at {to.where} takes mail only after a login or "
                         f"over TLS ({reply}); add --starttls, and --user NAME")
    return SendError(f"the mail server at {to.where} refused the sender {sender} ({reply}); "
                     "set email.from in edition.yaml to an address this server may send for")


def reply_text(exc: smtplib.SMTPResponseException) -> str:
    """Return an SMTP error reply as `535 text`, decoded."""
    return join_reply(exc.smtp_code, exc.smtp_error)


def join_reply(code: int, text: bytes | str) -> str:
    """Return a reply as one line, `250 2.0.0 Ok: queued`."""
    words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return printable(f"{code} {' '.join(words.split())}".strip())  # a server's words, inert


# --- one message of many ------------------------------------------------------------


class Refused(Exception):
    """The server answered a message with an error reply: 4xx (try later) or 5xx (never)."""

    def __init__(self, code: int, reply: str, step: str):
        super().__init__(reply)
        self.code = code
        self.reply = reply
        self.step = step
        """`sender`, `recipient` or `message`: which command the server refused."""

    @property
    def permanent(self) -> bool:
        """Return True for a 5xx reply: sending the same message again will not help."""
        return self.code >= 500


def transmit(client: smtplib.SMTP, sender: str, recipient: str, message: bytes) -> str:
    """Send one message to one recipient over an open connection; return the server's reply.

    Raise `Refused` for an error reply (the transaction is reset, so the connection can
    carry the next message) and `smtplib.SMTPServerDisconnected` or `OSError` when the
    connection is lost.
    """
    options = [f"size={len(message)}"] if client.does_esmtp and client.has_extn("size") else []
    code, text = client.mail(sender, options)
    if code != 250:
        _reset(client, code)
        raise Refused(code, join_reply(code, text), "sender")
    code, text = client.rcpt(recipient)
    if code not in (250, 251):
        _reset(client, code)
        raise Refused(code, join_reply(code, text), "recipient")
    try:
        code, text = client.data(message)
    except smtplib.SMTPDataError as exc:  # DATA itself refused
        _reset(client, exc.smtp_code)
        raise Refused(exc.smtp_code, reply_text(exc), "message") from None
    if code != 250:
        _reset(client, code)
        raise Refused(code, join_reply(code, text), "message")
    return join_reply(code, text)


def _reset(client: smtplib.SMTP, code: int) -> None:
    if code == 421:  # the server is closing the connection
        client.close()
        return
    try:
        client.rset()
    except (smtplib.SMTPException, OSError):
        client.close()


def largest_message(client: smtplib.SMTP) -> int | None:
    """Return the largest message size the server announces (EHLO SIZE), or None."""
    value = client.esmtp_features.get("size", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None
