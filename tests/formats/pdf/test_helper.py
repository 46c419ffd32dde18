"""The helper process that lays out PDFs for cold command-line builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.sources import BUILTIN_THEMES
from tests.conftest import NO_FONT
from tests.formats.pdf.helpers import (
    CSS_ATTACKS,
    build_pdf,
    run_generate,
)


def test_command_line_head_start_gives_the_same_pdf(project: Path) -> None:
    """A cold command-line build lays the PDF out in a helper process: same bytes."""
    data = build_pdf(project).read_bytes()  # in this process
    done = run_generate(project, "build", "mini", "--format", "pdf", "--force", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "mini" / "mini.pdf").read_bytes() == data


def test_command_line_refusals_come_back_from_the_helper(project: Path) -> None:
    theme = project / "templates" / "styled"
    shutil.copytree(BUILTIN_THEMES / "default" / "pdf", theme / "pdf")
    (theme / "theme.yaml").write_text("name: styled\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    css = theme / "pdf" / "print.css"
    css.write_text(CSS_ATTACKS["url-relative"] + "\n" + css.read_text())
    with open(project / "content" / "mini" / "edition.yaml", "a") as handle:
        handle.write("theme: styled\n")
    done = run_generate(project, "build", "mini", "--format", "pdf", "--jobs", "1")
    assert done.returncode == 1
    assert ("error: templates/styled: a template of theme 'styled' asks for "
            "'file:///etc/passwd', which the PDF will not read") in done.stderr
    assert "Traceback" not in done.stderr


def test_helper_stops_when_the_build_is_killed(project: Path) -> None:
    """A build killed mid-way (a time limit, Ctrl-\\) leaves no PDF helper running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.formats.pdf.helpers import ROOT

    build = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "build", "mini",
                              "--format", "pdf", "--force", "--jobs", "1"], cwd=project,
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 20
    while not children and time.monotonic() < deadline and build.poll() is None:
        children_file = Path(f"/proc/{build.pid}/task/{build.pid}/children")
        children = [int(pid) for pid in children_file.read_text().split()] if (
            children_file.exists()) else []
        time.sleep(0.05)
    assert children, "the build started no PDF helper"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() and "Z" not in (
            Path(f"/proc/{pid}/stat").read_text().split()[2]) for pid in children):
        time.sleep(0.1)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "the PDF helper kept running after its build was killed"


def test_renderer_warnings_name_their_section_or_stay_quiet(project: Path) -> None:
    section = project / "content" / "mini" / "01-introduction.md"
    section.write_text(section.read_text() + "\nSee [the plan](#nowhere).\n")
    theme = project / "templates" / "odd"
    shutil.copytree(BUILTIN_THEMES / "default" / "pdf", theme / "pdf")
    (theme / "theme.yaml").write_text("name: odd\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    css = theme / "pdf" / "print.css"
    css.write_text(css.read_text() + "\nbody { colr: red; }\n")  # WeasyPrint ignores it
    settings = project / "content" / "mini" / "edition.yaml"
    settings.write_text(settings.read_text() + "theme: odd\n")
    done = run_generate(project, "build", "mini", "--format", "pdf", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert ("warning: content/mini/01-introduction.md: in the PDF, no anchor #nowhere"
            in done.stderr)
    assert "colr" not in done.stderr and "PDF: " not in done.stderr


def test_the_helper_checks_the_standard_and_a_failing_pdf_claims_nothing(project: Path) -> None:
    """The helper repairs and checks the PDF too: text no font draws costs it its claim."""
    import pikepdf

    section = project / "content" / "mini" / "07-thanks.md"
    section.write_text(f"---\ntitle: Thanks\n---\nThank you, {NO_FONT}.\n", encoding="utf-8")
    done = run_generate(project, "build", "mini", "--format", "pdf", "--force", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "does not meet PDF/UA-1" in done.stderr
    assert f"07-thanks.md, line 4: no font of the theme has '{NO_FONT}'" in done.stderr
    with pikepdf.open(project / "build" / "mini" / "mini.pdf") as pdf:
        assert b"pdfuaid:part" not in pdf.Root.Metadata.read_bytes()



def test_a_pdf_refused_for_its_claims_leaves_the_helper_to_the_next_edition(
        project: Path) -> None:
    """The claims are checked while the helper already lays the PDF out: a refused PDF's
    layout is left unread, and the next edition of the run gets its own PDF, not that one."""
    import pikepdf

    shutil.copytree(project / "content" / "mini", project / "content" / "refused")
    (project / "content" / "refused" / "07-chart.md").write_text(
        "---\ntitle: Chart\n---\n![](images/pic.png)\n", encoding="utf-8")
    (project / "build" / "mini").mkdir(parents=True, exist_ok=True)
    done = run_generate(project, "build", "refused", "mini", "--format", "pdf", "--force",
                        "--jobs", "1")
    assert done.returncode == 1
    assert "content/refused/07-chart.md, line 4" in done.stderr and "no alt text" in done.stderr
    assert not (project / "build" / "refused" / "refused.pdf").exists()
    with pikepdf.open(project / "build" / "mini" / "mini.pdf") as pdf:
        titles = [item.title for item in pdf.open_outline().root]
    assert "Chart" not in titles and titles, titles  # mini's own outline


WORKERS = """
import sys
from pathlib import Path
import pikepdf
from folio.build import build
project = Path(sys.argv[1])
if sys.argv[2] == "validated":  # page-validation loaded and used before the workers fork
    import page
    page.validate_pdf_bytes(Path(sys.argv[3]).read_bytes(), profile="ua1")
results = {r.edition: r for r in build(content=project / "content", out=project / "build",
                                       formats=["pdf"], force=True, jobs=2)}
for name in ("mini", "thanks"):
    with pikepdf.open(project / "build" / name / f"{name}.pdf") as pdf:
        claims = b"pdfuaid:part" in pdf.Root.Metadata.read_bytes()
    failed = [w for w in results[name].warnings if "does not meet PDF/UA-1" in w]
    print(name, claims, "07-thanks.md, line 4" in " ".join(failed), len(failed))
"""


@pytest.mark.parametrize("before", ["fresh", "validated"])
def test_build_workers_check_the_standard_and_never_hang(tmp_path: Path, before: str) -> None:
    """Workers of a parallel build check each PDF; one that fails claims nothing.

    Workers forked from a process that already used page-validation cannot use it (its
    threads do not survive a fork): they must check in a fresh process, not hang.
    """
    import subprocess
    import sys

    from tests.formats.pdf.helpers import ROOT

    for name in ("mini", "thanks"):
        shutil.copytree(ROOT / "tests" / "fixtures" / "content" / "mini",
                        tmp_path / "content" / name)
    (tmp_path / "content" / "thanks" / "07-thanks.md").write_text(
        f"---\ntitle: Thanks\n---\nThank you, {NO_FONT}.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", WORKERS, str(tmp_path), before,
                           str(build_pdf(tmp_path, "mini"))], capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["mini True False 0", "thanks False True 1"]


# The helper's life, driven from a fresh process as a cold `build` would: WeasyPrint not
# loaded yet and no other thread, so that `prepare()` starts a helper.
HELPER_RUN = """
import dataclasses, hashlib, json, os, signal, sys
from pathlib import Path
from folio.formats.pdf import helper
helper.prepare()
assert helper._helper is not None, "no helper started"
from folio.content import load_edition
from folio.formats.pdf.document import print_document
from folio.markup import render_sections
from folio.theme import load_theme
folder = Path(sys.argv[1])
edition = render_sections(load_edition(folder))
document = print_document(edition, load_theme(edition.config.theme, folder.parent.parent,
                                              edition.root))
seen = {"helper": helper._helper.process.pid}
def lay_out(document):
    return hashlib.sha256(helper.begin_layout(document, False)()[0]).hexdigest()
if sys.argv[2] == "kill":  # the helper dies in the middle of the job
    wait = helper.begin_layout(document, False)
    os.kill(helper._helper.process.pid, signal.SIGKILL)
    seen["pdf"] = hashlib.sha256(wait()[0]).hexdigest()
    seen["alive"] = helper._helper.process.is_alive()
    seen["next"] = lay_out(document)
else:  # a job that raises, then the next edition
    seen["pdf"] = lay_out(document)
    broken = dataclasses.replace(document, options={**document.options, "pdf_variant": "pdf/x-9"})
    try:
        lay_out(broken)
    except RuntimeError as error:
        seen["error"] = str(error)
        seen["cause"] = str(error.__cause__)
    seen["next"] = lay_out(document)
    seen["still"] = helper._helper.process.pid
print(json.dumps(seen))
"""


def run_helper(project: Path, how: str) -> dict[str, object]:
    import json
    import os
    import subprocess
    import sys

    from tests.formats.pdf.helpers import ROOT

    done = subprocess.run([sys.executable, "-c", HELPER_RUN, str(project / "content" / "mini"),
                           how], capture_output=True, text=True, timeout=300, cwd=project,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    seen: dict[str, object] = json.loads(done.stdout)
    return seen


def test_helper_reports_a_failed_job_and_lays_out_the_next_edition(project: Path) -> None:
    import hashlib

    expected = hashlib.sha256(build_pdf(project).read_bytes()).hexdigest()
    seen = run_helper(project, "fail")
    assert seen["pdf"] == expected  # laid out in the helper: the same file as here
    assert seen["error"] == "KeyError: 'pdf/x-9' (in the PDF helper process)"
    assert "Traceback" in str(seen["cause"]) and "KeyError" in str(seen["cause"])
    assert seen["still"] == seen["helper"] and seen["next"] == expected  # the same helper
    assert not Path(f"/proc/{seen['helper']}").exists()  # gone when its build ended


def test_a_helper_that_dies_mid_job_leaves_the_layout_to_the_build(project: Path) -> None:
    import hashlib

    expected = hashlib.sha256(build_pdf(project).read_bytes()).hexdigest()
    seen = run_helper(project, "kill")
    assert seen["pdf"] == expected and seen["alive"] is False
    assert seen["next"] == expected  # the next edition is laid out in the build's process


LIBRARIES = """
import ctypes.util, re, sys
sys.path.insert(0, sys.argv[1])
usual = ctypes.util.find_library
if sys.argv[2] == "loader-lacks-them":  # no library loads while the search is skipped
    import cffi
    dlopen = cffi.FFI.dlopen

    def refused(self, name, flags=0):
        if ctypes.util.find_library is not usual:
            raise OSError(f"{name}: not found by the loader alone")
        return dlopen(self, name, flags)

    cffi.FFI.dlopen = refused
if sys.argv[2] == "usual":
    import weasyprint
else:
    from folio.formats.pdf.helper import import_weasyprint
    import_weasyprint()
assert ctypes.util.find_library is usual
from weasyprint import HTML
assert HTML(string="<p>Hello</p>").write_pdf().startswith(b"%PDF")
maps = open("/proc/self/maps").read()
print(sorted(set(re.findall(r"/\\S*(?:pango|harfbuzz|fontconfig|gobject)\\S*", maps))))
"""


def test_the_helper_loads_weasyprint_libraries_by_their_file_names_or_else_as_usual() -> None:
    """The helper's quicker way to load WeasyPrint's libraries loads the same files; where
    the loader alone cannot find them, it loads them the usual way, saying nothing."""
    import subprocess
    import sys

    from tests.formats.pdf.helpers import ROOT

    def libraries(way: str) -> str:
        done = subprocess.run([sys.executable, "-c", LIBRARIES, str(ROOT), way],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    usual = libraries("usual")
    assert "libpango" in usual and "libharfbuzz" in usual
    assert libraries("quick") == usual
    assert libraries("loader-lacks-them") == usual  # nothing printed but the list
