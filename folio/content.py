"""Content: an edition folder -> a validated, immutable `Edition`.

Every problem in the folder is collected first and reported together, each with its
file and line, then loading stops once with a `ContentError`.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from . import pictures
from .errors import ContentError, Problem, command_line
from .safe_yaml import NoAliasLoader
from .schema import LAYOUT_REQUIRES, LINK_SETTINGS, EditionConfig, SectionMeta, script_scheme
from .sources import plain_file

if TYPE_CHECKING:
    from .archive import SiteLinks

REVIEW_ANCHOR = re.compile(r"\[[A-Z]{1,4}\d{1,3}\]")
"""A reviewer's comment anchor pasted with the text (`[FD1]`): an error in check and build."""

SECTION_FILE = re.compile(r"^(?P<number>\d{2,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
MAX_SECTION_BYTES = 1_000_000
MAX_YAML_BYTES = 200_000


class Lines(dict[tuple[Any, ...], int]):
    """Where each key path of a YAML document is: as a dict, the line of its key.

    `columns` holds the 1-based column of each key (of each item, in a list), `places`
    the (line, column) where each value itself starts. They differ most in flow style:
    in `cta: {label: Join us, url: ...}` the url is neither at the line's start nor
    after its first colon.
    """

    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[tuple[Any, ...], int] = {}
        self.places: dict[tuple[Any, ...], tuple[int, int]] = {}


@dataclass(frozen=True)
class Section:
    """One section of an edition: its front matter, its Markdown and, after markup, its HTML."""

    slug: str
    number: int
    path: Path
    meta: SectionMeta
    body: str
    body_line: int
    """The file line on which the Markdown body starts."""
    html: str = ""
    """The body as sanitised HTML, filled in by `markup.render_sections`."""
    footnotes: tuple[str, ...] = ()
    script_links: tuple[Problem, ...] = ()
    """Links of the front matter left out because of their scheme (`javascript:`)."""
    charts: tuple[Any, ...] = ()
    """The body's ```chart blocks as `folio.charts.Chart`s, filled in by `charts.read_charts`."""

    @property
    def id(self) -> str:
        """Return the section's anchor id, the same in every output."""
        return self.slug


@dataclass(frozen=True)
class Edition:
    """A whole edition: settings and ordered sections, no I/O beyond its paths."""

    slug: str
    root: Path
    config: EditionConfig
    sections: tuple[Section, ...]
    lines: Lines = field(default_factory=Lines, compare=False, repr=False)
    """Where every key and value of `edition.yaml` is, by key path (for later checks)."""
    site: SiteLinks | None = None
    """Where the edition sits in the archive, filled in by the build; None on its own."""
    script_links: tuple[Problem, ...] = ()
    """Links of edition.yaml and the sections left out because of their scheme."""

    @property
    def images(self) -> list[Path]:
        """Return every image file the edition uses, cover and logo included."""
        found = [self.root / p for p in (self.config.logo, self.config.cover_image) if p]
        found += [self.root / s.meta.image for s in self.sections if s.meta.image]
        return list(dict.fromkeys(found))


# --- reading files ------------------------------------------------------------------


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 text file, recording a problem when it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(path, line, "this file is not UTF-8 text; save it again as UTF-8 "
                    "(in most editors: Save As, Encoding: UTF-8)")
        )
        return None


def parse_yaml(
    text: str, path: Path, problems: list[Problem], first_line: int = 1
) -> tuple[Any, Lines]:
    """Parse YAML text into data and a map of key paths to file lines."""
    if len(text.encode()) > MAX_YAML_BYTES:
        problems.append(Problem(path, first_line,
                                "the YAML block is over 200 KB; keep settings short"))
        return None, Lines()
    try:
        loader = NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            before = len(problems)
            if node is not None:
                _check_nodes(loader, node, path, first_line, problems)
            if len(problems) > before:
                return None, Lines()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        problems.append(_yaml_problem(exc, path, first_line))
        return None, Lines()
    except yaml.YAMLError as exc:
        problems.append(Problem(path, first_line, f"the YAML cannot be read: {exc}"))
        return None, Lines()
    except RecursionError:
        rows = text.split("\n")
        deepest = max(range(len(rows)), key=lambda i: rows[i].count("[") + rows[i].count("{"))
        problems.append(Problem(path, first_line + deepest, "the YAML is nested too deeply to "
                                "read; "
                                "write the brackets out in fewer levels"))
        return None, Lines()
    except Exception as exc:  # a constructor failing in a way _check_nodes did not foresee
        problems.append(Problem(path, first_line, f"the YAML cannot be read ({exc}); put "
                                "values meant as text in double quotes"))
        return None, Lines()
    lines = Lines()
    if node is not None:
        _collect_lines(node, (), lines, first_line)
    return data, lines


YAML_FIXES = [
    ("aliases", "", ""),
    ("end of stream", "a quotation mark or bracket opened here is never closed",
     "close it, or put the whole value in double quotes"),
    ("expected ',' or ']'", "a [ list opened here is never closed",
     "close it with ], or put the whole value in double quotes"),
    ("expected ',' or '}'", "a { block opened here is never closed",
     "close it with }, or put the whole value in double quotes"),
    ("mapping values are not allowed", "a value contains ': '",
     "put the whole value in double quotes"),
    ("found character '\\t'", "a tab is used for indenting", "indent with spaces"),
    ("expected <block end>", "the indentation does not line up with the lines above",
     "indent keys at the same level by the same number of spaces"),
    ("could not find expected ':'", "a line has no ': ' after its key",
     "write `key: value`, or join a long value onto one line in double quotes"),
    ("found undefined alias", "", ""),
]


def _yaml_problem(exc: yaml.MarkedYAMLError, path: Path, first_line: int) -> Problem:
    """Explain a YAML syntax error in words, at the line where the trouble starts."""
    what = exc.problem or str(exc)
    for clue, plain, fix in YAML_FIXES:
        if clue in what:
            if not plain:
                message = f"the YAML cannot be read: {what}"
                break
            # An unclosed quote or bracket is noticed at the end; point where it opened.
            opened = "never closed" in plain
            mark = (exc.context_mark if opened and exc.context_mark
                    else exc.problem_mark or exc.context_mark)
            line = first_line + mark.line if mark else first_line
            return Problem(path, line, f"the YAML cannot be read: {plain}; {fix}",
                           mark.column + 1 if mark else None)
    else:
        message = (f"the YAML cannot be read: {what}; check the indentation and put values "
                   "that contain ': ' or ' #' in double quotes")
    mark = exc.problem_mark or exc.context_mark
    return Problem(path, first_line + mark.line if mark else first_line, message,
                   mark.column + 1 if mark else None)


UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffe\uffff]")
"""Characters no XML document may hold: C0 controls but tab and line breaks, and the
noncharacters U+FFFE, U+FFFF and U+FDD0 to U+FDEF."""


def _check_nodes(
    loader: NoAliasLoader, root: yaml.Node, path: Path, first: int, problems: list[Problem],
) -> None:
    """Record keys given twice or not as names, and values no constructor can read."""
    stack = [root]
    while stack:
        node = stack.pop()
        line, column = first + node.start_mark.line, node.start_mark.column + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                key_line, key_column = first + key.start_mark.line, key.start_mark.column + 1
                stack.append(value)
                if not (isinstance(key, yaml.ScalarNode) and key.tag.endswith(":str")):
                    shown = key.value if isinstance(key, yaml.ScalarNode) else "a list or block"
                    problems.append(Problem(path, key_line, f"the key {shown!r} is not a name "
                                            "(YAML reads it as a number, a date, true/false or "
                                            "a block); put it in quotes or rename it",
                                            key_column))
                elif key.value in seen:
                    problems.append(Problem(path, key_line, f"'{key.value}' is given twice "
                                            f"(also on line {seen[key.value]}); keep only one",
                                            key_column))
                else:
                    seen[key.value] = key_line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode):
            try:
                value = loader.construct_object(node)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError, AttributeError,
                    KeyError) as exc:
                tag = node.tag.rpartition(":")[2]
                why = getattr(exc, "problem", None) or str(exc)
                if tag == "timestamp":
                    message = (f"the value '{node.value[:60]}' cannot be read as a date that "
                               "exists; correct it, as YYYY-MM-DD (only text that is not a "
                               "date goes in double quotes)")
                else:
                    message = (f"the value '{node.value[:60]}' cannot be read as a valid {tag} "
                               f"({why[:120]}); correct it, or put it in double quotes if it "
                               "is meant as text")
                problems.append(Problem(path, line, message, column))
                continue
            if isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value):
                problems.append(Problem(path, line, "this value contains a \\u escape of half "
                                        "a character (a lone surrogate); write the character "
                                        "itself", column))
            elif isinstance(value, str) and (odd := UNSHOWABLE.search(value)):
                problems.append(Problem(path, line, (
                    f"the value '{value[:60]}' contains "
                    f"{odd[0].encode('unicode_escape').decode()}, a control character or a "
                    "code point that is not a character, which no output can hold (the "
                    "email and the PDF refuse it); remove it"), column))


def _collect_lines(node: yaml.Node, at: tuple[Any, ...], lines: Lines, first: int,
                   key: yaml.Node | None = None) -> None:
    """Record where the value at key path `at` starts, and where its key (or item) does."""
    mark = (key or node).start_mark
    lines[at], lines.columns[at] = first + mark.line, mark.column + 1
    lines.places[at] = (first + node.start_mark.line, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            _collect_lines(value, (*at, name.value), lines, first, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*at, index), lines, first)


def line_of(lines: Lines, at: tuple[Any, ...], default: int | None = None) -> int | None:
    """Return the line of the longest known prefix of the key path `at`."""
    for end in range(len(at), -1, -1):
        if at[:end] in lines:
            return lines[at[:end]]
    return default


def place_of(lines: Lines, at: tuple[Any, ...], key: bool = False
             ) -> tuple[int | None, int | None]:
    """Return the (line, column) of the value at key path `at`, or of its key with `key`.

    A path the file does not have (a missing key, or a schema location that goes past the
    value, as for a union) falls back to the nearest path above it that it has.
    """
    for end in range(len(at), -1, -1):
        known = at[:end]
        if known in lines:
            if key:
                return lines[known], lines.columns.get(known)
            return lines.places.get(known, (lines[known], None))
    return None, None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from a Markdown file: (yaml or None, body, body's first line)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None, text, 1


# --- validating ---------------------------------------------------------------------


def validate(
    model: type[BaseModel], data: Any, lines: Lines, path: Path, problems: list[Problem]
) -> Any:
    """Validate data against a schema model; record each failure with its line."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(path, line_of(lines, ()), "expected `key: value` settings here"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, column = place_of(lines, loc, key=error["type"] in ("extra_forbidden",
                                                                      "missing"))
            problems.append(Problem(path, line or 1, explain(model, error), column))
        return None


REPLACED = {"new_page": "write `break: page` to open the section on a new page"}
"""Keys of earlier versions, with what to write instead."""
MEANT = {"subtitle": "summary", "standfirst": "summary", "intro": "summary",
         "description": "summary"}
"""Unknown keys a writer uses for another one: a section's subtitle is its `summary`."""
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth")
REAL_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def explain(model: type[BaseModel], error: Any) -> str:
    """Turn one pydantic error into a sentence that says what to write instead."""
    loc = tuple(error["loc"])
    name = ".".join(str(part) for part in loc) or "this block"
    kind = error["type"]
    if kind == "extra_forbidden" and loc[-1] in REPLACED:
        return f"'{loc[-1]}' is no longer a setting; {REPLACED[str(loc[-1])]}"
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        meant = MEANT.get(str(loc[-1]))
        hint = [meant] if meant in known else difflib.get_close_matches(str(loc[-1]), known, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else "known keys: " + ", ".join(sorted(known))
        return f"unknown key '{loc[-1]}'; {fix}"
    if kind == "missing":
        return f"'{name}' is required; add a line `{loc[-1]}: ...`"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        near = difflib.get_close_matches(str(error.get("input")),
                                         re.findall(r"'([^']*)'", expected), n=1)
        fix = f"; did you mean '{near[0]}'?" if near else ""
        return f"'{name}' must be one of {expected}, not {error.get('input')!r}{fix}"
    if kind.startswith("date") and REAL_DAY.fullmatch(str(error.get("input"))):
        return (f"'{name}': {error.get('input')!r} is not a day of the calendar; write a date "
                "that exists, as YYYY-MM-DD")
    if kind.startswith("date"):
        return f"'{name}' must be a date written as YYYY-MM-DD, not {error.get('input')!r}"
    if kind.startswith("byte_size"):
        return f"'{name}' must be a size such as 25 MB or 500 KB, not {error.get('input')!r}"
    if kind == "string_too_short":
        return f"'{name}' must not be empty"
    if kind == "string_pattern_mismatch" and loc[-1] == "language":
        return f"'{name}' must be a language tag such as en-GB or fr, not {error.get('input')!r}"
    if kind == "string_pattern_mismatch" and loc[-1] in ("theme", "extends"):
        return (f"'{name}' must be the name of a theme under templates/ (lower-case letters, "
                f"digits, - and _), not a path: {error.get('input')!r}")
    if kind == "string_pattern_mismatch" and "files" in loc:
        return (f"'{name}' must be a plain file name inside the font package's files/ folder, "
                f"not {error.get('input')!r}")
    if kind == "string_pattern_mismatch" and loc[-1] == "package":
        return (f"'{name}' must be the name of an installed font package such as font_lato, "
                f"not {error.get('input')!r}")
    got = type(error.get("input")).__name__
    wanted = {"string_type": "text", "bool_parsing": "true or false",
              "bool_type": "true or false", "list_type": "a list (lines starting with '- ')",
              "dict_type": "`key: value` settings", "model_type": "`key: value` settings",
              "int_parsing": "a whole number"}.get(kind)
    subject = _subject(loc) or f"'{name}'"
    if kind == "string_type" and got in ("int", "float", "bool", "date"):
        return (f"{subject} must be text: put it in quotes, as "
                f"\"{_as_written(error.get('input'))}\"")
    if wanted:
        return f"{subject} must be {wanted}, not {_describe(got)}"
    return f"'{name}': {error['msg']}"


def _subject(loc: tuple[Any, ...]) -> str | None:
    """Name an item of a list for a person: ('figures', 0, 'value') -> the first figure's
    value; None for any other key path."""
    if len(loc) == 3 and isinstance(loc[1], int) and str(loc[0]).endswith("s"):
        place = ORDINALS[loc[1]] if loc[1] < len(ORDINALS) else f"number {loc[1] + 1}"
        return f"the {place} {str(loc[0])[:-1]}'s {loc[2]}"
    return None


def _as_written(value: Any) -> str:
    """Return a YAML scalar as the writer typed it: true, 412, 2025-06-01."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe(type_name: str) -> str:
    return {"str": "text", "int": "a number", "float": "a number", "list": "a list",
            "dict": "settings", "bool": "true/false", "NoneType": "nothing",
            "date": "a date"}.get(type_name, type_name)


def _known_keys(model: type[BaseModel], at: tuple[Any, ...]) -> list[str]:
    """Return the keys the schema accepts at key path `at`."""
    current: Any = model
    for part in at:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part)) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    """Find the pydantic model inside `X | None` or `list[X]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _check_image(
    root: Path, relative: str, path: Path, place: tuple[int | None, int | None],
    problems: list[Problem],
) -> None:
    """Record a problem when an image path escapes the edition, is missing or unreadable.

    `place` is the (line, column) of the value that names the picture.
    """
    if any(ord(character) < 32 or ord(character) == 127 for character in relative):
        problems.append(Problem(path, place[0], (
            f"image '{relative}' has a control character (a NUL byte, a line break, ...) in "
            "its name, which no file name holds; write the name of the file in images/"),
            place[1]))
        return
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        reason: str | None = (f"image '{relative}' is outside the edition folder; copy it "
                              "into images/ and write images/<name>")
    elif target.suffix.lower() not in IMAGE_TYPES:
        reason = (f"'{relative}' is not a picture Folio can use; use a .png, .jpg, .gif, .webp "
                  "or .svg file")
    elif not target.exists():
        near = difflib.get_close_matches(relative, _images_in(root), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else "; put the file in images/"
        reason = f"image '{relative}' does not exist{hint}"
    elif not plain_file(root / relative, root):
        reason = (f"image '{relative}' is reached through a link (or '..'); put the picture "
                  "itself in images/ and write images/<name>")
    else:
        reason = pictures.problem(target, relative)
    if reason:
        problems.append(Problem(path, place[0], reason, place[1]))


def script_links(data: Any, lines: Lines, path: Path) -> tuple[Problem, ...]:
    """Return the link settings in `data` whose scheme runs in the browser (`javascript:`).

    The schema empties them (`schema.Link`), so no output has them; these problems say
    where they were, for `check` and `build --strict`.
    """
    def keys(value: Any, part: str) -> list[Any]:
        if part == "*":
            return list(range(len(value))) if isinstance(value, list) else []
        return [part] if isinstance(value, dict) and part in value else []

    found = []
    for at in LINK_SETTINGS:
        values: list[tuple[tuple[Any, ...], Any]] = [((), data)]  # (key path, value) pairs
        for part in at:
            values = [((*where, key), value[key]) for where, value in values
                      for key in keys(value, part)]
        for where, value in values:
            if isinstance(value, str) and (scheme := script_scheme(value)):
                line, column = place_of(lines, where)
                found.append(Problem(path, line, f"'{scheme}:' addresses run code or open a "
                                     "page of the link's own making in the reader's browser, "
                                     "so this link was left out of every output; write an "
                                     "https:// or mailto: address", column))
    return tuple(found)


def regular_file_inside(path: Path, folder: Path) -> bool:
    """Return whether `path` is a regular file inside `folder`, reached through no link."""
    return plain_file(path, folder)


def _images_in(root: Path) -> list[str]:
    folder = root / "images"
    if not folder.is_dir():
        return []
    return [f"images/{p.name}" for p in folder.iterdir()]


# --- loading ------------------------------------------------------------------------


def load_section(
    path: Path, root: Path, problems: list[Problem]
) -> Section | None:
    """Load one `NN-slug.md` file; record its problems and return None when it is bad."""
    match = SECTION_FILE.match(path.name)
    assert match, path
    size = path.stat().st_size
    if size > MAX_SECTION_BYTES:
        problems.append(Problem(path, None, f"this section is {size / 1e6:.1f} MB; the limit is "
                                "1 MB of text; split it into several sections"))
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        problems.append(Problem(path, 1, "the file must start with front matter: a line `---`, "
                                "`title: ...`, and a closing `---`"))
        return None
    before = len(problems)
    data, lines = parse_yaml(front, path, problems, first_line=2)
    if len(problems) > before:
        return None
    meta: SectionMeta | None = validate(SectionMeta, data, lines, path, problems)
    if meta is None:
        return None
    for key in LAYOUT_REQUIRES[meta.layout]:
        if not getattr(meta, key):
            line, column = place_of(lines, ("layout",))
            problems.append(Problem(path, line, f"layout '{meta.layout}' needs '{key}'; add it "
                                    "to the front matter or choose another layout", column))
    if meta.image:
        if not meta.image_alt or not meta.image_alt.strip():
            problems.append(Problem(path, line_of(lines, ("image",)),
                                    "'image_alt' is required with 'image': describe the picture "
                                    "in a sentence for readers who cannot see it",
                                    lines.columns.get(("image",))))
        _check_image(root, meta.image, path, place_of(lines, ("image",)), problems)
    return Section(slug=match["slug"], number=int(match["number"]), path=path, meta=meta,
                   body=body, body_line=body_line, script_links=script_links(data, lines, path))


def load_edition(folder: Path | str) -> Edition:
    """Load and validate the edition in `folder`; raise `ContentError` listing every problem."""
    root = Path(folder)
    problems: list[Problem] = []
    config_path = root / "edition.yaml"
    if not root.is_dir():
        raise ContentError([Problem(root, None, "there is no edition folder here; create it "
                                    f"with {command_line(f'new {root.name}')}")])
    config: EditionConfig | None = None
    lines = Lines()
    removed: tuple[Problem, ...] = ()
    if (config_path.is_symlink() or config_path.exists()) and not regular_file_inside(
            config_path, root):
        problems.append(Problem(config_path, None, "edition.yaml must be a plain file in the "
                                "edition folder, not a link or a folder"))
    elif not config_path.is_file():
        problems.append(Problem(config_path, None, "edition.yaml is missing; every edition needs "
                                "one with at least title, organisation and date"))
    else:
        text = read_text(config_path, problems)
        if text is not None:
            before = len(problems)
            data, lines = parse_yaml(text, config_path, problems)
            if len(problems) == before:
                config = validate(EditionConfig, data, lines, config_path, problems)
                removed = script_links(data, lines, config_path)
        if config is not None:
            for key in ("logo", "cover_image"):
                if value := getattr(config, key):
                    _check_image(root, value, config_path, place_of(lines, (key,)), problems)
            if config.cover_image and not config.cover_image_alt:
                problems.append(Problem(config_path, line_of(lines, ("cover_image",)),
                                        "'cover_image_alt' is required with 'cover_image'",
                                        lines.columns.get(("cover_image",))))

    sections: list[Section] = []
    seen: dict[str, Path] = {}
    for path in sorted(root.glob("*.md"), key=_file_order):
        if not SECTION_FILE.match(path.name):
            problems.append(Problem(path, None, "section files are named NN-slug.md, such as "
                                    "01-introduction.md (two or three digits, a dash, "
                                    "lower-case words)"))
            continue
        if not regular_file_inside(path, root):
            problems.append(Problem(path, None, "this is not a plain file in the edition folder "
                                    "(a link, a folder or a device); put the section's text "
                                    "itself here"))
            continue
        section = load_section(path, root, problems)
        if section is None:
            continue
        if section.slug in seen:
            problems.append(Problem(path, None, f"two sections are called '{section.slug}' (also "
                                    f"{seen[section.slug].name}); rename one of them"))
            continue
        seen[section.slug] = path
        sections.append(section)

    if not seen and not any(p for p in problems if Path(p.path).suffix == ".md"):
        problems.append(Problem(root, None, "this edition has no sections; add a file such as "
                                "01-introduction.md"))
    if config is not None and config.sections is not None:
        sections = _order(sections, config.sections, config_path, lines, problems)
    if problems:
        raise ContentError(problems)
    assert config is not None
    return Edition(slug=root.name, root=root, config=config, sections=tuple(sections),
                   lines=lines, script_links=(*removed, *(p for s in sections
                                                          for p in s.script_links)))


def _file_order(path: Path) -> tuple[int, str]:
    """Sort section files by their number (`9-` before `10-` before `100-`), then name."""
    match = SECTION_FILE.match(path.name)
    return (int(match["number"]) if match else -1, path.name)


def _order(
    sections: list[Section], order: list[str], path: Path, lines: Lines,
    problems: list[Problem],
) -> list[Section]:
    by_slug = {s.slug: s for s in sections}
    ordered = []
    for index, slug in enumerate(order):
        if slug not in by_slug:
            near = difflib.get_close_matches(slug, list(by_slug), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            line, column = place_of(lines, ("sections", index))
            problems.append(Problem(path, line, f"'sections' lists '{slug}', which has no "
                                    f"file{hint}", column))
        else:
            ordered.append(by_slug.pop(slug))
    for slug in by_slug:
        problems.append(Problem(path, line_of(lines, ("sections",)),
                                f"'sections' does not list '{slug}'; add it or delete the file",
                                lines.columns.get(("sections",))))
    return ordered


def review_anchors(edition: Edition) -> list[Problem]:
    """Return a problem for every review-comment anchor left in a section's Markdown."""
    problems = []
    for section in edition.sections:
        fenced = False
        for offset, line in enumerate(section.body.splitlines()):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if fenced:
                continue  # code shows what it shows
            for match in REVIEW_ANCHOR.finditer(re.sub(r"`[^`]*`", lambda m: " " * len(m[0]),
                                                       line)):
                problems.append(Problem(section.path, section.body_line + offset, (
                    f"'{match[0]}' is a comment anchor left from the review; delete it, or "
                    f"bring the review back with {command_line('import FILE --into EDITION')}"
                ), column=match.start() + 1))
    return problems
