"""Command line: arguments -> calls into the package; errors -> messages and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .errors import FolioError, command_line, escaped_output, printable, program
from .formats import FORMATS

if TYPE_CHECKING:
    from .build import Result
    from .schema import ThemeConfig

DESCRIPTION = """\
Folio turns an edition (content/<edition>/: edition.yaml plus one Markdown file per
section) into a web page, a print PDF and an email, written to build/<edition>/.
Run without a command to build every edition in every format."""

EPILOG = """\
examples:
  {prog}                          build everything that changed
  {prog} build reflections-2025 --format pdf
  {prog} watch reflections-2025   rebuild on save, preview on http://127.0.0.1:8000/
  {prog} check reflections-2025   proofread before sending
  {prog} import draft.docx --name spring-2026
  {prog} export reflections-2025  a .docx for reviewers; then import it back --into
  {prog} send february-2026 --to me@example.org --smtp localhost:1025
  {prog} send statement-2025 --merge --smtp smtp.example.org:587 --starttls --user news
  {prog} publish user@example.org:/var/www/news --dry-run
"""


def _epilog() -> str:
    return EPILOG.format(prog=program())


def _formats(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    for name in names:
        if name not in FORMATS:
            raise argparse.ArgumentTypeError(
                f"unknown format '{name}'; choose from {', '.join(FORMATS)}")
    return names


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors end the command with status 1, as every error does."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    def options(defaults: bool) -> argparse.ArgumentParser:
        # Sub-commands repeat the options without defaults, so that `--debug build` and
        # `build --debug` both work.
        def default(value: object) -> object:
            return value if defaults else argparse.SUPPRESS

        group = argparse.ArgumentParser(add_help=False)
        group.add_argument("--content", type=Path, default=default(Path("content")),
                           metavar="DIR", help="folder holding the editions (default: content)")
        group.add_argument("--out", type=Path, default=default(Path("build")), metavar="DIR",
                           help="folder for the outputs (default: build)")
        group.add_argument("--debug", action="store_true", default=default(False),
                           help="show a Python traceback when something fails")
        return group

    common = options(defaults=False)
    top: argparse.ArgumentParser = _Parser(
        prog=program(), description=DESCRIPTION, epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter, parents=[options(defaults=True)])
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                     help="print Folio's version and stop")
    commands = top.add_subparsers(dest="command", metavar="COMMAND",
                                  help="what to do (default: build)")

    build = commands.add_parser("build", parents=[common], help="build editions (the default)",
                                description="Build the named editions, or all of them.")
    build.add_argument("editions", nargs="*", metavar="EDITION",
                       help="edition names or folders (default: every edition)")
    build.add_argument("--format", type=_formats, default=None, metavar="LIST",
                       help=f"comma-separated formats to build (default: {','.join(FORMATS)})")
    build.add_argument("--keep-html", action="store_true",
                       help="also write print.html, the exact HTML given to the PDF renderer")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--strict", action="store_true",
                       help="build nothing while check finds errors (placeholders left in, "
                       "missing alt text, ...); for CI and the last build before sending")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="editions built at once in worker processes (default: one per "
                       "core when twice as many editions as cores need building, else none)")
    build.add_argument("--preview-row", type=int, default=None, metavar="N",
                       help="merge editions: preview row N of the data file instead of "
                       "each field's fallback")

    check = commands.add_parser("check", parents=[common], help="proofread an edition",
                                description="Find editorial, accessibility, link and email "
                                "problems before anything goes out.")
    check.add_argument("editions", nargs="*", metavar="EDITION",
                       help="edition names or folders (default: every edition)")
    check.add_argument("--format", choices=["text", "json"], default="text", dest="output",
                       help="text for people (default), json for editors and CI")
    check.add_argument("--online", action="store_true",
                       help="also check that external links answer (uses the network)")
    check.add_argument("--pdf", action="store_true",
                       help="also build the PDF (when stale) and check it against the "
                            "standard it claims, and with the outloud accessibility checker")

    imp = commands.add_parser("import", parents=[common], help="turn a draft into an edition",
                              description="Create content/EDITION/ from a .docx, .md or .txt "
                              "draft (--name), or bring a reviewer's edits and comments on an "
                              "exported .docx back into its edition (--into).")
    imp.add_argument("file", type=Path, metavar="FILE", help="the draft: .docx, .md or .txt")
    imp.add_argument("--name", metavar="EDITION", help="the new edition's name")
    imp.add_argument("--into", metavar="EDITION",
                     help="the edition a reviewed `export` belongs to: apply its edits there")
    imp.add_argument("--dry-run", action="store_true",
                     help="with --into: print the changes as a diff; write nothing")
    imp.add_argument("--reject-changes", action="store_true",
                     help="with --into: leave the reviewer's tracked changes out")
    imp.add_argument("--force", action="store_true",
                     help="replace an existing edition; with --into, take the reviewer's "
                     "version of paragraphs also changed in the files since the export")
    imp.add_argument("--language", metavar="TAG",
                     help="the text's language as a BCP 47 tag such as fr or ru-RU (default: "
                     "the one a Word draft declares, else en-GB)")

    watch = commands.add_parser(
        "watch", parents=[common], help="rebuild on save and preview in a browser",
        description="Build, then rebuild whatever a saved file changes (web page and email "
        "first, the PDF after them), and serve build/ on http://127.0.0.1:PORT/ with live "
        "reload. Ctrl-C stops.")
    watch.add_argument("edition", nargs="?", metavar="EDITION",
                       help="the edition name or folder to watch (default: all)")
    watch.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    watch.add_argument("--no-pdf", action="store_true", help="do not rebuild the PDF")

    send = commands.add_parser(
        "send", parents=[common], help="send a proof email, or deliver a merge",
        description="Send build/EDITION/email.eml as a proof to up to 5 addresses, or with "
        "--merge deliver each build/EDITION/merge/<key>.eml to its row's address, once, "
        "recording each message in build/EDITION/merge/outbox.sqlite. The SMTP password is "
        "read from the environment variable FOLIO_SMTP_PASSWORD (or asked for).")
    send.add_argument("edition", metavar="EDITION", help="the edition name or folder")
    whom = send.add_mutually_exclusive_group(required=True)
    whom.add_argument("--to", action="append", metavar="ADDRESS",
                      help="a recipient (repeat for more, at most 5)")
    whom.add_argument("--merge", action="store_true",
                      help="deliver the merged messages (folio merge) to their rows")
    send.add_argument("--smtp", default="localhost:25", metavar="HOST:PORT",
                      help="the SMTP server (default localhost:25)")
    send.add_argument("--starttls", action="store_true", help="upgrade the connection with TLS")
    send.add_argument("--user", metavar="NAME", help="log in with this user name")
    send.add_argument("--rate", metavar="N/s",
                      help="with --merge: at most N messages a second (also N/min, N/h)")
    send.add_argument("--attach-pdf", action="store_true",
                      help="with --merge: attach each row's own PDF (or email: attach_pdf)")
    send.add_argument("--dry-run", action="store_true",
                      help="with --merge: list what would be sent; send and record nothing")
    send.add_argument("--status", action="store_true",
                      help="with --merge: print the outbox (counts and failed rows)")

    publish = commands.add_parser(
        "publish", parents=[common], help="put the site online: a folder or host:path",
        description="Build what changed, then make TARGET hold exactly what belongs online: "
        "web pages, PDFs, email pictures, the archive, feed and sitemap (drafts left out). "
        "TARGET is a folder, or host:path for rsync over SSH. Then check that the email's "
        "pictures are where it looks for them.")
    publish.add_argument("target", metavar="TARGET",
                         help="a folder, or [user@]host:path to publish over SSH with rsync")
    publish.add_argument("--dry-run", action="store_true",
                         help="list what would be copied and deleted; change nothing there")
    publish.add_argument("--allow-errors", action="store_true",
                         help="publish editions that check finds errors in (refused otherwise)")

    export = commands.add_parser(
        "export", parents=[common], help="write a .docx of an edition for reviewers",
        description="Write build/EDITION/EDITION.docx: the edition as a Word document for "
        "reviewers' tracked changes and comments; bring them back with `import FILE --into "
        "EDITION`.")
    export.add_argument("edition", metavar="EDITION", help="the edition name or folder")

    merge = commands.add_parser(
        "merge", parents=[common], help="one personalised PDF and email per data row",
        description="Write build/EDITION/merge/KEY.pdf and KEY.eml for every row of a CSV "
        "or XLSX file, filling the edition's {{ recipient.COLUMN }} fields. Rows already "
        "made from the same data and edition are skipped; a killed run resumes.")
    merge.add_argument("edition", metavar="EDITION", help="the edition name or folder")
    merge.add_argument("--data", type=Path, metavar="FILE",
                       help="the CSV or XLSX file, a header row then one row per recipient "
                       "(default: merge: data: in edition.yaml)")
    merge.add_argument("--key", metavar="COLUMN",
                       help="the column that names each row's files (default: the first)")
    merge.add_argument("--to", metavar="COLUMN", help="the column of email addresses "
                       "(default: email)")
    merge.add_argument("--format", type=_formats, default=None, metavar="LIST",
                       help="pdf, email or both (default: pdf,email)")
    merge.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per core)")
    merge.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler, tcp://HOST:PORT, or local for a Dask cluster "
                       "on this machine (needs pip install 'folio[scale]')")

    new = commands.add_parser("new", parents=[common], help="start a new edition",
                              description="Create content/EDITION/ with example sections.")
    new.add_argument("edition", metavar="EDITION",
                     help="the new edition's name, e.g. spring-2026 (lowercase, digits, -)")
    return top


def run() -> NoReturn:
    """Run the command line with the process's arguments, then end the process.

    A finished command has nothing left to tear down: Python's own teardown (freeing every
    module and object, a garbage collection per module) takes about 0.07 s after a build,
    longer than a no-op build's work. So once no thread of the command is still running,
    the exit handlers run (the PDF helper is stopped, logs and files flushed) and the
    process ends at once; otherwise it exits the usual way.
    """
    if sys.stdout is None:  # started with its output closed (`folio build >&-`)
        if sys.stderr is not None:
            print("error: Folio's output is closed; send it to a terminal, a file or "
                  "/dev/null", file=sys.stderr)
        sys.exit(1)
    status = main(sys.argv[1:])
    import atexit
    import threading

    finish = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate()
              if t is not threading.current_thread() and not t.daemon]
    if finish is None or others:
        sys.exit(status)
    finish()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (`folio check | head`)
        status = status or 1
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Everything it prints goes through `escaped_output`: text from an edition cannot drive
    the terminal.
    """
    with escaped_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Guarded(sys.stdout), _Guarded(sys.stderr)
    try:
        return _command(args)
    except OutputGone as exc:
        _silence(streams[0])
        with contextlib.suppress(OSError, ValueError):
            print(f"error: Folio's output cannot be written ({exc}): it goes to a closed "
                  "pipe, a full disk or a closed terminal; the command stopped there",
                  file=streams[1], flush=True)
        return 1
    finally:
        sys.stdout, sys.stderr = streams


def _command(args: argparse.Namespace) -> int:
    """Run the command `args` name; report errors as messages and return the exit status."""
    command = args.command or "build"
    try:
        if args.content.exists() and not args.content.is_dir():
            raise FolioError(f"--content {args.content} is a file; name the folder that holds "
                             "the editions (by default, content)")
        if command == "build":
            return _build(args)
        if command == "check":
            return _check(args)
        if command == "import":
            return _import(args)
        if command == "new":
            return _new(args)
        if command == "export":
            return _export(args)
        if command == "watch":
            return _watch(args)
        if command == "send":
            return _send(args)
        if command == "publish":
            return _publish(args)
        if command == "merge":
            return _merge(args)
        raise AssertionError(command)
    except FolioError as exc:
        if getattr(args, "debug", False):
            raise
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except OSError as exc:  # a name too long, a full disk, ... outside any edition's build
        if getattr(args, "debug", False):
            raise
        print(f"error: {os_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


class OutputGone(Exception):
    """Writing to the terminal (standard output or error) failed."""


class _Guarded:
    """A text stream whose write errors become `OutputGone`, told apart from file errors."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except OSError as exc:
            raise OutputGone(exc.strerror or exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputGone(exc.strerror or exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence(stream: Any) -> None:
    """Point a failed output stream at /dev/null, so that nothing tries it again at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def os_problem(exc: OSError) -> str:
    """Explain an operating-system error in words, with the file it concerns and a fix."""
    from .errors import display_path

    named = exc.filename2 or exc.filename
    where = f"{display_path(str(named)[:80] + ('...' if len(str(named)) > 80 else ''))}: " \
        if isinstance(named, str) and named else ""
    if exc.errno == errno.ENAMETOOLONG:
        return (f"{where}this name is too long for a file name; choose a shorter one (an "
                "edition's name may have at most 100 characters)")
    if exc.errno == errno.ENOSPC:
        return f"{where}there is no space left on the disk; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}Folio may not write or read here; check the folder's permissions"
    if exc.errno == errno.ENOTDIR:
        return f"{where}a file stands where Folio expects a folder; check the path"
    return f"{where}{exc.strerror or exc}"


def _build(args: argparse.Namespace) -> int:
    from .build import build

    failed = False
    results = build(
        getattr(args, "editions", None) or None, content=args.content, out=args.out,
        formats=getattr(args, "format", None), force=getattr(args, "force", False),
        keep_html=getattr(args, "keep_html", False), jobs=getattr(args, "jobs", None),
        head_start=True, checks="strict" if getattr(args, "strict", False) else "report",
        preview_row=getattr(args, "preview_row", None))
    for result in results:
        failed |= not report(result, debug=args.debug)
    if failed:
        print("error: the build stopped; fix the problems above and run it again "
              "(the last good outputs are still in place)", file=sys.stderr)
    return 1 if failed else 0


def _merge(args: argparse.Namespace) -> int:
    from .merge.run import merge, report

    result = merge(args.edition, args.data, content=args.content, out=args.out, key=args.key,
                   to=args.to, formats=args.format, jobs=args.jobs, scheduler=args.scheduler,
                   progress=sys.stderr)
    report(result)
    print(result.summary(), flush=True)
    return 1 if result.failed else 0


def report(result: Result, debug: bool = False) -> bool:
    """Print one edition's build: a line per format, then warnings and errors."""
    for fmt, seconds in result.built.items():
        print(f"{result.edition:<24} {fmt:<6} built in {seconds:5.2f} s", flush=True)
    for fmt in result.skipped:
        print(f"{result.edition:<24} {fmt:<6} up to date", flush=True)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    if result.slips:
        _report_slips(result)
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr, flush=True)
    if debug:
        for text in result.tracebacks:
            print(text, file=sys.stderr, flush=True)
    return result.ok


SLIPS_SHOWN = 5
"""How many check errors a build lists before pointing to `check` for the rest."""


def _report_slips(result: Result) -> None:
    """Print the quick checks' errors as a short summary: they would be published."""
    slips = result.slips
    label = "error" if not result.ok else "warning"
    print(f"{label}: {result.edition}: check finds {len(slips)} error(s) that would be "
          "published:", file=sys.stderr)
    for finding in slips[:SLIPS_SHOWN]:
        print(f"  {finding}", file=sys.stderr)
    if len(slips) > SLIPS_SHOWN:
        print(f"  ... and {len(slips) - SLIPS_SHOWN} more", file=sys.stderr)
    if result.ok:
        print(f"  fix them before sending ({command_line(f'check {result.edition}')} lists "
              "everything; `build --strict` refuses to build with them)", file=sys.stderr,
              flush=True)


def _watch(args: argparse.Namespace) -> int:
    from .watch import watch

    watch(args.edition, content=args.content, out=args.out, port=args.port,
          pdf=not args.no_pdf, report=lambda result: report(result, debug=args.debug),
          ready=lambda line: print(line, flush=True))
    print("stopped watching", flush=True)
    return 0


def _send(args: argparse.Namespace) -> int:
    from .send import send_proof

    if args.merge:
        return _deliver(args)
    merge_only = [o for o, on in (("--rate", args.rate), ("--attach-pdf", args.attach_pdf),
                                  ("--dry-run", args.dry_run), ("--status", args.status)) if on]
    if merge_only:
        raise FolioError(f"{merge_only[0]} goes with --merge (a proof goes to --to at once)")
    print(send_proof(args.edition, content=args.content, out=args.out, to=args.to,
                     smtp=args.smtp, starttls=args.starttls, user=args.user))
    return 0


def _deliver(args: argparse.Namespace) -> int:
    from .delivery import deliver, outbox_status, parse_rate

    if args.status:
        for line in outbox_status(args.edition, content=args.content, out=args.out):
            print(line)
        return 0
    summary = deliver(args.edition, content=args.content, out=args.out, smtp=args.smtp,
                      starttls=args.starttls, user=args.user,
                      rate=parse_rate(args.rate) if args.rate else None,
                      attach_pdf=args.attach_pdf, dry_run=args.dry_run,
                      say=lambda line: print(line, flush=True))
    if not args.dry_run:
        print(summary.line(), flush=True)
    return 0 if summary.ok or args.dry_run else 1


def _publish(args: argparse.Namespace) -> int:
    from .publish import check_target, publish

    check_target(args.target)
    if _build(args):
        return 1
    outcome = publish(args.target, content=args.content, out=args.out, dry_run=args.dry_run,
                      allow_errors=args.allow_errors)
    for line in outcome.report():
        print(line, flush=True)
    for problem in outcome.problems:
        print(f"error: {problem}", file=sys.stderr, flush=True)
    if outcome.problems:
        print("error: do not send the email until the problems above are fixed",
              file=sys.stderr)
    return 0 if outcome.ok else 1


def _check(args: argparse.Namespace) -> int:
    from .check import check_edition, exit_status, format_findings, problem_findings
    from .errors import display_path
    from .sources import find_edition, find_editions

    folders = ([find_edition(name, args.content) for name in args.editions] if args.editions
               else find_editions(args.content))
    if not folders:
        raise FolioError(f"no editions found in {display_path(args.content)}/; create one "
                         f"with {command_line('new NAME')}")
    findings = []
    for folder in folders:
        try:
            email_html, theme = _rendered_email(folder)
            pdf = _built_pdf(folder, args) if args.pdf else None
            found = check_edition(folder, email_html=email_html, theme=theme,
                                  online=args.online, pdf=pdf)
        except FolioError as exc:  # an edition that does not load: its problems are findings
            found = problem_findings(exc)
        if not found and args.output == "text":
            print(f"{display_path(folder)}: no problems found", flush=True)
        findings += found
    text = format_findings(findings, args.output)
    if text:
        print(text)
    return exit_status(findings)


def _built_pdf(folder: Path, args: argparse.Namespace) -> Path | None:
    """Build an edition's PDF when it is stale; return it, or None when it cannot be built."""
    from .build import build_edition

    result = build_edition(folder, args.out, ["pdf"])
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)
    path = args.out / folder.name / f"{folder.name}.pdf"
    return path if result.ok and path.is_file() else None


def _rendered_email(folder: Path) -> tuple[str | None, ThemeConfig]:
    """Render an edition's email in memory for the size rules, with its theme."""
    from .content import load_edition
    from .markup import render_sections
    from .theme import load_theme

    edition = render_sections(load_edition(folder))
    theme = load_theme(edition.config.theme, folder.parent.parent, edition.root)
    quiet = logging.getLogger("folio")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the email rules of `check` report what the build warns of
    try:
        html = FORMATS["email"].renderer()(edition, theme)["email.html"].decode()
    finally:
        quiet.setLevel(level)
    return html, theme.config


def _import(args: argparse.Namespace) -> int:
    from .importers import import_draft

    if (args.name is None) == (args.into is None):
        raise FolioError("import needs --name NEW (a draft becomes a new edition) or --into "
                         "EDITION (a reviewed export goes back into its edition), not both")
    wrong = ([o for o, on in (("--language", args.language),) if on] if args.into else
             [o for o, on in (("--dry-run", args.dry_run),
                              ("--reject-changes", args.reject_changes)) if on])
    if wrong:
        raise FolioError(f"{wrong[0]} goes with " + ("--name" if args.into else "--into"))
    if args.into is not None:
        from .review import import_review

        outcome = import_review(args.file, args.into, args.content, dry_run=args.dry_run,
                                reject=args.reject_changes, force=args.force)
        if args.dry_run:
            print(printable(outcome.diff, keep_newlines=True), end="")
        print(printable(str(outcome), keep_newlines=True))
        return 0
    print(import_draft(args.file, args.content, args.name, force=args.force,
                       language=args.language))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .review import export_edition

    path = export_edition(args.edition, args.content, args.out)
    print(f"wrote {path}: send it to reviewers; bring their changes back with "
          f"{command_line(f'import REVIEWED.docx --into {path.stem}')}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_edition

    folder = new_edition(args.content, args.edition)
    print(f"created {folder}/: edit edition.yaml and the sections, then run "
          f"{command_line(f'build {args.edition}')}")
    return 0
