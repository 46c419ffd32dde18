"""The W3C Nu HTML checker finds no error in the sample web pages."""

from __future__ import annotations

from pathlib import Path

from folio.build import build
from tests.nuchecker import pages


def test_sample_pages_pass_the_nu_checker(samples: Path, nu_checker) -> None:
    results = list(build(content=samples / "content", out=samples / "build", formats=["web"]))
    assert all(r.ok for r in results)
    checked = pages(samples / "build")
    assert len(list((samples / "build").glob("*/index.html"))) == 3
    assert len(checked) == 4  # and the archive's
    assert nu_checker(checked) == []


def test_the_checker_really_checks(tmp_path: Path, nu_checker) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><html><head></head><body>"
                                         '<p style="colr: red">x</p></body></html>')
    found = "\n".join(nu_checker([tmp_path / "index.html"]))
    assert "“title”" in found and "“colr”" in found, found  # the page's CSS too
