#!/usr/bin/env python3
"""Measure the tests' coverage of every module of `folio`; fail when one is under the goal.

    python tools/measure_coverage.py                  # the whole suite, then the table
    python tools/measure_coverage.py tests/test_watch.py   # some tests only
    python tools/measure_coverage.py --report         # the table of the last measurement

The tests run under `pytest --cov` with `[tool.coverage.run]` of pyproject.toml: branch
coverage, and the processes the tests start (the command line, `watch`, the PDF helper,
build workers) measured too. The table gives, for each module, coverage.py's figure: the
lines and the branches run, out of all of them. It is printed in Markdown, ready for
docs/testing.md. The exit status is 1 when a module is under GOAL or a test failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 85.0
"""The least coverage, in per cent, every module should have."""


def measure(arguments: list[str]) -> int:
    """Run the tests (all of them, or those named) under coverage; return pytest's status."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--cov",
               "--cov-report=", *arguments]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def modules() -> dict[str, dict[str, int | float]]:
    """Return each measured module's summary from the last measurement's data."""
    with tempfile.TemporaryDirectory() as temporary:
        report = Path(temporary) / "coverage.json"
        subprocess.run([sys.executable, "-m", "coverage", "json", "-q", "-o", str(report)],
                       cwd=ROOT, check=True)
        files = json.loads(report.read_text(encoding="utf-8"))["files"]
    return {name: data["summary"] for name, data in sorted(files.items())}


def table(summaries: dict[str, dict[str, int | float]]) -> str:
    """Return the Markdown table of every module, the least covered first."""
    rows = ["| module | lines | branches | coverage |", "|---|---|---|---|"]
    for name, summary in sorted(summaries.items(), key=lambda item: item[1]["percent_covered"]):
        lines = f"{summary['covered_lines']}/{summary['num_statements']}"
        branches = f"{summary['covered_branches']}/{summary['num_branches']}"
        percent = f"{summary['percent_covered']:.1f} %"
        if summary["percent_covered"] < GOAL:
            percent = f"**{percent}**"
        rows.append(f"| `{name}` | {lines} | {branches} | {percent} |")
    return "\n".join(rows)


def main(arguments: list[str]) -> int:
    status = 0
    if arguments[:1] != ["--report"]:
        status = measure(arguments)
    summaries = modules()
    print(table(summaries))
    under = [name for name, summary in summaries.items() if summary["percent_covered"] < GOAL]
    if under:
        print(f"under {GOAL:.0f} %: {', '.join(under)}", file=sys.stderr)
    return 1 if status or under else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
