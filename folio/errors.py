"""Errors: the small family of failures Folio reports to a person, each with its place."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and how to fix it."""

    path: Path | str
    line: int | None
    message: str
    column: int | None = None
    """Where on the line, 1-based, when known; `check` reports it, the build's text does not."""

    def __str__(self) -> str:
        if not str(self.path):
            return printable(self.message, keep_newlines=True)
        where = display_path(self.path)
        if self.line:
            where += f", line {self.line}"
        return printable(f"{where}: {self.message}")


def printable(text: str, keep_newlines: bool = False) -> str:
    """Escape control characters, so that text from an edition cannot drive the terminal.

    An escape sequence in a title or a file name would otherwise clear the screen, set the
    window title or hide the lines before it; bidirectional overrides would reorder them.
    """
    return CONTROL.sub(lambda m: "\n" if keep_newlines and m[0] == "\n"
                       else m[0].encode("unicode_escape").decode("ascii"), text)


CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
"""Characters that act on a terminal instead of showing: C0/C1 controls (a tab is kept),
bidirectional marks and overrides, and lone surrogates."""


class Terminal:
    """A text stream that writes control characters escaped (`printable`).

    The command line puts its standard output and error behind one each, so that every
    message, progress line and finding passes here: an edition folder called
    `\x1b[2J...` is shown as written, whichever line names it.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text, keep_newlines=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Put `sys.stdout` and `sys.stderr` behind a `Terminal` while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if isinstance(s, Terminal) else Terminal(s)
                              for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working folder when it lies inside it."""
    path = Path(path)
    here = Path.cwd()
    # Links are not followed: a section that links elsewhere is named by its own name.
    for absolute, base in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        if absolute.is_relative_to(base):
            return str(absolute.relative_to(base))
    return str(path)


def program() -> str:
    """Return how the user started Folio: `python generate.py` in a checkout, else `folio`."""
    return "python generate.py" if Path(sys.argv[0]).name == "generate.py" else "folio"


def command_line(arguments: str) -> str:
    """Return a command for the user to run, quoted, as they run Folio: `folio build x`."""
    return f"`{program()} {arguments}`"


class FolioError(Exception):
    """A failure to report to the user as text, without a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", None, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContentError(FolioError):
    """The edition's files are wrong: YAML, front matter, missing images."""


class TemplateError(FolioError):
    """A theme template fails to compile or render."""


class ResourceError(FolioError):
    """A section asked the renderer for a file or address it may not read."""


class SendError(FolioError):
    """A proof email could not be sent."""
