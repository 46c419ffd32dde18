"""Helpers shared by the tests in this folder."""

from __future__ import annotations

import email
import re
from email.policy import default
from pathlib import Path

import yaml

from folio.content import load_edition
from folio.formats.email import render
from folio.markup import render_sections
from folio.theme import load_theme

ROOT = Path(__file__).resolve().parents[3]




SAMPLES = ["february-2026", "reflections-2025"]


TRACKING = "utm_source=newsletter&utm_medium=email&utm_campaign="


def configure(project: Path, email_settings: dict | None = None, **settings: object) -> None:
    """Change the mini edition's edition.yaml: top-level keys and `email:` keys."""
    path = project / "content" / "mini" / "edition.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(settings)
    data["email"] = {**data.get("email", {}), **(email_settings or {})}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def render_edition(folder: Path) -> dict[str, bytes]:
    edition = render_sections(load_edition(folder))
    return render(edition, load_theme(edition.config.theme, folder.parent.parent, edition.root))


def render_mini(project: Path) -> dict[str, bytes]:
    return render_edition(project / "content" / "mini")


def html_of(files: dict[str, bytes]) -> str:
    return files["email.html"].decode()


def outside_comments(html: str) -> str:
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


def message_of(files: dict[str, bytes]) -> email.message.EmailMessage:
    return email.message_from_bytes(files["email.eml"], policy=default)


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a\b[^>]*?\shref=(?:"([^"]*)"|\'([^\']*)\')', html)
