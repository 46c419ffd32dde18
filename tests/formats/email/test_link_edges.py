"""Email links at their edges: blank and complete UTM sets, [tag] merge tags, quotes in
tracked links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from folio.formats.email.links import add_utm, has_merge_tag, track_links
from folio.schema import Tracking
from tests.formats.email.helpers import configure, html_of, message_of, render_mini

TRACKING = Tracking(campaign="spring")
UTM = "utm_source=newsletter&utm_medium=email&utm_campaign=spring"


def link_targets(document: str) -> list[str]:
    """Return the href of every <a>, as a browser reads it (entities decoded)."""
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.append(dict(attrs).get("href") or "")

    Links().feed(document)
    return found


def test_a_blank_utm_value_written_by_the_author_is_kept_and_not_doubled() -> None:
    assert add_utm("https://x.org/a?utm_source=", TRACKING) == \
        "https://x.org/a?utm_source=&utm_medium=email&utm_campaign=spring"
    assert add_utm("https://x.org/a?utm_campaign=&b=1", TRACKING) == \
        "https://x.org/a?utm_campaign=&b=1&utm_source=newsletter&utm_medium=email"


def test_a_link_with_all_three_parameters_is_left_exactly_as_written() -> None:
    url = "https://x.org/a?utm_medium=print&utm_campaign=own&utm_source=partner#top"
    assert add_utm(url, TRACKING) == url
    document = f'<a href="{url.replace("&", "&amp;")}">x</a>'
    assert track_links(document, TRACKING) == document


@pytest.mark.parametrize("tag", ["[unsubscribe]", "[webversion]", "[FIRSTNAME]"])
def test_bracket_merge_tags_are_tags(tag: str) -> None:
    assert has_merge_tag(tag)
    assert add_utm(f"https://x.org/u/{tag}", TRACKING) == f"https://x.org/u/{tag}"


@pytest.mark.parametrize("text", ["[AB]", "[1]", "[a-b]", "see [x] here"])
def test_short_brackets_are_not_tags(text: str) -> None:
    assert not has_merge_tag(text)


def test_a_bracket_unsubscribe_tag_comes_out_byte_for_byte(project) -> None:
    configure(project, {"merge_tags": "custom", "unsubscribe_url": "[unsubscribe]",
                        "view_online_url": "[webversion]", "tracking": {"campaign": "spring"}})
    files = render_mini(project)
    html = html_of(files)
    assert html.count('href="[unsubscribe]"') == 1
    assert html.count('href="[webversion]"') == 2
    assert "Unsubscribe: <[unsubscribe]>" in files["email.txt"].decode()
    assert "List-Unsubscribe" not in message_of(files)  # a tag is not an address to post to


@pytest.mark.parametrize("document, expected", [
    ("<a href='https://x.org/it&#x27;s'>x</a>", f"https://x.org/it's?{UTM}"),
    ("<a href='https://x.org/say?q=\"hi\"'>x</a>", f'https://x.org/say?q="hi"&{UTM}'),
    ('<a href="https://x.org/say?q=&quot;hi&quot;">x</a>', f'https://x.org/say?q="hi"&{UTM}'),
    ('<a class="b" href="https://x.org/a?b=1&amp;c=2">x</a>', f"https://x.org/a?b=1&c=2&{UTM}"),
])
def test_tracked_links_keep_their_quotes_and_ampersands(document: str, expected: str) -> None:
    tracked = track_links(document, TRACKING)
    assert link_targets(tracked) == [expected]
    assert tracked.endswith(">x</a>") and tracked.count("<a ") == 1
    assert re.search(r"&(?!amp;|quot;|#x27;)", tracked) is None  # every & written as &amp;


def test_links_outside_the_web_are_not_tracked() -> None:
    document = ('<a href="mailto:a@x.org">m</a><a href="#top">t</a>'
                '<a href="tel:+44">p</a><a href="*|UNSUB|*">u</a>')
    assert track_links(document, TRACKING) == document
    assert track_links(document, None) == document
