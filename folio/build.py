"""Build: edition folders -> output files, rebuilding only what changed.

`build()` reads top to bottom in two phases per edition: first decide what is stale and
load and validate the edition, then render each stale format and write its files
atomically. Then the site-level archive (`build/index.html`, the feed and the sitemap) is
brought up to date from every edition. An output's key is a hash of exactly what it depends
on; keys live in one manifest, `build/.folio-manifest.json`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .archive import WEB_FONTS, SiteLinks, site_inputs, site_links
from .errors import ContentError, FolioError, Problem, command_line, printable
from .formats import FORMATS, Files
from .outputs import locked, output_problem, remove_stale, write_atomic, write_files
from .sources import (
    SETTINGS_MEMO,
    file_digest,
    find_edition,
    find_editions,
    memo_to_keep,
    plain_file,
    plain_files,
    recall_settings,
    theme_chain,
    yaml_settings,
)

if TYPE_CHECKING:
    from .check import Finding
    from .content import Edition
    from .theme import Theme

log = logging.getLogger("folio")
MANIFEST = ".folio-manifest.json"
CHARTS = ".folio-charts"
"""Where drawn charts are kept between builds, by digest (see `folio.charts.draw`)."""
PRINT_HTML = "print.html"
CHECK_MODES = ("off", "report", "strict")
"""What a build does with `check`'s quick rules: nothing, list their errors, obey them."""
_T = TypeVar("_T")
ARCHIVE = "(archive)"
"""The name the archive's result goes by."""
ARCHIVE_ENTRY = "/archive"
"""The archive's manifest entry (no edition folder can be called that)."""


@dataclass
class Result:
    """What happened to one edition: formats built, skipped, failed, with timings."""

    edition: str
    built: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    """Python tracebacks of the problems, shown with `--debug`."""
    slips: list[Finding] = field(default_factory=list)
    """Errors the quick checks found (placeholders left in, ...), with `checks` on."""

    def fail(self, exc: FolioError) -> None:
        """Record a failure's problems and its traceback."""
        self.problems.extend(exc.problems)
        self.tracebacks.append("".join(traceback.format_exception(exc)))

    @property
    def ok(self) -> bool:
        """Return True when nothing failed."""
        return not self.problems


# --- keys ---------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, Any]:
    """Return the stored output keys; a missing or corrupt manifest is an empty one."""
    try:
        data = json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Return Folio's version and a hash of its own source and catalogues, so a change to
    the code or to an interface word rebuilds."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _without(settings: dict[str, Any], ignores: tuple[str, ...]) -> dict[str, Any]:
    """Drop the settings an output does not use: `pdf` drops a key, `email.subject` one inside."""
    kept = {k: v for k, v in settings.items() if k not in ignores}
    for dotted in (i for i in ignores if "." in i):
        outer, inner = dotted.split(".", 1)
        if isinstance(kept.get(outer), dict):
            kept[outer] = {k: v for k, v in kept[outer].items() if k != inner}
    return kept


class _Reads:
    """Files read while computing one build's keys: each read and hashed once."""

    def __init__(self) -> None:
        self.digests: dict[Path, bytes] = {}
        self.settings: dict[Path, dict[str, Any]] = {}

    def digest(self, path: Path) -> bytes:
        if path not in self.digests:
            self.digests[path] = file_digest(path)
        return self.digests[path]

    def yaml(self, path: Path) -> dict[str, Any]:
        if path not in self.settings:
            self.settings[path] = yaml_settings(path)
        return self.settings[path]


def output_keys(edition_dir: Path, formats: list[str], project: Path,
                skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Return the key of each output format of an edition, leaving the files `skip` out
    (a merge's data file, whose rows have keys of their own)."""
    read = _Reads()
    return {fmt: output_key(edition_dir, fmt, project, read, skip) for fmt in formats}


def output_key(edition_dir: Path, fmt: str, project: Path, read: _Reads | None = None,
               skip: tuple[Path, ...] = ()) -> str:
    """Hash everything output `fmt` of an edition depends on, but the files `skip`."""
    read = read or _Reads()
    spec = FORMATS[fmt]
    digest = hashlib.sha256(f"folio {code_version()} {fmt}\n".encode())
    # Only regular files reached through no link are read (`plain_files`): a link to
    # /etc/shadow or into another edition is refused when the edition loads, and its
    # target is never opened here. Its name and target still go into the key.
    config = edition_dir / "edition.yaml"
    settings = read.yaml(config) if plain_file(config, edition_dir) else {}
    digest.update(json.dumps(_without(settings, spec.ignores), sort_keys=True,
                             default=str).encode())
    links: list[str] = []
    for path in plain_files(edition_dir, links):
        relative = path.relative_to(edition_dir)
        if path.name == "edition.yaml" or path.name.startswith(".") or \
                relative.parts[0] == "templates" or (skip and path.resolve() in skip):
            continue
        digest.update(str(path.relative_to(edition_dir)).encode() + b"\0")
        digest.update(read.digest(path))
    chain = [edition_dir / "templates",
             *theme_chain(str(settings.get("theme", "default")), project, read.yaml)]
    for folder in chain:
        for sub in (*spec.templates, "assets"):
            for path in plain_files(folder / sub):
                if path.name.startswith("."):
                    continue
                digest.update(str(path).encode() + b"\0" + read.digest(path))
        if plain_file(folder / "theme.yaml", folder):
            digest.update(read.digest(folder / "theme.yaml"))
    digest.update("\n".join(links).encode())
    return digest.hexdigest()


# --- building -----------------------------------------------------------------------


def stale_formats(edition_dir: Path, out: Path, formats: list[str], *, force: bool = False,
                  keep_html: bool = False, links: SiteLinks | None = None, variant: str = "",
                  ) -> tuple[list[str], dict[str, str]]:
    """Return the formats of an edition that need building, and every format's key.

    The key of a format that links to the neighbouring editions includes `links` (found
    from the other editions in the folder when not given).
    """
    stored = read_manifest(out)
    keys = output_keys(edition_dir, formats, edition_dir.parent.parent)
    if variant:  # a merge edition's preview of one row is not its preview of fallbacks
        keys = {fmt: hashlib.sha256(f"{key} {variant}".encode()).hexdigest()
                for fmt, key in keys.items()}
    if any(FORMATS[fmt].links for fmt in formats):
        links = links or site_links(edition_dir.parent).get(edition_dir.name)
        for fmt in (f for f in formats if FORMATS[f].links):
            keys[fmt] = hashlib.sha256(f"{keys[fmt]} {links!r}".encode()).hexdigest()
    target = out / edition_dir.name
    stale = [fmt for fmt in formats
             if force or not _fresh(stored.get(f"{edition_dir.name}/{fmt}"), keys[fmt], target)
             or (fmt == "pdf" and keep_html and not (target / PRINT_HTML).is_file())]
    return stale, keys


def default_jobs(stale_editions: int) -> int:
    """Return how many worker processes suit a build with this many editions to build.

    A worker pays for its own start and its own WeasyPrint import, and workers run
    without the PDF helper that lets one process lay out a PDF while it renders the web
    page and the email. Measured on two cores (`benchmarks/bench.py`), workers lose to
    one process for the three samples and win clearly from about twice as many editions
    as cores: so a pool only from there, with a worker per core.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return cores if stale_editions >= 2 * cores else 1  # one core: 1 either way


def build_edition(
    edition_dir: Path, out: Path, formats: list[str], *, force: bool = False,
    keep_html: bool = False, head_start: bool = False, checks: str = "off",
    links: SiteLinks | None = None, preview_row: int | None = None,
) -> Result:
    """Build the stale formats of one edition; problems are returned, not raised.

    `head_start` lets slow formats start early work in parallel (the command line's
    cold builds); scripts and tests render everything in their own process. `checks`
    runs `check`'s quick rules (no network, no rendered email) on an edition that is
    built: `report` lists their errors in `Result.slips`, `strict` also refuses to write
    anything while there are any, so the last good outputs stay. `links` place the edition
    among the others (found from its neighbours in the folder when not given). A merge
    edition is built as a preview: each field's fallback, or row `preview_row` of its data.
    """
    result = Result(edition_dir.name)
    try:
        _build_edition(result, edition_dir, out, formats, force=force, keep_html=keep_html,
                       head_start=head_start, checks=checks, links=links,
                       preview_row=preview_row)
    except OSError as exc:  # the output folder: full, read-only, a file in the way
        result.fail(FolioError([output_problem(exc, out / edition_dir.name)]))
    return result


def _build_edition(
    result: Result, edition_dir: Path, out: Path, formats: list[str], *, force: bool,
    keep_html: bool, head_start: bool, checks: str, links: SiteLinks | None,
    preview_row: int | None = None,
) -> None:
    project = edition_dir.parent.parent
    with locked(out, edition_dir.name):
        links = links or site_links(edition_dir.parent).get(edition_dir.name)
        stale, keys = stale_formats(edition_dir, out, formats, force=force, keep_html=keep_html,
                                    links=links, variant=f"row {preview_row}"
                                    if preview_row is not None else "")
        result.skipped = [fmt for fmt in formats if fmt not in stale]
        if not stale:
            return

        if head_start:
            for fmt in stale:
                FORMATS[fmt].prepare()

        # Phase 1: load and validate everything the stale formats need.
        from .content import load_edition, review_anchors
        from .markup import render_sections
        from .merge.personalise import preview
        from .theme import load_theme

        try:
            edition = replace(render_sections(preview(load_edition(edition_dir), preview_row)),
                              site=links)
            theme = load_theme(edition.config.theme, project, edition.root)
            edition = _with_charts(edition, theme, out)
        except FolioError as exc:
            result.fail(exc)
            return
        if anchors := review_anchors(edition):  # never right to publish, whatever `checks`
            result.fail(ContentError(anchors))
            return
        if checks == "strict":
            result.slips = quick_check(edition)
            if result.slips:
                result.fail(FolioError([Problem(edition_dir, None, (
                    f"{len(result.slips)} check error(s) above; --strict builds nothing "
                    "until they are fixed"))]))
                return

        # Phase 2: render and write each stale format; one failing leaves the others.
        # Background formats (the PDF) start first, so that their helper lays them out
        # while this process checks what the PDF claims and renders the web page and the
        # email. A PDF that may not be written is then simply never waited for.
        with _capture_warnings(result):
            started = {fmt: time.perf_counter() for fmt in stale}
            pending = {fmt: _attempt(result, fmt, edition_dir,
                                     functools.partial(FORMATS[fmt].start, edition, theme))
                       for fmt in stale if FORMATS[fmt].background}
            if "pdf" in stale and (refusal := pdf_claim_problems(edition, result)):
                result.fail(refusal)
                pending.pop("pdf", None)
            for fmt in stale:
                if FORMATS[fmt].background:
                    continue
                started[fmt] = time.perf_counter()
                files = _attempt(result, fmt, edition_dir,
                                 functools.partial(FORMATS[fmt].renderer(), edition, theme))
                _write_output(result, fmt, files, started[fmt], keys[fmt], out, keep_html)
            if checks == "report":  # while the PDF helper lays out the PDF
                result.slips = quick_check(edition)
            for fmt, finish in pending.items():
                files = _attempt(result, fmt, edition_dir, finish) if finish else None
                _write_output(result, fmt, files, started[fmt], keys[fmt], out, keep_html)


def _with_charts(edition: Edition, theme: Theme, out: Path) -> Edition:
    """Read and draw the edition's charts; drawings are kept in `out/.folio-charts/`.

    vl-convert is imported only when a chart is missing from the cache."""
    from .charts import ChartCache, draw_charts, read_charts

    return draw_charts(read_charts(edition), theme, ChartCache(out / CHARTS, write_atomic))


def _write_output(result: Result, fmt: str, files: Files | None, started: float, key: str,
                  out: Path, keep_html: bool) -> None:
    """Write a rendered format's files and record its key; nothing when it failed."""
    if files is None:
        return
    target = out / result.edition
    if fmt == "pdf" and not keep_html:
        # print.html is written only when asked for; an old one would mislead.
        files.pop(PRINT_HTML, None)
        (target / PRINT_HTML).unlink(missing_ok=True)
    with _shared_fonts(out, files):
        write_files(target, files)
        entry = f"{result.edition}/{fmt}"
        manifest = read_manifest(out)
        kept = {name for other, value in manifest.items()
                if other.startswith(f"{result.edition}/") and other != entry
                for name in _listed(value)}
        remove_stale(target, _listed(manifest.get(entry)), list(files), kept)
        result.built[fmt] = time.perf_counter() - started
        _store_key(out, entry, {"key": key, "files": sorted(files)})


def _shared_fonts(out: Path, files: Files) -> contextlib.AbstractContextManager[None]:
    """Lock the shared web fonts while `files` that reach them are written and listed."""
    shared = any(name.startswith((WEB_FONTS, f"../{WEB_FONTS}")) for name in files)
    return locked(out, "fonts") if shared else contextlib.nullcontext()


def prune_web_fonts(out: Path) -> None:
    """Delete the shared web fonts (`archive.WEB_FONTS`) that no manifest entry lists."""
    with locked(out, "fonts"):  # never a font written but not yet listed
        listed = {os.path.normpath(name if entry == ARCHIVE_ENTRY else
                                   f"{entry.partition('/')[0]}/{name}")
                  for entry, value in read_manifest(out).items() for name in _listed(value)}
        for path in (out / WEB_FONTS).glob("*.woff2"):
            if f"{WEB_FONTS}/{path.name}" not in listed:
                path.unlink(missing_ok=True)


def _attempt(result: Result, fmt: str, edition_dir: Path, step: Callable[[], _T]) -> _T | None:
    """Run one step of a format; record its failure and return None when it fails."""
    try:
        return step()
    except FolioError as exc:
        result.fail(exc)
    except Exception as exc:  # a bug in Folio: say so, keep the other formats going
        result.fail(FolioError([Problem(edition_dir, None, (
            f"the {fmt} format failed unexpectedly ({type(exc).__name__}: {exc}); "
            "this is a bug in Folio: run again with --debug and report the traceback"))]))
        result.tracebacks[-1] = "".join(traceback.format_exception(exc))
    return None


def _listed(entry: Any) -> list[str]:
    """Return the files a manifest entry says an output wrote."""
    files = entry.get("files") if isinstance(entry, dict) else None
    return [str(f) for f in files] if isinstance(files, list) else []


def _fresh(entry: Any, key: str, target: Path) -> bool:
    """Return True when a manifest entry has this key and all its files still exist."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    files = entry.get("files")
    return isinstance(files, list) and all((target / str(f)).is_file() for f in files)


def _store_key(out: Path, name: str, key: dict[str, Any]) -> None:
    """Record one output's key; the manifest is replaced atomically under a lock."""
    with locked(out, "manifest"):
        manifest = read_manifest(out)
        manifest[name] = key
        write_atomic(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


class _WarningCollector(logging.Handler):
    def __init__(self, result: Result):
        super().__init__(logging.WARNING)
        self.result = result

    def emit(self, record: logging.LogRecord) -> None:
        self.result.warnings.append(printable(record.getMessage()))


@contextlib.contextmanager
def _capture_warnings(result: Result) -> Iterator[None]:
    handler = _WarningCollector(result)
    log.addHandler(handler)
    previous = log.propagate
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = previous


@dataclass
class ArchiveDraft:
    """The archive rendered, not yet written, with the key of what it was rendered from."""

    key: str
    result: Result
    files: Files | None
    """None when nothing is to be written: an edition's settings do not load, or a problem."""
    seconds: float = 0.0


def archive_key(content: Path, out: Path) -> str:
    """Return the digest of everything the archive's files depend on."""
    return hashlib.sha256(f"folio {code_version()} archive\n{site_inputs(content, out)}"
                          .encode()).hexdigest()


def draft_archive(content: Path, out: Path, key: str) -> ArchiveDraft:
    """Render the archive page, feed and sitemap, writing nothing."""
    from .archive import UnreadableEdition, render_site

    result = Result(ARCHIVE)
    started = time.perf_counter()
    try:
        with _capture_warnings(result):
            files, notes = render_site(content, out)
    except UnreadableEdition:  # that edition's own build says why; the last archive stays
        result.skipped = ["site"]
        return ArchiveDraft(key, result, None)
    except FolioError as exc:
        result.fail(exc)
        return ArchiveDraft(key, result, None)
    result.warnings += notes
    return ArchiveDraft(key, result, files, time.perf_counter() - started)


def build_archive(content: Path, out: Path, *, force: bool = False,
                  draft: ArchiveDraft | None = None) -> Result:
    """Bring the archive page, feed and sitemap up to date with every edition's settings.

    A `draft` rendered earlier (while the last editions were built) is written when what
    the archive shows has not changed since; otherwise the archive is rendered again.
    """
    key = archive_key(content, out)
    stored = read_manifest(out).get(ARCHIVE_ENTRY)
    if not force and _fresh(stored, key, out):
        result = Result(ARCHIVE, skipped=["site"])
        prune_web_fonts(out)  # an edition's theme may have changed, not the archive's
        return result
    if draft is None or draft.key != key:
        draft = draft_archive(content, out, key)
    result, files = draft.result, draft.files
    if files is None:
        return result
    started = time.perf_counter()
    try:
        with _shared_fonts(out, files):
            write_files(out, files)
            old = stored.get("files", []) if isinstance(stored, dict) else []
            for name in set(old) - set(files):  # a feed no longer configured, a renamed edition
                if not str(name).startswith(f"{WEB_FONTS}/"):  # shared: pruned below
                    (out / str(name)).unlink(missing_ok=True)
            _store_key(out, ARCHIVE_ENTRY, {"key": key, "files": sorted(files)})
        prune_web_fonts(out)
    except OSError as exc:  # the output folder: full, read-only, a file in the way
        result.fail(FolioError([output_problem(exc, out)]))
        return result
    result.built["site"] = draft.seconds + time.perf_counter() - started
    return result


def _early_draft(content: Path, out: Path, force: bool) -> ArchiveDraft | None:
    """Render the archive ahead, on a core the batch's last editions leave free; None when
    it is up to date, or when rendering it fails (then it is rendered again, and fails, at
    its turn, after every edition is built, as without a draft)."""
    try:
        key = archive_key(content, out)
        if not force and _fresh(read_manifest(out).get(ARCHIVE_ENTRY), key, out):
            return None
        return draft_archive(content, out, key)
    except Exception:  # a draft only: the archive's own turn reports what is wrong
        return None


def _share_imports(formats: list[str], checks: str) -> None:
    """Import, before a pool forks its workers, what each of them would import for itself.

    The forked workers share this one copy instead of paying for it each (0.7 s of CPU a
    worker, WeasyPrint included), and the archive, rendered here after them, needs the same
    modules. Only for the command line (`head_start`): a program calling `build` keeps
    WeasyPrint out of its own process, so that its later builds can use a PDF helper.
    """
    from . import content, markup, theme  # noqa: F401

    if checks != "off":
        from . import check  # noqa: F401
    for fmt in formats:
        FORMATS[fmt].preload()


def _call(task: Callable[[], Result]) -> Result:
    return task()


def _in_order(pool: Any, tasks: Sequence[Callable[[], Result]], workers: int,
              when_idle: Callable[[], None]) -> Iterator[Result]:
    """Run `tasks` on a process pool and yield their results in order, as `map` does.

    `when_idle` is called once, in this process, as soon as fewer tasks are left than
    there are workers: a core is then free until the batch ends (the archive is rendered
    there, instead of after the last edition).
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = [pool.submit(_call, task) for task in tasks]
    waiting = True
    for index, future in enumerate(futures):
        while not future.done():
            if waiting and sum(not f.done() for f in futures) < workers:
                waiting = False
                when_idle()
            else:
                wait(futures[index:] if waiting else [future], return_when=FIRST_COMPLETED)
        yield future.result()


def quick_check(edition: Edition) -> list[Finding]:
    """Return the errors of `check`'s rules that need neither the network nor a render."""
    from .check import check_edition

    return [finding for finding in check_edition(edition.root, edition=edition,
                                                 severity="error")
            if finding.severity == "error"]


def pdf_claim_problems(edition: Edition, result: Result) -> FolioError | None:
    """Return why the PDF may not be written, or None; add what it works around to warnings.

    A picture with no description breaks PDF/UA-1 (and PDF/A-3A): the PDF is not made
    until the content is fixed, the other formats are. A heading that skips a level is
    tagged in the PDF at the level that follows the heading before it, and reported.
    """
    from .check import claim_findings

    variant = edition.config.pdf.variant
    if variant == "pdf/a-3b":
        return None  # archival only: it claims nothing about being read aloud
    problems = []
    for f in claim_findings(edition):
        if f.rule == "heading-levels":
            result.warnings.append(f"{f.file}, line {f.line}: {f.message} (the PDF tags it "
                                   "one level below the heading before it)")
        else:
            problems.append(Problem(f.file, f.line, f"{f.message} (the PDF claims "
                                    f"{variant.upper()}, so it is not written until this is "
                                    "fixed)"))
    return FolioError(problems) if problems else None


def build(
    editions: list[str] | None = None, *, content: Path = Path("content"),
    out: Path = Path("build"), formats: list[str] | None = None, force: bool = False,
    keep_html: bool = False, jobs: int | None = 1, head_start: bool = False,
    checks: str = "off", preview_row: int | None = None,
) -> Iterator[Result]:
    """Build editions (all under `content` when none are named); yield one result each.

    `jobs` is the number of worker processes; None chooses from the cores and the number
    of editions that need building (`default_jobs`). `checks` is `off`, `report` or
    `strict`, as for `build_edition`.
    """
    if checks not in CHECK_MODES:
        raise FolioError(f"unknown checks mode '{checks}'; choose from {', '.join(CHECK_MODES)}")
    formats = formats or list(FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise FolioError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    if editions:
        folders = [find_edition(name, content) for name in editions]
    else:
        folders = find_editions(content)
        if not folders:
            raise FolioError(f"no editions found in {content}/; create one with " +
                             command_line("new NAME"))
    recall_settings(out)
    links = site_links(content)
    if jobs is None:
        jobs = default_jobs(len(folders))
        if jobs > 1 and not force:  # enough editions for a pool: count those that need
            # building (forced, they all do: their keys are computed in the workers)
            jobs = default_jobs(sum(1 for folder in folders if stale_formats(
                folder, out, formats, force=force, keep_html=keep_html,
                links=links.get(folder.name))[0]))
    parallel = jobs > 1 and len(folders) > 1
    # Worker processes already keep every core busy: no helper processes beside them.
    one = functools.partial(build_edition, out=out, formats=formats, force=force,
                            keep_html=keep_html, head_start=head_start and not parallel,
                            checks=checks, preview_row=preview_row)
    tasks = [functools.partial(one, folder, links=links.get(folder.name)) for folder in folders]
    failed = []
    draft: list[ArchiveDraft | None] = []  # the archive drawn while the last editions build
    with contextlib.ExitStack() as stack:
        if parallel:
            from concurrent.futures import ProcessPoolExecutor

            if head_start:
                _share_imports(formats, checks)

            workers = min(jobs, len(folders))
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers))
            results = _in_order(pool, tasks, workers, lambda: draft.append(_early_draft(
                content, out, force and not editions)))
        else:
            results = map(_call, tasks)
        for result in results:
            if not result.ok:
                failed.append(result.edition)
            yield result
    if failed:  # the archive would show settings an edition's own build just refused
        kept = Result(ARCHIVE)
        kept.warnings.append(f"the archive keeps its last version until {', '.join(failed)} "
                             "builds again")
        yield kept
    else:
        # Forcing named editions forces their outputs only: the archive is rebuilt when
        # what it shows changed, or when the whole project is forced.
        archive = build_archive(content, out, force=force and not editions,
                                draft=draft[0] if draft else None)
        yield archive
        # A build that failed leaves the build folder as it was, memo included.
        if archive.ok and (memo := memo_to_keep()) is not None and out.is_dir():
            with contextlib.suppress(OSError):  # a memo only: the next build reads the YAML
                write_atomic(out / SETTINGS_MEMO, memo)
