"""The memo of run-on decisions (`formats/pdf/memo`): the same text is laid out once.

The first layout of an edition whose key figures would leave the page before them short
takes two WeasyPrint layouts (see `balance`); the decision is kept, and the next layout
of the same text takes one and gives the same PDF. A kept decision that no longer holds
is dropped, and the PDF is what it would be with nothing kept.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from folio.content import load_edition
from folio.formats.pdf import memo
from folio.formats.pdf.document import print_document
from folio.formats.pdf.layout import PrintDocument, write_pdf
from folio.markup import render_sections
from folio.theme import load_theme
from tests.formats.pdf.helpers import ROOT

pytestmark = pytest.mark.slow
FIXTURE = ROOT / "tests" / "fixtures" / "content" / "data-review"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOLIO_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache" / memo.FOLDER


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count WeasyPrint's layouts (each is still made, as usual)."""
    from weasyprint import HTML

    made: list[int] = []
    render = HTML.render

    def counted(self: HTML, *args: object, **kwargs: object) -> object:
        made.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    yield made


def document(folder: Path) -> PrintDocument:
    edition = render_sections(load_edition(folder))
    theme = load_theme(edition.config.theme, folder.parent.parent, edition.root)
    return print_document(edition, theme)


def edition(tmp_path: Path, introduction: str = "short") -> Path:
    """The data-heavy review with a one-paragraph introduction (the page before the key
    figures is short: they run on) or one twice as long (they open a page)."""
    folder = tmp_path / "content" / "data-review"
    shutil.copytree(FIXTURE, folder)
    intro = folder / "01-introduction.md"
    head, _, body = intro.read_text(encoding="utf-8").partition("\n---\n")
    body = body.split("\n\n")[0] if introduction == "short" else body * 2
    intro.write_text(head + "\n---\n" + body, encoding="utf-8")
    figures = folder / "02-figures.md"  # three figures: a band that fits under a paragraph
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    figures.write_text("".join(line for line in lines if "{value:" not in line
                               or "million" in line or "towns" in line or "£1" in line),
                       encoding="utf-8")
    return folder


def test_the_second_layout_of_the_same_text_is_made_once(tmp_path: Path, cache: Path,
                                                         layouts: list[int]) -> None:
    printed = document(edition(tmp_path))
    first, _, ran_on = write_pdf(printed)
    assert ran_on == {"figures": 1.0}, "the key figures no longer run on: pick another fixture"
    assert len(layouts) == 2 and len(list(cache.iterdir())) == 1
    layouts.clear()
    again, _, ran_on_again = write_pdf(printed)
    assert len(layouts) == 1
    assert (again, ran_on_again) == (first, ran_on)


def test_editing_a_section_after_the_figures_keeps_the_decision(tmp_path: Path,
                                                               layouts: list[int]) -> None:
    folder = edition(tmp_path)
    write_pdf(document(folder))
    voice = folder / "04-voice.md"
    voice.write_text(voice.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                     encoding="utf-8")
    layouts.clear()
    assert write_pdf(document(folder))[2] == {"figures": 1.0}
    assert len(layouts) == 1


def test_a_decision_that_no_longer_holds_is_dropped(tmp_path: Path, cache: Path,
                                                    layouts: list[int]) -> None:
    """A longer introduction fills the page before the figures: they open their page."""
    printed = document(edition(tmp_path, "long"))
    memo.remember(printed.html, {"figures": True})  # as if kept from another layout
    assert memo.recall(printed.html) == {"figures": True}
    kept_wrongly, _, ran_on = write_pdf(printed)
    assert ran_on == {} and memo.recall(printed.html) == {}
    shutil.rmtree(cache)
    assert write_pdf(printed)[0] == kept_wrongly  # the PDF made with nothing kept


def test_print_html_is_what_was_laid_out(tmp_path: Path) -> None:
    from folio.formats.pdf import render

    folder = edition(tmp_path)
    loaded = render_sections(load_edition(folder))
    files = render(loaded, load_theme(loaded.config.theme, folder.parent.parent, loaded.root))
    assert b"section--run-on" in files["print.html"]


def test_a_band_shrunk_to_run_on_is_kept_at_its_size(tmp_path: Path, cache: Path,
                                                     layouts: list[int]) -> None:
    """The Arabic review's band runs on only a step smaller (`balance.SHRINK`): that size
    is kept with the decision, and the next layout of the same text is made once."""
    folder = tmp_path / "content" / "data-review-ar"
    shutil.copytree(FIXTURE.parent / "data-review-ar", folder)
    printed = document(folder)
    first, _, ran_on = write_pdf(printed)
    assert 0 < ran_on["figures"] < 1, "the band no longer needs shrinking: pick another fixture"
    assert memo.recall(printed.html) == ran_on
    layouts.clear()
    assert write_pdf(printed)[::2] == (first, ran_on) and len(layouts) == 1
