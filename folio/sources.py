"""Sources: raw project files -> plain data (safe YAML, theme folders), no validation.

Cheap to import on purpose: an up-to-date build reads only this much of Folio.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import FolioError, command_line, display_path


def _builtin_themes(package: Path) -> Path:
    """Return the folder of Folio's own themes: installed with the package, else the repo's."""
    installed = package / "themes"  # a wheel maps the repository's templates/ here
    return installed if installed.is_dir() else package.parent / "templates"


BUILTIN_THEMES = _builtin_themes(Path(__file__).resolve().parent)
"""Folio's own themes, `default` and `plain`; a project's `templates/<theme>/` comes first."""

THEME_NAME = r"^[a-z0-9][a-z0-9_-]*$"
"""What a theme may be called: a plain folder name, never a path (`/etc`, `../x`)."""


class NoAliasLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses anchors and aliases (no alias bombs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "YAML aliases (*name) are not allowed; write the value out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def yaml_settings(path: Path) -> dict[str, Any]:
    """Read a YAML file as plain data, or {} when it is missing, broken or uses aliases."""
    fast = getattr(yaml, "CSafeLoader", None)  # libyaml: a no-op build is mostly this
    try:
        text = path.read_text("utf-8")
        if fast is None:
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
