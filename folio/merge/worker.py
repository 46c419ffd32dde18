"""Worker: an edition bundle and one row -> that row's PDF and email, as bytes.

This is what runs in a pool process or on a Dask worker. It takes plain data only (the
edition's files as bytes, the row's values) and returns bytes, so that no file system is
shared with the client, which alone writes files. A worker stays warm: the edition is
unpacked, loaded and its theme read once per process; WeasyPrint's fonts and the
compiled templates stay loaded between rows. It imports the shared stages and the
formats, never a command.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import Edition, load_edition, regular_file_inside
from ..errors import FolioError, printable
from ..markup import render_sections
from ..sources import BUILTIN_THEMES, theme_chain
from ..theme import Theme, load_theme
from .personalise import personalise

Bundle = dict[str, Any]
"""`{"digest": str, "slug": str, "files": {path: bytes}}`: an edition folder under
`content/<slug>/` and the project's own themes it uses under `templates/<name>/`."""
MAX_BUNDLE_BYTES = 200_000_000

log = logging.getLogger("folio")


def make_bundle(edition_dir: Path, skip: tuple[Path, ...] = ()) -> Bundle:
    """Pack an edition's files and its project themes as plain data for the workers."""
    project = edition_dir.parent.parent
    files: dict[str, bytes] = {}
    slug = edition_dir.name
    for path in sorted(edition_dir.rglob("*")):
        relative = path.relative_to(edition_dir)
        if (any(part.startswith(".") for part in relative.parts) or path in skip
                or not regular_file_inside(path, edition_dir)):
            continue
        files[f"content/{slug}/{relative.as_posix()}"] = path.read_bytes()
    settings_theme = "default"
    with contextlib.suppress(Exception):
        from ..sources import yaml_settings

        settings_theme = str(yaml_settings(edition_dir / "edition.yaml").get("theme", "default"))
    for folder in theme_chain(settings_theme, project):
        if folder.is_relative_to(BUILTIN_THEMES):
            continue  # every worker has Folio's own themes installed
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[f"templates/{path.relative_to(folder.parent).as_posix()}"] = (
                    path.read_bytes())
    size = sum(len(data) for data in files.values())
    if size > MAX_BUNDLE_BYTES:
        raise FolioError(f"the edition {slug} holds {size // 1_000_000} MB of files; a merge "
                         "sends them to every worker: keep it under 200 MB")
    digest = hashlib.sha256(slug.encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return {"digest": digest.hexdigest(), "slug": slug, "files": files}


def follow(client: int) -> None:
    """End this worker process when the client that started it is gone (even by kill -9).

    A pool worker otherwise waits on for rows that never come.
    """
    import os

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(client, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                continue

    threading.Thread(target=watch, name="folio-follow", daemon=True).start()


@dataclass
class _Warm:
    """An edition unpacked and loaded in this process, kept for the rows that follow."""

    digest: str
    folder: Path
    edition: Edition
    theme: Theme


_warm: _Warm | None = None
_lock = threading.Lock()
_rendering = threading.Lock()


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def warm(bundle: Bundle) -> _Warm:
    """Return the bundle's edition loaded in this process, unpacking it the first time."""
    global _warm
    with _lock:
        if _warm is not None and _warm.digest == bundle["digest"]:
            return _warm
        if _warm is not None:
            _remove(_warm.folder)
            _warm = None
        folder = Path(tempfile.mkdtemp(prefix="folio-merge-"))
        atexit.register(_remove, folder)
        with contextlib.suppress(ImportError):
            from multiprocessing.util import Finalize

            Finalize(None, _remove, args=(folder,), exitpriority=1)
        for name, data in bundle["files"].items():
            target = folder / name
            if not target.resolve().is_relative_to(folder.resolve()):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        from ..formats.pdf.layout import keep_stylesheets

        keep_stylesheets()  # parsed and its fonts registered once, not once a row
        root = folder / "content" / bundle["slug"]
        edition = load_edition(root)
        theme = load_theme(edition.config.theme, folder, root)
        _warm = _Warm(bundle["digest"], folder, edition, theme)
        return _warm


class _Notes(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.notes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(printable(record.getMessage()))


@contextlib.contextmanager
def _collected() -> Iterator[_Notes]:
    notes = _Notes()
    log.addHandler(notes)
    previous = log.propagate
    log.propagate = False
    try:
        yield notes
    finally:
        log.removeHandler(notes)
        log.propagate = previous


def render_row(bundle: Bundle, task: dict[str, Any]) -> dict[str, Any]:
    """Render one row; return `{"key", "files": {name: bytes}, "error", "warnings", "cpu"}`.

    `task` holds `key` (the file stem), `values` (by field name), `formats`, and for the
    email `to` (the address) and `message_id`. A failure is returned as text, not raised,
    so that the client reports it with the row and goes on.
    """
    key = task["key"]
    answer: dict[str, Any] = {"key": key, "files": {}, "error": None, "warnings": []}
    # One row at a time per process: a Dask worker may run tasks on several threads, and
    # the layout's font configuration and the warnings collected are the process's own.
    with _rendering, _collected() as notes:
        started = time.process_time()
        try:
            answer["files"] = _render(warm(bundle), task)
        except FolioError as exc:
            answer["error"] = str(exc)
        except Exception as exc:  # a bug or a value nothing foresaw: this row only
            answer["error"] = (f"unexpected failure ({type(exc).__name__}: {exc}); this is a "
                               "bug in Folio: report it with the row's values\n"
                               + "".join(traceback.format_exception(exc))[-2000:])
        answer["cpu"] = time.process_time() - started
    answer["warnings"] = notes.notes
    return answer


def _keep(path: Path, data: bytes) -> None:
    """Write a file of the worker's own folder whole (a temporary name, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def _render(loaded: _Warm, task: dict[str, Any]) -> dict[str, bytes]:
    from ..charts import ChartCache, draw_charts, read_charts
    from .outputs import addressed

    edition = render_sections(personalise(loaded.edition, task["values"]))
    # Charts are drawn on the first row and kept in the worker's folder for the others.
    edition = draw_charts(read_charts(edition), loaded.theme,
                          ChartCache(loaded.folder / ".folio-charts", _keep))
    files: dict[str, bytes] = {}
    key = task["key"]
    if "pdf" in task["formats"]:
        from ..formats.pdf import render as render_pdf

        files[f"{key}.pdf"] = render_pdf(edition, loaded.theme)[f"{edition.slug}.pdf"]
    if "email" in task["formats"]:
        from ..formats.email import render as render_email

        eml = render_email(edition, loaded.theme)["email.eml"]
        files[f"{key}.eml"] = addressed(eml, task["to"], task["message_id"])
    return files
