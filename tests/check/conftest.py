"""Helpers shared by the tests of `check`: write an edition, check a body."""

from __future__ import annotations

from pathlib import Path

from folio.check import Finding, check_edition

EMAIL = 'email: {asset_base_url: "https://example.org/img/", from: "Test <news@test.org>"}'
"""The email settings of `CONFIG`: its pictures' web address and its sender."""
CONFIG = f"""\
title: Test edition
organisation: Test Organisation
date: 2025-06-01
language: en-GB
{EMAIL}
"""


def write_edition(root: Path, sections: dict[str, str], config: str = CONFIG,
                  name: str = "test") -> Path:
    """Write an edition folder: edition.yaml and one file per section.

    A section text that does not start with front matter gets `title: <file name>`.
    """
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text(config, encoding="utf-8")
    for file, text in sections.items():
        if not text.startswith("---"):
            text = f"---\ntitle: {Path(file).stem[3:].title()}\n---\n{text}"
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def check_body(tmp_path: Path, body: str, config: str = CONFIG, **options: object
               ) -> list[Finding]:
    """Check an edition of one section whose body is `body`."""
    folder = write_edition(tmp_path, {"01-text.md": body}, config)
    return check_edition(folder, **options)  # type: ignore[arg-type]


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]
