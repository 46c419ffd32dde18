"""Merge: an edition and a data file -> one personalised PDF and email per row.

Rows -> fields -> executor -> outputs, one module each:
- `rows`: a CSV or XLSX file -> columns and rows, each key checked as a file name
- `fields`: edition text -> `{{ recipient.column }}` fields, parsed by hand and filled
  as text, never evaluated; anything else in double braces is an error
- `personalise`: an `Edition` and a row -> the edition that recipient reads (and the
  preview `build` makes, each field showing its fallback)
- `worker`: the edition's files and one row -> that row's PDF and email bytes, in a warm
  process that loaded the edition once
- `executors`: `--jobs` / `--scheduler` -> a `concurrent.futures.Executor` (a local
  recycled process pool, or Dask)
- `outputs`: the row's message (its To and a stable Message-ID) and the manifest
- `run`: the command: check everything, then render each missing or changed row and
  write it atomically

It imports the shared stages, the formats and the build's keys (`code_version`,
`output_keys`); never the command line, `check` or the importers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import MergeResult, merge

__all__ = ["MergeResult", "merge"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
