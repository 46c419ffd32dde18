"""Outputs: a build's files written atomically, under locks, and why a folder refused them.

Every file Folio writes goes through a temporary file beside it and a rename, so a run
killed at any moment leaves the last good file or the new one, never a partial one. Used
by `build` and the other commands that write (`merge`, `review`, `publish`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import Problem

LOCKS = ".folio-locks"


def _file_mode() -> int:
    """Return the mode a plain new file gets here (0644 under the usual umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600 files; outputs are for publishing
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Write rendered files under `folder` all or nothing, leaving identical files untouched.

    Every changed file is first written beside its target under a temporary name; only
    when all are written are they renamed into place, so a full disk never leaves a
    format half old and half new (a new email.html beside an old email.eml).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for relative, data in files.items():
            path = folder / relative
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
            staged.append((temporary, path))
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)


def output_problem(exc: OSError, where: Path) -> Problem:
    """Explain a failure to write the outputs in words, with the folder or file at fault."""
    named = exc.filename2 or exc.filename  # a rename names its target second
    path = Path(named) if isinstance(named, str) else where
    if exc.errno == errno.ENOSPC:
        return Problem(path, None, "no space left on the disk; free some space and build "
                       "again (the last good outputs are still in place)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Problem(path, None, "Folio may not write here; check the folder's permissions, "
                       "or choose another folder with --out")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        path = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        return Problem(path, None, "a file stands where Folio needs a folder for the outputs; "
                       "move it away, or choose another folder with --out")
    if exc.errno == errno.EISDIR:
        return Problem(path, None, "a folder stands where Folio keeps a file; remove it")
    return Problem(path, None, f"the outputs cannot be written ({exc.strerror or exc}); "
                   "the last good outputs are still in place")


def remove_stale(folder: Path, before: list[str], now: list[str], kept: set[str]) -> None:
    """Delete the files Folio wrote in `folder` before and no longer writes, nothing else.

    `kept` are files another output still lists. Folders left empty by the removal go too,
    so that `build/<edition>/` holds exactly what is to be published.
    """
    for relative in sorted(set(before) - set(now) - kept):
        path = folder / relative
        if not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
            continue
        path.unlink()
        parent = path.parent
        while parent != folder and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


@contextlib.contextmanager
def locked(out: Path, name: str) -> Iterator[None]:
    """Hold the exclusive lock `name` under `out`, so two builds never interleave.

    Locks live in `out/.folio-locks/`, outside the edition folders that get published.
    """
    folder = out / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:  # "a": the file stays untouched
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
