"""Word import at scale: long .docx drafts -> import and PDF build times, per 1,000 words.

    python benchmarks/word_import.py [--words 5000,10000,20000,47000] [--timeout 600]

Each draft is written with python-docx the way long reports are: a heading every few
hundred words, paragraphs with bold and italic runs, bullet lists, and a table every
couple of thousand words. Every size is imported and its PDF built in a fresh process
(the command line, as a user runs it); the last line gives `name=value` pairs, among
them `pdf_growth`: the cost per word of the largest draft over the smallest's (1.0 means
the PDF build time grows in proportion to the length). Needs python-docx; no network.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE = str(ROOT / "generate.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
VOCABULARY = ["members", "partners", "young", "people", "research", "online", "safety",
              "alliance", "report", "summit", "policy", "webinar", "year", "work", "future",
              "children", "voices", "growth", "network", "review", "schools", "families",
              "volunteers", "training", "evidence", "funding", "community", "support",
              "services", "local", "national", "campaign", "survey", "results", "learning",
              "practice", "guidance"]


def write_draft(path: Path, words: int, seed: int = 20) -> None:
    """Write a long report of about `words` words as a Word document."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    document.add_paragraph(f"A report of {words} words", style="Title")
    written, chapter = 0, 0
    while written < words:
        if written % 900 < 60 or chapter == 0:
            chapter += 1
            document.add_heading(f"Chapter {chapter} {rng.choice(VOCABULARY)}", level=1)
        if written % 2000 < 60:
            table = document.add_table(rows=6, cols=4)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = " ".join(rng.choices(VOCABULARY, k=2))
            written += 48
        if written % 700 < 60:
            for _ in range(4):
                document.add_paragraph(" ".join(rng.choices(VOCABULARY, k=8)),
                                       style="List Bullet")
            written += 32
        paragraph = document.add_paragraph(" ".join(rng.choices(VOCABULARY, k=30)).capitalize())
        paragraph.add_run(" with ")
        paragraph.add_run(" ".join(rng.choices(VOCABULARY, k=3))).bold = True
        paragraph.add_run(" and " + " ".join(rng.choices(VOCABULARY, k=20)) + ".")
        written += 55
    document.save(str(path))


def timed(args: list[str], cwd: Path, timeout: float) -> float:
    """Run a command line in a fresh process; return its seconds (or fail loudly)."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, GENERATE, *args], cwd=cwd, env=ENV,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"timed out after {timeout:.0f} s: {' '.join(args)}") from None
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", default="5000,10000,20000,47000",
                        help="draft sizes in words, comma-separated")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per command")
    options = parser.parse_args()
    sizes = [int(size) for size in options.words.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp)
        for size in sizes:
            draft = project / f"report-{size}.docx"
            write_draft(draft, size)
            name = f"report-{size}"
            imported = timed(["import", str(draft), "--name", name], project, options.timeout)
            pdf = timed(["build", name, "--format", "pdf"], project, options.timeout)
            pages = _pages(project / "build" / name / f"{name}.pdf")
            rows.append((size, imported, pdf, pages))
            print(f"{size:>7} words  import {imported:6.1f} s  PDF {pdf:7.1f} s  "
                  f"({pages} pages, {1000 * pdf / size:.2f} s per 1,000 words)", flush=True)
    first, last = rows[0], rows[-1]
    growth = (last[2] / last[0]) / (first[2] / first[0])
    print(f"pdf_growth={growth:.2f} pdf_seconds_largest={last[2]:.1f} "
          f"import_seconds_largest={last[1]:.1f} words_largest={last[0]}")
    return 0


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())
