"""Outbox: one row per merged message -> its state on disk, committed at every change.

`build/<edition>/merge/outbox.sqlite` (SQLite in WAL mode, `synchronous=FULL`) holds, per
key, the address, the Message-ID given to the message the first time it was queued, and
its state: `queued`, `sending` (marked and committed just before the message is handed to
the server), `sent` (with the server's reply and the time) or `failed` (with the reason).
A run killed at any moment leaves every row in one of these states: a `sending` row is the
one message that may or may not have reached the server, and the next run sends it again
with the same Message-ID.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SendError

FILE_NAME = "outbox.sqlite"
STATES = ("queued", "sending", "sent", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    key TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    message_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    reply TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    changed TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Entry:
    """One message of the outbox."""

    key: str
    address: str
    message_id: str
    digest: str
    """The SHA-256 of the `.eml` as last queued: a changed file is a corrected message."""
    state: str
    attempts: int
    reply: str | None
    """The server's reply to a sent message, or why a failed one failed."""
    permanent: bool
    """A failure the server called permanent (5xx): not tried again while the file is the same."""
    changed: str
    """When the state last changed, UTC, ISO 8601."""


def _entry(row: tuple[Any, ...]) -> Entry:
    key, address, message_id, digest, state, attempts, reply, permanent, changed = row
    return Entry(key, address, message_id, digest, state, attempts, reply, bool(permanent),
                 changed)


def now() -> str:
    """Return the time as the outbox stores it: UTC, to the second, ISO 8601."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


class Outbox:
    """The outbox of one merge: read it, queue rows, record each state change."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path

    def entries(self) -> dict[str, Entry]:
        """Return every row, by key, in key order."""
        rows = self.db.execute("SELECT key, address, message_id, digest, state, attempts, "
                               "reply, permanent, changed FROM messages ORDER BY key")
        return {row[0]: _entry(row) for row in rows}

    def entry(self, key: str) -> Entry:
        """Return one row."""
        row = self.db.execute("SELECT key, address, message_id, digest, state, attempts, "
                              "reply, permanent, changed FROM messages WHERE key = ?",
                              (key,)).fetchone()
        return _entry(row)

    def counts(self) -> dict[str, int]:
        """Return how many rows are in each state."""
        found = dict(self.db.execute("SELECT state, count(*) FROM messages GROUP BY state"))
        return {state: found.get(state, 0) for state in STATES}

    def queue(self, key: str, address: str, message_id: str, digest: str) -> None:
        """Add a new row, or queue an existing one again (keeping its Message-ID)."""
        with self.db:
            self.db.execute(
                "INSERT INTO messages (key, address, message_id, digest, state, changed) "
                "VALUES (?, ?, ?, ?, 'queued', ?) ON CONFLICT (key) DO UPDATE SET "
                "address = excluded.address, digest = excluded.digest, state = 'queued', "
                "reply = NULL, permanent = 0, attempts = 0, changed = excluded.changed",
                (key, address, message_id, digest, now()))

    def sending(self, key: str) -> None:
        """Record that the message is about to be handed to the server."""
        self._set(key, "UPDATE messages SET state = 'sending', attempts = attempts + 1, "
                  "changed = ? WHERE key = ?", (now(), key))

    def sent(self, key: str, reply: str) -> None:
        """Record the server's acceptance of the message."""
        self._set(key, "UPDATE messages SET state = 'sent', reply = ?, permanent = 0, "
                  "changed = ? WHERE key = ?", (reply, now(), key))

    def failed(self, key: str, reason: str, permanent: bool) -> None:
        """Record that the message was not sent, and why."""
        self._set(key, "UPDATE messages SET state = 'failed', reply = ?, permanent = ?, "
                  "changed = ? WHERE key = ?", (reason, int(permanent), now(), key))

    def requeue(self, key: str) -> None:
        """Put back a message that was about to go when the run stopped before sending it."""
        self._set(key, "UPDATE messages SET state = 'queued', changed = ? WHERE key = ? "
                  "AND state = 'sending'", (now(), key))

    def _set(self, key: str, sql: str, values: tuple[object, ...]) -> None:
        with self.db:  # one transaction, committed (and synced) when the block ends
            self.db.execute(sql, values)


@contextmanager
def opened(folder: Path, create: bool) -> Iterator[Outbox | None]:
    """Open the outbox in `folder` (creating it when `create`); None when there is none."""
    path = folder / FILE_NAME
    if not create and not path.is_file():
        yield None
        return
    try:
        connection = sqlite3.connect(path, timeout=10, isolation_level="DEFERRED")
    except sqlite3.Error as exc:
        raise SendError(f"{path}: the outbox cannot be opened ({exc})") from None
    with closing(connection):
        try:
            if create:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute(SCHEMA)
                connection.commit()
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("SELECT count(*) FROM messages").fetchone()
        except sqlite3.DatabaseError as exc:
            raise SendError(f"{path}: this is not a Folio outbox, or it is damaged ({exc}); "
                            "move it away to start a new one (every message would be sent "
                            "again)") from None
        yield Outbox(connection, path)
