"""Attacks from an untrusted edition: each one fails, and nothing outside is read, run or served.

An edition folder is a contributor's submission: its sections, pictures, `templates/` and
the theme it names. Every test here plays one attack through the command line and checks
that it is refused with a message naming the file, that no traceback is printed, and that
nothing outside the edition ended up read, executed or published.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from tests.conftest import FIXTURES, reported

ROOT = Path(__file__).resolve().parent.parent
MINI = Path("content") / "mini"


def run(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    # The project folder is on the path, as when generate.py sits in it: whatever the
    # edition holds could be imported if Folio ever imported a name it was given.
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{project}"})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the `mini` edition, nothing built yet."""
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / MINI)
    return tmp_path


def published(project: Path) -> bytes:
    """Return every byte under build/, to search for what must never be published."""
    return b"".join(p.read_bytes() for p in sorted((project / "build").rglob("*"))
                    if p.is_file() and not p.is_symlink())


# --- 1. templates render in the sandbox ------------------------------------------------

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{% set x = [] %}{{ x.append(1) }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize(("template", "command"), [
    ("web/components/text.html", ["build", "--format", "web"]),
    ("email/head.css", ["check"]),
    ("pdf/print.css", ["build", "--format", "pdf"]),
])
def test_template_escapes_fail_with_the_template_and_line(
    project: Path, template: str, command: list[str], escape: str,
) -> None:
    marker = project / "pwned"
    target = project / MINI / "templates" / template
    target.parent.mkdir(parents=True)
    original = (ROOT / "templates" / "default" / template).read_text()
    target.write_text("{# line 1 #}\n" + escape.replace("MARKER", str(marker)) + "\n" + original)
    done = run(project, *command, "mini")
    assert not marker.exists()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert reported(f"{template}, line 2: ", done)
    assert "sandbox" in done.stdout + done.stderr


def test_a_template_linking_outside_its_folder_is_refused(project: Path) -> None:
    secret = project / "secret.txt"
    secret.write_text("TOP-SECRET-TEXT")
    folder = project / MINI / "templates" / "web"
    (folder / "components").mkdir(parents=True)
    (folder / "outside").symlink_to(project)
    original = (ROOT / "templates" / "default" / "web" / "components" / "text.html").read_text()
    (folder / "components" / "text.html").write_text(
        '{% include "web/outside/secret.txt" %}\n' + original)
    done = run(project, "build", "--format", "web", "mini")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "web/outside/secret.txt: this template is a link to a file outside" in done.stderr
    assert b"TOP-SECRET-TEXT" not in published(project)


# --- 1b. templates see data, not objects ----------------------------------------------

PICKLE = "cos\\nsystem\\n(S'touch MARKER'\\ntR."
OBJECT_EXPLOITS = [
    f'{{{{ edition.parse_raw("{PICKLE}", proto="pickle", allow_pickle=True) }}}}',
    "{{ edition.parse_file('/etc/passwd') }}",
    "{{ edition.model_dump_json(indent=1000000000) }}",
    "{{ theme.model_copy(update={'x': 1}) }}",
    "{{ colours.model_validate_json('{}') }}",
    "{{ edition['parse_file']('/etc/passwd') }}",
    "{{ edition|attr('model_dump_json') }}",
    "{{ sections[0].figures.__class__ }}",
]
PLACES = {  # the folder a template is put in, the command that renders it
    "edition, build": ("content/mini/templates", ["build", "mini", "--format", "web"]),
    "edition email, check": ("content/mini/templates", ["check", "mini"]),
    "project theme, build": ("templates/mine", ["build", "mini", "--format", "web"]),
}


def place_template(project: Path, where: str, first_lines: str,
                   template: str = "web/components/text.html") -> tuple[list[str], str]:
    """Put a template starting with `first_lines` at one of `PLACES`; return the command
    that renders it and how the error names it."""
    folder, command = PLACES[where]
    if "email" in where:
        template = "email/head.css"
    target = project / folder / template
    target.parent.mkdir(parents=True, exist_ok=True)
    if folder == "templates/mine":
        shutil.copy(ROOT / "templates" / "default" / "theme.yaml", project / folder)
        config = project / MINI / "edition.yaml"
        config.write_text(config.read_text() + "theme: mine\n")
    original = (ROOT / "templates" / "default" / template).read_text()
    target.write_text("{# line 1 #}\n" + first_lines + "\n" + original)
    return command, f"{folder.rpartition('/')[2]}/{template}"


@pytest.mark.parametrize("exploit", OBJECT_EXPLOITS)
@pytest.mark.parametrize("where", list(PLACES))
def test_templates_cannot_call_the_methods_of_what_they_are_given(
    project: Path, where: str, exploit: str,
) -> None:
    marker = project / "pwned"
    command, shown = place_template(project, where, exploit.replace("MARKER", str(marker)))
    done = run(project, *command, timeout=120)
    assert not marker.exists()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "bug in Folio" not in done.stdout + done.stderr
    assert reported(f"{shown}, line 2: ", done), done.stdout + done.stderr
    assert "sandbox" in done.stdout + done.stderr
    assert "root:" not in done.stdout + done.stderr  # /etc/passwd was not read into a page
    assert b"root:" not in published(project)


@pytest.mark.slow
@pytest.mark.parametrize(("code", "says"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "took more than 10 seconds"),
    ("{{ 10 ** (10 ** 8) }}", "too large"),
    ("{% for i in range(10**9) %}{% endfor %}", "range() of 1,000,000,000 numbers"),
    ("{{ 'x' * 10**9 }}", "the limit is 1,000,000"),
    ("{{ 'x'|center(1000000000) }}", "larger than templates may use"),
    ("{{ '%1000000000s' % 'x' }}", "a format asks for a width"),
    ("{{ '{:>1000000000}'.format('x') }}", "a format asks for a width"),
    ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "writes more than"),
])
def test_template_work_is_bounded_in_time_and_size(project: Path, code: str, says: str) -> None:
    import time

    command, shown = place_template(project, "edition, build", code)
    started = time.monotonic()
    done = run(project, *command, timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "bug in Folio" not in done.stdout + done.stderr
    assert reported(f"{shown}, line 2: ", done), done.stdout + done.stderr
    assert says in done.stderr


def test_every_method_a_template_can_reach_is_allowed(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Walk every attribute a template may read on every object any template is given."""
    import inspect
    import warnings

    from folio import sandbox
    from folio.archive import render_site
    from folio.content import load_edition
    from folio.formats import FORMATS
    from folio.formats.pdf.document import print_document
    from folio.markup import render_sections
    from folio.theme import load_theme

    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    given: list[tuple[Any, dict[str, Any]]] = []
    real = sandbox.render
    monkeypatch.setattr(sandbox, "render", lambda template, context: (
        given.append((template.environment, context)), real(template, context))[1])
    for name in ("mini", "constructs", "arabic-review"):
        edition = render_sections(load_edition(tmp_path / "content" / name))
        theme = load_theme(edition.config.theme, tmp_path, edition.root)
        for fmt in ("web", "email"):
            FORMATS[fmt].renderer()(edition, theme)
        print_document(edition, theme)
    render_site(tmp_path / "content", tmp_path / "build")
    assert len(given) >= 10

    allowed = {"SectionView.component", "FigureBand.row_of", "FigureBand.size",
               "Words.gettext", "Words.ngettext", "Words.breakable", "Words.long_date",
               "Words.month_year", "Words.month", "Words.day"}
    plain = (*sandbox.PLAIN_TYPES, Markup)
    seen: set[int] = set()
    reached: set[str] = set()
    for env, context in given:
        stack: list[Any] = [*context.values(), *env.globals.values()]
        while stack:
            obj = stack.pop()
            if id(obj) in seen or inspect.isroutine(obj) or isinstance(obj, type):
                continue
            seen.add(id(obj))
            if isinstance(obj, (list, tuple, set, frozenset)):
                stack.extend(obj)
                continue
            if isinstance(obj, dict):
                stack.extend(obj.values())
                continue
            if isinstance(obj, plain) or type(obj).__module__.startswith("jinja2"):
                continue
            kind = type(obj)
            assert kind.__module__.startswith("folio."), f"templates are given a {kind!r}"
            for name in dir(obj):
                try:
                    with warnings.catch_warnings():  # pydantic's deprecated names warn
                        warnings.simplefilter("ignore")
                        value = getattr(obj, name)
                except Exception:
                    continue
                if not env.is_safe_attribute(obj, name, value):
                    continue
                reached.add(f"{kind.__name__}.{name}")
                if inspect.isroutine(value):
                    assert f"{kind.__name__}.{name}" in allowed, (
                        f"a template can call {kind.__name__}.{name}")
                else:
                    stack.append(value)
    assert {"EditionConfig.title", "SectionView.component", "Colours.ink"} <= reached
    assert not any(name.split(".")[1].startswith(("model_", "parse_", "copy", "json", "dict",
                                                  "schema", "construct", "validate"))
                   for name in reached), sorted(reached)


# --- 1c. links that run code are left out of every output -------------------------------

SCRIPT_LINKS = ["javascript:alert(document.domain)", " Java\tScript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "vbscript:msgbox(1)"]


@pytest.mark.slow
@pytest.mark.parametrize("address", SCRIPT_LINKS)
def test_script_links_are_left_out_of_every_output(project: Path, address: str) -> None:
    edition = project / MINI
    quoted = json.dumps(address)
    join = edition / "06-join.md"
    join.write_text(join.read_text().replace('"https://example.org/join"', quoted)
                    + f"\nSee [the form]({address.replace(' ', '').replace(chr(9), '')}).\n")
    dates = edition / "05-dates.md"
    dates.write_text(dates.read_text().replace('"https://example.org/webinar"', quoted))
    config = edition / "edition.yaml"
    config.write_text(config.read_text().replace("https://example.org/mini/\n",
                                                 f"{quoted}\n", 1) + f"website: {quoted}\n")
    done = run(project, "build", "mini")
    assert done.returncode == 0, done.stderr
    assert "check finds" in done.stderr and "left out of every output" in done.stderr
    scheme = address.strip().split(":")[0].lower().replace("\t", "")
    for path in (project / "build").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".eml", ".xml"):
            text = path.read_text(errors="replace").lower().replace("\t", "")
            assert f"{scheme}:" not in text.replace("data:image", ""), path
    pdf = (project / "build" / "mini" / "mini.pdf").read_bytes()
    assert f"{scheme}:".encode() not in pdf.lower().replace(b"data:image", b"")
    done = run(project, "build", "mini", "--strict", "--force")
    assert done.returncode == 1 and "--strict builds nothing" in done.stderr
    done = run(project, "check", "mini", "--format", "json")
    assert done.returncode == 1
    found = {(Path(f["file"]).name, f["line"]) for f in json.loads(done.stdout)
             if f["rule"] == "url" and f["severity"] == "error"}
    assert {("06-join.md", 5), ("05-dates.md", 5), ("edition.yaml", 13), ("edition.yaml", 16),
            ("06-join.md", 9)} <= found, found


# --- 2, 3. themes by name only, fonts from installed packages only --------------------

@pytest.mark.parametrize("theme", ["/etc", "../../../etc", "../content/mini", "default/../plain"])
def test_theme_is_a_name_never_a_path(project: Path, theme: str) -> None:
    config = project / MINI / "edition.yaml"
    config.write_text(config.read_text() + f"theme: {theme!r}\n")
    done = run(project, "build", "--format", "web", "mini")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "edition.yaml, line " in done.stderr and "not a path" in done.stderr


def make_theme(project: Path, font: str) -> None:
    folder = project / "templates" / "mine"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(
        "name: mine\n"
        "body_font: {family: X, package: font_lato, files: {regular: Lato-Regular.ttf}}\n"
        f"heading_font: {font}\n")
    config = project / MINI / "edition.yaml"
    config.write_text(config.read_text() + "theme: mine\n")


@pytest.mark.parametrize("files", [
    "{regular: ../../../../../../../../etc/passwd}", "{regular: /etc/passwd}",
    "{regular: ../__init__.py}", "{regular: .hidden}"])
def test_font_files_stay_inside_their_package(project: Path, files: str) -> None:
    make_theme(project, f"{{family: Y, package: font_lato, files: {files}}}")
    done = run(project, "build", "--format", "web,pdf", "mini")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "theme.yaml, line 3: 'heading_font.files.regular' must be a plain file name" \
        in done.stderr
    assert b"root:" not in published(project)


def test_a_font_file_not_in_its_package_is_reported(project: Path) -> None:
    """A plain name must still be a regular file inside the package's files/ folder."""
    from folio.errors import TemplateError
    from folio.theme import load_theme

    make_theme(project, "{family: Y, package: font_lato, files: {regular: missing.ttf}}")
    theme = load_theme("mine", project)
    with pytest.raises(TemplateError, match=r"'missing\.ttf' is not in the files/ folder"):
        theme.font_files()


@pytest.mark.parametrize("folder", ["/etc", "/usr/share/fonts/../../../etc", "fonts"])
def test_system_font_folders_only(project: Path, folder: str) -> None:
    """A font `folder:` must lie inside the system's font folders: /etc is not one."""
    make_theme(project, f"{{family: Y, folder: '{folder}', files: {{regular: passwd}}}}")
    done = run(project, "build", "--format", "web,pdf", "mini")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "is not a system font folder" in done.stderr
    assert b"root:" not in published(project)


@pytest.mark.parametrize("package", ["content.mini.evil", "mini", "evil"])
def test_font_package_is_never_imported(project: Path, package: str) -> None:
    marker = project / "imported"
    for folder in (project / "content" / "mini" / "evil", project / "content" / "mini",
                   project / "evil"):
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    make_theme(project, f"{{family: Y, package: {package}, files: {{regular: x.ttf}}}}")
    done = run(project, "build", "--format", "web,pdf", "mini")
    assert not marker.exists()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "theme.yaml" in done.stderr or f"font package '{package}' is not installed" \
        in done.stderr


# --- 4. importing a Markdown draft copies only real pictures from inside its folder -----

def png(colour: tuple[int, int, int] = (10, 90, 160)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_markdown_import_takes_only_real_pictures_inside_the_draft_folder(
    tmp_path: Path,
) -> None:
    drafts = tmp_path / "drafts"
    (drafts / ".ssh").mkdir(parents=True)
    (drafts / ".ssh" / "id_rsa").write_text("-----BEGIN PRIVATE KEY----- secret")
    (drafts / ".env").write_text("PASSWORD=secret")
    (drafts / "notes.png").write_text("PASSWORD=secret, not a picture")
    (drafts / "linked.png").symlink_to(tmp_path / "outside.png")
    (tmp_path / "outside.png").write_bytes(png((1, 2, 3)))
    (tmp_path / "above.png").write_bytes(png((4, 5, 6)))
    (drafts / "fine.png").write_bytes(png())
    (drafts / "draft.md").write_text(
        "# Spring\n\n## One\n\n![k](.ssh/id_rsa) ![e](.env) ![n](notes.png) "
        "![l](linked.png) ![a](../above.png) ![a2](pics/../../above.png) ![f](fine.png)\n"
        "![s](%2e%2e/above.png) ![p](/etc/passwd)\n")
    project = tmp_path / "project"
    project.mkdir()
    done = run(project, "import", str(drafts / "draft.md"), "--name", "spring")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    images = project / "content" / "spring" / "images"
    assert sorted(p.name for p in images.iterdir()) == ["fine.png"]
    assert (images / "fine.png").read_bytes() == png()
    for skipped in (".ssh/id_rsa", ".env", "notes.png", "linked.png", "../above.png",
                    "%2e%2e/above.png"):
        assert f"picture '{skipped}' was not copied" in done.stdout, skipped
    text = b"".join(p.read_bytes() for p in (project / "content").rglob("*") if p.is_file())
    assert b"secret" not in text and png((1, 2, 3)) not in text and png((4, 5, 6)) not in text


# --- 6. SVG pictures hold drawings only -------------------------------------------------

SCRIPTED_SVGS = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" ONCLICK="alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
    '<a x:href="javascript:alert(1)"><rect width="9"/></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body xmlns='
    '"http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></body></foreignObject>'
    '</svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" '
    'values="javascript:alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" '
    'to="alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/t.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://example.org/x.css);'
    '</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.org/#g)"/></svg>',
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><use href="data:image/svg+xml;base64,'
    'PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"/></svg>',
    '<svg><script>alert(1)</script></svg>',
]
CLEAN_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
             '<linearGradient id="g"><stop offset="0" stop-color="#08c"/></linearGradient>'
             '</defs><rect width="10" height="10" fill="url(#g)"/></svg>')


@pytest.mark.parametrize("svg", SCRIPTED_SVGS)
def test_every_kind_of_active_svg_is_refused(tmp_path: Path, svg: str) -> None:
    from folio.pictures import problem

    (tmp_path / "chart.svg").write_text(svg)
    assert problem(tmp_path / "chart.svg", "images/chart.svg")
    (tmp_path / "chart.svg").write_text(CLEAN_SVG)
    assert problem(tmp_path / "chart.svg", "images/chart.svg") is None


INKSCAPE_SVG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/" width="40mm" height="20mm" viewBox="0 0 40 20"
   sodipodi:docname="members.svg" inkscape:version="1.2.2">
  <sodipodi:namedview id="view" pagecolor="#ffffff" inkscape:zoom="2.5"/>
  <metadata><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
    <dc:title>Members</dc:title></cc:Work></rdf:RDF></metadata>
  <defs><linearGradient id="fade"><stop offset="0" stop-color="#0a5c8a"/></linearGradient>
    <clipPath id="clip"><rect width="40" height="20"/></clipPath></defs>
  <g inkscape:label="Bars" inkscape:groupmode="layer" clip-path="url(#clip)">
    <rect x="2" y="8" width="6" height="12" style="fill:url(#fade);stroke:none"/>
    <use xlink:href="#bar" x="10"/><text x="2" y="6" font-size="4">300 \u2192 345</text>
  </g></svg>"""


@pytest.mark.parametrize("svg", [CLEAN_SVG, INKSCAPE_SVG], ids=["plain", "inkscape"])
def test_drawings_from_drawing_programs_are_accepted(tmp_path: Path, svg: str) -> None:
    from folio.pictures import problem

    (tmp_path / "chart.svg").write_text(svg)
    assert problem(tmp_path / "chart.svg", "images/chart.svg") is None


@pytest.mark.parametrize("svg", SCRIPTED_SVGS[:2])
@pytest.mark.parametrize("where", ["front matter", "text"])
def test_scripted_svgs_are_refused(project: Path, svg: str, where: str) -> None:
    (project / MINI / "images" / "chart.svg").write_text(svg)
    section = project / MINI / "04-picture.md"
    text = section.read_text()
    if where == "front matter":
        section.write_text(text.replace("images/pic.png", "images/chart.svg"))
    else:
        section.write_text(text + "\n![A chart](images/chart.svg)\n")
    done = run(project, "build", "--format", "web,email", "mini")
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    line = 4 if where == "front matter" else 10
    assert f"04-picture.md, line {line}: the SVG 'images/chart.svg' contains " in done.stderr \
        or f"04-picture.md, line {line}: image 'images/chart.svg' is not an SVG" in done.stderr
    assert b"alert(1)" not in published(project)


def _nested_uses(depth: int, width: int) -> str:
    parts = ['<defs><rect id="l0" width="1" height="1"/>']
    for level in range(1, depth + 1):
        parts.append(f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * width + "</g>")
    return "".join(parts) + f'</defs><use href="#l{depth}"/>'


def _big_png_uri() -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (15_000, 10_000)).save(buffer, "PNG")  # 150 megapixels, 24 KB
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


HEAVY_SVGS = {  # what the SVG holds -> what the error says
    "fill:u\\72l(http://evil.example/x)": '<rect width="5" height="5" '
                                           'style="fill:u\\72l(http://evil.example/x)"/>',
    '@\\69mport "http://..."': '<style>@\\69mport "http://evil.example/a.css";</style>',
    "image-set(...)": '<style>rect{fill:image-set("http://evil.example/a.png" 1x)}</style>',
    "150-megapixel PNG inside": '<image width="5" height="5" href="BIGPNG"/>',
    "use 9 deep x 10": _nested_uses(9, 10),
    "300,000 tspans": "<text>" + "<tspan>a</tspan>" * 300_000 + "</text>",
    "uses itself": '<g id="a"><rect width="1" height="1"/><use href="#a"/></g>',
}
HEAVY_SAYS = {"150-megapixel PNG inside": "15000x10000 pixels",
              "use 9 deep x 10": "draws more than 200,000 elements",
              "300,000 tspans": "300,002 elements", "uses itself": "uses itself"}


@pytest.mark.parametrize("what", list(HEAVY_SVGS))
def test_svgs_that_fetch_through_escapes_or_draw_forever_are_refused_in_seconds(
    project: Path, what: str,
) -> None:
    import time

    body = HEAVY_SVGS[what].replace("BIGPNG", _big_png_uri() if "BIGPNG" in
                                    HEAVY_SVGS[what] else "")
    (project / MINI / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' + body + "</svg>")
    section = project / MINI / "04-picture.md"
    section.write_text(section.read_text().replace("images/pic.png", "images/chart.svg"))
    started = time.monotonic()
    done = run(project, "build", "mini", timeout=120)
    assert time.monotonic() - started < 30
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "bug in Folio" not in done.stderr
    assert reported("mini/04-picture.md, line 4: ", done), done.stderr
    assert HEAVY_SAYS.get(what, "a style that loads something") in done.stderr
    assert not (project / "build" / "mini" / "index.html").exists()


def test_a_plain_svg_drawing_is_published(project: Path) -> None:
    (project / MINI / "images" / "chart.svg").write_text(CLEAN_SVG)
    section = project / MINI / "04-picture.md"
    section.write_text(section.read_text() + "\n![A chart](images/chart.svg)\n")
    done = run(project, "build", "--format", "web", "mini")
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "mini" / "images" / "chart.svg").read_text() == CLEAN_SVG


# --- 7. section files are regular files inside the edition ----------------------------

@pytest.mark.parametrize("kind", ["link outside", "link to /dev/zero", "fifo", "folder",
                                  "dangling link", "edition.yaml link"])
def test_section_files_that_are_not_plain_files_are_refused(project: Path, kind: str) -> None:
    secret = project / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\nTOP-SECRET-TEXT\n")
    edition = project / MINI
    name = "09-extra.md"
    if kind == "link outside":
        (edition / name).symlink_to(secret)
    elif kind == "link to /dev/zero":
        (edition / name).symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(edition / name)
    elif kind == "folder":
        (edition / name).mkdir()
    elif kind == "dangling link":
        (edition / name).symlink_to(project / "nothing.md")
    else:
        name = "edition.yaml"
        (project / "other.yaml").write_bytes((edition / name).read_bytes())
        (edition / name).unlink()
        (edition / name).symlink_to(project / "other.yaml")
    for command in (["build"], ["check", "mini"]):
        done = run(project, *command, timeout=60)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert reported(f"mini/{name}: ", done) and "plain file" in done.stdout + done.stderr
    assert b"TOP-SECRET-TEXT" not in published(project)
    assert not (project / "build" / "mini" / "index.html").exists()


# --- 4b. links out of the edition, folders included -----------------------------------

def embargoed(project: Path) -> Path:
    """Add a second, embargoed edition whose text must never reach mini's outputs."""
    other = project / "content" / "embargo"
    shutil.copytree(project / MINI, other)
    section = other / "01-introduction.md"
    section.write_text(section.read_text() + "\nEMBARGOED-TEXT\n")
    config = other / "edition.yaml"
    config.write_text(config.read_text().replace("draft: true", "") + "draft: true\n")
    return other


@pytest.mark.parametrize("target", ["..", "/", "../embargo"])
def test_an_edition_templates_folder_that_links_out_is_refused(project: Path,
                                                               target: str) -> None:
    import time

    embargoed(project)
    (project / MINI / "templates").symlink_to(target)
    started = time.monotonic()
    done = run(project, "build", "mini", "--format", "web", timeout=60)
    assert time.monotonic() - started < 30  # `templates -> /` is not walked
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert reported("mini/templates: templates/ is a link to a folder elsewhere", done)
    assert b"EMBARGOED-TEXT" not in published(project)


def test_a_linked_edition_yaml_never_shows_in_another_editions_links(project: Path) -> None:
    outside = project / "outside.yaml"
    config = (project / MINI / "edition.yaml").read_text()
    outside.write_text(config.replace("title:", "title: OUTSIDE-TITLE #", 1)
                       .replace("date: 2025-12-01", "date: 2026-02-01"))
    linked = project / "content" / "linked"
    shutil.copytree(project / MINI, linked)
    (linked / "edition.yaml").unlink()
    (linked / "edition.yaml").symlink_to(outside)
    done = run(project, "build", "--format", "web", timeout=120)
    assert done.returncode == 1
    assert reported("linked/edition.yaml: ", done) and "plain file" in done.stderr
    page = (project / "build" / "mini" / "index.html").read_text()
    assert "OUTSIDE-TITLE" not in page
    assert b"OUTSIDE-TITLE" not in published(project)


@pytest.mark.parametrize("kind", ["fifo outside", "link to /dev/zero", "folder link to fifo"])
def test_the_rebuild_key_never_opens_a_linked_file(project: Path, kind: str) -> None:
    """A key that opened the link would block on the pipe, or read /dev/zero forever."""
    fifo = project / "pipe"
    os.mkfifo(fifo)
    if kind == "fifo outside":
        (project / MINI / "notes.txt").symlink_to(fifo)
    elif kind == "link to /dev/zero":
        (project / MINI / "images" / "zero.png").symlink_to("/dev/zero")
    else:
        (project / "elsewhere").mkdir()
        os.mkfifo(project / "elsewhere" / "notes.txt")
        (project / MINI / "more").symlink_to(project / "elsewhere")
    done = run(project, "build", "mini", "--format", "web", timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    again = run(project, "build", "mini", "--format", "web", timeout=60)
    assert "up to date" in again.stdout


def test_a_huge_file_in_the_edition_is_keyed_without_reading_it(project: Path) -> None:
    import time

    with (project / MINI / "recording.wav").open("wb") as file:  # sparse: no disk used
        file.truncate(8 * 1024**3)
    started = time.monotonic()
    done = run(project, "build", "mini", "--format", "web", timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    assert "MemoryError" not in done.stderr


def test_a_picture_through_a_folder_link_is_refused(project: Path) -> None:
    (project / "pictures").mkdir()
    (project / "pictures" / "outside.png").write_bytes(png())
    (project / MINI / "gallery").symlink_to(project / "pictures")
    section = project / MINI / "04-picture.md"
    section.write_text(section.read_text().replace("images/pic.png", "gallery/outside.png"))
    done = run(project, "build", "mini", "--format", "web", timeout=60)
    assert done.returncode == 1
    assert reported("mini/04-picture.md, line ", done)
    assert "outside the edition" in done.stderr or "through a link" in done.stderr


def test_import_never_copies_pictures_through_a_folder_link(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    (drafts / ".private").mkdir(parents=True)
    (drafts / ".private" / "secret.png").write_bytes(png((7, 7, 7)))
    (drafts / "pics").symlink_to(drafts / ".private")
    (drafts / "fine.png").write_bytes(png())
    (drafts / "draft.md").write_text("# Spring\n\n## One\n\n![s](pics/secret.png) "
                                     "![f](fine.png)\n")
    project = tmp_path / "project"
    project.mkdir()
    done = run(project, "import", str(drafts / "draft.md"), "--name", "spring")
    assert done.returncode == 0, done.stderr
    assert "picture 'pics/secret.png' was not copied: it is a link" in done.stdout
    images = sorted(p.name for p in (project / "content" / "spring" / "images").iterdir())
    assert images == ["fine.png"]


# --- 10. publish: a target is a place, never an option ----------------------------------

@pytest.mark.parametrize("target", ["--log-file=LOG", "-e touch MARKER", "--rsync-path=touch "
                                    "MARKER:site", "user@-oProxyCommand=sh:site"])
def test_publish_never_passes_a_target_as_an_option(project: Path, target: str) -> None:
    marker, log = project / "pwned", project / "log"
    target = target.replace("MARKER", str(marker)).replace("LOG", str(log))
    done = run(project, "publish", "--", target, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "starts with '-', which rsync and ssh read as an option" in done.stderr
    assert not marker.exists() and not log.exists()


# --- 5, 9. the preview server: local names only, no redirect elsewhere, bounded ---------

@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from folio import watch

    monkeypatch.setattr(watch, "IDLE_TIMEOUT", 0.5)
    monkeypatch.setattr(watch, "MAX_CONNECTIONS", 4)
    root = tmp_path / "build"
    (root / "mini").mkdir(parents=True)
    (root / "mini" / "index.html").write_text("<html><body>preview</body></html>")
    (tmp_path / "secret.txt").write_text("do not serve")
    running = watch.serve(root, 0, watch.State())
    yield running.server_address[1]
    running.shutdown()
    running.server_close()


def raw(port: int, request: bytes) -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[bytes, bytes]:
    answer = raw(port, f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("latin-1"))
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


@pytest.mark.parametrize("path", ["/.folio-locks/mini.lock", "/%2efolio-locks/mini.lock",
                                  "/mini/../.folio-locks/mini.lock", "/.folio-locks/",
                                  "/mini/.notes/draft.txt", "/mini/.notes/", "/.folio-locks"])
def test_watch_never_serves_a_hidden_path(project: Path, path: str) -> None:
    from folio import watch

    done = run(project, "build", "mini", "--format", "web", timeout=120)
    assert done.returncode == 0, done.stderr
    root = project / "build"
    assert (root / ".folio-locks" / "mini.lock").is_file()
    (root / "mini" / ".notes").mkdir()
    (root / "mini" / ".notes" / "draft.txt").write_text("embargoed")
    running = watch.serve(root, 0, watch.State())
    try:
        port = running.server_address[1]
        assert get(port, "/mini/")[0].startswith(b"HTTP/1.0 200")
        head, body = get(port, path)
        assert head.startswith(b"HTTP/1.0 404"), head
        assert b"embargoed" not in body
    finally:
        running.shutdown()
        running.server_close()


@pytest.mark.parametrize("path", ["/%2f%2fevil.example/..", "//evil.example/%2e%2e",
                                  "/%2f%2fevil.example%2f..%2fmini", "/%5c%5cevil.example/.."])
def test_redirects_stay_on_the_preview(server: int, path: str) -> None:
    head, _ = get(server, path)
    location = [line for line in head.split(b"\r\n") if line.lower().startswith(b"location:")]
    for line in location:
        target = line.split(b":", 1)[1].strip()
        assert target.startswith(b"/") and not target.startswith(b"//"), line
        assert b"evil" not in target


@pytest.mark.parametrize("path", ["/mini%0d%0aSet-Cookie:%20x=1", "/mini%0aX-Injected:%201",
                                  "/x%0d%0a%0d%0a<script>alert(1)</script>", "/mini%00.html",
                                  "/" + "a" * 300, "/mini/" + "b" * 256 + "/x", "/%ff%fe"])
def test_request_bytes_never_reach_the_headers(server: int, path: str) -> None:
    head, body = get(server, path)
    assert head.startswith(b"HTTP/1.0 404") or head.startswith(b"HTTP/1.0 301"), head
    assert b"Set-Cookie" not in head and b"X-Injected" not in head and b"<script>" not in body
    assert get(server, "/mini/")[1].startswith(b"<html><body>preview")  # still serving


def test_folder_names_with_line_breaks_are_not_redirected_to(server: int, tmp_path: Path) -> None:
    (tmp_path / "build" / "a\r\nSet-Cookie: x=1").mkdir()
    head, _ = get(server, "/a%0d%0aSet-Cookie:%20x=1")
    assert b"\r\nSet-Cookie" not in head


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io",
                                  "localhost.evil.example", ""])
def test_only_local_host_names_are_answered(server: int, host: str) -> None:
    head, body = get(server, "/mini/", host=host)
    assert head.startswith(b"HTTP/1.0 421"), head
    assert b"preview" not in body
    for local in ("127.0.0.1", f"127.0.0.1:{server}", "localhost", f"LOCALHOST:{server}"):
        assert get(server, "/mini/", host=local)[1].startswith(b"<html><body>preview")


def test_idle_connections_are_closed_and_threads_are_bounded(server: int) -> None:
    import socket
    import threading
    import time

    from folio.watch import PreviewServer

    assert PreviewServer.request_queue_size >= 128
    before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", server), timeout=5) for _ in range(12)]
    time.sleep(0.3)
    assert threading.active_count() <= before + 4
    started = time.monotonic()
    assert idle[0].recv(1) == b""  # closed by the server, not by us
    assert time.monotonic() - started < 3
    for connection in idle:
        connection.close()
    assert get(server, "/mini/")[1].startswith(b"<html><body>preview")


# --- 14, 18. watch outlives a failed rebuild; ports are checked ---------------------------

def test_watch_survives_any_exception_in_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from folio import watch

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(watch, "build_edition", broken)
    state = watch.State()
    watch.safe_rebuild([tmp_path / "content" / "mini"], tmp_path / "build", False,
                       lambda result: True, state)
    assert state.error and "No space left on device" in state.error


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_watch_refuses_a_port_that_does_not_exist(project: Path, port: str) -> None:
    done = run(project, "watch", "mini", "--port", port, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and f"--port {port} is not a port number" in done.stderr


# --- 8. nothing from the content drives the terminal ----------------------------------

ESCAPE = "\x1b]0;pwned\x07\x1b[2J\u202e"


def test_escape_sequences_in_content_are_printed_escaped(project: Path, tmp_path: Path) -> None:
    section = project / MINI / "04-picture.md"
    section.write_text(section.read_text().replace(
        "images/pic.png", '"images/\\e]0;pwned\\a\\e[2J\\u202e.png"'))
    for command in (["build"], ["check", "mini"], ["check", "mini", "--format", "json"]):
        done = run(project, *command)
        assert done.returncode == 1
        assert "\x1b" not in done.stdout + done.stderr
        assert "\u202e" not in done.stdout + done.stderr
        shown = "\\u001b]0;pwned\\u0007" if "json" in command else "\\x1b]0;pwned\\x07"
        assert shown in done.stdout + done.stderr
    draft = tmp_path / "draft.md"
    draft.write_text(f"# Title {ESCAPE}\n\n## Part {ESCAPE}\n\nText ![x]({ESCAPE}.png)\n")
    done = run(project, "import", str(draft), "--name", "drafted")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\\x1b" in done.stdout


def test_every_line_printed_escapes_what_an_edition_wrote(project: Path, tmp_path: Path) -> None:
    """Progress and publish lines name the edition's folder; build's summary of check
    findings quotes the text: both pass through the one escaping stream."""
    name = "mini\x1b]0;pwned\x07\x1b[2J"
    (project / MINI).rename(project / "content" / name)
    section = project / "content" / name / "01-introduction.md"
    section.write_text(section.read_text() + "\nSee [the form](htps://example.org/\x1b[2J).\n")
    outputs = []
    for command in (["build", "--format", "web,email"],
                    ["publish", str(tmp_path / "site"), "--allow-errors"]):
        done = run(project, *command, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout + done.stderr)
    assert "check finds 1 error(s)" in outputs[0]
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text
        assert "mini\\x1b]0;pwned\\x07\\x1b[2J" in text


def test_watch_on_port_0_prints_the_port_it_serves_on(project: Path) -> None:
    import re
    import signal

    from tests.conftest import watch_on_port_0

    process, line = watch_on_port_0(project, merged=True)
    try:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/mini/", line)
        assert found and found[1] != "0", line
        assert b"Mini Review" in get(int(found[1]), "/mini/")[1]
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    assert "Traceback" not in output
