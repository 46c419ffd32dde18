"""Attacks from an untrusted edition: each one fails, and nothing outside is read, run or served.

An edition folder is a contributor's submission: its sections, pictures, `templates/` and
the theme it names. Every test here plays one attack through the command line and checks
that it is refused with a message naming the file, that no traceback is printed, and that
nothing outside the edition ended up read, executed or published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
MINI = Path("content") / "mini"


def run(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the `mini` edition, nothing built yet."""
    shutil.copytree(FIXTURES / "content" / "mini", tmp_path / MINI)
    return tmp_path


def published(project: Path) -> bytes:
    """Return every byte under build/, to search for what must never be published."""
    return b"".join(p.read_bytes() for p in sorted((project / "build").rglob("*"))
                    if p.is_file())


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
    assert f"{template}, line 2: " in done.stderr
    assert "sandbox" in done.stderr
