"""Send: an edition's built `email.eml` -> a proof in up to five inboxes, over SMTP.

The edition's email is brought up to date first (an incremental build of the `email`
format, which does nothing when nothing changed), then its `email.eml` is sent as it is,
with only the envelope headers changed: `To` the proof readers, `Subject` marked
`[Proof]`, a fresh `Date` and `Message-ID` (so that an inbox never discards a second proof
as a duplicate of the first). Merge tags stay as they are: a proof shows `*|UNSUB|*`
where the sending service will put each reader's own link.

The SMTP password is read only from the environment variable `FOLIO_SMTP_PASSWORD`; it is
never printed, logged or sent without encryption to another machine.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import smtplib
import socket
import ssl
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from .errors import SendError, command_line
from .sources import edition_folder, no_edition

log = logging.getLogger("folio")

MAX_RECIPIENTS = 5
PASSWORD_VARIABLE = "FOLIO_SMTP_PASSWORD"
TIMEOUT = 30
"""Seconds to wait for the mail server before giving up."""


def send_proof(
    edition: str, *, content: Path, out: Path, to: list[str], smtp: str = "localhost:25",
    starttls: bool = False, user: str | None = None,
) -> str:
    """Send `build/<edition>/email.eml` as a proof to at most five addresses; say what was done.

    Raise `SendError` with a message a person can act on when anything fails.
    """
    recipients = parse_recipients(to)
    host, port = parse_server(smtp)
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if user and not password:
        raise SendError(f"--user {user} needs a password: set the environment variable "
                        f"{PASSWORD_VARIABLE} (it is never printed), then run the command again")
    if user and not starttls and port != 465 and not _is_loopback(host):
        raise SendError(f"refusing to send the password to {host}:{port} unencrypted; add "
                        "--starttls (usually with port 587) or use port 465")
    path = built_message(edition, content, out)
    data = path.read_bytes()
    sender, message = proof(data, recipients)
    _deliver(message, sender, recipients, host, port, starttls=starttls, user=user,
             password=password)
    return (f"sent a proof of {edition} ({len(data) / 1024:.0f} KB) to "
            f"{', '.join(recipients)} through {host}:{port}")


# --- checking the request -----------------------------------------------------------


def parse_recipients(to: list[str]) -> list[str]:
    """Return the proof addresses (commas allowed), checked, at most five."""
    found: list[str] = []
    for value in to:
        if "\n" in value or "\r" in value:
            raise SendError(f"'{value.strip()}' is not an email address")
        for _name, address in getaddresses([value]):
            if not address:
                continue
            local, at, domain = address.rpartition("@")
            if not at or not local or "." not in domain or " " in address:
                raise SendError(f"'{address}' is not an email address; write it as "
                                "name@example.org")
            if not address.isascii():
                raise SendError(f"'{address}' has letters outside plain ASCII, which most mail "
                                "servers do not accept; send the proof to an ASCII address "
                                "(an international domain in its xn-- form)")
            if address.lower() not in (a.lower() for a in found):
                found.append(address)
    if not found:
        raise SendError("give at least one address to send the proof to: --to you@example.org")
    if len(found) > MAX_RECIPIENTS:
        raise SendError(f"a proof goes to at most {MAX_RECIPIENTS} addresses, not "
                        f"{len(found)}; send the real mailing from your sending service")
    return found


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


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- the message --------------------------------------------------------------------


def built_message(edition: str, content: Path, out: Path) -> Path:
    """Bring the edition's email up to date and return the path of its `email.eml`."""
    folder = edition_folder(edition, content)
    edition = folder.name if folder else Path(edition).name
    path = out / edition / "email.eml"
    if folder is not None:
        from .build import build_edition

        result = build_edition(folder, out, ["email"])
        for warning in result.warnings:
            log.warning("%s", warning)
        if result.problems:
            raise SendError(result.problems)
    elif not path.is_file():
        raise SendError(f"{no_edition(edition, content)} (and there is no {path} to send)")
    if not path.is_file():
        raise SendError(f"{path} is missing; build it with " +
                        command_line(f"build {edition} --format email"))
    return path


def proof(data: bytes, recipients: list[str]) -> tuple[str, bytes]:
    """Return (envelope sender, message bytes) with the proof's headers; the body is kept."""
    split = data.find(b"\r\n\r\n")
    if split < 0 or not re.match(rb"[A-Za-z][A-Za-z0-9-]*:", data):
        raise SendError("email.eml is not an email message; build it again with " +
                        command_line("build EDITION --format email"))
    parsed = message_from_bytes(data[:split + 4], policy=default)
    sender = getaddresses([str(parsed.get("From", ""))])
    address = sender[0][1] if sender else ""
    if "@" not in address:
        raise SendError("email.eml has no From address; set email.from in edition.yaml")
    subject = str(parsed.get("Subject", ""))
    replaced = EmailMessage(policy=SMTP)
    replaced["To"] = ", ".join(recipients)
    replaced["Subject"] = subject if subject.startswith("[Proof]") else f"[Proof] {subject}"
    replaced["Date"] = formatdate(localtime=False, usegmt=True)
    replaced["Message-ID"] = make_msgid("folio-proof", domain=address.rpartition("@")[2])
    new_headers = bytes(replaced).split(b"\r\n\r\n")[0] + b"\r\n"
    kept = b"".join(line for line in _header_fields(data[:split + 2])
                    if line.split(b":", 1)[0].strip().lower()
                    not in (b"to", b"subject", b"date", b"message-id", b"cc", b"bcc"))
    return address, new_headers + kept + data[split + 2:]


def _header_fields(block: bytes) -> list[bytes]:
    """Split a header block into fields, each with its folded continuation lines."""
    fields: list[bytes] = []
    for line in block.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif line.strip():
            fields.append(line)
    return fields


# --- delivery -----------------------------------------------------------------------


def _deliver(
    message: bytes, sender: str, recipients: list[str], host: str, port: int, *,
    starttls: bool, user: str | None, password: str | None,
) -> None:
    """Hand the message to the SMTP server; turn each failure into a plain `SendError`."""
    where = f"{host}:{port}"
    try:
        if port == 465 and not starttls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if starttls:
                if not client.has_extn("starttls"):
                    raise SendError(f"the mail server at {where} does not offer STARTTLS; "
                                    "leave out --starttls or use the server's submission port")
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if user and password:
                client.login(user, password)
            refused = client.sendmail(sender, recipients, message)
    except SendError:
        raise
    except ConnectionRefusedError:
        raise SendError(f"could not connect to the mail server at {where}: connection refused; "
                        "check --smtp HOST:PORT and that the server is running") from None
    except socket.gaierror:
        raise SendError(f"the mail server '{host}' cannot be found; check the name "
                        "in --smtp") from None
    except TimeoutError:
        raise SendError(f"the mail server at {where} did not answer within {TIMEOUT} "
                        "seconds") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"the mail server at {where} refused the user name or password for "
                        f"'{user}' ({_reply(exc)}); check --user and {PASSWORD_VARIABLE}"
                        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(f"the mail server at {where} does not accept a login; leave out --user, "
                        "or add --starttls if it only allows logging in over TLS") from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(f"the mail server at {where} refused the sender {sender} "
                        f"({_reply(exc)}); set email.from in edition.yaml to an address "
                        "this server may send for") from None
    except smtplib.SMTPRecipientsRefused as exc:
        addresses = ", ".join(exc.recipients)
        raise SendError(f"the mail server at {where} refused every address: {addresses}"
                        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):
            raise SendError(f"the mail server at {where} did not answer within {TIMEOUT} "
                            "seconds") from None
        raise SendError(f"the mail server at {where} closed the connection; check the port "
                        "(587 usually needs --starttls, 465 is encrypted from the start)"
                        ) from None
    except smtplib.SMTPException as exc:
        raise SendError(f"the mail server at {where} refused the proof: {exc}") from None
    except ssl.SSLError as exc:
        raise SendError(f"the encrypted connection to {where} failed ({exc.reason}); check "
                        "the port and --starttls") from None
    except OSError as exc:
        raise SendError(f"could not reach the mail server at {where}: "
                        f"{exc.strerror or exc}") from None
    if refused:
        raise SendError(f"the proof was sent, but the mail server at {where} refused "
                        f"{', '.join(refused)}")


def _reply(exc: smtplib.SMTPResponseException) -> str:
    """Return an SMTP error reply as `535 text`, decoded."""
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
        else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"
