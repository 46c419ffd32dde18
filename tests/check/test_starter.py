"""What `folio new` writes is a placeholder until changed: check flags it, --strict refuses."""

from __future__ import annotations

import re
from pathlib import Path

from folio.build import build
from folio.check import check_edition
from folio.scaffold import new_edition

WRITTEN = {
    "edition.yaml": {"subtitle", "organisation", "description", "from"},
    "01-introduction.md": {"summary", "Write the opening", "your-organisation.example/",
                           "Footnotes become"},
    "02-key-figures.md": {"figures", "A sentence about"},
    "03-get-involved.md": {"your-organisation.example/join", "Tell the reader"},
}
"""Every example `folio new` writes, by file, as its placeholder finding quotes it."""


def placeholders(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in check_edition(folder):
        if finding.rule == "placeholder":
            found.setdefault(Path(finding.file).name, []).append(finding.message)
    return found


def test_every_starter_text_is_a_placeholder_until_changed(tmp_path: Path) -> None:
    folder = new_edition(tmp_path / "content", "spring-2026")
    found = placeholders(folder)
    assert set(found) == set(WRITTEN)
    for name, examples in WRITTEN.items():
        for example in examples:
            assert [m for m in found[name] if example in m], (name, example, found[name])
    # every line of prose the scaffold wrote is flagged somewhere
    for path in folder.glob("*.md"):
        body = path.read_text().split("---\n", 2)[2]
        for sentence in re.findall(r"[A-Z][^.\n]*\.", body.split("[^1]:")[0]):
            if "Markdown works" not in sentence:
                assert any(sentence in m for m in found[path.name]), sentence

    written = {path: path.read_text() for path in folder.iterdir() if path.is_file()}
    for path, text in written.items():
        text = (text.replace("One line under the title", "News from the harbour")
                .replace("Your organisation", "Harbour Trust")
                .replace("your-organisation.example", "harbour-trust.org")
                .replace("One sentence for search engines and link previews.",
                         "What the harbour did this spring.")
                .replace("One or two sentences that the email digest shows.",
                         "Forty volunteers cleaned the harbour.")
                .replace("Write the opening here.", "Spring came early.")
                .replace("Footnotes become real page footnotes in the PDF.", "As counted.")
                .replace('"120"', '"140"')
                .replace("A sentence about what the numbers mean.", "We grew.")
                .replace("Tell the reader what to do next.", "Come and help."))
        path.write_text(text)
    assert placeholders(folder) == {}


def test_strict_build_refuses_the_starter_text(tmp_path: Path) -> None:
    new_edition(tmp_path / "content", "spring-2026")
    edition = tmp_path / "content" / "spring-2026" / "edition.yaml"
    edition.write_text(edition.read_text().replace("Your organisation", "Harbour Trust"))
    result, *_archive = build(["spring-2026"], content=tmp_path / "content",
                              out=tmp_path / "build", formats=["web"], checks="strict")
    assert not result.ok
    assert any("One sentence for search engines" in str(p) for p in result.slips)
    assert not (tmp_path / "build" / "spring-2026" / "index.html").exists()
