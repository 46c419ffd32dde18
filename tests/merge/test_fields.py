"""Merge fields are parsed by hand and filled as text; nothing else in braces passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.content import load_edition
from folio.errors import ContentError
from folio.markup import render_sections
from folio.merge.fields import field_problems, fill, parse
from folio.merge.personalise import personalise, preview

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "merge" / "content"


@pytest.fixture
def donor(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "donor-statement"
    shutil.copytree(FIXTURE / "donor-statement", target)
    return target


def test_a_field_is_filled_with_the_value_or_its_fallback() -> None:
    text = 'Dear {{ recipient.first_name | default("friend") }} {{recipient.Last-Name}}!'
    assert fill(text, {"first_name": "Amélie", "last_name": "Durand"}) == "Dear Amélie Durand!"
    assert fill(text, {"first_name": "  ", "last_name": ""}) == "Dear friend !"
    assert fill(text, None) == "Dear friend !"
    assert fill("{{ recipient.x | default('a, b') }}", None) == "a, b"


def test_values_are_text_in_markdown_never_markup() -> None:
    body = fill("Hello {{ recipient.name }}.", {"name": '*Zoë* <b>"O\'Brien"</b> [x](y) & 1.'},
                markdown=True)
    from folio.markup import render_markdown

    html, _ = render_markdown(body, "s")
    assert "<em>" not in html and "<b>" not in html and "<a " not in html
    assert html == """<p>Hello *Zoë* &lt;b&gt;"O'Brien"&lt;/b&gt; [x](y) &amp; 1..</p>"""


@pytest.mark.parametrize("text", [
    "{{ recipient.name | upper }}", "{{ 7 * 7 }}", "{% for x in y %}", "{{ name }}",
    "{{ recipient.__class__ }}x", "{# note #}", "{{ recipient.name", "{{ cycler.__init__ }}",
    '{{ recipient.a | default(recipient.b) }}',
])
def test_anything_else_in_braces_is_an_error(text: str) -> None:
    _, wrong = parse(text)
    if text == "{{ recipient.__class__ }}x":  # a column may be called __class__: only text
        assert fill(text, {"__class__": "v"}) == "vx"
        return
    assert wrong, text


def test_service_tags_stay_in_the_unsubscribe_setting() -> None:
    assert fill("{{ UnsubscribeURL }}?id={{ recipient.id }}", {"id": "7"},
                service_tags=True) == "{{ UnsubscribeURL }}?id=7"


def test_problems_name_the_file_the_line_and_the_columns(donor: Path) -> None:
    section = donor / "01-thank-you.md"
    section.write_text(section.read_text() + "\nYour {{ recipient.town }} group.\n"
                       "{{ 7 * 7 }}\n")
    problems = field_problems(load_edition(donor), ["donor_id", "first_name", "last_name",
                                                    "total", "gifts", "region", "email"])
    found = {(Path(p.path).name, p.line) for p in problems}
    assert ("01-thank-you.md", 11) in found and ("01-thank-you.md", 12) in found
    town = next(p for p in problems if "town" in p.message)
    assert "donor_id, first_name" in town.message
    assert "not a merge field" in next(p for p in problems if p.line == 12).message


def test_a_yaml_field_names_its_line(donor: Path) -> None:
    config = donor / "edition.yaml"
    config.write_text(config.read_text().replace("preheader: Thank you",
                                                 "preheader: Thank you {{ recipient.nick }}"))
    problems = field_problems(load_edition(donor), ["first_name", "total", "gifts",
                                                    "donor_id", "last_name", "region"])
    assert [(Path(p.path).name, p.line) for p in problems] == [("edition.yaml", 11)]


def test_only_for_picks_the_sections_of_a_row(donor: Path) -> None:
    edition = load_edition(donor)
    north = personalise(edition, {"region": "north", "first_name": "A"})
    coast = personalise(edition, {"region": "Coast"})
    assert [s.slug for s in north.sections] == ["thank-you", "your-gifts", "north",
                                                "where-it-went"]
    assert [s.slug for s in coast.sections] == ["thank-you", "your-gifts", "south",
                                                "where-it-went"]
    assert len(personalise(edition, None).sections) == 5  # the preview shows them all
    assert north.config.title == "Your year with us, A"
    assert north.config.email.subject == "A, your 2025 donor statement"


def test_preview_fills_fallbacks_or_a_row(donor: Path) -> None:
    edition = load_edition(donor)
    assert preview(edition).config.title == "Your year with us, friend"
    second = render_sections(preview(edition, 2))
    assert "Wei Chen" in second.sections[0].html
    with pytest.raises(ContentError, match="rows 1 to 3"):
        preview(edition, 9)


def test_an_ordinary_edition_keeps_its_braces(tmp_path: Path) -> None:
    root = tmp_path / "content" / "plain"
    shutil.copytree(FIXTURE / "donor-statement", root)
    (root / "edition.yaml").write_text((root / "edition.yaml").read_text()
                                       .split("merge:")[0].replace("recipient.first_name",
                                                                   "FirstName")
                                       .replace(' | default(\\"friend\\")', "")
                                       .replace(' | default(\\"Friend\\")', ""))
    for section in root.glob("*.md"):
        section.write_text(section.read_text().replace("{{", "{ {").replace("}}", "} }"))
    edition = load_edition(root)
    assert preview(edition) is edition
    assert "{{ FirstName }}" in edition.config.title


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    import io
    import os
    import pty

    from folio.merge.run import _Bar

    plain = io.StringIO()
    bar = _Bar(plain, 2)
    bar.step()
    bar.close()
    assert plain.getvalue() == ""
    leader, follower = pty.openpty()
    with os.fdopen(follower, "w") as terminal:
        bar = _Bar(terminal, 2)
        bar.step()
        bar.step()
        bar.close()
    drawn = os.read(leader, 1000).decode()
    os.close(leader)
    assert "2/2" in drawn and "#" * 30 in drawn


def test_a_value_in_a_title_is_text_too(donor: Path) -> None:
    from folio.markup import inline, plain

    edition = personalise(load_edition(donor), {"first_name": "*Bo* <b>O'Neil</b>"})
    assert plain(edition.config.title) == "Your year with us, *Bo* <b>O'Neil</b>"
    assert "<em>" not in inline(edition.sections[0].meta.title)
    assert edition.config.email.subject == "*Bo* <b>O'Neil</b>, your 2025 donor statement"


def test_a_manifest_that_is_not_one_is_started_again(tmp_path: Path) -> None:
    from folio.merge.outputs import MANIFEST, Manifest

    (tmp_path / MANIFEST).write_bytes(b"not a database at all" * 100)
    manifest = Manifest(tmp_path)
    manifest.record("D-1", 1, "a", "b", ["D-1.pdf"])
    assert manifest.done() == {"D-1": ("a", "b", ["D-1.pdf"])}
    manifest.close()
