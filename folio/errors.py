"""Errors: the small family of failures Folio reports to a person, each with its place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and how to fix it."""

    path: Path | str
    line: int | None
    message: str

    def __str__(self) -> str:
        if not str(self.path):
            return self.message
        where = display_path(self.path)
        if self.line:
            where += f", line {self.line}"
        return f"{where}: {self.message}"


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working folder when it lies inside it."""
    path = Path(path)
    here = Path.cwd()
    # Links are not followed: a section that links elsewhere is named by its own name.
    for absolute, base in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        if absolute.is_relative_to(base):
            return str(absolute.relative_to(base))
    return str(path)


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
