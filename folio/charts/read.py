"""Read: an `Edition` -> the same edition with each section's `Chart`s, their data checked.

Every problem of every chart is collected, each at its section's file, line and column
(the value of the setting at fault), then reported at once as a `ContentError`, as
loading does: a missing or unreadable data file, a path outside the edition or on
another website, a column the data does not have, text where numbers are needed.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import Edition, Section
from ..errors import ContentError, Problem
from .blocks import Block, ChartOptions, blocks_of
from .data import DataError, Table, locate, number, read_table

FORBIDDEN = ("data", "datasets", "url", "href")
"""Keys a `vega-lite:` specification may not hold anywhere: its data comes from `data:`."""


@dataclass(frozen=True)
class Chart:
    """One chart of a section: its settings, its data and, once drawn, its pictures."""

    id: str
    """The chart's anchor id, the same in every output: `<section>--chart-<n>` (the double
    dash never occurs in a section's or a heading's id, so the two never clash)."""
    path: Path
    line: int
    options: ChartOptions
    table: Table
    description: str = ""
    """What the chart shows in words: the block's own, or written from the data."""
    svg: str = dataclasses.field(default="", repr=False)
    """The drawing as SVG markup (web page and PDF), once drawn."""
    png: bytes = dataclasses.field(default=b"", repr=False)
    """The drawing as PNG at twice its size (email), once drawn."""
    width: int = 0
    """The width the chart is drawn at, in CSS pixels (the PNG is twice as wide)."""
    height: int = 0

    @property
    def kind(self) -> str:
        """Return the chart's type: bar, line, area, point, pie, or `custom` (Vega-Lite)."""
        return "custom" if self.options.vega_lite is not None else self.options.type


def read_charts(edition: Edition) -> Edition:
    """Return the edition with its sections' charts; raise `ContentError` listing every problem."""
    problems: list[Problem] = []
    sections = []
    tables: dict[tuple[str, str | None], Table | DataError] = {}
    for section in edition.sections:
        charts = []
        for count, block in enumerate(blocks_of(section.path, section.body, section.body_line,
                                                problems), 1):
            table = _table(edition.root, block, tables, problems)
            if table is not None and _check(block, table, problems):
                charts.append(Chart(f"{section.slug}--chart-{count}", section.path, block.line,
                                    block.options, table))
        sections.append(dataclasses.replace(section, charts=tuple(charts)))
    if problems:
        raise ContentError(problems)
    return dataclasses.replace(edition, sections=tuple(sections))


def section_blocks(section: Section, problems: list[Problem]) -> list[Block]:
    """Return a section's chart blocks (for `check`), recording their problems."""
    return blocks_of(section.path, section.body, section.body_line, problems)


def _table(root: Path, block: Block, tables: dict[tuple[str, str | None], Table | DataError],
           problems: list[Problem]) -> Table | None:
    """Read a block's data file once per build; record why it cannot be read."""
    key = (block.options.data, block.options.sheet)
    if key not in tables:
        try:
            tables[key] = read_table(locate(root, block.options.data), block.options.sheet)
        except DataError as exc:
            tables[key] = exc
        except OSError as exc:
            tables[key] = DataError(f"'{block.options.data}' cannot be read ({exc.strerror})")
    found = tables[key]
    if isinstance(found, DataError):
        problems.append(block.problem("sheet" if "no sheet" in str(found) else "data",
                                      str(found)))
        return None
    return found


def _check(block: Block, table: Table, problems: list[Problem]) -> bool:
    """Check a block's columns and numbers against its table; True when it can be drawn."""
    before = len(problems)
    options = block.options
    if options.vega_lite is not None:
        _check_vega_lite(block, options.vega_lite, table, problems)
        return len(problems) == before
    for key in ("x", "y"):
        if getattr(options, key) is None:
            problems.append(block.problem("type", f"a {options.type} chart needs '{key}:', the "
                                          f"column {_role(key, options.type)}; its columns: "
                                          + ", ".join(table.columns)))
    if options.color and options.type == "pie":
        problems.append(block.problem("color", "a pie has one series: its slices are the "
                                      "values of 'x'; remove 'color:' or choose another type"))
    for key in ("x", "y", "color"):
        name = getattr(options, key)
        if name is not None and name not in table.columns:
            problems.append(block.problem(key, unknown_column(name, table, options.data)))
    if len(problems) > before:
        return False
    assert options.y is not None
    for row, cell in enumerate(table.column(options.y), 2):
        try:
            value = number(cell)
        except ValueError:
            problems.append(block.problem("y", (
                f"'y: {options.y}' needs numbers, but row {row} of {options.data} has "
                f"{cell!r}; write a number there (digits, a '.' for decimals) or leave the "
                "cell empty")))
            break
        if options.type == "pie" and value is not None and value < 0:
            problems.append(block.problem("y", (
                f"a pie cannot show the negative value {cell!r} (row {row} of "
                f"{options.data}); choose type: bar")))
            break
    if not table.rows:
        problems.append(block.problem("data", f"{options.data} has a header row but no rows "
                                      "of data"))
    return len(problems) == before


def _role(key: str, kind: str) -> str:
    if kind == "pie":
        return "of slice names" if key == "x" else "of slice sizes"
    return "along the bottom" if key == "x" else "of numbers to draw"


def unknown_column(name: str, table: Table, data: str) -> str:
    """Say that a column is not in a table, with the nearest name and the columns it has."""
    near = difflib.get_close_matches(name, table.columns, n=1, cutoff=0.5)
    hint = f"did you mean '{near[0]}'? " if near else ""
    return (f"{data} has no column '{name}'; {hint}its columns: "
            + ", ".join(f"'{c}'" for c in table.columns))


def _check_vega_lite(block: Block, spec: dict[str, Any], table: Table,
                     problems: list[Problem]) -> None:
    """Refuse data or addresses inside a Vega-Lite specification, and unknown fields."""
    derived: set[str] = set()

    def named(node: Any) -> None:  # fields a transform makes (`as:`) are not columns
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "as":
                    derived.update([value] if isinstance(value, str) else
                                   [v for v in value if isinstance(v, str)]
                                   if isinstance(value, list) else [])
                named(value)
        elif isinstance(node, list):
            for item in node:
                named(item)

    named(spec)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FORBIDDEN:
                    problems.append(block.problem("vega-lite", (
                        f"'{key}' is not allowed inside 'vega-lite:'; a chart's data comes "
                        "only from the file named by 'data:' in the edition, and nothing "
                        "is fetched")))
                    return
                if key == "field" and isinstance(value, str) and value not in table.columns \
                        and value not in derived:
                    problems.append(block.problem("vega-lite", unknown_column(
                        value, table, block.options.data)))
                    return
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
