"""Control characters pasted into a section do not break the email (found by the random
sections of test_hostile once it checked where problems point)."""

from __future__ import annotations

from tests.formats.email.helpers import html_of, render_mini


def test_control_characters_in_a_section_are_dropped_from_the_email(project) -> None:
    (project / "content" / "mini" / "07-pasted.md").write_text(
        "---\ntitle: Pasted\n---\nText from a slide\x1f deck\x0b and a form feed\x0c.\n")
    html = html_of(render_mini(project))
    assert "Text from a slide deck and a form feed." in html
    assert not any(c in html for c in "\x1f\x0b\x0c")
