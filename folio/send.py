"""Send: an edition's built `email.eml` -> a proof in up to five inboxes, over SMTP.

The edition's email is brought up to date first (an incremental build of the `email`
format, which does nothing when nothing changed), then its `email.eml` is sent as it is,
with only the envelope headers changed: `To` the proof readers, `Subject` marked
`[Proof]`, a fresh `Date` and `Message-ID` (so that an inbox never discards a second proof
as a duplicate of the first). Merge tags stay as they are: a proof shows `*|UNSUB|*`
where the sending service will put each reader's own link.

The connection is `delivery.smtp`'s, as for a merge: the password comes from the
environment variable `FOLIO_SMTP_PASSWORD` (or a prompt in a terminal); it is never
printed, logged or sent without encryption to another machine.
"""

from __future__ import annotations

import logging
import re
import smtplib
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

from .delivery.messages import header_fields
from .delivery.smtp import PASSWORD_VARIABLE, Server, close, connect, explain, parse_server
from .delivery.smtp import server as smtp_server
from .errors import SendError, command_line
from .schema import PLACEHOLDER_SENDER
from .sources import edition_folder, no_edition

__all__ = ["PASSWORD_VARIABLE", "parse_recipients", "parse_server", "send_proof"]

log = logging.getLogger("folio")

MAX_RECIPIENTS = 5


def send_proof(
    edition: str, *, content: Path, out: Path, to: list[str], smtp: str = "localhost:25",
    starttls: bool = False, user: str | None = None,
) -> str:
    """Send `build/<edition>/email.eml` as a proof to at most five addresses; say what was done.

    Raise `SendError` with a message a person can act on when anything fails.
    """
    recipients = parse_recipients(to)
    to_server = smtp_server(smtp, starttls=starttls, user=user)
    path = built_message(edition, content, out)
    data = path.read_bytes()
    sender, message = proof(data, recipients)
    _deliver(message, sender, recipients, to_server)
    return (f"sent a proof of {edition} ({len(data) / 1024:.0f} KB) to "
            f"{', '.join(recipients)} through {to_server.where}")


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
    if "@" not in address or address == PLACEHOLDER_SENDER:
        raise SendError("email.eml has no From address of yours; set email.from in "
                        "edition.yaml and build the email again")
    subject = str(parsed.get("Subject", ""))
    replaced = EmailMessage(policy=SMTP)
    replaced["To"] = ", ".join(recipients)
    replaced["Subject"] = subject if subject.startswith("[Proof]") else f"[Proof] {subject}"
    replaced["Date"] = formatdate(localtime=False, usegmt=True)
    replaced["Message-ID"] = make_msgid("folio-proof", domain=address.rpartition("@")[2])
    new_headers = bytes(replaced).split(b"\r\n\r\n")[0] + b"\r\n"
    kept = b"".join(line for line in header_fields(data[:split + 2])
                    if line.split(b":", 1)[0].strip().lower()
                    not in (b"to", b"subject", b"date", b"message-id", b"cc", b"bcc"))
    return address, new_headers + kept + data[split + 2:]


# --- delivery -----------------------------------------------------------------------


def _deliver(message: bytes, sender: str, recipients: list[str], to: Server) -> None:
    """Hand the message to the SMTP server; turn each failure into a plain `SendError`."""
    client = connect(to, sender, "the proof")
    try:
        refused = client.sendmail(sender, recipients, message)
    except (OSError, smtplib.SMTPException) as exc:
        raise explain(exc, to, sender, "the proof") from None
    finally:
        close(client)
    if refused:
        raise SendError(f"the proof was sent, but the mail server at {to.where} refused "
                        f"{', '.join(refused)}")
