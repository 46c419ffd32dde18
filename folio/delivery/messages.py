"""Merge outputs: `build/<edition>/merge/<key>.eml` and `<key>.pdf` -> checked rows, messages.

The merge writes one complete message per data row, addressed (`To`) to the row, and the
row's PDF beside it. Delivery reads only those files. Before anything is sent every row is
checked (an address that is one, a sender, the PDF when it is to be attached, the size
the mail server takes); at sending, the message gets the time of sending as its `Date`,
the Message-ID the outbox keeps for it, and the row's own PDF as an attachment when asked.
Every other header and the body (text and HTML parts, `List-Unsubscribe`) travel unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage, MIMEPart
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import formatdate, getaddresses
from pathlib import Path

from ..errors import Problem, SendError, command_line, display_path
from ..formats.email.message import POLICY, address_problem, sender_domain
from ..schema import PLACEHOLDER_SENDER

DEFAULT_MAX_SIZE = 10_000_000
"""The largest message sent when `email.max_size` is not set: 10 MB, what the strictest
common relays take (Amazon SES's and Postmark's first limit); Gmail and Microsoft 365 take
more. A message is measured as sent, attachment encoded."""

DROPPED_HEADERS = (b"date", b"message-id", b"bcc", b"cc", b"resent-to", b"resent-cc",
                   b"resent-bcc")
"""Headers replaced (Date, Message-ID) or left out: a row goes to its own address only."""
CONTENT_HEADERS = (b"content-type", b"content-transfer-encoding", b"content-disposition",
                   b"content-id", b"content-description")
"""The headers that describe the body, moved into the first part when a PDF is attached."""


@dataclass(frozen=True)
class Row:
    """One merged message, read and checked."""

    key: str
    eml: Path
    pdf: Path | None
    """The row's PDF, when it is to be attached."""
    address: str
    """The row's address, from the message's `To`."""
    sender: str
    """The envelope sender: the address of the message's `From`."""
    digest: str
    """SHA-256 of the `.eml`: a changed file is a corrected message."""
    size: int
    """The size of the message as sent, attachment encoded, in bytes."""


def merge_folder(out: Path, edition: str) -> Path:
    """Return the folder where `folio merge` writes an edition's messages."""
    return out / edition / "merge"


def read_rows(folder: Path, edition: str, *, attach: bool, max_size: int) -> list[Row]:
    """Return the rows of a merge in key order; raise `SendError` listing every bad one."""
    paths = sorted(p for p in folder.glob("*.eml") if p.is_file()) if folder.is_dir() else []
    if not paths:
        raise SendError(f"there are no merged messages in {display_path(folder)}/; make them "
                        f"first with {command_line(f'merge {edition} --data FILE')}")
    rows: list[Row] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            rows.append(_row(path, edition, attach, max_size))
        except ValueError as exc:
            problems.append(Problem(path, None, str(exc)))
    if problems:
        raise SendError(problems)
    return rows


def _row(path: Path, edition: str, attach: bool, max_size: int) -> Row:
    key = path.stem
    data = path.read_bytes()
    head, _ = split(data)
    if not head:
        raise ValueError("this is not an email message; make the merge again with "
                         + command_line(f"merge {edition} --data FILE"))
    headers = BytesHeaderParser(policy=default).parsebytes(head)
    again = f"correct row {key} in the data file and run {command_line(f'merge {edition}')} again"
    to = [str(v) for v in headers.get_all("To", [])]
    found = [address for _, address in getaddresses(to) if address]
    if not found:
        raise ValueError(f"row {key} has no address (the message has no To); {again}")
    problem = address_problem(", ".join(to))
    address = found[0]
    local, _, domain = address.rpartition("@")
    if problem or len(found) != 1 or not local or "." not in domain.strip("."):
        raise ValueError(f"row {key}: '{', '.join(to)}' is not an email address; {again}")
    senders = [a for _, a in getaddresses([str(v) for v in headers.get_all("From", [])]) if a]
    if len(senders) != 1 or "@" not in senders[0] or senders[0] == PLACEHOLDER_SENDER:
        raise ValueError("the message has no From address of yours; set email.from in "
                         f"edition.yaml and run {command_line(f'merge {edition}')} again")
    pdf = path.with_suffix(".pdf") if attach and not _has_pdf(headers, data) else None
    size = len(data)
    if pdf is not None:
        if not pdf.is_file():
            raise ValueError(f"row {key} has no PDF ({pdf.name}) to attach; make the merge "
                             f"with its PDFs ({command_line(f'merge {edition}')})")
        size += encoded_size(pdf.stat().st_size) + 400
    if size > max_size:
        raise ValueError(f"the message is {megabytes(size)}, more than the "
                         f"{megabytes(max_size)} the mail server takes (email.max_size in "
                         "edition.yaml); make the PDF smaller, or raise email.max_size if "
                         "your server accepts more")
    return Row(key, path, pdf, address, senders[0], hashlib.sha256(data).hexdigest(), size)


def _has_pdf(headers: EmailMessage, data: bytes) -> bool:
    """Return True when the merge attached a PDF itself (a multipart/mixed with one)."""
    return headers.get_content_type() == "multipart/mixed" and b"application/pdf" in data


def encoded_size(size: int) -> int:
    """Return the size of `size` bytes in base64, in lines of 76 characters with CRLF."""
    characters = (size + 2) // 3 * 4
    return characters + (characters + 75) // 76 * 2


def megabytes(size: int) -> str:
    """Return a size as people read it: `10 MB`, `2.5 MB`."""
    return f"{size / 1_000_000:.3g} MB"


def split(data: bytes) -> tuple[bytes, bytes]:
    """Return a message's header block (ending with its line break) and its body."""
    for blank in (b"\r\n\r\n", b"\n\n"):
        at = data.find(blank)
        if at >= 0:
            break
    if at < 0 or not data[:1].isalpha() or b":" not in data[:at].split(b"\n", 1)[0]:
        return b"", data
    ending = len(blank) // 2
    return data[:at + ending], data[at + len(blank):]


def header_fields(block: bytes) -> list[bytes]:
    """Split a header block into fields, each with its folded continuation lines."""
    fields: list[bytes] = []
    for line in block.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif line.strip():
            fields.append(line)
    return fields


def field_name(field: bytes) -> bytes:
    """Return a header field's name, lower case: `b"message-id"`."""
    return field.split(b":", 1)[0].strip().lower()


def message_id(edition: str, key: str, digest: str, sender: str) -> str:
    """Return the Message-ID a row keeps for every try: from the edition, key and message."""
    text = hashlib.sha256(f"{edition}\0{key}\0{digest}".encode()).hexdigest()[:32]
    return f"<{text}.merge@{sender_domain(sender)}>"


def outgoing(row: Row, *, message_id: str, attachment_name: str) -> bytes:
    """Return the message of a row as it is sent: fresh Date, kept Message-ID, PDF attached."""
    data = re.sub(rb"\r?\n", b"\r\n", row.eml.read_bytes())  # SMTP lines end in CRLF
    head, body = split(data)
    stamp = EmailMessage(policy=POLICY)
    stamp["Date"] = formatdate(localtime=False, usegmt=True)
    stamp["Message-ID"] = message_id
    stamped = bytes(stamp).split(b"\r\n\r\n")[0] + b"\r\n"
    fields = [f for f in header_fields(head) if field_name(f) not in DROPPED_HEADERS]
    if row.pdf is None:
        return stamped + b"".join(fields) + b"\r\n" + body
    boundary = f"=_folio_mixed_{row.digest[:24]}".encode()
    if boundary in body:
        raise SendError(f"{display_path(row.eml)}: the message holds the text "
                        f"{boundary.decode()}; make the merge again")
    pdf = MIMEPart(policy=POLICY)
    pdf.set_content(row.pdf.read_bytes(), maintype="application", subtype="pdf",
                    disposition="attachment", filename=attachment_name)
    inner = [f for f in fields if field_name(f) in CONTENT_HEADERS]
    outer = [f for f in fields if field_name(f) not in CONTENT_HEADERS]
    if not any(field_name(f) == b"mime-version" for f in outer):
        outer.append(b"MIME-Version: 1.0\r\n")
    if not inner:  # a message without Content-Type is plain text, RFC 2045
        inner = [b"Content-Type: text/plain; charset=us-ascii\r\n"]
    return b"".join([
        stamped, *outer,
        b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n',
        b"--" + boundary + b"\r\n", *inner, b"\r\n", body,
        b"\r\n--" + boundary + b"\r\n", pdf.as_bytes(policy=POLICY),
        b"\r\n--" + boundary + b"--\r\n",
    ])
