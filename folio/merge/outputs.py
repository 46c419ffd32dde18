"""Outputs: a built `email.eml` and a row -> the row's own message; rows -> the manifest.

The message keeps every header and part of the edition's email (the plain-text part,
List-Unsubscribe, the pictures) and gets the row's `To` and a Message-ID made from the
edition and the key, the same on every run, so that a resent message is known as one.
The manifest, `build/<edition>/merge/manifest.sqlite`, records per key the digest of the
row's data and of the edition, and the files written: a row is done when both digests
match and its files are there. SQLite commits each row atomically: a run killed at any
moment leaves the manifest as it was after the last row it finished.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..errors import FolioError
from ..formats.email.message import address_problem, sender_domain

MANIFEST = "manifest.sqlite"


def message_id(edition: str, key: str, sender: str) -> str:
    """Return the stable Message-ID of one row's email."""
    digest = hashlib.sha256(f"folio merge\0{edition}\0{key}".encode()).hexdigest()
    return f"<{digest[:32]}@{sender_domain(sender)}>"


def recipient_problem(address: str) -> str | None:
    """Return what is wrong with a row's email address, or None."""
    if not address.strip():
        return "has no email address"
    problem = address_problem(address.strip())
    if problem is None and "<" in address:
        problem = "must be the address alone, such as name@example.org"
    return f"its email address '{address[:60]}' {problem}" if problem else None


def addressed(eml: bytes, to: str, identifier: str) -> bytes:
    """Return the message with `To` and `Message-ID` set; everything else byte for byte."""
    split = eml.find(b"\r\n\r\n")
    if split < 0:
        raise FolioError("the email built for this row has no header block")
    head, body = eml[:split + 2], eml[split + 2:]
    fields: list[bytes] = []
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        elif line.strip():
            fields.append(line)
    replaced = {b"to": f"To: {to.strip()}\r\n".encode("ascii"),
                b"message-id": f"Message-ID: {identifier}\r\n".encode("ascii")}
    kept = [replaced.get(field.split(b":", 1)[0].strip().lower(), field) for field in fields]
    return b"".join(kept) + body


def row_digest(columns: list[str], values: Iterable[str]) -> str:
    """Return the digest of a row's data, column names included."""
    return hashlib.sha256(json.dumps([columns, list(values)], ensure_ascii=False)
                          .encode()).hexdigest()


class Manifest:
    """The record of finished rows, in SQLite beside the outputs."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        try:
            self.connection = self._open()
        except sqlite3.DatabaseError:  # not a manifest: every row is made again
            (folder / MANIFEST).unlink(missing_ok=True)
            self.connection = self._open()

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.folder / MANIFEST, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS rows (key TEXT PRIMARY KEY, row INTEGER, "
                "data TEXT, edition TEXT, files TEXT)")
            connection.execute("SELECT key, data, edition, files FROM rows LIMIT 1")
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def done(self) -> dict[str, tuple[str, str, list[str]]]:
        """Return each recorded key's (data digest, edition digest, files)."""
        return {key: (data, edition, json.loads(files)) for key, data, edition, files in
                self.connection.execute("SELECT key, data, edition, files FROM rows")}

    def record(self, key: str, row: int, data: str, edition: str, files: list[str]) -> None:
        """Record a finished row (its files already in place)."""
        self.connection.execute("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?, ?)",
                                (key, row, data, edition, json.dumps(sorted(files))))

    def forget(self, key: str) -> None:
        """Forget a row, before its files are replaced."""
        self.connection.execute("DELETE FROM rows WHERE key = ?", (key,))

    def close(self) -> None:
        """Close the database."""
        self.connection.close()


def leftovers(folder: Path) -> list[Path]:
    """Return temporary files a killed run left in the merge folder."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if re.match(r"^\..*\.tmp$", p.name) and p.is_file()]
