"""Tests of the email rules on a rendered email page and without one."""

from __future__ import annotations

from pathlib import Path

from folio.check import Finding, check_edition
from tests.check.conftest import CONFIG, EMAIL, write_edition

# --- email readiness ----------------------------------------------------------------------


EMAIL_CONFIG = CONFIG


def _page(body: str = "", head_css: str = "", size: int = 0) -> str:
    filler = "<!-- " + "x" * size + " -->" if size else ""
    return (f"<!doctype html><html><head><style>{head_css}</style></head><body>{body}"
            f"{filler}</body></html>")


def check_email(tmp_path: Path, page: str) -> list[Finding]:
    folder = write_edition(tmp_path, {"01-a.md": "Fine."}, EMAIL_CONFIG)
    return check_edition(folder, email_html=page)


def test_email_size(tmp_path: Path) -> None:
    assert check_email(tmp_path / "a", _page(size=80 * 1024)) == []
    [warning] = check_email(tmp_path / "b", _page(size=95 * 1024))
    assert (warning.rule, warning.severity) == ("email-size", "warning")
    [error] = check_email(tmp_path / "c", _page(size=102 * 1024))
    assert (error.rule, error.severity) == ("email-size", "error")


def test_email_head_styles(tmp_path: Path) -> None:
    css = "p { color: #111111; }\n" * 1000
    [finding] = check_email(tmp_path, _page(head_css=css))
    assert finding.rule == "email-head-styles"
    assert check_email(tmp_path / "small", _page(head_css=css[:4000])) == []


def test_email_images(tmp_path: Path) -> None:
    body = ('<img src="https://example.org/img/a.png" alt="A">'
            '<img src="images/b.png" alt="B">'
            '<img src="https://example.org/img/c.svg" alt="C">'
            '<img src="data:image/png;base64,AAAA" alt="D">'
            '<img src="cid:logo" alt="E">')
    findings = check_email(tmp_path, _page(body))
    assert [(f.rule, f.severity, f.message.split("'")[1]) for f in findings] == [
        ("email-images", "warning", "images/b.png"),
        ("email-images", "error", "https://example.org/img/c.svg"),
        ("email-images", "error", "data:image/png;base64,AAAA")]
    assert Path(findings[0].file).name == "edition.yaml"


def test_email_images_without_a_rendered_email(tmp_path: Path) -> None:
    config = CONFIG.replace(EMAIL + "\n", "")
    folder = write_edition(tmp_path, {"01-a.md": "![A chart](images/chart.svg)"}, config)
    findings = check_edition(folder)
    assert sorted(f.rule for f in findings) == ["email-images", "email-images"]


def test_email_css(tmp_path: Path) -> None:
    css = ("@media (max-width: 600px) { .col { display: flex; position: relative; } }\n"
           ".row { display: grid; }\na:hover { color: red; }\n@import url(x.css);\n")
    body = ('<div style="display:flex; color: #111">x</div><p style="position: static">y</p>'
            '<!--[if mso]><div style="position:absolute">z</div><![endif]-->')
    findings = check_email(tmp_path, _page(body, css))
    assert sorted(f.message.split("'")[1] for f in findings) == [
        "@import", "display: flex", "display: grid"]
    assert {f.rule for f in findings} == {"email-css"}


def test_email_rules_are_quiet_on_a_good_page(tmp_path: Path) -> None:
    body = ('<table role="presentation" width="600"><tr><td style="padding:16px;'
            'font-family:Arial">Hello <img src="https://example.org/img/a.png" alt="A" '
            'width="100"></td></tr></table>')
    assert check_email(tmp_path, _page(body, "@media (max-width:600px){td{display:block}}")) == []


# --- where each finding points, and what it says ----------------------------------------------


def test_findings_point_at_the_tag_in_the_built_email(tmp_path: Path) -> None:
    """email.html is named as `build/<edition>/email.html` beside `content/`, and each
    finding gives the line and column of its tag (of its <style> block's line for CSS)."""
    page = ("<!doctype html>\n"
            "<html><head>\n"
            "<style>a{color:red}</style>\n"
            "</head><body>\n"
            '  <img src="images/a.svg" alt="A">\n'
            '<div style="color:#111; position:absolute">x</div>\n'
            "  <style>\n.a{\n  transform:rotate(1deg)}</style>\n"
            "</body></html>")
    folder = write_edition(tmp_path / "content", {"01-a.md": "Fine."}, EMAIL_CONFIG)
    findings = check_edition(folder, email_html=page)
    file = str(Path(folder.parent.parent, "build", folder.name, "email.html"))
    assert findings == [
        Finding(file, 5, 3, "email-images", "error",
                "'images/a.svg': an SVG image, which Gmail and Outlook do not show; use PNG"),
        Finding(file, 6, 1, "email-css", "warning",
                "'position: absolute': Gmail and Outlook drop `position`; the element lands "
                "elsewhere"),
        Finding(file, 9, 1, "email-css", "warning",
                "'transform: rotate(1deg)': Outlook and Gmail ignore transforms")]


def test_a_data_image_in_the_email(tmp_path: Path) -> None:
    [finding] = check_email(tmp_path, _page('<img src="data:image/png;base64,AAAA" alt="D">'))
    assert finding.message == ("'data:image/png;base64,AAAA': a data: image, which Gmail and "
                               "Outlook do not show; link a PNG or JPEG")


def test_head_styles_count_only_the_head_even_when_it_is_not_closed(tmp_path: Path) -> None:
    """HTML lets </head> go unwritten: the <body> tag ends the head all the same, and a
    large <style> in the body is no head style."""
    big = "p { color: #111111; }\n" * 1000
    page = f"<html><head><style>a{{color:red}}</style><body><style>{big}</style></body></html>"
    assert check_email(tmp_path, page) == []


CSS = """\
/* the old layout:
   .a { display: flex; } */
.row { display: grid; }
@media (max-width: 600px) {
  .a { display: flex; }
  .b { position: absolute; }
}
.c { flex-direction: column; --brand: red; color: var(--brand); animation-name: pulse; }
.d { grid-template-columns: 1fr; -webkit-text-size-adjust: 100%; position: fixed; }
.e { -ms-interpolation-mode: bicubic; }
@media screen { .f { transform: none; }
"""


def test_css_outside_media_queries_and_comments(tmp_path: Path) -> None:
    """Comments (over several lines) and @media blocks (nested rules, and one left open at
    the end) are skipped; the lines of what follows them stay right; vendor properties that
    email templates use are no custom properties."""
    page = f"<html><head>\n<style>\n{CSS}</style></head><body>x</body></html>"
    findings = check_email(tmp_path, page)
    assert {f.rule for f in findings} == {"email-css"}
    assert [(f.line, f.message) for f in findings] == [
        (5, "'display: grid': Outlook and Gmail ignore CSS grid; lay out with tables"),
        (10, "'--brand: red': Outlook and Gmail do not support CSS custom properties"),
        (10, "'animation-name: pulse': Outlook and Gmail ignore animations"),
        (10, "'color: var(--brand)': Outlook and Gmail do not support var(); write the value"),
        (10, "'flex-direction: column': flexbox properties do nothing in Outlook for Windows"),
        (11, "'grid-template-columns: 1fr': grid properties do nothing in Outlook or Gmail"),
        (11, "'position: fixed': Gmail and Outlook drop `position`; the element lands "
             "elsewhere")]


def test_an_empty_css_value_is_no_finding(tmp_path: Path) -> None:
    assert check_email(tmp_path, _page('<p style="color: ;">x</p>')) == []


# --- without a rendered email: the pictures the edition gives it --------------------------------

NO_ASSET_BASE = CONFIG.replace(EMAIL + "\n", "email:\n  web_url: https://example.org/news\n"
                               "  from: Test <news@test.org>\n")


def test_pictures_the_email_cannot_show_before_it_is_built(tmp_path: Path) -> None:
    data = "data:image/png;base64," + "A" * 80
    folder = write_edition(tmp_path, {"01-a.md": (
        "---\ntitle: A\nimage: images/cover.svg\nimage_alt: A cover\n---\n"
        f"![A chart](images/chart.svg)\n\n<img src=\"images/map.SVG\" alt=\"A map\">\n\n"
        f"![A dot]({data})\n")}, NO_ASSET_BASE)
    (folder / "images").mkdir()
    for name in ("cover.svg", "chart.svg", "map.SVG"):
        (folder / "images" / name).write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', "utf-8")
    findings = [(Path(f.file).name, f.line, f.column, f.severity, f.message)
                for f in check_edition(folder) if f.rule == "email-images"]
    unseen = "image, which Gmail and Outlook do not show; use PNG or JPEG"
    assert findings == [
        ("edition.yaml", 5, 1, "warning",
         "'images/cover.svg' and the email's other pictures (4 in all) have no web address: "
         "email.eml carries them, but email.html pasted into a sending service shows none; "
         "upload email-images/ and set 'email: asset_base_url:'"),
        ("01-a.md", 3, 8, "warning", f"'images/cover.svg': an SVG {unseen}"),
        ("01-a.md", 6, 1, "warning", f"'images/chart.svg': an SVG {unseen}"),
        ("01-a.md", 8, 1, "warning", f"'images/map.SVG': an SVG {unseen}"),
        ("01-a.md", 10, 1, "warning", f"'{data[:60]}': a data: {unseen}")]


def test_a_wide_table_is_named_at_its_header_row(tmp_path: Path) -> None:
    body = ("Our results:\n\n| Region | Q1 | Q2 | Q3 | Q4 | 2025 | 2024 |\n"
            "|---|---|---|---|---|---|---|\n| Europe | 1 | 2 | 3 | 4 | 10 | 9 |\n\n"
            "An empty table: <table></table>\n")
    folder = write_edition(tmp_path, {"01-a.md": body}, EMAIL_CONFIG)
    [finding] = check_edition(folder)
    assert (finding.rule, finding.line, finding.column) == ("email-tables", 6, 1)
    assert finding.message == (
        "this table has 7 columns, too many for a phone: the email shows it one row at a "
        "time, with a link to the web page when email.web_url is set; keep email tables to "
        "6 columns, or split this one")


def test_pictures_without_any_email_settings_are_named_at_the_top(tmp_path: Path) -> None:
    config = CONFIG.replace(EMAIL + "\n", "")
    folder = write_edition(tmp_path, {"01-a.md": "![A chart](images/chart.png)\n"}, config)
    (folder / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (4, 4)).save(folder / "images" / "chart.png")
    [finding] = check_edition(folder)
    assert (Path(finding.file).name, finding.line, finding.column, finding.rule) == (
        "edition.yaml", 1, 1, "email-images")


def test_email_settings_without_a_sender_are_flagged_at_email(tmp_path: Path) -> None:
    """The stand-in From that `send` refuses is found by `check`, before anyone sends."""
    config = CONFIG.replace(EMAIL, "email:\n  subject: Our news\n")
    folder = write_edition(tmp_path, {"01-a.md": "Fine."}, config)
    [finding] = check_edition(folder)
    assert (finding.rule, finding.line, finding.severity) == ("email-from", 5, "warning")
    assert "newsletter@example.org" in finding.message and "from:" in finding.message
    no_email = write_edition(tmp_path, {"01-a.md": "Fine."}, CONFIG.replace(EMAIL + "\n", ""),
                             name="plain")
    assert check_edition(no_email) == []  # no email settings: not meant for sending yet
