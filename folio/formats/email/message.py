"""Email message: HTML, text and pictures -> `email.eml`, byte-identical for the same input.

`multipart/alternative`: the text, then the HTML; when pictures travel inside the message
(CID attachments) the HTML part is a `multipart/related` of the HTML and its pictures, so
that no program lists them as attachments. Lines are at most 76 characters (RFC 2045);
the HTML part is quoted-printable, or base64 when that is smaller (Arabic, Chinese...),
and `sent_size` is its size so encoded: the size Gmail's clipping limit is about.

The Date is the edition's date at 09:00 UTC, the Message-ID and MIME boundaries come
from a hash of the content, so two builds of the same edition give the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import quopri
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses

PLACEHOLDER_TO = "undisclosed-recipients:;"
"""The To header of the built message; `send` and sending services put the real one."""
SEND_TIME = datetime.time(9, 0, tzinfo=datetime.UTC)
LINE_LENGTH = 76
"""The longest line of an encoded body, RFC 2045's limit for quoted-printable and base64."""
POLICY = SMTP.clone(max_line_length=LINE_LENGTH)


def html_encoding(html: str) -> str:
    """Return the transfer encoding that makes the HTML part smaller: QP or base64."""
    data = html.encode()
    quoted = quopri.encodestring(data)
    quoted_size = len(quoted) + quoted.count(b"\n")  # CRLF line ends
    base64_size = (len(data) + 2) // 3 * 4 * (LINE_LENGTH + 2) // LINE_LENGTH
    return "quoted-printable" if quoted_size <= base64_size else "base64"


def sent_size(html: str) -> int:
    """Return the size in bytes of the HTML part as the message carries it (encoded)."""
    part = EmailMessage(policy=POLICY)
    part.set_content(html, subtype="html", charset="utf-8", cte=html_encoding(html))
    return len(str(part.get_payload()).encode())


@dataclass(frozen=True)
class Attachment:
    """A picture carried inside the message, referred to as `cid:<cid>` in the HTML."""

    name: str
    cid: str
    data: bytes
    mime: str


def sender_domain(sender: str) -> str:
    """Return the domain of a `Name <address>` sender, for Message-IDs and Content-IDs."""
    addresses = getaddresses([sender])
    address = addresses[0][1] if addresses else ""
    return address.rpartition("@")[2].lower() or "folio.invalid"


def address_problem(value: str) -> str | None:
    """Return what is wrong with one `Name <address>` (or bare address), or None."""
    if "\n" in value or "\r" in value:
        return "must be on one line"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "must not contain control characters"
    addresses = getaddresses([value])
    if len(addresses) != 1 or "@" not in addresses[0][1] or " " in addresses[0][1]:
        return "must be one address, such as 'Name <news@example.org>'"
    if not addresses[0][1].isascii():
        return ("must be an address in plain ASCII (a name before it may use any letters; "
                "write an international domain in its xn-- form)")
    return None


def build_message(
    *, subject: str, sender: str, reply_to: str | None, date: datetime.date, language: str,
    text: str, html: str, attachments: list[Attachment], list_unsubscribe: str | None,
) -> bytes:
    """Return the `.eml` bytes of an email; the same arguments give the same bytes."""
    digest = hashlib.sha256()
    for part in (subject, sender, reply_to or "", str(date), text, html,
                 *(a.cid for a in attachments)):
        digest.update(part.encode() + b"\0")
    for attachment in attachments:
        digest.update(hashlib.sha256(attachment.data).digest())
    key = digest.hexdigest()

    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = PLACEHOLDER_TO
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(datetime.datetime.combine(date, SEND_TIME))
    message["Message-ID"] = f"<{key[:32]}@{sender_domain(sender)}>"
    if list_unsubscribe:
        message["List-Unsubscribe"] = f"<{list_unsubscribe}>"
        if list_unsubscribe.lower().startswith("https://"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte=html_encoding(html))
    if attachments:
        # The HTML and its pictures: multipart/related, the second alternative.
        html_part = list(message.iter_parts())[1]
        for attachment in attachments:
            maintype, subtype = attachment.mime.split("/")
            html_part.add_related(attachment.data, maintype, subtype,
                                  cid=f"<{attachment.cid}>", filename=attachment.name,
                                  disposition="inline")
        for inner in html_part.walk():
            del inner["MIME-Version"]
    message["Content-Language"] = language  # after set_content, which clears Content-*
    for number, multipart in enumerate(p for p in message.walk() if p.is_multipart()):
        multipart.set_boundary(f"=_folio_{key[32:48]}_{number}")
    return message.as_bytes(policy=POLICY)


def content_id(name: str, sender: str) -> str:
    """Return the Content-ID of an embedded picture (without angle brackets)."""
    return f"{name}@{sender_domain(sender)}"


__all__ = ["Attachment", "address_problem", "build_message", "content_id", "sender_domain",
           "sent_size"]
