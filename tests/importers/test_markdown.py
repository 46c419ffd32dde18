"""Tests of the Markdown reader: .md drafts -> editions that load, losing nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio.content import load_edition
from folio.importers import import_draft
from tests.importers.conftest import _import_text, _png, bodies, paragraph, short_line, titles


def test_markdown_draft(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "Chart One.png").write_bytes(_png((0, 0, 0)))
    draft.write_text(
        "Opening words before the title.\n\n# Spring News\n\nIntro paragraph.[^a]\n\n"
        "## First part\n\nText of the first part.\n\n### A detail\n\nMore text, with "
        "[a link][site].\n\n```\n## not a heading\n```\n\n![A chart](pics/Chart%20One.png)\n\n"
        "Second part\n-----------\n\nLast words.\n\n[^a]: The note.\n\n"
        "[site]: https://example.org/\n", encoding="utf-8")
    report = import_draft(draft, tmp_path / "content", "spring")
    folder = tmp_path / "content" / "spring"
    assert load_edition(folder).config.title == "Spring News"
    assert titles(folder) == ["Introduction", "First part", "Second part"]
    text = bodies(folder)
    assert text["01-introduction.md"].split("\n\n") == [
        "Opening words before the title.", "Intro paragraph.[^a]", "[^a]: The note."]
    first = text["02-first-part.md"]
    assert "\n# A detail\n" in first and "## not a heading" in first
    assert "[site]: https://example.org/" in first
    assert "![A chart](images/chart-one.png)" in first
    assert (folder / "images" / "chart-one.png").is_file()
    assert report.pictures == [("chart-one.png", "A chart")]
    assert text["03-second-part.md"] == "Last words."
    settings = (folder / "edition.yaml").read_text()
    assert "asset_base_url: https://example.org/spring/email-images/" in settings
    assert str(report).splitlines()[-1].endswith(
        f"check spring --content {tmp_path / 'content'}`.")  # where the edition went


def test_next_line_leaves_out_the_default_content_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.md").write_text("# Title\n\nSome words.\n")
    report = import_draft(Path("draft.md"), Path("content"), "spring")
    assert str(report).splitlines()[-1].endswith("check spring`.")


def test_markdown_draft_with_front_matter_and_missing_picture(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("---\ntitle: From front matter\n---\nText.\n\n![Gone](gone.png)\n")
    report = import_draft(draft, tmp_path / "content", "fm")
    assert load_edition(tmp_path / "content" / "fm").config.title == "From front matter"
    assert any("gone.png" in note for note in report.notes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_line, st.lists(st.tuples(st.integers(0, 4), short_line,
                                      st.lists(paragraph, max_size=4)), max_size=12),
       st.lists(paragraph, max_size=3))
def test_markdown_drafts_lose_nothing(title: str, parts: list[tuple[int, str, list[str]]],
                                      preamble: list[str]) -> None:
    lines = [f"# {title}", *preamble]
    expected = list(preamble)
    for depth, heading, paragraphs in parts:
        marks = "##" + "#" * depth
        lines.append(f"{marks} {heading}")
        lines += paragraphs
        if depth:
            expected.append("#" * depth + " " + heading)
        expected += paragraphs
    if len(lines) == 1:
        lines.append("Some text.")
        expected.append("Some text.")
    folder = _import_text("\n\n".join(lines) + "\n", ".md")
    edition = load_edition(folder)
    assert edition.config.title == title
    first_section = next((i for i, (depth, _, _) in enumerate(parts) if depth == 0), len(parts))
    introduction = bool(preamble) or first_section > 0 or not parts
    expected_titles = ["Introduction"] * introduction + [h for d, h, _ in parts if d == 0]
    assert [s.meta.title for s in edition.sections] == expected_titles
    seen = [p for s in edition.sections for p in s.body.strip().split("\n\n") if p]
    assert seen == expected
