"""Benchmark: Folio's PDF build time as a ratio to WeasyPrint alone on the same print.html.

    python benchmarks/bench_pdf.py [EDITION] [--pairs N]

Each pair runs, in fresh processes and in alternating order:
  A  `python generate.py build EDITION --format pdf --force` (everything Folio does:
     start-up, loading, checking, templates, WeasyPrint, writing),
  B  `python -c ...` rendering the kept print.html with WeasyPrint alone, with the same
     `write_pdf` options.
It prints the median of each and the ratio A / B. The goal is at most 1.10. Nothing is
asserted: timings belong in a report, not in a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.10


def run(command: list[str], cwd: Path) -> float:
    """Run a command in a fresh process; return its wall-clock time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def weasyprint_alone(html: Path, pdf: Path, options: dict[str, object]) -> list[str]:
    """Return the command that renders `html` with WeasyPrint and nothing else."""
    code = (
        "from weasyprint import HTML\n"
        f"HTML(filename={str(html)!r}).write_pdf({str(pdf)!r}, **{options!r})\n"
    )
    return [sys.executable, "-c", code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("edition", nargs="?", default="reflections-2025")
    parser.add_argument("--pairs", type=int, default=7, help="A/B pairs to time (>= 5)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from folio.content import load_edition
    from folio.formats.pdf import pdf_options

    with tempfile.TemporaryDirectory(prefix="folio-bench-") as temporary:
        out = Path(temporary) / "build"
        build = [sys.executable, "generate.py", "build", args.edition, "--format", "pdf",
                 "--force", "--jobs", "1", "--out", str(out)]
        subprocess.run([*build, "--keep-html"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        html = out / args.edition / "print.html"
        edition = load_edition(ROOT / "content" / args.edition)
        options = {k: v for k, v in pdf_options(edition, b"0" * 32).items()
                   if v is not None}
        alone = weasyprint_alone(html, Path(temporary) / "alone.pdf", options)

        folio_times, alone_times = [], []
        for pair in range(max(args.pairs, 5)):
            order = [("A", build), ("B", alone)]
            if pair % 2:
                order.reverse()  # alternate, so that neither always runs on a warm cache
            for name, command in order:
                seconds = run(command, ROOT)
                (folio_times if name == "A" else alone_times).append(seconds)

    a, b = statistics.median(folio_times), statistics.median(alone_times)
    ratio = a / b
    print(f"edition            {args.edition} ({os.cpu_count()} cores, {len(folio_times)} pairs)")
    print(f"A folio build      median {a:.3f} s  (min {min(folio_times):.3f} s)")
    print(f"B weasyprint alone median {b:.3f} s  (min {min(alone_times):.3f} s)")
    print(f"ratio A / B        {ratio:.3f}  (goal <= {GOAL:.2f}: "
          f"{'met' if ratio <= GOAL else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
