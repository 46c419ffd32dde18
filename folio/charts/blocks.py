"""Blocks: a section's Markdown -> its ```chart blocks, each parsed and checked with its lines.

A block is found where Python-Markdown finds a fenced code block whose language is `chart`:
a fence of three or more backticks or tildes at the start of a line, closed by the same
fence. Fences of other languages are skipped whole, so a chart shown as an example inside
a ````markdown block stays an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..content import Lines, parse_yaml, validate
from ..errors import Problem

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*\.?(?P<lang>[\w#.+-]*)[ ]*$")
TYPES = ("bar", "line", "area", "point", "pie")


class ChartOptions(BaseModel):
    """The settings of one ```chart block."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    data: str
    """The data file, inside the edition folder: `data/income.csv`, `.xlsx` or `.json`."""
    type: Literal["bar", "line", "area", "point", "pie"] = "bar"
    """How the data is drawn: bar, line, area, point or pie."""
    x: str | None = None
    """The column along the bottom (the categories of a pie)."""
    y: str | None = None
    """The column of numbers: the height of bars, lines and areas, the size of slices."""
    color: str | None = None
    """A column whose values make one series each (one colour, one line, one stack part)."""
    stack: bool = True
    """Whether bars and areas of several series stack (`false`: side by side, overlaid)."""
    title: str | None = None
    """The chart's title, shown above it in every output and in the plain-text email."""
    description: str | None = None
    """What the chart shows, for readers who cannot see it; written from the data if left out."""
    source: str | None = None
    """Where the numbers come from, shown under the chart."""
    sheet: str | None = None
    """The sheet of an XLSX file to read (the first when left out)."""
    table: bool = False
    """Whether the PDF prints the chart's data as a table after it (the web page always
    offers it behind "Show the data")."""
    vega_lite: dict[str, Any] | None = Field(default=None, alias="vega-lite")
    """A full Vega-Lite specification for what the keys above cannot say; its data still
    comes from `data:` only (no `data`, `url` or `href` inside it)."""


@dataclass(frozen=True)
class Block:
    """One ```chart block as written: its settings and where they are."""

    path: Path
    line: int
    """The file line of the opening fence."""
    options: ChartOptions
    lines: Lines
    """Where each setting is in the file (line and column), by key."""

    def place(self, key: str) -> tuple[int, int | None]:
        """Return the file (line, column) of a setting's value, or of the fence."""
        if (key,) in self.lines.places:
            return self.lines.places[(key,)]
        return self.lines.get((key,), self.line), self.lines.columns.get((key,))

    def problem(self, key: str, message: str) -> Problem:
        """Return a problem placed at a setting's value."""
        line, column = self.place(key)
        return Problem(self.path, line, message, column)


def fenced(body: str) -> list[tuple[int, str]]:
    """Return (line index of the fence, text) of each ```chart block in Markdown `body`."""
    found = []
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening["fence"]
        end = next((i for i in range(index + 1, len(lines))
                    if lines[i].rstrip(" ") == fence), None)
        if end is None:  # never closed: Markdown reads it as text
            index += 1
            continue
        if opening["lang"] == "chart":
            found.append((index, "\n".join(lines[index + 1:end])))
        index = end + 1
    return found


def blocks_of(path: Path, body: str, body_line: int, problems: list[Problem]) -> list[Block]:
    """Parse and check the ```chart blocks of a section's body; record what is wrong."""
    blocks = []
    for index, text in fenced(body):
        fence_line = body_line + index
        before = len(problems)
        data, lines = parse_yaml(text, path, problems, first_line=fence_line + 1)
        if len(problems) > before:
            continue
        if data is None:
            problems.append(Problem(path, fence_line, "this chart block is empty; write at "
                                    "least `data: data/<file>.csv`, `x:` and `y:`", 1))
            continue
        if isinstance(data, dict) and "data" not in data:
            problems.append(Problem(path, fence_line, "this chart has no `data:`; name the "
                                    "data file, such as `data: data/income.csv`", 1))
            continue
        options = validate(ChartOptions, data, lines, path, problems)
        if options is not None:
            blocks.append(Block(path, fence_line, options, lines))
    return blocks
