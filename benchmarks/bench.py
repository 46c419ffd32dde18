"""Folio's benchmarks: every figure is a ratio of two things measured in the same run.

    python benchmarks/bench.py [--pairs N] [--quick]

Each ratio alternates A and B and takes the median of N pairs (5 by default), because
these machines are noisy, and prints the smallest and largest ratio of the pairs beside
it, so one noisy pair cannot decide; absolute times are printed for information only. The last line
is `name=value` pairs for scripts. Needs the project installed, Debian's `pandoc` for the
peer comparison (skipped without it), and no network.
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE = str(ROOT / "generate.py")
SAMPLE = "reflections-2025"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# A child that runs a command line in-process and reports its own peak memory (RSS).
MEASURED = """
import atexit, resource, runpy, sys

def peak():
    # After the build's own exit handlers (registered later, so run first), which stop
    # its PDF helper: the helper's peak counts too, added to ours (an upper bound).
    # Folio's command line ends the process right after the exit handlers.
    used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    used += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write("peak-rss-kb=%d\\n" % used)
    sys.stderr.flush()

atexit.register(peak)
sys.argv = {argv!r}
runpy.run_path(sys.argv[0], run_name="__main__")
"""

FLOOR = """
import ast, sys
from weasyprint import HTML
options = ast.literal_eval(sys.argv[3])
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], **options)
"""

# WeasyPrint alone on several files in one process: imported once, each file laid out and
# written as `FLOOR` does it.
FLOOR_MANY = """
import ast, sys
from weasyprint import HTML
options = ast.literal_eval(sys.argv[1])
for html in sys.argv[2:]:
    HTML(filename=html).write_pdf(html[:-len(".html")] + ".pdf", **options)
"""


def run(args: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command line in a fresh process; return (seconds, peak RSS in KB)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED.format(argv=args)], cwd=cwd,
                          capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    rss = [int(line.split("=")[1]) for line in done.stderr.splitlines()
           if line.startswith("peak-rss-kb=")]
    return seconds, rss[-1] if rss else 0


def folio(cwd: Path, *args: str) -> float:
    return run([GENERATE, *args], cwd)[0]


class Ratio(float):
    """A median ratio of A to B, with the smallest and largest ratio of its pairs."""

    low: float
    high: float
    cpu: Ratio
    """The same comparison in CPU seconds (set by `pairs`)."""

    def __new__(cls, ratios: list[float]) -> Ratio:
        made = super().__new__(cls, statistics.median(ratios))
        made.low, made.high = min(ratios), max(ratios)
        return made

    def shown(self, digits: int = 2) -> str:
        """Return `median (min-max)`."""
        return f"{self:.{digits}f} ({self.low:.{digits}f}-{self.high:.{digits}f})"


def children_cpu() -> float:
    """Return the CPU seconds of this process's finished children (and theirs) so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def pairs(a: Callable[[], float], b: Callable[[], float], count: int) -> tuple[Ratio, float, float]:
    """Alternate A and B `count` times; return (ratio with spread, median A, median B).

    The ratio of the CPU seconds the two spent (every process each started: for a build,
    its PDF helper too) comes with it as `.cpu`: a busy machine stretches wall-clock
    times far more than CPU times.
    """
    ratios, times_a, times_b, cpu_ratios = [], [], [], []
    for _ in range(count):
        before = children_cpu()
        time_a = a()
        between = children_cpu()
        time_b = b()
        ratios.append(time_a / time_b)
        cpu_b = children_cpu() - between
        cpu_ratios.append((between - before) / cpu_b if cpu_b else 0.0)
        times_a.append(time_a)
        times_b.append(time_b)
    ratio = Ratio(ratios)
    ratio.cpu = Ratio(cpu_ratios)
    return ratio, statistics.median(times_a), statistics.median(times_b)


def weasyprint_options(project: Path, edition: str) -> dict[str, object]:
    """Return the options Folio gives WeasyPrint for an edition (its fetcher aside)."""
    sys.path.insert(0, str(ROOT))
    from folio.content import load_edition
    from folio.formats.pdf import print_document
    from folio.markup import render_sections
    from folio.theme import load_theme

    loaded = render_sections(load_edition(project / "content" / edition))
    theme = load_theme(loaded.config.theme, project, loaded.root)
    options = {k: v for k, v in print_document(loaded, theme).options.items()
               if k != "url_fetcher"}
    ast.literal_eval(repr(options))  # the options must survive the trip to the child
    return options


def floor_command(project: Path, edition: str) -> Callable[[], float]:
    """WeasyPrint alone, in a fresh process, on the print.html Folio kept, same options."""
    options = weasyprint_options(project, edition)
    html = project / "floor.html"  # Folio's later builds without --keep-html remove print.html
    shutil.copyfile(project / "build" / edition / "print.html", html)
    target = project / "floor.pdf"

    def floor() -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", FLOOR, str(html), str(target), repr(options)],
                       check=True, env=ENV)
        return time.perf_counter() - started

    return floor


def batch_floor_command(project: Path, processes: int = 2) -> Callable[[], float]:
    """WeasyPrint alone on every edition's print.html, `processes` at a time.

    The parallel floor of a batch: each process imports WeasyPrint once and writes its
    share of the files (every `processes`-th one), with the options Folio gives it.
    """
    editions = sorted(f.name for f in (project / "content").iterdir() if f.is_dir())
    folio(project, "build", "--force", "--keep-html", "--jobs", "1")
    floor = project / "floor"
    floor.mkdir(exist_ok=True)
    files = []
    for edition in editions:
        files.append(str(floor / f"{edition}.html"))
        shutil.copyfile(project / "build" / edition / "print.html", files[-1])
    options = repr(weasyprint_options(project, editions[0]))

    def batch() -> float:
        started = time.perf_counter()
        children = [subprocess.Popen([sys.executable, "-c", FLOOR_MANY, options,
                                      *files[index::processes]], env=ENV)
                    for index in range(processes)]
        if any(child.wait() for child in children):
            raise SystemExit("WeasyPrint alone failed on the batch")
        return time.perf_counter() - started

    return batch


def write_edition(folder: Path, sections: int, words_from: Path) -> None:
    """Generate an edition of `sections` text sections from the sample's prose."""
    folder.mkdir(parents=True)
    (folder / "edition.yaml").write_text(
        "title: Scale test\norganisation: Folio benchmarks\ndate: 2025-12-01\n")
    prose = [p.read_text().split("---", 2)[2] for p in sorted(words_from.glob("*.md"))]
    prose = [p for p in prose if len(p.split()) > 100]
    for number in range(1, sections + 1):
        body = prose[number % len(prose)]
        (folder / f"{number:03d}-part-{number}.md").write_text(
            f"---\ntitle: Part {number}\nsummary: Section {number} of {sections}.\n---\n{body}")


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def watch_save_to_page(project: Path, edition: str) -> Callable[[], float]:
    """Start `watch`; each call saves a section and times until web page and email show it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, GENERATE, "watch", edition, "--no-pdf",
                                "--port", str(port)], cwd=project, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    while "serving" not in process.stdout.readline():
        if process.poll() is not None:
            raise SystemExit("watch did not start")
    section = sorted((project / "content" / edition).glob("*.md"))[0]
    original = section.read_text()
    counter = [0]

    def save() -> float:
        counter[0] += 1
        marker = f"Edited for the benchmark, round {counter[0]}."
        started = time.perf_counter()
        # In the body for the web page, in the summary for a digest email.
        edited = original.replace("\nsummary: ", f"\nsummary: {marker} ", 1)
        section.write_text(edited + f"\n\n{marker}\n")
        out = project / "build" / edition
        while True:
            try:
                if marker in (out / "index.html").read_text() and \
                        marker in (out / "email.html").read_text():
                    return time.perf_counter() - started
            except OSError:
                pass
            if time.perf_counter() - started > 60:
                raise SystemExit("watch did not rebuild within 60 s")
            time.sleep(0.005)

    save.process = process  # type: ignore[attr-defined]
    return save


def pdf_contents(path: Path) -> str:
    """Describe what a PDF carries: pages, bookmarks, tags, a contents page with numbers."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    tagged = "/StructTreeRoot" in root
    outline = len(reader.outline)
    first_pages = " ".join((reader.pages[i].extract_text() or "") for i in range(
        min(3, len(reader.pages))))
    numbered_contents = "Contents" in first_pages and any(
        line.strip().split()[-1].isdigit() for line in first_pages.splitlines()
        if line.strip() and len(line.split()) > 1)
    return (f"{len(reader.pages)} pages, {outline} bookmarks, tagged={'yes' if tagged else 'no'}"
            f", contents page numbers={'yes' if numbered_contents else 'no'}")


def charts_editions(work: Path) -> tuple[Path, Path]:
    """Copy the charts fixture (five charts from CSV, XLSX and JSON) into a project, and
    into another without its chart blocks; build both once; return the two projects."""
    import re

    fixture = ROOT / "tests" / "fixtures" / "content" / "charts"
    projects = work / "charts-with", work / "charts-without"
    for project in projects:
        shutil.copytree(fixture, project / "content" / "charts")
    for section in (projects[1] / "content" / "charts").glob("*.md"):
        text = section.read_text(encoding="utf-8")
        section.write_text(re.sub(r"```chart\n.*?```\n", "", text, flags=re.S),
                           encoding="utf-8")
    for project in projects:
        folio(project, "build", "--jobs", "1")
    return projects


def compile_folio() -> None:
    """Compile Folio's modules to bytecode, as installing it does.

    An editable install leaves that to the first import, and a machine that sets
    PYTHONDONTWRITEBYTECODE (containers often do) then compiles all of Folio in every
    process measured, about 0.2 s of CPU, while WeasyPrint, installed from a wheel, was
    compiled once at install: the comparison would not be like for like.
    """
    import compileall

    compileall.compile_dir(str(ROOT / "folio"), quiet=1)


def main() -> int:
    compile_folio()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=5, help="pairs per ratio (default 5)")
    parser.add_argument("--quick", action="store_true", help="smaller scale test (10, 30)")
    args = parser.parse_args()
    count = args.pairs
    results: dict[str, float | str] = {}
    rows: list[tuple[str, str, str, str]] = []
    began = time.perf_counter()

    work = Path(tempfile.mkdtemp(prefix="folio-bench-"))
    try:
        project = work / "sample"
        shutil.copytree(ROOT / "content" / SAMPLE, project / "content" / SAMPLE)
        folio(project, "build", SAMPLE, "--keep-html", "--jobs", "1")
        floor = floor_command(project, SAMPLE)

        # 1-2. The PDF, and all formats, against WeasyPrint alone.
        ratio, a, b = pairs(lambda: folio(project, "build", SAMPLE, "--format", "pdf",
                                          "--force", "--jobs", "1"), floor, count)
        results["pdf_vs_weasyprint"] = ratio
        results["pdf_vs_weasyprint_cpu"] = ratio.cpu
        rows.append(("PDF build / WeasyPrint alone", ratio.shown(), "<= 1.05",
                     f"{a:.2f} s / {b:.2f} s"))
        rows.append(("  the same in CPU seconds, all processes",
                     ratio.cpu.shown(), "(report)", ""))
        ratio, a, b = pairs(lambda: folio(project, "build", SAMPLE, "--force", "--jobs", "1"),
                            floor, count)
        results["all_vs_weasyprint"] = ratio
        results["all_vs_weasyprint_cpu"] = ratio.cpu
        rows.append(("all formats / WeasyPrint alone", ratio.shown(), "<= 1.10",
                     f"{a:.2f} s / {b:.2f} s"))
        rows.append(("  the same in CPU seconds, all processes",
                     ratio.cpu.shown(), "(report)", ""))

        # 3. A no-op build against a full build.
        def noop() -> float:
            return folio(project, "build", "--jobs", "1")

        def full() -> float:
            return folio(project, "build", "--force", "--jobs", "1")

        full()
        ratio, a, b = pairs(noop, full, count)
        results["noop_vs_full"] = ratio
        rows.append(("no-op build / full build", ratio.shown(3), "<= 0.05",
                     f"{a:.2f} s / {b:.2f} s"))

        # 4. Save a section -> new web page and email on disk, in watch mode.
        save = watch_save_to_page(project, SAMPLE)
        try:
            save()  # warm up: the first rebuild also loads the email toolchain
            ratio, a, b = pairs(save, full, count)
        finally:
            save.process.terminate()  # type: ignore[attr-defined]
            save.process.wait()
        results["save_vs_full"] = ratio
        rows.append(("save to web+email (watch) / full build", ratio.shown(3), "<= 0.10",
                     f"{a:.2f} s / {b:.2f} s"))

        # 5. A peer: pandoc with WeasyPrint on the same content as one Markdown file.
        if shutil.which("pandoc"):
            one = work / "peer.md"
            sections = sorted((project / "content" / SAMPLE).glob("*.md"))
            parts = ["---\ntitle: Reflections 2025\n---\n"]
            for path in sections:
                _, front, body = path.read_text().split("---", 2)
                title = next(line.split(":", 1)[1].strip() for line in front.splitlines()
                             if line.startswith("title:"))
                parts.append(f"\n# {title}\n{body}")
            one.write_text("".join(parts))
            weasyprint_bin = str(Path(sys.executable).with_name("weasyprint"))
            if not Path(weasyprint_bin).exists():
                weasyprint_bin = shutil.which("weasyprint") or "weasyprint"

            def peer() -> float:
                started = time.perf_counter()
                subprocess.run(["pandoc", str(one), "-s", "--toc", "-o", str(work / "peer.pdf"),
                                f"--pdf-engine={weasyprint_bin}"], check=True, env=ENV,
                               cwd=project / "content" / SAMPLE, capture_output=True)
                return time.perf_counter() - started

            ratio, a, b = pairs(peer, lambda: folio(project, "build", SAMPLE, "--format", "pdf",
                                                    "--force", "--jobs", "1"), count)
            results["pandoc_vs_folio_pdf"] = ratio
            rows.append(("pandoc+WeasyPrint / Folio PDF", ratio.shown(), "(report)",
                         f"{a:.2f} s / {b:.2f} s"))
            rows.append(("  pandoc PDF", "", "", pdf_contents(work / "peer.pdf")))
            rows.append(("  Folio PDF", "", "",
                         pdf_contents(project / "build" / SAMPLE / f"{SAMPLE}.pdf")))
        else:
            rows.append(("pandoc+WeasyPrint / Folio PDF", "skipped", "", "no pandoc"))

        # 6. Scale: time per page and peak memory at 10, 50 and 200 sections.
        per_page = {}
        for size in ((10, 30) if args.quick else (10, 50, 200)):
            scale = work / f"scale-{size}"
            write_edition(scale / "content" / "scale", size, project / "content" / SAMPLE)
            seconds, rss = run([GENERATE, "build", "scale", "--force", "--jobs", "1"], scale)
            pages = pdf_pages(scale / "build" / "scale" / "scale.pdf")
            per_page[size] = seconds / pages
            results[f"rss_mb_{size}"] = round(rss / 1024)
            rows.append((f"scale: {size} sections", f"{seconds / pages:.3f} s/page", "",
                         f"{pages} pages, {seconds:.1f} s, peak RSS {rss / 1024:.0f} MB"))
        largest = max(per_page)
        results["per_page_growth"] = per_page[largest] / per_page[10]
        rows.append((f"time per page, {largest} / 10 sections",
                     f"{per_page[largest] / per_page[10]:.2f}", "<= 1.5", ""))
        rows.append((f"peak memory at {largest} sections", f"{results[f'rss_mb_{largest}']} MB",
                     "< 600 MB", ""))

        # 7. Parallel: 20 small editions with --jobs 2 against --jobs 1.
        many = work / "many"
        for index in range(20):
            write_edition(many / "content" / f"small-{index:02d}", 2,
                          project / "content" / SAMPLE)
        ratio, a, b = pairs(lambda: folio(many, "build", "--force", "--jobs", "1"),
                            lambda: folio(many, "build", "--force", "--jobs", "2"), count)
        results["jobs2_speedup"] = ratio
        rows.append(("20 editions: --jobs 1 / --jobs 2 (speed-up)", ratio.shown(), "(report)",
                     f"{a:.2f} s / {b:.2f} s"))

        # 7b. The batch against its parallel floor: the default --jobs (2 workers on two
        #     cores) against WeasyPrint alone writing the same 20 print.html two at a time;
        #     in CPU seconds, that is the cost of a PDF against WeasyPrint alone's.
        batch_floor = batch_floor_command(many)
        ratio, a, b = pairs(lambda: folio(many, "build", "--force"), batch_floor, count)
        results["batch_vs_weasyprint"] = ratio
        results["batch_vs_weasyprint_cpu"] = ratio.cpu
        rows.append(("20 editions, default --jobs / WeasyPrint alone 2 at a time",
                     ratio.shown(), "<= 1.15", f"{a:.2f} s / {b:.2f} s"))
        rows.append(("  the same in CPU seconds (CPU per PDF), all processes",
                     ratio.cpu.shown(), "<= 1.15", ""))

        # 8. The default --jobs against --jobs 1, on one edition, the two samples and 20
        #    small editions: the default must never be the slower. It is chosen by
        #    `default_jobs` from the cores and the editions to build (all of them, with
        #    --force): a worker per core from twice as many editions as cores, else one
        #    process with its PDF helper, which is then the very build `--jobs 1` runs.
        sys.path.insert(0, str(ROOT))
        from folio.build import default_jobs

        both = work / "both"
        shutil.copytree(ROOT / "content", both / "content")
        for label, where, names in (("1 edition", project, [SAMPLE]), ("3 samples", both, []),
                                    ("20 editions", many, [])):
            editions = len(names) or sum(1 for f in (where / "content").iterdir() if f.is_dir())
            chosen = default_jobs(editions)
            key = f"default_jobs_speedup_{label.split()[0]}"
            if chosen == 1:
                results[key] = "same"
                rows.append((f"{label}: --jobs 1 / default (speed-up)", "same build",
                             ">= 1.0", f"default: 1 process, as {editions} edition(s) < "
                             f"2 x {os.cpu_count()} cores"))
                continue
            ratio, a, b = pairs(lambda where=where, names=names: folio(
                                    where, "build", *names, "--force", "--jobs", "1"),
                                lambda where=where, names=names: folio(
                                    where, "build", *names, "--force"), count)
            results[key] = ratio
            rows.append((f"{label}: --jobs 1 / default (speed-up)", ratio.shown(), ">= 1.0",
                         f"{a:.2f} s / {b:.2f} s; default: {chosen} workers for "
                         f"{editions} editions"))

        # 9. Charts: an edition with charts against the same edition without them, both
        #    forced (drawings from the cache), and after an edit to one chart's data (that
        #    chart drawn again: the converter starts in the build's process).
        with_charts, without = charts_editions(work)

        edits = iter(range(31, 1000))  # a value never drawn before, each time

        def edit() -> float:
            data = with_charts / "content" / "charts" / "data" / "income.csv"
            lines = data.read_text(encoding="utf-8").splitlines()
            lines[-1] = lines[-1].rsplit(",", 1)[0] + f",{next(edits)}"
            data.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return folio(with_charts, "build", "--force", "--jobs", "1")

        for label, first, goal in (("warm drawings", lambda: folio(
                with_charts, "build", "--force", "--jobs", "1"), "(report)"),
                ("one chart's data edited", edit, "<= 0.3 s")):
            first()
            ratio, a, b = pairs(first, lambda: folio(without, "build", "--force", "--jobs",
                                                     "1"), count)
            key = "charts_" + label.split()[0].replace("'", "")
            results[f"{key}_extra_s"] = a - b
            rows.append((f"charts ({label}): extra time over none", f"{a - b:+.2f} s", goal,
                         f"{a:.2f} s / {b:.2f} s, ratio {ratio.shown()}, CPU "
                         f"{ratio.cpu.shown()}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>14}  {'goal':>8}  times")
    for name, value, goal, note in rows:
        print(f"{name:<{width}}  {value:>14}  {goal:>8}  {note}")
    print(f"({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{time.perf_counter() - began:.0f} s in all)")
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                   for k, v in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
