"""Run: an edition and a data file -> `build/<edition>/merge/<key>.pdf` and `<key>.eml` per row.

`merge()` reads top to bottom in two phases. First gather and check everything (the data
file, the keys, the edition, its merge fields against the columns, the manifest of rows
already made) and write nothing when any of it is wrong. Then submit each row that is
missing or changed to the executor, and as each comes back write its files atomically
and record it in the manifest. A row that fails is reported with its key and row number;
the others go on.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..build import code_version, output_keys
from ..content import load_edition
from ..errors import ContentError, FolioError, Problem, display_path
from ..markup import render_sections
from ..outputs import locked, output_problem, write_atomic
from ..schema import EditionConfig
from ..sources import find_edition
from ..theme import load_theme
from .executors import RECYCLE, open_pool
from .fields import columns_hint, field_problems
from .outputs import Manifest, leftovers, message_id, recipient_problem, row_digest
from .personalise import personalise, row_values
from .rows import Row, Table, keyed_rows, read_table
from .worker import Bundle, make_bundle, render_row

MERGE_FORMATS = ("pdf", "email")
FOLDER = "merge"


@dataclass
class Failure:
    """A row that could not be made."""

    key: str
    number: int
    message: str


@dataclass
class MergeResult:
    """What a merge run did."""

    edition: str
    done: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0
    """CPU seconds the workers spent on the rows made (their own processes)."""
    where: str = ""

    def summary(self) -> str:
        """Return the closing line: rows done, skipped, failed and the time taken."""
        return (f"{self.edition}: {self.done} row(s) made, {self.skipped} up to date, "
                f"{len(self.failed)} failed in {self.seconds:.1f} s")


@dataclass(frozen=True)
class _Job:
    key: str
    row: Row
    digest: str
    task: dict[str, Any]


def merge(
    edition: str | Path, data: Path | None = None, *, content: Path = Path("content"),
    out: Path = Path("build"), key: str | None = None, to: str | None = None,
    formats: list[str] | None = None, jobs: int | None = None, scheduler: str | None = None,
    progress: TextIO | None = None, recycle: int = RECYCLE,
    on_row: Callable[[str], None] | None = None,
) -> MergeResult:
    """Make every missing or changed row's outputs; return what happened.

    `data` defaults to `merge: data:` in edition.yaml, `key` to `merge: key:` or the first
    column, `to` to `merge: to:` or `email`. `progress` is a terminal to draw a bar on.
    Raises `FolioError` (nothing written) when the input is wrong.
    """
    started = time.perf_counter()
    formats = formats or list(MERGE_FORMATS)
    unknown = [f for f in formats if f not in MERGE_FORMATS]
    if unknown:
        raise FolioError(f"merge makes pdf and email, not '{unknown[0]}'; choose --format "
                         "pdf,email")
    if jobs is not None and jobs < 1:
        raise FolioError(f"--jobs must be 1 or more, not {jobs}")
    edition_dir = find_edition(edition, content)

    # Phase 1: gather and check everything; nothing is written if any of it is wrong.
    loaded = load_edition(edition_dir)
    settings = loaded.config.merge
    data = data or _data_in_edition(edition_dir, settings.data if settings else None)
    table = read_table(data)
    named = keyed_rows(table, key or (settings.key if settings else None))
    problems = field_problems(loaded, table.columns)
    to = to or (settings.to if settings else "email")
    to_column = table.index(to)
    if "email" in formats and to_column is None:
        problems.append(Problem(table.path, None, (
            f"there is no column '{to}' with the email addresses; "
            f"{columns_hint(to, table.columns)}; name it with --to COLUMN, or make only "
            "the PDFs with --format pdf")))
    if problems:
        raise ContentError(problems)
    render_sections(personalise(loaded, None))  # the edition's own Markdown problems
    load_theme(loaded.config.theme, edition_dir.parent.parent, edition_dir)
    skip = (data.resolve(),) if data.resolve().is_relative_to(edition_dir.resolve()) else ()
    bundle = make_bundle(edition_dir, skip=skip)
    # What the build's own keys hash (code, settings, theme chain, built-in themes too),
    # and every file the workers receive.
    keys = output_keys(edition_dir, formats, edition_dir.parent.parent, skip)
    edition_digest = hashlib.sha256(
        f"{code_version()}\0{bundle['digest']}\0{sorted(keys.items())}\0{to}".encode()
    ).hexdigest()

    folder = out / edition_dir.name / FOLDER
    result = MergeResult(edition_dir.name)
    try:
        with locked(out, f"{edition_dir.name}.merge"):
            _make(folder, named, table, to_column, formats, edition_digest, loaded.config,
                  bundle, jobs, scheduler, recycle, progress, on_row, result)
    except OSError as exc:  # the output folder: full, read-only, a file in the way
        raise FolioError([output_problem(exc, folder)]) from exc
    result.seconds = time.perf_counter() - started
    return result


def _make(folder: Path, named: list[tuple[str, Row]], table: Table, to_column: int | None,
          formats: list[str], edition_digest: str, config: EditionConfig, bundle: Bundle,
          jobs: int | None, scheduler: str | None, recycle: int, progress: TextIO | None,
          on_row: Callable[[str], None] | None, result: MergeResult) -> None:
    """Drop the rows no longer in the data, then make every row not already made."""
    for path in leftovers(folder):  # a killed run's temporary files
        path.unlink(missing_ok=True)
    manifest = Manifest(folder)
    try:
        recorded = manifest.done()
        current = {name for name, _ in named}
        for gone in set(recorded) - current:  # a row taken out of the data: its files go
            _drop(folder, manifest, gone, recorded[gone][2])
        jobs_to_do = []
        for name, row in named:
            digest = row_digest(table.columns, row.values)
            known = recorded.get(name)
            if known and known[:2] == (digest, edition_digest) and all(
                    (folder / f).is_file() for f in known[2]):
                result.skipped += 1
                continue
            jobs_to_do.append(_job(name, row, digest, table, to_column, formats,
                                   result.edition, config.sender))
        if jobs_to_do:
            # Phase 2: render the rows on the workers, write each as it comes back.
            with open_pool(bundle, jobs, scheduler, recycle) as pool:
                result.where = pool.where
                _run(pool, jobs_to_do, folder, manifest, edition_digest, result,
                     progress, on_row, {k: v[2] for k, v in recorded.items()})
    finally:
        manifest.close()


def _data_in_edition(edition_dir: Path, named: str | None) -> Path:
    if not named:
        raise FolioError(f"{display_path(edition_dir)}: name the recipients' data file with "
                         "--data FILE (or `merge: data: FILE` in edition.yaml)")
    path = edition_dir / named
    if not path.resolve().is_relative_to(edition_dir.resolve()):
        raise ContentError([Problem(edition_dir / "edition.yaml", None, (
            f"merge.data '{named}' is outside the edition folder; copy the file into it, or "
            "give it with --data"))])
    return path


def _job(name: str, row: Row, digest: str, table: Table, to_column: int | None,
         formats: list[str], edition: str, sender: str) -> _Job:
    values = row_values(table.columns, list(row.values))
    task: dict[str, Any] = {"key": name, "values": values, "formats": formats,
                            "number": row.number}
    if "email" in formats and to_column is not None:
        task["to"] = row.values[to_column].strip()
        task["message_id"] = message_id(edition, name, sender)
    return _Job(name, row, digest, task)


def _drop(folder: Path, manifest: Manifest, key: str, files: list[str]) -> None:
    """Forget a row and delete the files it had, so that nothing stale is ever sent."""
    manifest.forget(key)
    for name in files:
        path = folder / name
        if path.parent == folder and path.name == name:
            path.unlink(missing_ok=True)


def _run(pool: Any, jobs: list[_Job], folder: Path, manifest: Manifest, edition_digest: str,
         result: MergeResult, progress: TextIO | None,
         on_row: Callable[[str], None] | None, had: dict[str, list[str]]) -> None:
    """Keep every worker busy with a few rows in hand; write each row as it comes back.

    `had` are the files each key had before: a row that now fails loses them, a row made
    in fewer formats than before loses the others.
    """
    ahead = pool.workers * 3
    waiting: dict[Future[Any], _Job] = {}
    queue: Iterator[_Job] = iter(jobs)
    bar = _Bar(progress, len(jobs))
    warned: set[str] = set()
    exhausted = False
    while True:
        while not exhausted and len(waiting) < ahead:
            job = next(queue, None)
            if job is None:
                exhausted = True
                break
            problem = recipient_problem(job.task["to"]) if "to" in job.task else None
            if problem:
                _drop(folder, manifest, job.key, had.get(job.key, []))
                result.failed.append(Failure(job.key, job.row.number, problem))
                bar.step()
                continue
            try:
                waiting[pool.executor.submit(render_row, pool.share, job.task)] = job
            except BrokenExecutor as exc:  # a worker died and took the pool with it
                result.failed.append(Failure(job.key, job.row.number, (
                    f"the workers stopped ({exc}); run the merge again to finish the rest")))
                bar.step()
        if not waiting:
            break
        finished, _ = wait(waiting, return_when=FIRST_COMPLETED)
        for future in finished:
            job = waiting.pop(future)
            try:
                answer = future.result()
            except Exception as exc:  # the worker process died (memory, a signal)
                _drop(folder, manifest, job.key, had.get(job.key, []))
                result.failed.append(Failure(job.key, job.row.number,
                                             f"its worker stopped ({type(exc).__name__}: "
                                             f"{exc})"))
                bar.step()
                continue
            result.cpu += answer.get("cpu", 0.0)
            for note in answer["warnings"]:
                if note not in warned:
                    warned.add(note)
                    result.warnings.append(f"{job.key}: {note}")
            if answer["error"]:
                _drop(folder, manifest, job.key, had.get(job.key, []))
                result.failed.append(Failure(job.key, job.row.number, answer["error"]))
            else:
                _drop(folder, manifest, job.key, [f for f in had.get(job.key, [])
                                                  if f not in answer["files"]])
                for name, data in answer["files"].items():
                    write_atomic(folder / name, data)
                manifest.record(job.key, job.row.number, job.digest, edition_digest,
                                list(answer["files"]))
                result.done += 1
                if on_row:
                    on_row(job.key)
            bar.step()
    bar.close()


class _Bar:
    """A progress bar on a terminal; nothing anywhere else."""

    def __init__(self, stream: TextIO | None, total: int):
        self.stream = stream if stream is not None and _is_terminal(stream) else None
        self.total, self.count, self.started = total, 0, time.perf_counter()

    def step(self) -> None:
        self.count += 1
        if self.stream is None:
            return
        filled = int(30 * self.count / max(self.total, 1))
        rate = self.count / max(time.perf_counter() - self.started, 1e-6)
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}"
                          f"  {rate:.1f} rows/s")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        return stream.isatty()
    return False


def report(result: MergeResult, stream: TextIO = sys.stderr) -> None:
    """Print the failed rows, the warnings once each, then the summary line."""
    for note in result.warnings[:20]:
        print(f"warning: {note}", file=stream)
    for failure in result.failed:
        print(f"error: row {failure.number} ({failure.key}): {failure.message}", file=stream)
