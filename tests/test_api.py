"""The package's public names: each is its module's object, imported only when asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import folio
from tests.conftest import ROOT


def test_public_names_are_the_objects_of_their_modules() -> None:
    from folio.content import Edition, Section, load_edition
    from folio.errors import ContentError, FolioError, TemplateError
    from folio.theme import load_theme

    assert folio.__all__ == ["ContentError", "Edition", "FolioError", "Section",
                             "TemplateError", "load_edition", "load_theme"]
    expected = {"ContentError": ContentError, "Edition": Edition, "FolioError": FolioError,
                "Section": Section, "TemplateError": TemplateError,
                "load_edition": load_edition, "load_theme": load_theme}
    for name in folio.__all__:
        assert getattr(folio, name) is expected[name], name
        assert getattr(folio, name) is expected[name], name  # the same on a second look


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'folio' has no attribute 'bulid'"):
        folio.bulid  # noqa: B018
    assert importlib.import_module("folio.build").build.__module__ == "folio.build"


def test_importing_the_package_imports_nothing_else() -> None:
    code = ("import sys, folio; loaded = sorted(m for m in sys.modules if m.startswith('folio'))"
            "; from folio import load_edition; "
            "print(loaded, 'folio.content' in sys.modules, 'weasyprint' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    assert done.stdout.split() == ["['folio']", "True", "False"]
