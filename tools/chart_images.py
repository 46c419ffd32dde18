"""Draw the pictures of docs/reference/charts.md: each example block, as the email's PNG.

Run from anywhere:

    python tools/chart_images.py

Each ```chart block of the page (inside its ~~~markdown examples) is drawn from the data
files of the test edition `tests/fixtures/content/charts/`, with the default theme, and
written to the picture the page shows after it, under `docs/images/charts/`. The PNGs are
reduced to a palette of 256 colours, so that they stay small in the repository.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from pathlib import Path

from PIL import Image

from folio.charts import draw_charts, read_charts
from folio.content import load_edition
from folio.theme import load_theme

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "charts.md"
FIXTURE = ROOT / "tests" / "fixtures" / "content" / "charts"
EXAMPLE = re.compile(r"~~~markdown\n(```chart\n.*?```)\n~~~\n+!\[[^\]]*\]\(\.\./images/charts/"
                     r"([a-z-]+)\.png\)", re.S)


def main() -> None:
    examples = EXAMPLE.findall(PAGE.read_text())
    with tempfile.TemporaryDirectory() as temporary:
        edition = Path(temporary) / "charts"
        shutil.copytree(FIXTURE, edition)
        for old in edition.glob("*.md"):
            old.unlink()
        for number, (block, _name) in enumerate(examples, 1):
            (edition / f"{number:02d}-example-{number}.md").write_text(
                f"---\ntitle: Example {number}\n---\n{block}\n")
        loaded = read_charts(load_edition(edition))
        drawn = draw_charts(loaded, load_theme("default", ROOT))
        for section, (_block, name) in zip(drawn.sections, examples, strict=True):
            with Image.open(io.BytesIO(section.charts[0].png)) as picture:
                flat = picture.convert("RGB").quantize(256)
                target = ROOT / "docs" / "images" / "charts" / f"{name}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                flat.save(target, optimize=True)
                print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
