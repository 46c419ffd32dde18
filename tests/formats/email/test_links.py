"""Email links: merge tags byte for byte, unsubscribe, view online, link tracking."""

from __future__ import annotations

import logging

import pytest

from folio.formats.email.links import add_utm, has_merge_tag
from tests.formats.email.helpers import (
    configure,
    hrefs,
    html_of,
    message_of,
    render_mini,
)

PRESETS = {
    "mailchimp": ("*|UNSUB|*", "*|ARCHIVE|*"),
    "listmonk": ("{{ UnsubscribeURL }}", "{{ MessageURL }}"),
    "sendgrid": ("<%asm_group_unsubscribe_raw_url%>", None),
    "brevo": ("{{ unsubscribe }}", "{{ mirror }}"),
    "mailgun": ("%unsubscribe_url%", None),
}


@pytest.mark.parametrize("preset", PRESETS)
def test_merge_tag_presets_come_out_byte_for_byte(project, preset):
    configure(project, {"merge_tags": preset, "tracking": {"campaign": "mini"}})
    files = render_mini(project)
    html = html_of(files)
    unsubscribe, view = PRESETS[preset]
    assert html.count(f'href="{unsubscribe}"') == 1
    if view:
        assert html.count(f'href="{view}"') == 2  # above the header and in the footer
    else:  # no view-online tag at this service: the web page, never tracked
        assert html.count('href="https://example.org/mini/"') >= 2
    text = files["email.txt"].decode()
    assert f"Unsubscribe: <{unsubscribe}>" in text
    message = message_of(files)
    html_part = message.get_body(("html",)).get_content()
    assert f'href="{unsubscribe}"' in html_part
    assert f"<{unsubscribe}>" in message.get_body(("plain",)).get_content()
    assert "List-Unsubscribe" not in message  # the service adds its own


def test_custom_merge_tags_and_one_click_unsubscribe(project):
    configure(project, {
        "merge_tags": "custom",
        "unsubscribe_url": "https://lists.example.org/unsubscribe?id={{ .Subscriber.UUID }}&x=1",
        "view_online_url": '{{ TrackLink "https://example.org/mini/" }}',
        "tracking": {"campaign": "mini"}})
    files = render_mini(project)
    html = html_of(files)
    assert 'href="https://lists.example.org/unsubscribe?id={{ .Subscriber.UUID }}&x=1"' in html
    assert "href='{{ TrackLink \"https://example.org/mini/\" }}'" in html
    configure(project, {"merge_tags": "custom",
                        "unsubscribe_url": "https://lists.example.org/u/42"})
    message = message_of(render_mini(project))
    assert message["List-Unsubscribe"] == "<https://lists.example.org/u/42>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_mailto_unsubscribe_has_no_one_click_header(project):
    configure(project, {"unsubscribe_url": "mailto:leave@example.org?subject=unsubscribe"})
    message = message_of(render_mini(project))
    assert message["List-Unsubscribe"] == "<mailto:leave@example.org?subject=unsubscribe>"
    assert "List-Unsubscribe-Post" not in message


def test_missing_unsubscribe_link_warns(project, caplog):
    with caplog.at_level(logging.WARNING, logger="folio"):
        render_mini(project)
    assert any("no unsubscribe link" in r.getMessage() for r in caplog.records)


def test_merge_tag_detection():
    for tag in ("*|UNSUB|*", "{{ UnsubscribeURL }}", "<%asm_group_unsubscribe_raw_url%>",
                "{{ mirror }}", "%unsubscribe_url%", "https://x.org/u?id={{ .Subscriber.UUID }}"):
        assert has_merge_tag(tag), tag
    for plain in ("https://example.org/a%20b%2Fc", "mailto:a@example.org", "https://x.org/#top"):
        assert not has_merge_tag(plain), plain


def test_utm_parameters_on_every_web_link(project):
    (project / "content" / "mini" / "07-links.md").write_text(
        "---\ntitle: Links\n---\nSee [the report](https://example.org/report?ref=home#part-2), "
        "[a tagged link](https://example.org/t?utm_source=partner), "
        "[write to us](mailto:info@example.org) and [plain](http://example.org/plain).\n")
    configure(project, {"mode": "full", "merge_tags": "mailchimp",
                        "tracking": {"campaign": "spring", "source": "members"}})
    files = render_mini(project)
    html = html_of(files)
    utm = "utm_source=members&amp;utm_medium=email&amp;utm_campaign=spring"
    assert f'href="https://example.org/report?ref=home&amp;{utm}#part-2"' in html
    assert ('href="https://example.org/t?utm_source=partner&amp;utm_medium=email&amp;'
            'utm_campaign=spring"') in html
    assert 'href="mailto:info@example.org"' in html
    assert f'href="http://example.org/plain?{utm}"' in html
    for double, single in hrefs(html):
        href = double or single
        if href.startswith(("http://", "https://")):
            assert "utm_campaign=spring" in href, href
        else:
            assert "utm_" not in href, href
    text = files["email.txt"].decode()
    assert ("<https://example.org/report?ref=home&utm_source=members&utm_medium=email&"
            "utm_campaign=spring#part-2>") in text
    assert "<mailto:info@example.org>" in text and "<*|UNSUB|*>" in text


def test_add_utm_rules():
    from folio.schema import Tracking

    tracking = Tracking(campaign="c")
    assert add_utm("https://x.org/a", tracking) == \
        "https://x.org/a?utm_source=newsletter&utm_medium=email&utm_campaign=c"
    assert add_utm("https://x.org/a?b=1&c=%20#f", tracking) == \
        "https://x.org/a?b=1&c=%20&utm_source=newsletter&utm_medium=email&utm_campaign=c#f"
    assert add_utm("mailto:a@x.org", tracking) == "mailto:a@x.org"
    assert add_utm("*|UNSUB|*", tracking) == "*|UNSUB|*"
    assert add_utm("https://x.org/u/{{ id }}", tracking) == "https://x.org/u/{{ id }}"
    assert add_utm("https://x.org/", None) == "https://x.org/"


def test_no_tracking_leaves_links_alone(project):
    html = html_of(render_mini(project))
    assert "utm_" not in html
