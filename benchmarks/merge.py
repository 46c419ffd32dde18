"""Merge benchmarks: throughput, scaling, memory and the cost of one personalised document.

    python benchmarks/merge.py [--rows 1000] [--small 60] [--builds 3]

Uses the donor-statement fixture (tests/fixtures/merge/) with generated rows, in a
temporary project. Prints, in order:
- documents (a PDF and an email each) per second per core over `--rows` rows, all cores;
- the speed-up of `--jobs 2` over `--jobs 1` on `--small` rows (each from an empty folder);
- the workers' resident memory (summed over the pool's processes) after row 100 and
  after the last row: flat means the recycled pool does not grow with the rows;
- the cost of one document at `--jobs 1` (the `--small` run's time over its rows, pool
  start included) against one ordinary forced build of the same edition (`folio build
  --force --format pdf,email`, median of `--builds` fresh processes).
The last line is `name=value` pairs for scripts. No network.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "fixtures" / "merge" / "content" / "donor-statement"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def rows_file(path: Path, count: int) -> Path:
    """Write `count` recipients, cycling through the regions."""
    lines = ["donor_id,first_name,last_name,email,region,total,gifts"]
    for n in range(1, count + 1):
        lines.append(f"D-{n:05d},Name{n},Family{n},donor{n}@example.org,"
                     f"{('North', 'South', 'Coast')[n % 3]},£{n * 5},{n % 7 + 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def descendants_rss_kb(pid: int) -> int:
    """Return the resident memory, in KB, of every process below `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    below, frontier = set(), [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in below:
                below.add(child)
                frontier.append(child)
    total = 0
    for child in below:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


CPU: dict[str, float] = {}
"""The workers' CPU seconds of the last merge_run."""


def merge_run(project: Path, data: Path, out: Path, jobs: int | None,
              sample_at: tuple[int, ...] = ()) -> tuple[float, int, dict[int, int]]:
    """Merge every row in this process; return (seconds, rows made, memory at rows)."""
    from folio.merge.run import merge

    memory: dict[int, int] = {}
    made = 0

    def on_row(key: str) -> None:
        nonlocal made
        made += 1
        if made in sample_at:
            memory[made] = descendants_rss_kb(os.getpid())

    started = time.perf_counter()
    result = merge("donor-statement", data, content=project / "content", out=out, jobs=jobs,
                   on_row=on_row)
    seconds = time.perf_counter() - started
    if result.failed:
        raise SystemExit(f"rows failed: {result.failed[:3]}")
    CPU["last"] = result.cpu
    return seconds, result.done, memory


def forced_build(project: Path, out: Path) -> tuple[float, float]:
    """Time one ordinary forced build of the edition's PDF and email, in a fresh process;
    return (seconds, CPU seconds of the build and its helper processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "generate.py"), "--out", str(out), "build",
                    "donor-statement", "--force", "--format", "pdf,email"], cwd=project,
                   check=True, capture_output=True, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--small", type=int, default=60)
    parser.add_argument("--builds", type=int, default=3)
    args = parser.parse_args()
    from bench import compile_folio

    from folio.merge.executors import cores

    compile_folio()

    with tempfile.TemporaryDirectory(prefix="folio-merge-bench-") as temporary:
        project = Path(temporary)
        shutil.copytree(FIXTURE, project / "content" / "donor-statement")
        timed = [forced_build(project, project / f"build-{i}") for i in range(args.builds)]
        builds = [seconds for seconds, _ in timed]
        build = statistics.median(builds)
        build_cpu = statistics.median(cpu for _, cpu in timed)
        print(f"ordinary forced build (pdf+email, fresh process): {build:.2f} s, "
              f"{build_cpu:.2f} CPU s (median of {args.builds}: "
              f"{', '.join(f'{b:.2f}' for b in builds)} s)")

        # The first merge of a process starts its fork server: not part of any figure.
        merge_run(project, rows_file(project / "warm.csv", 2), project / "out-warm", 1)
        small = rows_file(project / "small.csv", args.small)
        one, _, _ = merge_run(project, small, project / "out-j1", 1)
        cpu_per_document = CPU["last"] / args.small
        two, _, _ = merge_run(project, small, project / "out-j2", 2)
        per_document = one / args.small
        print(f"{args.small} rows: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, "
              f"speed-up {one / two:.2f}")
        print(f"one document at --jobs 1: {per_document:.3f} s = {per_document / build:.2f} "
              f"of one ordinary forced build; {cpu_per_document:.3f} CPU s in its worker = "
              f"{cpu_per_document / build_cpu:.2f} of the build's CPU s")

        large = rows_file(project / "large.csv", args.rows)
        marks = (100, args.rows)
        seconds, made, memory = merge_run(project, large, project / "out-large", None, marks)
        rate = made / seconds / cores()
        print(f"{made} rows on {cores()} cores: {seconds:.1f} s, {rate:.2f} documents/s per "
              f"core (wall clock); {made / CPU['last']:.2f} documents per worker CPU second")
        print("worker memory (RSS, all pool processes): " + ", ".join(
            f"row {row}: {kb / 1024:.0f} MB" for row, kb in sorted(memory.items())))
        growth = memory.get(args.rows, 0) / max(memory.get(100, 1), 1)
        print(f"merge_docs_per_core_s={rate:.3f} speedup_j2={one / two:.2f} "
              f"doc_vs_build={per_document / build:.3f} build_s={build:.2f} "
              f"doc_cpu_s={cpu_per_document:.3f} build_cpu_s={build_cpu:.2f} "
              f"rss_row100_mb={memory.get(100, 0) / 1024:.0f} "
              f"rss_last_mb={memory.get(args.rows, 0) / 1024:.0f} rss_growth={growth:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
