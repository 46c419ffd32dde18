"""Content that is hard for email: tables, code, pictures, directions, lists, size, links."""

from __future__ import annotations

import logging
import re
import shutil

from folio.formats.email.body import email_code, email_tables
from folio.formats.email.message import sent_size
from folio.markup import render_markdown
from tests.conftest import FIXTURES
from tests.formats.email.helpers import (
    configure,
    html_of,
    message_of,
    render_edition,
    render_mini,
)


def _table(columns: int, rows: int = 2) -> str:
    head = "| " + " | ".join(f"Head {c}" for c in range(columns)) + " |\n"
    rule = "|" + "---|" * columns + "\n"
    body = "".join("| " + " | ".join(f"r{r}c{c}" for c in range(columns)) + " |\n"
                   for r in range(rows))
    return render_markdown(head + rule + body, "t")[0]


def test_narrow_tables_stay_tables():
    html = email_tables(_table(3), "https://example.org/#t")
    assert '<table class="fo-data">' in html and "fo-label" not in html
    assert "See this table" not in html


def test_tables_of_four_to_six_columns_stack_on_phones():
    html = email_tables(_table(6), "https://example.org/#t")
    assert '<table class="fo-data fo-stack">' in html
    # Every body cell but the row's name carries its hidden heading; headings have none.
    assert html.count('<span class="fo-label">') == 2 * 5
    assert '<td class="fo-row-name">r0c0</td>' in html
    assert '<td><span class="fo-label">Head 3: </span>r1c3</td>' in html
    assert re.search(r"<th\b[^>]*>Head 3</th>", html)


def test_very_wide_tables_go_one_row_at_a_time_with_a_web_link():
    html = email_tables(_table(10), "https://example.org/#t")
    assert '<table class="fo-data fo-records">' in html and "<thead>" not in html
    assert '<tr><th colspan="2" scope="colgroup">r1c0</th></tr>' in html
    assert '<tr><td class="fo-record-name">Head 9</td><td>r1c9</td></tr>' in html
    assert '<a href="https://example.org/#t">See this table on the web page</a>' in html
    assert "See this table" not in email_tables(_table(10), None)


def test_code_wraps_without_white_space():
    fenced = render_markdown("```python\nif x:\n    print('a  b')\n```\n", "c")[0]
    indented = render_markdown("Text:\n\n    one\n      two\n", "c")[0]
    assert "<pre><code" in fenced and "if x:" in fenced  # fenced code is recognised
    html = email_code(fenced)
    assert "<pre" not in html and '<div class="fo-code">' in html
    assert "if x:<br>&nbsp;&nbsp;&nbsp;&nbsp;print(&#x27;a&nbsp; b&#x27;)" in html.replace(
        "'", "&#x27;")
    assert "one<br>&nbsp;&nbsp;two" in email_code(indented)


def test_fenced_code_in_every_output():
    """Fenced code was read as one paragraph: a <pre> block in web and PDF now, styled."""
    html, _ = render_markdown("Before.\n\n```\nline one\nline two\n```\n\nAfter.", "s")
    assert "<pre><code>line one\nline two\n</code></pre>" in html
    web = (FIXTURES.parents[1] / "templates" / "default" / "web" / "style.css").read_text()
    pdf = (FIXTURES.parents[1] / "templates" / "default" / "pdf" / "print.css").read_text()
    for css in (web, pdf):
        rule = re.search(r"\.prose pre \{([^}]*)\}", css)
        assert rule and "white-space: pre-wrap" in rule[1] and "overflow-wrap" in rule[1]


def test_nested_lists_indented_by_two_spaces():
    html, _ = render_markdown("- a\n  - b\n    - c\n- d\n  1. e\n", "s")
    assert re.sub(r"\s", "", html) == (
        "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d<ol><li>e</li></ol></li></ul>")
    classic, _ = render_markdown("- a\n    - b\n\n---\n\n* * *\n", "s")
    assert re.sub(r"\s", "", classic) == "<ul><li>a<ul><li>b</li></ul></li></ul><hr><hr>"


def test_dir_is_kept_on_blocks(project):
    (project / "content" / "mini" / "07-ar.md").write_text(
        '---\ntitle: Languages\n---\n<p dir="rtl" lang="ar">مرحبا بكم</p>\n\n'
        '<blockquote dir="rtl">اقتباس</blockquote>\n')
    configure(project, {"mode": "full"})
    html = html_of(render_mini(project))
    assert re.search(r'<p dir="rtl" lang="ar" style="[^"]*text-align:right', html)
    assert '<blockquote dir="rtl"' in html


def test_right_to_left_sections_and_mirrored_sides(project):
    configure(project, {"mode": "full"}, language="ar")
    html = html_of(render_mini(project))
    assert "direction:ltr" not in html
    assert html.count("direction:rtl") > 10
    assert re.search(r"<ul style=\"[^\"]*padding-right:24px", html)
    assert re.search(r"<th style=\"text-align:right", html)
    assert "border-right:4px solid #f2a900" in html  # the quotation's bar, on the right


def test_picture_in_the_text_shrinks_and_has_a_width(project, caplog):
    body = project / "content" / "mini" / "07-pictures.md"
    body.write_text("---\ntitle: Pictures\n---\n![A blue box.](images/pic.png)\n\n"
                    "![](images/pic.png)\n")
    configure(project, {"mode": "full"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        html = html_of(render_mini(project))
    section = html[html.index(">Pictures</h2>"):]
    pictures = re.findall(r"<img\b[^>]*>", section[:section.index("</td>")])
    assert len(pictures) == 2, pictures
    for picture in pictures:
        assert 'width="400"' in picture
        assert re.search(r'style="[^"]*width:100%;max-width:400px', picture)
    warnings = [r.getMessage() for r in caplog.records]
    assert any("07-pictures.md" in w and "no alt text" in w for w in warnings), warnings


def test_apple_mail_is_asked_not_to_rescale(project):
    assert '<meta name="x-apple-disable-message-reformatting">' in html_of(render_mini(project))


def test_unsubscribe_and_view_online_links_are_never_tracked(project):
    unsubscribe = "https://lists.example.org/u?list=7&sig=abc%3D"
    configure(project, {"unsubscribe_url": unsubscribe, "tracking": {"campaign": "mini"}})
    files = render_mini(project)
    html = html_of(files)
    assert html.count('href="https://lists.example.org/u?list=7&amp;sig=abc%3D"') == 1
    assert html.count('href="https://example.org/mini/"') >= 2  # above and in the footer
    assert 'href="https://example.org/mini/?utm_source=newsletter&amp;utm_medium=email&amp;' \
        'utm_campaign=mini"' not in html
    assert "utm_campaign=mini" in html  # the other links are tracked
    text = files["email.txt"].decode()
    assert f"Unsubscribe: <{unsubscribe}>" in text
    assert "View in your browser: <https://example.org/mini/>" in text
    assert message_of(files)["List-Unsubscribe"] == f"<{unsubscribe}>"


def test_long_title_in_the_text_part_is_wrapped_and_underlined(project):
    title = "A very long title " * 6
    configure(project, title=title.strip())
    text = render_mini(project)["email.txt"].decode()
    lines = text.splitlines()
    assert all(len(line) <= 76 for line in lines[:4])
    underline = next(i for i, line in enumerate(lines) if set(line) == {"="})
    assert underline == 2 and len(lines[2]) == max(len(lines[0]), len(lines[1]))


def _many_sections(project, count: int, paragraphs: int) -> None:
    for number in range(count):
        (project / "content" / "mini" / f"{10 + number}-short-{number}.md").write_text(
            f"---\ntitle: Short news {number}\n---\n" + "\n\n".join(
                [f"A paragraph of news, number {number}, as a newsletter has many: who met, "
                 "what they agreed, what comes next and where readers can find the papers, "
                 "written in the plain sentences of a communications officer."] * paragraphs))


def test_short_sections_cost_little(project):
    """34 two-paragraph sections: 150 KB as sent before, when each cost 2.9 KB of markup."""
    _many_sections(project, 34, 1)
    configure(project, {"mode": "full"})
    assert sent_size(html_of(render_mini(project))) < 75 * 1024


def test_digest_is_smaller_than_the_full_email(project):
    _many_sections(project, 34, 4)
    configure(project, {"mode": "full"})
    full = sent_size(html_of(render_mini(project)))
    configure(project, {"mode": "digest"})
    digest = sent_size(html_of(render_mini(project)))
    assert digest < 0.9 * full, (digest, full)  # digest was the larger before


def test_size_warning_counts_the_encoded_part(project, caplog):
    text = ("Une phrase en français, écrite à la main, où les accents comptent double. " * 6)
    (project / "content" / "mini" / "07-long.md").write_text(
        "---\ntitle: Long\n---\n" + "\n\n".join([text] * 85))
    configure(project, {"mode": "full"})
    with caplog.at_level(logging.WARNING, logger="folio"):
        html = html_of(render_mini(project))
    assert len(html.encode()) < 90 * 1024 <= sent_size(html)
    assert any("as sent" in r.getMessage() for r in caplog.records)


def test_stress_fixture_builds_its_email(tmp_path):
    shutil.copytree(FIXTURES / "content" / "stress", tmp_path / "content" / "stress")
    html = html_of(render_edition(tmp_path / "content" / "stress"))
    assert 'class="fo-data fo-stack"' in html and 'class="fo-data fo-records"' in html
    assert html.count('class="fo-code"') == 2 and "<pre" not in html
    assert "<h5" in html and "<h6" in html and "<blockquote" in html


def test_aligned_columns_keep_their_alignment(project):
    (project / "content" / "mini" / "07-table.md").write_text(
        "---\ntitle: Aligned\n---\n| Clinic | Visits |\n|---|--:|\n| Lismore | 212 |\n")
    configure(project, {"mode": "full"})
    html = html_of(render_mini(project))
    right = r'\b[^>]*align="right"[^>]*style="[^"]*text-align:right"[^>]*>'
    assert re.search(rf"<th{right}Visits</th>", html)
    assert re.search(rf"<td{right}212</td>", html)


def test_numeric_columns_line_up_and_the_total_row_stands_apart(project):
    """A column of numbers is set flush right in tabular figures, aligned in Markdown or not."""
    (project / "content" / "mini" / "07-table.md").write_text(
        "---\ntitle: Money\n---\n| Fund | Income |\n|---|---|\n| Kitchens | £3,120 |\n"
        "| Warmth | 640 |\n| Total | £3,760 |\n")
    configure(project, {"mode": "full"})
    html = html_of(render_mini(project))
    cell = re.search(r'<td\b[^>]*style="([^"]*)"[^>]*>£3,120</td>', html)
    assert cell and "text-align:right" in cell[1] and "tabular-nums" in cell[1]
    total = re.search(r'<td\b[^>]*style="([^"]*)"[^>]*>£3,760</td>', html)
    assert total and "font-weight:700" in total[1]
    label = re.search(r'<td\b[^>]*style="([^"]*)"[^>]*>Kitchens</td>', html)
    assert label and "text-align:right" not in label[1]


def test_a_quotation_of_two_paragraphs_stays_one_in_the_text_part():
    from folio.formats.email.text import html_to_text

    assert html_to_text("<blockquote><p>One.</p><p>Two.</p></blockquote><p>After.</p>") == \
        "> One.\n>\n> Two.\n\nAfter."


def test_digest_links_only_sections_with_more_to_read(project):
    html = html_of(render_mini(project))  # an annual review: digest
    assert 'href="https://example.org/mini/#introduction"' in html  # a list, a table, notes
    assert 'href="https://example.org/mini/#picture"' not in html  # one sentence, all shown
