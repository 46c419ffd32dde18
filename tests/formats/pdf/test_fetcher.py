"""What the PDF may read: the edition, the theme and the font packages, nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from folio.build import build
from folio.errors import ContentError, ResourceError, TemplateError
from folio.formats.pdf.fetcher import Refused, ResourcePolicy
from folio.sources import BUILTIN_THEMES
from tests.formats.pdf.helpers import (
    CSS_ATTACKS,
    ROOT,
    read_pdf_bytes,
    render_pdf,
    resolve,
    write_section,
)

HOSTILE = {
    "relative": "![secret](../../../../../../../../etc/passwd)",
    "absolute": '<img src="/etc/passwd" alt="secret">',
    "encoded": '<img src="images/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="x">',
    "network": "![secret](http://example.com/tracker.png)",
    "protocol-relative": '<img src="//example.com/tracker.png" alt="secret">',
    "file-url": '<img src="file:///etc/passwd" alt="secret">',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_picture_is_refused_naming_the_section(project: Path, kind: str) -> None:
    folder = project / "content" / "mini"
    path = write_section(folder, "07-leak.md",
                         f"---\ntitle: Leak\n---\nBefore.\n\n{HOSTILE[kind]}\n")
    results = list(build(["mini"], content=project / "content", out=project / "build",
                         formats=["pdf"], keep_html=True))
    problems = results[0].problems
    if kind == "file-url":
        # The sanitiser already removed the address: nothing to refuse, nothing leaks.
        assert not problems
    else:
        assert problems, kind
        assert all(Path(p.path) == path for p in problems)
        assert problems[0].line == 6
        assert "picture '" in problems[0].message  # refused when the Markdown is read
        assert not (project / "build" / "mini" / "mini.pdf").exists()
    for output in (project / "build").rglob("*"):
        if output.is_file():
            assert b"root:x:0:0" not in output.read_bytes()


@pytest.mark.parametrize("kind", sorted(set(HOSTILE) - {"file-url"}))
def test_the_pdf_fence_refuses_on_its_own(project: Path, kind: str) -> None:
    """Were the Markdown stage to let a hostile address through, the PDF still refuses it."""
    from folio.markup import render_markdown

    folder = project / "content" / "mini"
    path = write_section(folder, "07-leak.md",
                         f"---\ntitle: Leak\n---\nBefore.\n\n{HOSTILE[kind]}\n")
    html, _ = render_markdown(HOSTILE[kind], "leak")
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"leak": html})
    [problem, *_] = caught.value.problems
    assert Path(problem.path) == path and problem.line == 6
    assert "will not read" in problem.message


def test_symlink_out_of_the_edition_is_refused(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "images" / "passwd.png").symlink_to("/etc/passwd")
    write_section(folder, "07-leak.md", "---\ntitle: Leak\n---\n![x](images/passwd.png)\n")
    with pytest.raises(ContentError, match="outside the edition"):
        render_pdf(folder)  # the Markdown stage refuses it...
    with pytest.raises(ResourceError) as caught:  # ...and so does the PDF on its own
        render_pdf(folder, {"leak": '<p><img alt="x" src="images/passwd.png"></p>'})
    assert caught.value.problems[0].path == folder / "07-leak.md"
    assert "outside" in caught.value.problems[0].message


def test_missing_picture_is_reported_with_its_section(project: Path) -> None:
    folder = project / "content" / "mini"
    write_section(folder, "07-gone.md", "---\ntitle: Gone\n---\n![x](images/nowhere.png)\n")
    with pytest.raises(ContentError, match="does not exist"):
        render_pdf(folder)
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"gone": '<p><img alt="x" src="images/nowhere.png"></p>'})
    (problem,) = caught.value.problems
    assert problem.path == folder / "07-gone.md" and "does not exist" in problem.message


def test_theme_cannot_read_outside_either(project: Path) -> None:
    """The fetcher itself refuses what a theme template asks for while rendering."""
    theme = project / "templates" / "sneaky"
    (theme / "pdf").mkdir(parents=True)
    (theme / "theme.yaml").write_text(
        "name: sneaky\nbody_font: {family: Lato}\nheading_font: {family: Lato}\n")
    (theme / "pdf" / "back.html").write_text(
        '<footer class="back"><img src="file:///etc/passwd" alt="x"></footer>\n')
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: sneaky\n")
    with pytest.raises(ResourceError) as caught:
        render_pdf(project / "content" / "mini")
    assert "file:///etc/passwd" in str(caught.value)




@pytest.mark.parametrize("kind", sorted(CSS_ATTACKS))
def test_theme_css_cannot_reach_out(project: Path, kind: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`url()` and `@import` in a print stylesheet are fenced like pictures are."""
    import socket

    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    theme = project / "templates" / "styled"
    shutil.copytree(BUILTIN_THEMES / "default" / "pdf", theme / "pdf")
    (theme / "theme.yaml").write_text("name: styled\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    css = theme / "pdf" / "print.css"
    css.write_text(CSS_ATTACKS[kind] + "\n" + css.read_text())
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: styled\n")
    if kind.startswith("import"):
        with pytest.raises(TemplateError) as stopped:
            render_pdf(project / "content" / "mini")
        [problem] = stopped.value.problems
        assert Path(problem.path) == css and problem.line == 1
        assert "@import is not supported" in problem.message
    else:
        with pytest.raises(ResourceError) as caught:
            render_pdf(project / "content" / "mini")
        assert "will not read" in str(caught.value)
    assert attempts == []  # refused before any connection was tried


def test_attachments_are_never_embedded(project: Path) -> None:
    theme = project / "templates" / "attaching"
    (theme / "pdf").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: attaching\nbody_font: {family: Lato, package: "
                                      "font_lato, files: {regular: Lato-Regular.ttf}}\n"
                                      "heading_font: {family: Lato}\n")
    (theme / "pdf" / "back.html").write_text(
        '<footer class="back"><link rel="attachment" href="images/pic.png">'
        '<a rel="attachment" href="images/pic.png">picture</a></footer>\n')
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: attaching\n")
    data = render_pdf(project / "content" / "mini")["mini.pdf"]
    reader = read_pdf_bytes(data)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            assert resolve(annotation).get("/Subtype") != "/FileAttachment"
    assert b"/EmbeddedFile" not in data


def test_policy() -> None:
    policy = ResourcePolicy.of([ROOT / "tests" / "fixtures" / "content" / "mini"])
    base = (ROOT / "tests" / "fixtures" / "content" / "mini").as_uri() + "/"
    assert policy.locate("images/pic.png", base).name == "pic.png"
    for url in ("../../../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
                "http://example.com/x.png", "https://example.com/x.png",
                "//example.com/x.png", "file://example.com/x.png", "data:text/plain,hi",
                "images/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "ftp://example.com/x", "images/missing.png"):
        with pytest.raises(Refused):
            policy.locate(url, base)


def test_checking_never_imports_weasyprint() -> None:
    code = ("import sys, folio.formats.pdf.fetcher, folio.formats.pdf; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "False"


def test_svg_cannot_smuggle_a_file_in(project: Path) -> None:
    folder = project / "content" / "mini"
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file:///etc/passwd" width="10" height="10"/>'
        '<rect width="5" height="5" fill="url(#g)"/></svg>')
    path = write_section(folder, "07-chart.md",
                         "---\ntitle: Chart\n---\n![A chart](images/chart.svg)\n")
    # Refused while the edition loads (an SVG may only draw), before the renderer is asked.
    with pytest.raises(ContentError) as caught:
        render_pdf(folder)
    (problem,) = caught.value.problems
    assert problem.path == path and "file:///etc/passwd" in problem.message


SVG_ATTACKS = {
    "image": '<image xlink:href="file:///etc/passwd" width="10" height="10"/>',
    "style": '<style>rect { fill: url("../../../../../../../../etc/passwd"); }</style>',
    "import": '<style>@import "http://example.com/track.css";</style>',
}


@pytest.mark.parametrize("kind", sorted(SVG_ATTACKS))
def test_the_pdf_fence_follows_an_svg_on_its_own(project: Path, kind: str) -> None:
    """Were the Markdown stage to let a hostile SVG through, the PDF would not read what the
    SVG asks for: refused before the layout, and blamed on the section showing it."""
    folder = project / "content" / "mini"
    (folder / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10">{SVG_ATTACKS[kind]}<defs><linearGradient id="g"/></defs>'
        '<rect width="5" height="5" fill="url(#g)"/></svg>')
    path = write_section(folder, "07-chart.md",
                         "---\ntitle: Chart\n---\n![A chart](images/chart.svg)\n")
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"chart": '<p><img src="images/chart.svg" alt="A chart"></p>'})
    [problem] = caught.value.problems  # the SVG's own url(#g) is no request
    assert Path(problem.path) == path and problem.line == 4
    assert problem.message.startswith("the PDF will not read '")
    assert "(in images/chart.svg)'" in problem.message


def test_the_pdf_fence_reads_a_style_url_on_its_own(project: Path) -> None:
    folder = project / "content" / "mini"
    path = write_section(folder, "07-leak.md", "---\ntitle: Leak\n---\nBefore.\n")
    with pytest.raises(ResourceError) as caught:
        render_pdf(folder, {"leak": '<p style="background: url(&quot;/etc/passwd&quot;)">x</p>'})
    [problem] = caught.value.problems
    assert Path(problem.path) == path
    assert problem.message.startswith("the PDF will not read '/etc/passwd'")
