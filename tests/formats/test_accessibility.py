"""An accessibility gate: axe-core, in real headless Chromium, finds no serious or critical
violation in the web page or the email of any fixture edition or sample, on a phone
(375 px) and a desktop (1280 px)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from folio.build import build

ROOT = Path(__file__).resolve().parents[2]
EDITIONS = {path.name: path for path in sorted((ROOT / "tests" / "fixtures" / "content").iterdir())
            if (path / "edition.yaml").is_file()}
EDITIONS.update({path.name: path for path in sorted((ROOT / "content").iterdir())
                 if (path / "edition.yaml").is_file()})
GRAVE = {"serious", "critical"}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition's web page and email, built once."""
    project = tmp_path_factory.mktemp("axe")
    for name, folder in EDITIONS.items():
        shutil.copytree(folder, project / "content" / name)
    results = list(build(list(EDITIONS), content=project / "content", out=project / "build",
                         formats=["web", "email"], force=True, checks="off"))
    built = {r.edition for r in results if r.ok} - {"(archive)"}
    assert built == set(EDITIONS), [str(p) for r in results for p in r.problems]
    return project / "build"


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("output", ["index.html", "email.html"])
@pytest.mark.parametrize("name", EDITIONS)
def test_axe_finds_nothing_serious(built: Path, axe, open_page, name: str, output: str,
                                   width: int) -> None:
    page = open_page(built / name / output, width)
    found = axe.run(page).response["violations"]
    grave = [f"{v['id']} ({v['impact']}): {v['help']}: "
             + "; ".join(n["html"][:120] for n in v["nodes"][:3])
             for v in found if v["impact"] in GRAVE]
    assert not grave, "\n".join(grave)


def test_the_logo_alt_text_reads_in_dark_mode_with_pictures_blocked(built: Path,
                                                                     open_page) -> None:
    page = open_page(built / "reflections-2025" / "email.html", 600, color_scheme="dark")
    colour, background = page.evaluate("""() => {
        const img = document.querySelector('.fo-masthead-logo img');
        let box = img; while (box && getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)')
            box = box.parentElement;
        return [getComputedStyle(img).color, getComputedStyle(box).backgroundColor];
    }""")
    assert background == "rgb(255, 255, 255)" and colour != background, (colour, background)


MEASURE = """() => {
  let widest = 0;
  for (const p of document.querySelectorAll('.prose p')) {
    const node = p.firstChild;
    if (!node || node.nodeType !== 3 || node.length < 160) continue;
    const range = document.createRange(), lines = {};
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (box) lines[Math.round(box.top)] = (lines[Math.round(box.top)] || 0) + 1;
    }
    const counts = Object.values(lines); counts.pop();  // a paragraph's last line is short
    for (const count of counts) widest = Math.max(widest, count);
  }
  return widest;
}"""


@pytest.mark.parametrize("width", [768, 1280])
@pytest.mark.parametrize("name", ["data-review", "stress", "reflections-2025", "francais"])
def test_body_text_holds_at_most_80_characters_a_line(built: Path, open_page, name: str,
                                                      width: int) -> None:
    widest = open_page(built / name / "index.html", width).evaluate(MEASURE)
    assert widest <= 80, f"{name}: {widest} characters a line at {width} px"
