"""Sources: raw project files -> plain data (safe YAML, theme folders), no validation.

Cheap to import on purpose: an up-to-date build reads only this much of Folio.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import hashlib
import json
import os
import re
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import FolioError, command_line, display_path


def _builtin_themes(package: Path) -> Path:
    """Return the folder of Folio's own themes: installed with the package, else the repo's."""
    installed = package / "themes"  # a wheel maps the repository's templates/ here
    return installed if installed.is_dir() else package.parent / "templates"


BUILTIN_THEMES = _builtin_themes(Path(__file__).resolve().parent)
"""Folio's own themes, `default` and `plain`; a project's `templates/<theme>/` comes first."""

THEME_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_NAME = 100
"""The longest name `new` and `import` give an edition: it names folders and files such
as `.<name>.pdf.XXXX.tmp`, which the file system limits to 255 bytes."""
"""What a theme may be called: a plain folder name, never a path (`/etc`, `../x`)."""


def user_cache(kind: str) -> Path:
    """Return this user's cache folder for one kind of kept work (`woff2`, `layout`): in
    `FOLIO_CACHE`, else `$XDG_CACHE_HOME/folio`, else ~/.cache/folio. Not created here.

    Only what can be made again goes there, each file named by a digest of what it was
    made from, so that a stale or foreign file is never taken for another.
    """
    root = os.environ.get("FOLIO_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "folio"
    return Path(root) / kind


SETTINGS_MEMO = ".folio-settings.json"
"""The file in the build folder that keeps YAML settings already read, for the next run."""
MEMO_ENTRIES = 512
"""How many files' settings the memo keeps, the most recently learned."""

_memo: dict[str, str] = {}
"""Settings already read, as JSON text, by the SHA-256 of their file's bytes."""
_learned = False
_memo_lock = threading.Lock()


def yaml_settings(path: Path) -> dict[str, Any]:
    """Read a YAML file as plain data, or {} when it is missing, broken or uses aliases.

    What a file's exact bytes hold is read once: the answer is kept by their digest, in
    this process and, through `recall_settings` and `memo_to_keep`, for the next build,
    so that a build with nothing to do never even imports PyYAML (a fifth of its time).
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    digest = hashlib.sha256(raw).hexdigest()
    known = _memo.get(digest)
    if known is not None:
        settings: dict[str, Any] = json.loads(known, object_hook=_untag)
        return settings
    settings = _parse_settings(raw)
    frozen = _freeze(settings)
    if frozen is not None:
        _remember(digest, frozen)
    return settings


def _parse_settings(raw: bytes) -> dict[str, Any]:
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)  # libyaml: a no-op build is mostly this
    try:
        text = raw.decode("utf-8")
        if fast is None:
            from .safe_yaml import NoAliasLoader

            loader = NoAliasLoader(text)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
        elif any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=fast)):
            return {}  # refused, with a message, when the edition is loaded
        else:
            data = yaml.load(text, Loader=fast)  # CSafeLoader: the C form of SafeLoader
    except Exception:
        return {}
    return data if isinstance(data, dict) and _names_only(data) else {}


def _tag(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"\0datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"\0date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _untag(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1:
        (key, value), = mapping.items()
        kind = {"\0datetime": datetime.datetime, "\0date": datetime.date}.get(key)
        if kind is not None and isinstance(value, str):
            with contextlib.suppress(ValueError):
                return kind.fromisoformat(value)
    return mapping


def _freeze(settings: dict[str, Any]) -> str | None:
    """Return settings as JSON text that reads back as the same data, or None if none does
    (YAML's sets, binary data, NaN, a key that looks like a date's tag)."""
    try:
        text = json.dumps(settings, default=_tag, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    again = json.loads(text, object_hook=_untag)
    return text if again == settings and repr(again) == repr(settings) else None


def _remember(digest: str, frozen: str) -> None:
    global _learned
    with _memo_lock:  # `watch` reads settings from its server's threads too
        _memo.pop(digest, None)
        _memo[digest] = frozen
        while len(_memo) > MEMO_ENTRIES:
            del _memo[next(iter(_memo))]
        _learned = True


def recall_settings(folder: Path) -> None:
    """Learn the settings a previous build kept in `folder`; a broken memo is ignored.

    The memo lives among the build's outputs, which Folio alone writes: what it holds is
    used only for a file whose bytes have the digest it is kept under.
    """
    global _learned
    try:
        kept = json.loads((folder / SETTINGS_MEMO).read_text("utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(kept, dict):
        learned = _learned
        for digest, frozen in kept.items():
            if isinstance(frozen, str) and digest not in _memo:
                _remember(digest, frozen)
        _learned = learned


def memo_to_keep() -> bytes | None:
    """Return the memo for the build folder when this process learned settings, else None."""
    if not _learned:
        return None
    return json.dumps(_memo, ensure_ascii=False, indent=0).encode()


def _names_only(data: Any) -> bool:
    """Return whether every mapping key in `data` is text (`true: 1` is refused later)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(key, str) for key in item):
                return False
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def plain_file(path: Path, folder: Path) -> bool:
    """Return whether `path` is a regular file inside `folder` reached through no link.

    Every step from `folder` down to the file is checked, without following links, before
    anything is opened: a folder inside the edition that links elsewhere (`images -> /`,
    `templates -> ..`) is as far out as a file that does.
    """
    try:
        relative = path.relative_to(folder)
    except ValueError:
        return False
    if ".." in relative.parts or not relative.parts:
        return False
    step = folder
    try:
        for part in relative.parts[:-1]:
            step = step / part
            if not stat.S_ISDIR(step.lstat().st_mode):
                return False
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def plain_folder(path: Path) -> bool:
    """Return whether `path` is a folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def plain_files(folder: Path, links: list[str] | None = None) -> list[Path]:
    """Return the regular files under `folder`, sorted, never following a link.

    A folder that is itself a link gives nothing: `templates -> /` is not walked. The
    links met on the way are added to `links`, as `name -> target`, when it is given.
    """
    if not plain_folder(folder):
        return []
    found = []
    for top, folders, files in os.walk(folder, followlinks=False):
        for name in [*folders, *files]:
            path = os.path.join(top, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode) and name in files:
                found.append(Path(path))
            elif stat.S_ISLNK(mode) and links is not None:
                links.append(f"{os.path.relpath(path, folder)} -> {os.readlink(path)}")
    if links is not None:
        links.sort()
    return sorted(found)


HASHED_WHOLE = 64_000_000
"""Files up to this size are keyed by their bytes; a larger one (which no edition file may
be) by its size and time, so that a huge file costs nothing to key."""


def file_digest(path: Path) -> bytes:
    """Return the SHA-256 of a file read in chunks (or of its size and time when huge)."""
    size = path.stat()
    if size.st_size > HASHED_WHOLE:
        return hashlib.sha256(f"{size.st_size} {size.st_mtime_ns}".encode()).digest()
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").digest()


def theme_folder(name: str, project: Path) -> Path | None:
    """Return the folder of theme `name`: the project's own first, then the built-in one."""
    if not re.match(THEME_NAME, name):
        return None
    for base in (project / "templates", BUILTIN_THEMES):
        if (base / name / "theme.yaml").is_file():
            return base / name
    return None


def theme_chain(
    name: str, project: Path, read: Callable[[Path], dict[str, Any]] | None = None,
) -> list[Path]:
    """Return the folders of a theme and of the themes it extends, most specific first."""
    read = read or yaml_settings
    chain: list[Path] = []
    current: str | None = name
    while current and (folder := theme_folder(current, project)) and folder not in chain:
        chain.append(folder)
        parent = read(folder / "theme.yaml").get("extends")
        current = str(parent) if parent else "default"  # default's own ends at the loop check
    return chain


def find_editions(content: Path) -> list[Path]:
    """Return the edition folders under `content`, sorted by name.

    A hidden folder is never an edition: `import` stages its work in one.
    """
    if not content.is_dir():
        return []
    return sorted(p for p in content.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "edition.yaml").is_file())


def edition_folder(given: str | Path, content: Path) -> Path | None:
    """Return the edition a name (`spring-2026`) or a folder (`content/spring-2026/`) means."""
    for folder in (content / given, Path(given)):
        if (folder / "edition.yaml").is_file():
            return folder
    return None


def find_edition(given: str | Path, content: Path) -> Path:
    """Return the edition folder `given` names, or fail saying which names are close."""
    folder = edition_folder(given, content)
    if folder is None:
        raise FolioError(no_edition(given, content))
    return folder


def no_edition(given: str | Path, content: Path) -> str:
    """Say that there is no edition `given`, suggesting the closest name or how to make one."""
    name = Path(given).name
    known = [p.name for p in find_editions(content)]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    where = display_path(content)
    if close:
        return f"there is no edition '{name}' in {where}/; did you mean '{close[0]}'?"
    listed = f" (editions: {', '.join(known)})" if known else ""
    return (f"there is no edition '{name}' in {where}/{listed}; "
            f"create it with {command_line(f'new {name}')}")
