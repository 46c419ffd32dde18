"""Tests of the email rules on a rendered email page and without one."""

from __future__ import annotations

from pathlib import Path

from folio.check import Finding, check_edition
from tests.check.conftest import CONFIG, write_edition

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
    config = CONFIG.replace('email: {asset_base_url: "https://example.org/img/"}\n', "")
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
