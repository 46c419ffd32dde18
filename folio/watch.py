"""Watch: saved files -> incremental rebuilds, served on loopback with live reload.

The server only ever reads inside `build/`. HTML responses get a small live-reload
script on the way out; the files on disk never carry it. A failed build leaves the
last good output in place and shows its message over the page until a good save.
"""

from __future__ import annotations

import functools
import html
import io
import json
import logging
import mimetypes
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .build import Result, build_archive, build_edition
from .errors import FolioError, command_line, display_path, printable
from .sources import BUILTIN_THEMES, find_edition, find_editions, yaml_settings

EVENTS_PATH = "/__folio/events"
IDLE_TIMEOUT = 10.0
"""Seconds a connection may stay silent before it is closed."""
MAX_CONNECTIONS = 128
"""Connections served at once (each is a thread); more wait in the listen queue."""
REQUEST_SECONDS = 10.0
"""Seconds a client has to send its whole request line and headers: one sending a header
line every few seconds would otherwise hold its thread for ever."""
MAX_EVENT_STREAMS = 32
"""Live-reload streams open at once (a browser tab holds one); more are told to retry
later, so that streams never take every thread from the pages."""
LOCAL_HOSTS = ("127.0.0.1", "localhost")

RELOAD_SCRIPT = """<script>/* injected by folio watch; not in build/ */
(function () {
  var shown = null;
  function overlay(text) {
    if (!shown) {
      shown = document.createElement("pre");
      shown.id = "folio-error";
      shown.setAttribute("role", "alert");
      shown.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1.25rem;background:#7a1111;color:#fff;font:14px/1.5 monospace;" +
        "white-space:pre-wrap;z-index:2147483647";
      document.body.appendChild(shown);
    }
    shown.textContent = "Folio could not rebuild this page:\\n\\n" + text;
  }
  var source = new EventSource("%(events)s");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (event) { overlay(JSON.parse(event.data)); });
  var initial = %(error)s;
  if (initial) { overlay(initial); }
})();
</script>"""


class State:
    """What the server tells browsers: a build counter and the last error."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.version = 0
        self.error: str | None = None
        self.stopping = False

    def wait(self, seen: int, timeout: float) -> tuple[int, str | None]:
        """Wait until a build newer than `seen` finishes; return (version, error)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopping, timeout)
            return self.version, self.error

    def publish(self, error: str | None) -> None:
        """Record a finished build and wake every waiting browser."""
        with self.changed:
            self.version += 1
            self.error = error
            self.changed.notify_all()


def local_email_images(content: Path) -> Callable[[Path, bytes], bytes]:
    """Return a rewrite that shows an email's pictures from `email-images/` in the preview.

    The email points at `asset_base_url`, where nothing may be uploaded yet; the preview
    uses the copies the build wrote next to it instead.
    """
    def rewrite(target: Path, page: bytes) -> bytes:
        if target.name != "email.html":
            return page
        email = yaml_settings(content / target.parent.name / "edition.yaml").get("email")
        base = email.get("asset_base_url") if isinstance(email, dict) else None
        if not base or not isinstance(base, str):
            return page
        return page.replace(f'src="{html.escape(base)}'.encode(), b'src="email-images/')
    return rewrite


def make_handler(
    root: Path, state: State, rewrite: Callable[[Path, bytes], bytes] = lambda _, page: page,
) -> type[BaseHTTPRequestHandler]:
    """Return a request handler serving `root` and the live-reload event stream."""
    root = root.resolve()
    streams = threading.BoundedSemaphore(MAX_EVENT_STREAMS)

    class Handler(BaseHTTPRequestHandler):
        server_version = "folio-watch"
        head_only = False

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        timeout = IDLE_TIMEOUT  # a connection that sends nothing is closed, freeing its thread

        def setup(self) -> None:
            super().setup()
            self.rfile.close()  # read through a deadline instead, for the whole request
            self.rfile = io.BufferedReader(_DeadlineReader(self.connection, REQUEST_SECONDS))

        def do_HEAD(self) -> None:
            self.head_only = True  # the answer to GET, without its body
            self.do_GET()

        def do_GET(self) -> None:
            self.connection.settimeout(IDLE_TIMEOUT)  # the request is in: idle time again
            if not local_host(self.headers.get("Host")):
                # Only pages opened as 127.0.0.1 or localhost are answered: a site whose
                # name is made to point here (DNS rebinding) cannot read the previews.
                self.send_error(HTTPStatus.MISDIRECTED_REQUEST)
                return
            try:
                path = unquote(urlsplit(self.path).path, errors="strict")
                if path == EVENTS_PATH and not self.head_only:
                    self.stream_events()
                    return
                self.send_file(path)
            except (OSError, ValueError, UnicodeError):
                self.send_error(HTTPStatus.NOT_FOUND)  # a name too long, a NUL byte, ...

        def send_file(self, path: str) -> None:
            if any(ord(c) < 32 or ord(c) == 127 for c in path):
                raise ValueError(path)
            target = (root / path.lstrip("/")).resolve()
            # Nothing hidden is served: no part of the path asked for, or of the file
            # found, may start with a dot (`/.folio-locks/x.lock`, `/mini/.cache/`).
            if not target.is_relative_to(root) or any(
                    part.startswith(".") for part in (*path.split("/"),
                                                      *target.relative_to(root).parts)):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            if target.is_dir():
                if not path.endswith("/"):
                    # The address is rebuilt from the file found, never copied from the
                    # request: no other site, no request bytes in a header.
                    relative = target.relative_to(root).as_posix()
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", "/" if relative == "." else
                                     f"/{quote(relative)}/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                target = target / "index.html"
            if not target.is_file():
                if target.name == "index.html" and target.parent == root:
                    self.send_body(index_page(root, state), "text/html; charset=utf-8")
                    return
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            data = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                data = inject(rewrite(target, data), state.error)
                kind = "text/html; charset=utf-8"
            elif kind.startswith("text/") or kind.endswith("xml"):
                kind += "; charset=utf-8"  # Folio writes every text file in UTF-8
            self.send_body(data, kind)

        def send_body(self, data: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not self.head_only:
                self.wfile.write(data)

        def stream_events(self) -> None:
            if not streams.acquire(blocking=False):
                self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
                self.send_header("Retry-After", "5")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                self.stream_changes()
            finally:
                streams.release()

        def stream_changes(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with state.changed:
                seen = state.version
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while not state.stopping:
                    version, error = state.wait(seen, timeout=15)
                    if version == seen:
                        self.wfile.write(b": ping\n\n")
                    elif error:
                        self.wfile.write(f"event: failed\ndata: {json.dumps(error)}\n\n".encode())
                    else:
                        self.wfile.write(b"event: reload\ndata: {}\n\n")
                    self.wfile.flush()
                    seen = version
            except OSError:  # the browser went away, or stopped reading
                return

    return Handler


class _DeadlineReader(io.RawIOBase):
    """A socket read with a deadline for everything read, not only for each read."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection = connection
        self.deadline = time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        self.connection.settimeout(min(left, IDLE_TIMEOUT))
        return self.connection.recv_into(buffer)


def local_host(header: str | None) -> bool:
    """Return whether a `Host` header names this machine's loopback address."""
    if not header:
        return False
    name, _, port = header.strip().rpartition(":") if ":" in header else (header, "", "")
    return name.lower() in LOCAL_HOSTS and (not port or port.isdigit())


class PreviewServer(ThreadingHTTPServer):
    """A threading server with a bounded number of threads and a longer listen queue."""

    daemon_threads = True
    request_queue_size = MAX_CONNECTIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Wait for a free thread, briefly; a client beyond the bound is closed, not queued
        # forever, so that connections held open cannot exhaust the machine.
        if not self.slots.acquire(timeout=IDLE_TIMEOUT):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing when a browser hangs up or times out; one line for anything else."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # reset, broken pipe, timed out: the client's doing
            return
        print(f"error: the preview server could not answer a request ({type(error).__name__}: "
              f"{printable(str(error))}); watching goes on", file=sys.stderr, flush=True)


def inject(page: bytes, error: str | None) -> bytes:
    """Add the live-reload script before `</body>` of a served page."""
    script = RELOAD_SCRIPT % {"events": EVENTS_PATH,
                              "error": json.dumps(error).replace("</", "<\\/")}
    marker = page.rfind(b"</body>")
    if marker < 0:
        return page + script.encode()
    return page[:marker] + script.encode() + page[marker:]


def index_page(root: Path, state: State) -> bytes:
    """List the editions in `build/` when no edition is named in the address."""
    links = "".join(f'<li><a href="{html.escape(p.name)}/">{html.escape(p.name)}</a></li>'
                    for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith("."))
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Folio preview'
            f"</title></head><body><h1>Folio preview</h1><ul>{links}</ul></body></html>")
    return inject(page.encode(), state.error)


def serve(
    root: Path, port: int, state: State,
    rewrite: Callable[[Path, bytes], bytes] = lambda _, page: page,
) -> ThreadingHTTPServer:
    """Start serving `root` on 127.0.0.1:`port` in a background thread."""
    root.mkdir(parents=True, exist_ok=True)
    server = PreviewServer(("127.0.0.1", port), make_handler(root, state, rewrite))
    threading.Thread(target=server.serve_forever, name="folio-server", daemon=True).start()
    return server


def affected(changes: Iterable[Path], content: Path, editions: list[Path]) -> list[Path]:
    """Return the editions a set of changed files can touch."""
    hit: list[Path] = []
    for path in changes:
        path = path.resolve()
        inside = [e for e in editions if path.is_relative_to(e.resolve())]
        if inside:
            hit += inside
        elif not path.is_relative_to(content.resolve()):
            return editions  # a theme or template: every edition may use it
    return [e for e in editions if e in hit]


def rebuild(
    editions: list[Path], out: Path, pdf: bool, report: Callable[[Result], bool],
    state: State,
) -> None:
    """Rebuild web and email first, then the PDF; publish the outcome to browsers."""
    errors: list[str] = []
    waves = [["web", "email"], ["pdf"]] if pdf else [["web", "email"]]
    for formats in waves:
        changed = False
        steps: list[Callable[[], Result]] = [
            functools.partial(build_edition, edition, out, formats) for edition in editions]
        if formats is waves[0] and editions:  # the archive lists the pages just built
            steps.append(functools.partial(build_archive, editions[0].parent, out))
        for step in steps:
            result = step()
            report(result)
            changed |= bool(result.built)
            errors += [str(p) for p in result.problems]
        if errors:
            state.publish("\n".join(dict.fromkeys(errors)))
            return
        if changed or state.error:
            state.publish(None)


def safe_rebuild(
    editions: list[Path], out: Path, pdf: bool, report: Callable[[Result], bool],
    state: State,
) -> None:
    """Rebuild; whatever goes wrong is shown over the page, and watching goes on."""
    try:
        rebuild(editions, out, pdf, report, state)
    except Exception as exc:
        message = (str(exc) if isinstance(exc, FolioError) else
                   f"the rebuild failed ({type(exc).__name__}: {exc}); this is a bug in Folio, "
                   "please report it; the last good outputs are still in place")
        print(f"error: {printable(message)}", file=sys.stderr, flush=True)
        state.publish(message)


def watch(
    edition: str | None, *, content: Path, out: Path, port: int, pdf: bool,
    report: Callable[[Result], bool], ready: Callable[[str], None] = print,
) -> None:
    """Build, serve and rebuild on every save until interrupted."""
    import watchfiles

    if edition:
        editions = [find_edition(edition, content)]
        content = editions[0].parent  # a folder given as a path may lie beside --content
    else:
        editions = find_editions(content)
    if not editions:
        raise FolioError(f"no edition to watch in {display_path(content)}/; create one with "
                         f"{command_line('new NAME')}")
    state = State()
    if not 0 <= port <= 65535:
        raise FolioError(f"--port {port} is not a port number; choose one from 1024 to 65535")
    try:
        server = serve(out, port, state, local_email_images(content))
    except OSError as exc:
        raise FolioError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
                         "choose another port with --port") from exc
    port = server.server_address[1]  # --port 0 lets the system choose one
    safe_rebuild(editions, out, pdf, report, state)
    first = editions[0].name if edition else ""
    paths = [content, *[p for p in (content.parent / "templates", BUILTIN_THEMES) if p.is_dir()]]
    announced = False
    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # Ctrl-C is not worth a warning
    try:
        # An empty batch comes back once the watcher is in place: say "serving" only then,
        # so that a save right after the message is never missed.
        for changes in watchfiles.watch(*paths, debounce=150, step=30, rust_timeout=200,
                                        yield_on_timeout=True, raise_interrupt=False):
            if not announced:
                announced = True
                ready(f"serving http://127.0.0.1:{port}/{first + '/' if first else ''} "
                      "(Ctrl-C to stop)")
            changed = [Path(p) for _, p in changes if not Path(p).name.startswith(".")]
            touched = affected(changed, content, editions)
            if touched:
                safe_rebuild(touched, out, pdf, report, state)
    finally:
        state.stopping = True
        state.publish(state.error)
        server.shutdown()
        server.server_close()


__all__ = ["watch"]
