"""Helper: a forked process that imports WeasyPrint early, then lays out the run's PDFs.

`prepare` starts it at the beginning of a cold build, before the edition's model and
templates are imported; `begin_layout` hands it a document and returns at once, so the web
page and the email are rendered while the PDF is laid out, its tag tree repaired and its
standard checked. Without a helper all three happen in this process when the PDF is
waited for, the check in a process of its own (`conformance.failures`).
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the layout's modules are imported after the fork, by whichever lays out
    from .fetcher import Refused
    from .layout import PrintDocument

log = logging.getLogger("folio")

Laid = tuple[bytes, list["Refused"], list[str], list[str], dict[str, float]]
"""A finished PDF, the resources refused on the way (then no PDF), how it fails the
standards it claims ([] when it meets them), what on its pages a printer would reject
(`proof`, [] when nothing), and the sections laid out running on (`balance`), each with
the share of their figures' size they were set at."""


def lay_out(document: PrintDocument, print_ready: bool) -> Laid:
    """Lay out a document, repair its tag tree and check it against its standard."""
    from .conformance import failures
    from .layout import write_pdf

    spills: list[str] = []
    pdf, refused, ran_on = write_pdf(document, print_ready, spills)
    if refused:
        return pdf, refused, [], [], {}
    return pdf, refused, failures(pdf, str(document.options["pdf_variant"])), spills, ran_on


class _Helper:
    """A forked process that imports WeasyPrint while this one reads the edition.

    Importing WeasyPrint takes longer than loading and templating an edition, and the two
    need not wait for each other: on a machine with two cores, a cold `build` costs about
    what WeasyPrint alone costs. The helper then lays out every PDF of the run, keeping
    its fonts loaded between editions.
    """

    def __init__(self) -> None:
        import multiprocessing
        import os

        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, os.getpid()),
                                       name="folio-pdf", daemon=True)
        self.process.start()
        child.close()
        self.unanswered = 0
        """Documents handed over whose answers have not been read: a build that finds it
        may not write a PDF after all leaves its answer unread."""

    def submit(self, document: PrintDocument, print_ready: bool) -> None:
        """Hand the helper a document to lay out; it works while this process goes on."""
        self.connection.send((document, print_ready))
        self.unanswered += 1

    def receive(self) -> Laid:
        """Wait for the document handed over last; return its PDF, refusals and failures.

        The answers to documents handed over before it, which nobody waited for, are
        passed over. Raises EOFError when the helper is gone (killed, out of memory)
        before answering.
        """
        while True:
            status, result, warnings = self.connection.recv()
            self.unanswered -= 1
            if not self.unanswered:
                break
        for warning in warnings:
            log.warning("%s", warning)
        if status != "ok":
            summary, text = result
            raise RuntimeError(f"{summary} (in the PDF helper process)") from _Remote(text)
        laid: Laid = result
        return laid


class _Remote(Exception):
    """The traceback of an exception raised in the helper, shown as the cause of its report."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _serve(connection: Any, parent: int) -> None:
    """Run in the helper: import WeasyPrint at once (and, while no document waits, the
    finishing libraries), then lay out, repair and check each document sent."""
    import traceback

    from .conformance import validator_here
    from .layout import font_configuration

    _exit_with_parent(parent)
    import_weasyprint()  # the head start
    font_configuration()
    if not connection.poll():  # no document yet: the finishing steps' libraries too
        importlib.import_module("pikepdf")
        validator_here()
    collect = _Collect()
    logger = logging.getLogger("folio")
    logger.handlers, logger.propagate = [collect], False
    while True:
        try:
            document, print_ready = connection.recv()
        except (EOFError, OSError):
            return
        collect.messages = []
        try:
            connection.send(("ok", lay_out(document, print_ready), collect.messages))
        except Exception as exc:
            summary = f"{type(exc).__name__}: {exc}"
            connection.send(("error", (summary, traceback.format_exc()), collect.messages))


def import_weasyprint() -> None:
    """Import WeasyPrint, letting the dynamic loader alone find its libraries, on Linux.

    WeasyPrint loads Pango, HarfBuzz and fontconfig by trying several names for each
    (`libgobject-2.0-0`, `gobject-2.0-0`, `gobject-2.0`, `libgobject-2.0.so.0`, ...), and
    `ctypes.util.find_library` tries each name that does not load as it is by running
    `ldconfig`, then `gcc` and `ld`: about 40 programs, 0.17 s of the 0.45 s the import
    takes. On Linux one name of each list is the library's own file name
    (`libgobject-2.0.so.0`), which the loader finds where the linker's cache and
    `LD_LIBRARY_PATH` say, so the helper skips the search. Should a library load only
    through it (installed elsewhere), the import is made again the usual way: the same
    libraries, only slower.
    """
    import contextlib
    import ctypes.util
    import io

    usual = ctypes.util.find_library
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        importlib.import_module("weasyprint")
        return
    ctypes.util.find_library = _loader_only
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its advice, if a library is missing
            importlib.import_module("weasyprint")
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = usual
        importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = usual


def preload() -> None:
    """Import WeasyPrint, pikepdf and the layout's modules, for the build workers forked
    from this process to share instead of each importing them (0.3 s of CPU a worker).

    Not page-validation: a process forked from one that has it loaded may hang in it
    (`conformance.validator_here`), so each worker loads its own.
    """
    import_weasyprint()
    importlib.import_module("pikepdf")
    importlib.import_module(f"{__package__}.pipeline")


def _loader_only(name: str) -> None:
    """`find_library` that finds nothing: a name is tried only as the loader reads it."""
    return None


def _exit_with_parent(parent: int) -> None:
    """Stop this helper as soon as the process that started it, `parent`, is gone (killed,
    say, by a time limit), even in the middle of a long layout: no PDF worker is left running.

    `parent` is the build's own record of its id: one the helper read for itself would be the
    init process's if the build were killed before the helper had started.
    """
    import os
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="folio-pdf-watch", daemon=True).start()


_helper: _Helper | None = None


def prepare() -> None:
    """Give a cold build a head start: import WeasyPrint in a helper process, in parallel.

    Only where it pays and is safe: WeasyPrint is not loaded yet (a `watch` session keeps
    it loaded), this process runs no other threads, and it may start children.
    """
    global _helper
    if _helper is not None or "weasyprint" in sys.modules or threading.active_count() > 1:
        return
    try:
        _helper = _Helper()
    except (AssertionError, OSError, ValueError):  # a daemonic worker may not fork
        _helper = None


def begin_layout(document: PrintDocument, print_ready: bool) -> Callable[[], Laid]:
    """Start laying out a document; return the function that waits for the finished PDF.

    With a helper running, the layout and the check happen there while this process
    renders the other formats; without one, they happen when the returned function is
    called.
    """
    helper = _helper
    if helper is None or not helper.process.is_alive():
        return lambda: lay_out(document, print_ready)
    try:
        helper.submit(document, print_ready)
    except OSError:  # it died since: this process lays the document out
        return lambda: lay_out(document, print_ready)

    def wait() -> Laid:
        try:
            return helper.receive()
        except (EOFError, OSError):  # it died during the layout: do it again here
            log.debug("the PDF helper process stopped; laying the PDF out in this one")
            return lay_out(document, print_ready)

    return wait
