"""What a process remembers between rebuilds (`watch`): Markdown by text, picture checks by
bytes; an edit always shows, and only what changed is done again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from folio import markup, pictures
from folio.build import build_edition


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Count the Markdown conversions (by prefix) and picture decodings from here on."""
    markup.inline.cache_clear()
    markup.render_markdown.cache_clear()
    monkeypatch.setattr(pictures, "RASTER_VERDICTS", {})
    calls: dict[str, list[str]] = {"markdown": [], "decoded": []}
    convert, decode = markup._Renderer.convert, pictures._raster_problem

    def counting_convert(self: markup._Renderer, text: str, prefix: str) -> str:
        calls["markdown"].append(prefix)
        return convert(self, text, prefix)

    def counting_decode(data: bytes, relative: str) -> str | None:
        calls["decoded"].append(relative)
        return decode(data, relative)

    monkeypatch.setattr(markup._Renderer, "convert", counting_convert)
    monkeypatch.setattr(pictures, "_raster_problem", counting_decode)
    return calls


def test_a_rebuild_renders_only_the_section_that_changed(
        project: Path, counted: dict[str, list[str]]) -> None:
    edition, out = project / "content" / "mini", project / "build"
    assert build_edition(edition, out, ["web", "email"]).ok
    assert counted["markdown"].count("inline") >= 3  # titles and summaries
    assert len(counted["decoded"]) == len(set(counted["decoded"])) >= 1  # once each
    section = sorted(edition.glob("0*.md"))[0]
    section.write_text(section.read_text() + "\nA sentence added in the rebuild.\n")
    counted["markdown"].clear()
    counted["decoded"].clear()

    assert build_edition(edition, out, ["web", "email"]).ok
    slug = section.stem.split("-", 1)[1]
    assert counted["markdown"] == [slug]  # that section's body, nothing else
    assert counted["decoded"] == []
    assert "A sentence added in the rebuild." in (out / "mini" / "index.html").read_text()


def test_titles_are_rendered_once_for_the_web_page_and_the_email(
        project: Path, counted: dict[str, list[str]]) -> None:
    edition = project / "content" / "mini"
    assert build_edition(edition, project / "build", ["web"]).ok
    web = counted["markdown"].count("inline")
    assert build_edition(edition, project / "build", ["email"]).ok
    assert counted["markdown"].count("inline") == web


def test_an_edited_title_shows(project: Path, counted: dict[str, list[str]]) -> None:
    edition, out = project / "content" / "mini", project / "build"
    assert build_edition(edition, out, ["web"]).ok
    section = sorted(edition.glob("0*.md"))[0]
    text = section.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    section.write_text(text.replace(title, "title: A *new* title", 1))
    assert build_edition(edition, out, ["web"]).ok
    assert "A <em>new</em> title" in (out / "mini" / "index.html").read_text()


def noise(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((size, size), 40).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_picture_is_judged_again_when_its_bytes_change(
        project: Path, counted: dict[str, list[str]]) -> None:
    good = noise(64)
    first = pictures.content_problem(good, ".png", "images/p.png")
    again = pictures.content_problem(good, ".png", "images/p.png")
    assert first is None and again is None
    assert counted["decoded"] == ["images/p.png"]  # the second answer was remembered
    cut = good[: len(good) // 2]
    assert "damaged" in (pictures.content_problem(cut, ".png", "images/p.png") or "")
    assert "'images/q.png' is damaged" in (pictures.content_problem(cut, ".png", "images/q.png")
                                           or "")  # the answer names the picture asked about
    assert pictures.content_problem(good, ".png", "images/p.png") is None


def test_the_remembered_answers_are_bounded(
        monkeypatch: pytest.MonkeyPatch, counted: dict[str, list[str]]) -> None:
    monkeypatch.setattr(pictures, "RASTER_VERDICTS_KEPT", 3)
    pictures_made = [noise(8 + n) for n in range(5)]
    for data in pictures_made:
        assert pictures.content_problem(data, ".png", "p.png") is None
    assert len(pictures.RASTER_VERDICTS) == 3
    assert pictures.content_problem(pictures_made[0], ".png", "p.png") is None
    assert len(counted["decoded"]) == 6  # the oldest was forgotten, then decoded again


def test_a_damaged_picture_fixed_in_watch_is_accepted(
        project: Path, counted: dict[str, list[str]]) -> None:
    edition, out = project / "content" / "mini", project / "build"
    picture = next(p for p in (edition / "images").iterdir() if p.suffix == ".png")
    kept = picture.read_bytes()
    picture.write_bytes(kept[: len(kept) // 2])
    broken = build_edition(edition, out, ["web"])
    assert not broken.ok and "damaged" in str(broken.problems[0])
    picture.write_bytes(kept)
    assert build_edition(edition, out, ["web"]).ok
