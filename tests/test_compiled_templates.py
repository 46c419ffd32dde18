"""Compiled templates kept between runs: used while their source is unchanged, never across
settings, and never needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import folio.theme as theme_module
from folio.sources import BUILTIN_THEMES
from tests.conftest import ROOT


def build_web(project: Path, temporary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), "build", "mini",
                           "--format", "web", "--force"], cwd=project, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)})


def test_templates_are_compiled_once_and_again_when_edited(project: Path, tmp_path: Path) -> None:
    theme = project / "templates" / "own"
    shutil.copytree(BUILTIN_THEMES / "default" / "web", theme / "web")
    (theme / "theme.yaml").write_text("name: own\nbody_font: {family: Lato}\n"
                                      "heading_font: {family: Lato}\n")
    settings = project / "content" / "mini" / "edition.yaml"
    settings.write_text(settings.read_text() + "theme: own\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    assert build_web(project, temporary).returncode == 0
    [private] = temporary.glob("_jinja2-cache-*")
    assert oct(private.stat().st_mode & 0o777) == "0o700"
    kept = {p.name: p.read_bytes() for p in private.glob("folio-*.cache")}
    assert len(kept) >= 2  # the page and what it includes

    page = theme / "web" / "page.html"
    page.write_text(page.read_text().replace("<body", "<body data-edited=yes", 1))
    assert build_web(project, temporary).returncode == 0
    assert "data-edited" in (project / "build" / "mini" / "index.html").read_text()
    again = {p.name: p.read_bytes() for p in private.glob("folio-*.cache")}
    assert [name for name in kept if again[name] != kept[name]], "the edited page was not " \
        "compiled again"


def test_code_compiled_under_other_settings_is_never_loaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    theme_module.compiled_templates.cache_clear()
    usual = theme_module.compiled_templates()
    monkeypatch.setitem(theme_module.SETTINGS, "trim_blocks", False)
    theme_module.compiled_templates.cache_clear()
    other = theme_module.compiled_templates()
    theme_module.compiled_templates.cache_clear()
    assert usual is not None and other is not None
    assert usual.pattern != other.pattern  # type: ignore[attr-defined]


def test_without_a_private_temporary_folder_templates_are_compiled_each_time(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    theme_module.compiled_templates.cache_clear()
    try:
        assert theme_module.compiled_templates() is None
    finally:
        monkeypatch.undo()
        theme_module.compiled_templates.cache_clear()
    done = build_web(project, not_a_folder)
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "mini" / "index.html").is_file()
