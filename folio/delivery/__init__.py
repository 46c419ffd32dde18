"""Delivery: a merge's messages -> each recipient's inbox once, over SMTP, with an outbox.

In: `build/<edition>/merge/<key>.eml` (and `<key>.pdf`) as `folio merge` writes them, and
the edition's `email:` settings. Out: the messages handed to the organisation's mail
server, and `build/<edition>/merge/outbox.sqlite`, which records each one's state.
Imports the shared stages and the email format's message helpers, never a command.

Read `deliver` top to bottom: first check everything (the edition, every row, the size
of every message) and decide what is left to send; then connect (a server that cannot be
reached, or refuses the login, stops the run before the outbox is touched), queue, and
send one message after another over one connection, at most `rate` a second. A 5xx reply
fails that row and the run goes on; a 4xx reply or a dropped connection is tried again,
after 1, 2 and 4 seconds. Modules:
- `smtp`: the connection (shared with the proof) and one message's transaction;
- `messages`: the merge's files -> checked rows -> the bytes sent;
- `outbox`: the SQLite record of every message's state.
"""

from __future__ import annotations

import fcntl
import re
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content import line_of, load_edition
from ..errors import Problem, SendError, command_line, display_path
from ..sources import find_edition
from . import outbox as outboxes
from .messages import DEFAULT_MAX_SIZE, Row, merge_folder, message_id, outgoing, read_rows
from .smtp import (
    Refused,
    Server,
    close,
    connect,
    largest_message,
    sender_refused,
    transmit,
)
from .smtp import server as smtp_server

__all__ = ["Summary", "deliver", "outbox_status", "parse_rate"]

RETRIES = 3
"""How many more times a message is tried after a temporary failure (4xx, lost connection)."""
BACKOFF = 1.0
"""Seconds before the first retry; each further retry waits twice as long."""

Say = Callable[[str], None]


@dataclass
class Summary:
    """What a delivery run did, and what the outbox holds after it."""

    sent: int = 0
    failed: int = 0
    left: int = 0
    """Messages still to send: queued, or in flight when the run stopped."""
    failed_before: int = 0
    """Rows that failed in an earlier run and are not tried again (their file is the same)."""

    @property
    def ok(self) -> bool:
        """Return True when nothing failed and nothing is left."""
        return not (self.failed or self.failed_before or self.left)

    def line(self) -> str:
        """Return the summary a run ends with: `sent 4, failed 1, left 0`."""
        text = f"sent {self.sent}, failed {self.failed}, left {self.left}"
        if self.failed_before:
            text += f" ({self.failed_before} failed in an earlier run: see --status)"
        return text


def parse_rate(value: str) -> float:
    """Return messages per second from `--rate`: `5`, `5/s`, `120/min` or `3600/h`."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|sec|second|m|min|minute|h|hour))?\s*",
                         value)
    number = float(match[1]) if match else 0.0
    if not match or number <= 0:
        raise SendError(f"--rate '{value}' is not a rate; write messages per second as 5/s "
                        "(or 120/min, 3600/h)")
    per = {"m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}.get(match[2] or "s", 1)
    return number / per


def deliver(
    edition: str, *, content: Path, out: Path, smtp: str = "localhost:25",
    starttls: bool = False, user: str | None = None, rate: float | None = None,
    attach_pdf: bool = False, dry_run: bool = False, say: Say = print,
) -> Summary:
    """Send every merged message of `edition` that is not sent yet; return the summary.

    Each message's progress is passed to `say` as a line. Raise `SendError` for bad input
    (nothing is sent, the outbox is unchanged) and when the run has to stop.
    """
    # Phase 1: check every row, and decide what is left to send.
    folder = find_edition(edition, content)
    loaded = load_edition(folder)
    settings = loaded.config.email
    if settings.merge_tags not in ("none", "custom"):
        raise SendError([Problem(
            folder / "edition.yaml", line_of(loaded.lines, ("email", "merge_tags")),
            f"email.merge_tags is '{settings.merge_tags}', whose tags only that service fills "
            "in (the unsubscribe link would reach readers as a tag); to send the merge "
            "yourself, write merge_tags: none and your own unsubscribe_url, then run "
            f"{command_line(f'merge {folder.name}')} again")])
    merge = merge_folder(out, folder.name)
    attach = attach_pdf or settings.attach_pdf
    rows = read_rows(merge, folder.name, attach=attach,
                     max_size=int(settings.max_size or DEFAULT_MAX_SIZE))
    with outboxes.opened(merge, create=False) as box:
        known = box.entries() if box else {}
    plan = [row for row in rows if _to_send(row, known.get(row.key))]
    planned = {row.key for row in plan}
    summary = Summary(failed_before=sum(
        1 for row in rows if row.key not in planned and known[row.key].state == "failed"))
    if dry_run:
        for row in plan:
            again = " (again)" if row.key in known and known[row.key].state != "queued" else ""
            say(f"would send {row.key} to {row.address} ({row.size / 1024:.0f} KB"
                f"{', PDF attached' if row.pdf else ''}){again}")
        say(f"dry run: {len(plan)} to send, {len(rows) - len(plan)} sent or failed before; "
            "nothing was sent and the outbox is unchanged")
        summary.left = len(plan)
        return summary
    if not plan:
        said = f"nothing to send: all {len(rows)} messages of {folder.name} went in earlier runs"
        if summary.failed_before:
            said += f", but {summary.failed_before} failed (see --status)"
        say(said)
        return summary

    # Phase 2: connect, queue, send one message after another.
    server = smtp_server(smtp, starttls=starttls, user=user)
    with _only_run(merge, folder.name):
        sending = _Sending(server, rate, say, plan[0].sender)
        try:
            with outboxes.opened(merge, create=True) as box:
                assert box is not None
                known = box.entries()
                for row in rows:
                    _queue(box, row, known.get(row.key), folder.name, say)
                for row in plan:
                    if not sending.one(box, row, folder.name):
                        break
                after = box.entries()
        finally:
            sending.stop()
        summary.sent, summary.failed = sending.sent, sending.failed
        summary.left = sum(after[row.key].state in ("queued", "sending") for row in rows)
    if sending.stopped:
        raise SendError(f"{sending.stopped}; {summary.line()}: run the same command again "
                        "to send the rest")
    return summary


def _to_send(row: Row, entry: outboxes.Entry | None) -> bool:
    """Return True when a row is still to send: new, queued, in flight, or worth a retry."""
    if entry is None or entry.state in ("queued", "sending"):
        return True
    if entry.state == "sent":
        return False
    return not entry.permanent or entry.digest != row.digest  # failed: retry when corrected


def _queue(box: outboxes.Outbox, row: Row, entry: outboxes.Entry | None, edition: str,
           say: Say) -> None:
    if entry is None:
        box.queue(row.key, row.address, message_id(edition, row.key, row.digest, row.sender),
                  row.digest)
    elif entry.state == "sending":
        say(f"{row.key} to {entry.address} was being sent when the last run stopped: sending "
            "it again with the same Message-ID")
    elif entry.state == "failed" and _to_send(row, entry):
        box.queue(row.key, row.address, entry.message_id, row.digest)


class _Sending:
    """One connection, reopened when lost; the pace; the retries of one message."""

    def __init__(self, server: Server, rate: float | None, say: Say, sender: str):
        self.server = server
        self.gap = 1 / rate if rate else 0.0
        self.say = say
        self.last = 0.0
        self.sent = 0
        self.failed = 0
        self.stopped = ""
        """Why the run stopped before the end (the server went away), or ""."""
        self.client: smtplib.SMTP | None = connect(server, sender)
        self.limit = largest_message(self.client)

    def stop(self) -> None:
        if self.client is not None:
            close(self.client)
            self.client = None

    def one(self, box: outboxes.Outbox, row: Row, edition: str) -> bool:
        """Send one queued row, with retries; return False when the run must stop."""
        data = outgoing(row, message_id=box.entry(row.key).message_id,
                        attachment_name=f"{edition}.pdf")
        if self.limit and len(data) > self.limit:
            self._fail(box, row, f"the message is {len(data)} bytes, more than the {self.limit} "
                       "the server accepts (it says so when Folio connects)", True)
            return True
        for attempt in range(RETRIES + 1):
            if attempt:
                time.sleep(BACKOFF * 2 ** (attempt - 1))
            try:
                if self.client is None or self.client.sock is None:
                    self.client = connect(self.server, row.sender)
                self._pace()
                box.sending(row.key)
                reply = transmit(self.client, row.sender, row.address, data)
            except Refused as refusal:
                if refusal.step == "sender" and refusal.permanent:
                    box.requeue(row.key)
                    raise sender_refused(self.server, row.sender, refusal.code,
                                         refusal.reply) from None
                if refusal.permanent:
                    self._fail(box, row, refusal.reply, True)
                    return True
                why = refusal.reply
            except (smtplib.SMTPException, OSError, SendError) as exc:
                self.stop()
                why = str(exc) or type(exc).__name__
                if isinstance(exc, SendError) and "refused the user name" in why:
                    raise
            else:
                box.sent(row.key, reply)
                self.sent += 1
                self.say(f"sent {row.key} to {row.address}: {reply}")
                return True
        if self.client is None:  # the connection itself failed every time
            self.stopped = (f"the connection to the mail server at {self.server.where} was "
                            f"lost {RETRIES + 1} times in a row (the last time: {why})")
            return False
        self._fail(box, row, f"{why} (a temporary refusal, still there after {RETRIES + 1} "
                   "tries; a rerun tries again)", False)
        return True

    def _fail(self, box: outboxes.Outbox, row: Row, reason: str, permanent: bool) -> None:
        box.failed(row.key, reason, permanent)
        self.failed += 1
        self.say(f"failed {row.key} to {row.address}: {reason}")

    def _pace(self) -> None:
        wait = self.last + self.gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last = time.monotonic()


class _only_run:
    """Hold `merge/.outbox.lock`, so that two runs never send the same messages."""

    def __init__(self, merge: Path, edition: str):
        self.path = merge / ".outbox.lock"
        self.edition = edition

    def __enter__(self) -> None:
        self.handle = open(self.path, "a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise SendError(f"another `send {self.edition} --merge` is running; wait for it "
                            "to end (it sends the same messages)") from None

    def __exit__(self, *_: object) -> None:
        self.handle.close()


def outbox_status(edition: str, *, content: Path, out: Path) -> list[str]:
    """Return the outbox's counts, then one line per failed row."""
    folder = find_edition(edition, content)
    merge = merge_folder(out, folder.name)
    with outboxes.opened(merge, create=False) as box:
        if box is None:
            return [f"{display_path(merge / outboxes.FILE_NAME)} does not exist yet: nothing "
                    f"of {folder.name} has been sent"]
        counts = box.counts()
        lines = [f"{display_path(box.path)}: " + ", ".join(
            f"{counts[state]} {state}" for state in outboxes.STATES)]
        for entry in box.entries().values():
            if entry.state == "failed":
                lines.append(f"failed {entry.key} to {entry.address}: {entry.reply}")
            elif entry.state == "sending":
                lines.append(f"in flight when a run stopped: {entry.key} to {entry.address} "
                             "(sent again by the next run)")
    return lines
