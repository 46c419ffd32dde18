"""Command line: arguments -> calls into the package; errors -> messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .errors import FolioError, command_line, program
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
  {prog} send february-2026 --to me@example.org --smtp localhost:1025
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
    top = argparse.ArgumentParser(
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
                              "draft.")
    imp.add_argument("file", type=Path, metavar="FILE", help="the draft: .docx, .md or .txt")
    imp.add_argument("--name", required=True, metavar="EDITION", help="the new edition's name")
    imp.add_argument("--force", action="store_true", help="replace an existing edition")
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
        "send", parents=[common], help="send a proof email",
        description="Send build/EDITION/email.eml as a proof to up to 5 addresses. The SMTP "
        "password is read from the environment variable FOLIO_SMTP_PASSWORD.")
    send.add_argument("edition", metavar="EDITION", help="the edition name or folder")
    send.add_argument("--to", action="append", required=True, metavar="ADDRESS",
                      help="a recipient (repeat for more, at most 5)")
    send.add_argument("--smtp", default="localhost:25", metavar="HOST:PORT",
                      help="the SMTP server (default localhost:25)")
    send.add_argument("--starttls", action="store_true", help="upgrade the connection with TLS")
    send.add_argument("--user", metavar="NAME", help="log in with this user name")

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
    status = main(sys.argv[1:])
    import atexit
    import os
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
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    command = args.command or "build"
    try:
        if command == "build":
            return _build(args)
        if command == "check":
            return _check(args)
        if command == "import":
            return _import(args)
        if command == "new":
            return _new(args)
        if command == "watch":
            return _watch(args)
        if command == "send":
            return _send(args)
        if command == "publish":
            return _publish(args)
        raise AssertionError(command)
    except FolioError as exc:
        if getattr(args, "debug", False):
            raise
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _build(args: argparse.Namespace) -> int:
    from .build import build

    failed = False
    results = build(
        getattr(args, "editions", None) or None, content=args.content, out=args.out,
        formats=getattr(args, "format", None), force=getattr(args, "force", False),
        keep_html=getattr(args, "keep_html", False), jobs=getattr(args, "jobs", None),
        head_start=True, checks="strict" if getattr(args, "strict", False) else "report")
    for result in results:
        failed |= not report(result, debug=args.debug)
    if failed:
        print("error: the build stopped; fix the problems above and run it again "
              "(the last good outputs are still in place)", file=sys.stderr)
    return 1 if failed else 0


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

    print(send_proof(args.edition, content=args.content, out=args.out, to=args.to,
                     smtp=args.smtp, starttls=args.starttls, user=args.user))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .publish import publish

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

    print(import_draft(args.file, args.content, args.name, force=args.force,
                       language=args.language))
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new_edition

    folder = new_edition(args.content, args.edition)
    print(f"created {folder}/: edit edition.yaml and the sections, then run "
          f"{command_line(f'build {args.edition}')}")
    return 0
