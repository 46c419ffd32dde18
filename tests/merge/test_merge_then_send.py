"""A donor statement from end to end: `folio merge` makes each row's PDF and email, then
`folio send --merge` delivers them through a real mail server on 127.0.0.1, each once,
each with its own PDF attached."""

from __future__ import annotations

import csv
import email
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import generate
from tests.merge.conftest import pdf_text
from tests.test_delivery import Relay
from tests.test_send import free_port


@pytest.mark.slow
def test_a_merge_is_delivered_once_per_row_with_its_own_pdf(donor_project: Path) -> None:
    made = generate(donor_project, "merge", "donor-statement", "--jobs", "1")
    assert made.returncode == 0, made.stderr
    folder = donor_project / "build" / "donor-statement" / "merge"
    with (donor_project / "content" / "donor-statement" / "donors.csv").open(
            encoding="utf-8", newline="") as handle:
        rows = {row["donor_id"]: row for row in csv.DictReader(handle)}
    assert {p.stem for p in folder.glob("*.eml")} == set(rows)

    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        sent = generate(donor_project, "send", "donor-statement", "--merge", "--smtp",
                        f"127.0.0.1:{controller.port}", "--attach-pdf")
        assert sent.returncode == 0, sent.stderr
        again = generate(donor_project, "send", "donor-statement", "--merge", "--smtp",
                         f"127.0.0.1:{controller.port}", "--attach-pdf")
        assert again.returncode == 0, again.stderr
        assert again.stdout.startswith("nothing to send")
    finally:
        controller.stop()

    assert handler.received() == {row["email"]: 1 for row in rows.values()}
    for envelope in handler.envelopes:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        [key] = [k for k, row in rows.items() if row["email"] == envelope.rcpt_tos[0]]
        assert message["To"] == rows[key]["email"]
        [attachment] = [part for part in message.iter_attachments()
                        if part.get_content_type() == "application/pdf"]
        pdf = attachment.get_content()
        assert pdf == (folder / f"{key}.pdf").read_bytes()  # the row's own PDF
        (folder.parent / f"{key}-received.pdf").write_bytes(pdf)
        text = pdf_text(folder.parent / f"{key}-received.pdf")
        assert rows[key]["total"] in text
        others = [r["last_name"] for k, r in rows.items() if k != key and r["last_name"]]
        assert not any(name in text for name in others)
