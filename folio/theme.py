"""Theme: a theme name -> design tokens, a template loader chain and asset files.

A theme is a folder under `templates/` with `theme.yaml` (tokens), one sub-folder of
templates per output format (`web/`, `pdf/`, `email/`) and `assets/`. Templates are
looked up in the edition's own `templates/` folder first, then the project's theme,
then the theme it `extends`, then Folio's built-in `default`.
"""

from __future__ import annotations

import traceback
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from . import sandbox
from .content import parse_yaml, read_text, validate
from .errors import FolioError, Problem, TemplateError
from .i18n import ENGLISH, Words, words_for
from .schema import FontSpec, ThemeConfig
from .sources import BUILTIN_THEMES, plain_files, plain_folder, theme_folder, user_cache

SYSTEM_FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
"""Where a theme's `folder:` fonts may be: the folders Debian's font packages install into."""
FONT_STYLES = {"regular": ("normal", 400), "italic": ("italic", 400), "bold": ("normal", 700),
               "bold_italic": ("italic", 700), "black": ("normal", 900)}


@dataclass(frozen=True)
class Theme:
    """A loaded theme: its tokens and the folders templates and assets are found in."""

    name: str
    config: ThemeConfig
    folders: tuple[Path, ...]
    """Template folders, most specific first."""

    def asset(self, relative: str) -> Path | None:
        """Find an asset (`assets/...`) in the theme chain."""
        for folder in self.folders:
            path = folder / "assets" / relative
            if path.is_file() and inside(path, folder / "assets"):
                return path
        return None

    def environment(self, words: Words = ENGLISH) -> jinja2.Environment:
        """Return the Jinja2 environment of this theme chain (autoescape, strict) in the
        language of `words`, which give `{% trans %}` and `_()` their catalogue.

        Environments live as long as the process, one per chain of folders and language,
        so that `watch` compiles a template again only when its file changed (and an
        imported macro module, which Jinja2 keeps, never speaks another language).
        """
        # The listing is part of the key: a template added to a folder of the chain can
        # hide one that an older environment has cached.
        listing = tuple(str(p) for f in self.folders for p in plain_files(f))
        env = _environment(self.folders, hash(listing), words)
        env.globals["theme"] = self.config
        env.globals["colours"] = self.config.colours
        return env

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render template `name`; turn any template failure into a `TemplateError`.

        The context's `words` (English when it has none) give `{% trans %}` and `_()` their
        language, and templates their dates (`words.long_date(day)`).
        """
        env = self.environment(context.get("words") or ENGLISH)
        try:
            return sandbox.render(env.get_template(name), context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError([Problem(exc.filename or name, exc.lineno,
                                         f"template syntax error: {exc.message}; fix the "
                                         "template or delete it to use the default")]) from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError([Problem(self.folders[0], None, f"template '{exc.name}' was not "
                                         f"found in theme '{self.name}' or its parents")]) from exc
        except RecursionError as exc:
            where, line = _template_frame(exc)
            raise TemplateError([Problem(where or name, line, "this template includes or extends "
                                         "itself; remove the loop")]) from exc
        except jinja2.UndefinedError as exc:
            where, line = _template_frame(exc)
            raise TemplateError([Problem(where or name, line, f"{exc.message}; check the name "
                                         "against the template variables listed in the docs' "
                                         "'Change the theme' page")]) from exc
        except sandbox.TemplateLimit as exc:
            where, line = exc.place if exc.place[0] else _template_frame(exc)
            raise TemplateError([Problem(where or name, line, f"{exc}; templates render in a "
                                         "sandbox with limits of time and size")]) from exc
        except SecurityError as exc:
            where, line = _template_frame(exc)
            raise TemplateError([Problem(where or name, line, "this template reaches for "
                                         f"something templates may not use ({exc}); templates "
                                         "render in a sandbox: use only the template variables "
                                         "and filters")]) from exc
        except (MemoryError, OverflowError) as exc:
            where, line = _template_frame(exc)
            raise TemplateError([Problem(where or name, line, "this template asks for a value "
                                         "too large to make; templates render in a sandbox "
                                         "with limits of time and size")]) from exc
        except UnicodeDecodeError as exc:  # a template saved in another encoding
            raise TemplateError([Problem(_unreadable_template(self.folders, name), None, (
                "this template is not UTF-8 text; save it again as UTF-8"))]) from exc
        except FolioError:
            raise
        except Exception as exc:  # anything an expression raises: 1/0, a picture that is not
            where, line = _template_frame(exc)
            raise TemplateError([Problem(where or name, line, (
                f"this template fails here ({type(exc).__name__}: {str(exc)[:200]}); correct "
                "this line, or delete the template to use the theme's own"))]) from exc

    def words(self, language: str) -> Words:
        """Return the interface words of a language, with this theme's `strings:` for it."""
        return words_for(language, self.config.strings)

    def script_fonts(self, text: str) -> tuple[FontSpec, ...]:
        """Return the script fonts that cover characters of `text` the theme's fonts lack."""
        if not self.config.script_fonts:
            return ()
        needed = {ord(c) for c in set(text) if unicodedata.category(c)[0] in "LMNPS"}
        for font in (self.config.body_font, self.config.heading_font):
            if font.files:
                needed -= _covered(*_first_file(font))
        chosen = []
        for font in self.config.script_fonts:
            if not needed:
                break
            covered = _covered(*_first_file(font))
            if needed & covered:
                chosen.append(font)
                needed -= covered
        return tuple(chosen)

    def css_tokens(self, scripts: Sequence[FontSpec] = ()) -> str:
        """Return the colour and font tokens as CSS custom properties.

        Script fonts come after the theme's own face: a browser or WeasyPrint takes each
        character from the first family of the list that has it.
        """
        colours = self.config.colours.model_dump()
        body = "".join(f"--{k.replace('_', '-')}:{v};" for k, v in colours.items())
        added = "".join(f"'{font.family}'," for font in scripts)
        fonts = (f"--body-font:'{self.config.body_font.family}',{added}"
                 f"{self.config.body_font.fallback};"
                 f"--heading-font:'{self.config.heading_font.family}',{added}"
                 f"{self.config.heading_font.fallback};")
        return f":root{{{body}{fonts}}}\n"

    def font_files(self, scripts: Sequence[FontSpec] = ()) -> list[tuple[FontSpec, str, Path]]:
        """Return (font, style, file) for every font file of the theme and of `scripts`."""
        found: list[tuple[FontSpec, str, Path]] = []
        for font in (self.config.body_font, self.config.heading_font, *scripts):
            if not (font.package or font.folder):
                continue
            folder = font_folder(font)
            for style, name in font.files.items():
                path = folder / name
                if not (path.is_file() and inside(path, folder)):
                    where = (f"the files/ folder of the package '{font.package}'"
                             if font.package else f"the folder {folder}")
                    raise TemplateError(f"theme '{self.name}': the font file '{name}' is not "
                                        f"in {where}; name a file that is there")
                found.append((font, style, path))
        return found

    def font_faces(self, url_for: Any, scripts: Sequence[FontSpec] = (),
                   web: bool = False) -> str:
        """Return `@font-face` rules; `url_for(path)` gives each file's address.

        With `web`, the files are the WOFF2 ones `web_fonts` returns, not the TrueType ones,
        and `url_for` gets each one's name in the build folder's shared `archive.WEB_FONTS`.
        """
        rules = []
        for font, style, path in self.font_files(scripts):
            font_style, weight = FONT_STYLES[style]
            source = (f"url('{url_for(web_font_name(path))}') format('woff2')" if web
                      else f"url('{url_for(path)}') format('truetype')")
            rules.append(f"@font-face{{font-family:'{font.family}';font-style:{font_style};"
                         f"font-weight:{weight};src:{source};}}")
        return "\n".join(rules) + "\n"

    def web_fonts(self, scripts: Sequence[FontSpec] = ()) -> dict[str, bytes]:
        """Return the font files a browser loads, by name: each TrueType file as WOFF2."""
        return {web_font_name(path): woff2(path)
                for _font, _style, path in self.font_files(scripts)}


def web_font_name(path: Path) -> str:
    """Return the name of a TrueType font's WOFF2 file in `archive.WEB_FONTS`, with its digest.

    The digest is of the WOFF2 bytes: a new version of the font, or of its compression,
    gets a new name, so no browser or server cache serves the old one for it.
    """
    import hashlib

    return f"{path.stem}-{hashlib.sha256(woff2(path)).hexdigest()[:12]}.woff2"


def woff2(path: Path) -> bytes:
    """Return a TrueType font compressed as WOFF2, about a third of its size for the web.

    Brotli at its best compression takes seconds a font, so each result is kept in the
    user's cache folder (`FOLIO_CACHE`, else `$XDG_CACHE_HOME/folio`, else ~/.cache/folio),
    named by the font's digest: a machine compresses each font once.
    """
    import hashlib

    data = path.read_bytes()
    return _woff2(hashlib.sha256(data).hexdigest(), data)


@lru_cache(maxsize=64)
def _woff2(digest: str, data: bytes) -> bytes:
    import io
    import os
    import tempfile

    cache = user_cache("woff2")
    kept = cache / f"{digest}.woff2"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    compressed = out.getvalue()
    try:  # a cache that cannot be written only costs time
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache, suffix=".tmp", delete=False) as handle:
            handle.write(compressed)
        os.replace(handle.name, kept)
    except OSError:
        pass
    return compressed


def font_folder(font: FontSpec) -> Path:
    """Return the folder of a font's files: its Python package's or its system folder."""
    if font.package:
        return font_package_folder(font.package)
    folder = Path(font.folder or "")
    if not any(inside(folder, root) for root in SYSTEM_FONT_FOLDERS):
        roots = " or ".join(str(root) for root in SYSTEM_FONT_FOLDERS)
        raise TemplateError(f"the font '{font.family}': 'folder: {font.folder}' is not a "
                            f"system font folder; name one inside {roots}")
    if not folder.is_dir():
        hint = (f"install the Debian package {font.debian} (apt-get install {font.debian})"
                if font.debian else "install the font or correct 'folder:' in theme.yaml")
        raise TemplateError(f"the font '{font.family}' is not installed in {font.folder}; {hint}")
    return folder


def _first_file(font: FontSpec) -> tuple[Path, str]:
    """Return the folder and file that stand for a font's coverage (its regular face)."""
    name = font.files.get("regular") or next(iter(font.files.values()))
    return font_folder(font), name


@lru_cache(maxsize=32)
def _covered(folder: Path, name: str) -> frozenset[int]:
    """Return the code points a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    path = folder / name
    if not (path.is_file() and inside(path, folder)):
        raise TemplateError(f"the font file {path} does not exist; correct 'files:' in theme.yaml")
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


class _FolderLoader(jinja2.FileSystemLoader):
    """A template loader that reads only regular files lying inside their own folder."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        # Checked before the file is opened: the first folder that has the name decides.
        pieces = jinja2.loaders.split_template_path(template)
        for folder in map(Path, self.searchpath):
            path = folder.joinpath(*pieces)
            if path.is_file():
                if not inside(path, folder):
                    raise TemplateError([Problem(path, None, "this template is a link to a "
                                                 "file outside its folder; put the template "
                                                 "itself here")])
                break
        return super().get_source(environment, template)


SETTINGS: dict[str, Any] = {
    "extensions": ["jinja2.ext.i18n"], "autoescape": True, "undefined": jinja2.StrictUndefined,
    "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True,
    "auto_reload": True}
"""How every template is compiled and run (gettext calls are new-style, see below)."""


@lru_cache(maxsize=1)
def compiled_templates() -> jinja2.BytecodeCache | None:
    """Return where compiled templates are kept from one run to the next, or None.

    Compiling the templates costs a cold build about 0.05 s before the PDF can start. Jinja
    keeps the compiled code in this user's own folder of the temporary directory (created
    with mode 0700, refused if anyone else owns it), one file per template file, used only
    while the template's source is unchanged. The file names carry a digest of `SETTINGS`
    and the sandbox, so code compiled under other settings is never loaded.
    """
    import hashlib

    settings = repr(sorted((key, repr(value)) for key, value in SETTINGS.items()))
    digest = hashlib.sha256(f"{sandbox.Sandbox.__name__} {sandbox.PACE} newstyle "
                            f"{settings}".encode()).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"folio-{digest}-%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


@lru_cache(maxsize=16)
def _environment(folders: tuple[Path, ...], listing: int, words: Words) -> jinja2.Environment:
    # Templates come from editions and themes, which are untrusted: the sandbox keeps them
    # away from Python internals (`__class__`, `__globals__`) and from changing any object.
    env = sandbox.Sandbox(loader=_FolderLoader([str(f) for f in folders]),
                          bytecode_cache=compiled_templates(), **SETTINGS)
    env.policies["ext.i18n.trimmed"] = True  # a message's white space is collapsed
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        words.gettext, words.ngettext, newstyle=True)
    env.globals["words"] = words
    env.filters["breakable"] = words.breakable
    return env


def font_package_folder(package: str) -> Path:
    """Return the `files/` folder of an installed Python font package, importing nothing.

    The package is looked up among the installed distributions by its top-level name, so
    that a theme naming a module that happens to lie on the path (an edition folder, say)
    never gets it imported or read.
    """
    import importlib.metadata

    missing = TemplateError(f"the font package '{package}' is not installed; run "
                            f"`pip install {package.replace('_', '-')}`")
    if not package.isidentifier():
        raise missing
    for name in (package, package.replace("_", "-")):
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if any(str(f) == f"{package}/__init__.py" for f in distribution.files or []):
            return Path(str(distribution.locate_file(package))) / "files"
    raise missing


def inside(path: Path, folder: Path) -> bool:
    """Return whether `path`, links followed, lies inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def _unreadable_template(folders: tuple[Path, ...], name: str) -> Path | str:
    """Return the first template file of the chain that is not UTF-8, else `name`."""
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and not path.is_symlink():
                try:
                    path.read_bytes().decode("utf-8")
                except UnicodeDecodeError:
                    return path
                except OSError:
                    continue
    return name


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """Find the innermost template file and line in an exception's traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".mjml", ".txt", ".css", ".xml")):
            return frame.filename, frame.lineno
    return None, None


def _inherit(chain: list[ThemeConfig]) -> ThemeConfig:
    """Return a theme's tokens with the script fonts and interface words it inherits.

    `chain` runs from the theme to the last one it extends. The first theme that sets
    `script_fonts:` gives them; `strings:` are laid over each other, the theme's on top.
    """
    fonts = next((c.script_fonts for c in chain if "script_fonts" in c.model_fields_set), [])
    strings: dict[str, dict[str, str]] = {}
    for config in reversed(chain):
        for language, table in config.strings.items():
            strings[language] = {**strings.get(language, {}), **table}
    return chain[0].model_copy(update={"script_fonts": fonts, "strings": strings})


def load_theme(name: str, project: Path, edition_root: Path | None = None) -> Theme:
    """Load theme `name` and the chain of themes it extends."""
    folders: list[Path] = []
    if edition_root is not None:
        own = edition_root / "templates"
        if own.is_symlink():
            raise TemplateError([Problem(own, None, "templates/ is a link to a folder "
                                         "elsewhere; put the edition's own templates in a "
                                         "templates/ folder inside it, or delete the link")])
        if plain_folder(own):
            folders.append(own)
    configs: list[ThemeConfig] = []
    current: str | None = name
    while current:
        folder = theme_folder(current, project)
        if folder is None:
            known = sorted(p.parent.name for base in (project / "templates", BUILTIN_THEMES)
                           for p in base.glob("*/theme.yaml"))
            where = edition_root / "edition.yaml" if edition_root else project
            raise TemplateError([Problem(where, None, f"theme '{current}' does not exist; "
                                         f"known themes: {', '.join(sorted(set(known)))}")])
        if folder in folders:
            raise TemplateError([Problem(folder / "theme.yaml", None,
                                         "themes extend each other in a loop")])
        problems: list[Problem] = []
        text = read_text(folder / "theme.yaml", problems)
        data, lines = parse_yaml(text or "", folder / "theme.yaml", problems)
        if problems:  # YAML that cannot be read: its settings would only add false alarms
            raise TemplateError(problems)
        loaded = validate(ThemeConfig, data, lines, folder / "theme.yaml", problems)
        if problems:
            raise TemplateError(problems)
        configs.append(loaded)
        folders.append(folder)
        current = loaded.extends or ("default" if current != "default" else None)
    return Theme(name=name, config=_inherit(configs), folders=tuple(dict.fromkeys(folders)))
