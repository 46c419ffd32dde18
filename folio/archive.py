"""Archive: every edition's settings -> the site's `index.html`, `feed.xml` and `sitemap.xml`.

The archive is site-level, not an edition format: it lists the published editions (those
without `draft: true` whose web page is built) newest first, and tells each edition's web
page where it sits among them (`site_links`). Deciding whether it is stale reads only raw
YAML (`site_inputs`), so that an up-to-date build stays cheap; `render_site` does the rest.
Site settings come from `folio.yaml` beside `content/`.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FolioError, Problem
from .sources import file_digest, find_editions, plain_file, plain_files, theme_chain, yaml_settings

if TYPE_CHECKING:
    from .schema import EditionConfig, SiteSettings
    from .theme import Theme

Files = dict[str, bytes]
SITE_FILE = "folio.yaml"
FILES = ("index.html", "feed.xml", "sitemap.xml")
"""The archive's own pages, at the top of the build folder."""
ASSETS = "assets"
"""The archive's stylesheet, fonts and cover thumbnails, under the build folder."""
WEB_FONTS = f"{ASSETS}/fonts"
"""The build folder's one folder of web fonts, shared by every edition's page and the archive.

Each file is named by its content (`Lato-Regular-<digest>.woff2`, `theme.web_font_name`): a
new font never hides behind an old name, and pages using one font share its one file.
"""
THUMBNAIL = (640, 400)
KINDS = {"annual-review": "Annual review", "newsletter": "Newsletter"}
_LISTED = ("title", "subtitle", "summary", "description", "date", "kind", "draft",
           "organisation", "language", "cover_image", "logo", "website", "address")


@dataclass(frozen=True)
class Neighbour:
    """The previous or next published edition, as an edition's web page links to it."""

    slug: str
    title: str
    date: str
    """The publication date as `YYYY-MM-DD`."""


@dataclass(frozen=True)
class SiteLinks:
    """Where an edition's web page sits: the archive page and its neighbours in time."""

    archive: str = "../index.html"
    previous: Neighbour | None = None
    next: Neighbour | None = None


class UnreadableEdition(FolioError):
    """An edition's settings do not load, so the archive cannot be made without dropping it."""


# --- cheap: raw settings only -------------------------------------------------------


def _listing(content: Path) -> list[tuple[str, dict[str, Any]]]:
    """Return (slug, raw settings) of every edition with a title and a real date."""
    found = []
    for folder in find_editions(content):
        if not plain_file(folder / "edition.yaml", folder):
            continue  # a link to settings elsewhere: its own build refuses it
        settings = yaml_settings(folder / "edition.yaml")
        if isinstance(settings.get("date"), datetime.date) and settings.get("title"):
            found.append((folder.name, settings))
    return found


def site_links(content: Path) -> dict[str, SiteLinks]:
    """Return, for every edition, its links to the archive and the published editions around it.

    Drafts get links too (for their proofs) but are nobody's neighbour.
    """
    listing = sorted(_listing(content), key=lambda e: (str(e[1]["date"]), e[0]))
    published = [(slug, s) for slug, s in listing if s.get("draft") is not True]
    links = {}
    for slug, settings in listing:
        here = (str(settings["date"]), slug)
        before = [e for e in published if (str(e[1]["date"]), e[0]) < here]
        after = [e for e in published if (str(e[1]["date"]), e[0]) > here]
        links[slug] = SiteLinks(previous=_neighbour(before[-1]) if before else None,
                                next=_neighbour(after[0]) if after else None)
    return links


def _neighbour(entry: tuple[str, dict[str, Any]]) -> Neighbour:
    slug, settings = entry
    return Neighbour(slug, str(settings["title"]), str(settings["date"]))


def site_inputs(content: Path, out: Path) -> str:
    """Return, as text to hash, everything the archive's files depend on."""
    project = content.parent
    site = yaml_settings(project / SITE_FILE)
    settings = site.get("site")
    theme = (settings.get("theme") if isinstance(settings, dict) else None) or "default"
    editions = []
    for slug, settings in _listing(content):
        folder = content / slug
        listed = {k: settings.get(k) for k in _LISTED}
        pictures = {k: _digest(found) for k in ("cover_image", "logo")
                    if settings.get(k) and (found := _inside(folder, str(settings[k])))}
        built = {"page": (out / slug / "index.html").is_file(),
                 "pdf": (out / slug / f"{slug}.pdf").is_file()}
        editions.append([slug, listed, pictures, built])
    files = []
    for folder in theme_chain(str(theme), project):
        for path in sorted([*plain_files(folder / "archive"), folder / "web" / "style.css",
                            folder / "theme.yaml", *plain_files(folder / "assets")]):
            if path.is_file() and not path.name.startswith("."):
                files.append([str(path), _digest(path)])
    return json.dumps([site, editions, files], sort_keys=True, default=str)


def _inside(root: Path, relative: str) -> Path | None:
    """Return a file of the edition, or None when it is missing or lies outside it."""
    path = root / relative
    return path if plain_file(path, root) else None


def _digest(path: Path) -> str:
    try:
        return file_digest(path).hex()
    except OSError:
        return ""


# --- rendering ----------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A published edition as the archive shows it."""

    slug: str
    root: Path
    config: EditionConfig
    has_pdf: bool


def published(content: Path, out: Path) -> list[Listed]:
    """Return the editions that belong in the archive, newest first.

    An edition is left out when it is a draft or when its web page has not been built.
    An edition whose settings do not load stops the archive (its own build says why): the
    last good archive stays rather than one that silently drops the edition.
    """
    from .content import parse_yaml, read_text, validate
    from .schema import EditionConfig

    found = []
    for folder in find_editions(content):
        problems: list[Any] = []
        text = read_text(folder / "edition.yaml", problems)
        data, lines = parse_yaml(text or "", folder / "edition.yaml", problems)
        config = None if problems else validate(EditionConfig, data, lines,
                                                folder / "edition.yaml", problems)
        if config is None:
            raise UnreadableEdition([Problem(folder / "edition.yaml", None, (
                "the archive, feed and sitemap keep their last version until this "
                "edition's settings load"))])
        if config.draft or not (out / folder.name / "index.html").is_file():
            continue
        found.append(Listed(folder.name, folder, config,
                            (out / folder.name / f"{folder.name}.pdf").is_file()))
    return sorted(found, key=lambda e: (e.config.date, e.slug), reverse=True)


def load_site(project: Path, newest: EditionConfig | None) -> SiteSettings:
    """Read `folio.yaml`'s `site:` settings, filling gaps from the newest edition.

    Raises `ContentError` naming the file and line of every problem.
    """
    from .content import parse_yaml, read_text, validate
    from .errors import ContentError
    from .schema import ProjectConfig

    path = project / SITE_FILE
    config = ProjectConfig()
    if path.is_file():
        problems: list[Any] = []
        text = read_text(path, problems)
        data, lines = parse_yaml(text or "", path, problems)
        if not problems:
            config = validate(ProjectConfig, data, lines, path, problems)
        if problems:
            raise ContentError(problems)
    site = config.site
    if newest is not None:
        site = site.model_copy(update={"title": site.title or newest.organisation,
                                       "language": site.language or newest.language})
    return site


def render_site(content: Path, out: Path) -> tuple[Files, list[str]]:
    """Render the archive page, its assets, the feed and the sitemap; return files, warnings."""
    from .context import long_date
    from .errors import ContentError, Problem
    from .markup import inline, plain
    from .theme import load_theme

    if (content / ASSETS / "edition.yaml").is_file():
        raise ContentError([Problem(content / ASSETS, None, f"an edition cannot be called "
                                    f"'{ASSETS}': the archive keeps its files in "
                                    f"{out.name}/{ASSETS}/; rename the folder")])
    editions = published(content, out)
    site = load_site(content.parent, editions[0].config if editions else None)
    site = site.model_copy(update={"title": site.title or "Editions"})
    theme = load_theme(site.theme, content.parent)
    files: Files = {}
    warnings = []
    views = []
    covers: dict[Path, bytes] = {}  # editions without a cover of their own share the artwork
    for entry in editions:
        config = entry.config
        own = theme.words(config.language)  # each card's date and kind in its edition's language
        summary = config.summary or config.description or config.subtitle
        views.append({
            "slug": entry.slug, "href": f"{entry.slug}/index.html",
            "pdf_href": f"{entry.slug}/{entry.slug}.pdf" if entry.has_pdf else None,
            "title": own.breakable(inline(config.title)), "title_text": plain(config.title),
            "date": config.date.isoformat(),
            "date_text": long_date(config.date, own),
            "moment": f"{config.date.isoformat()}T00:00:00Z", "month": own.month(config.date),
            "kind": own.gettext(KINDS[config.kind]), "summary": inline(summary),
            "summary_text": plain(summary), "organisation": config.organisation,
            "thumbnail": _thumbnail(entry, theme, files, covers),
        })
    newest = editions[0].config if editions else None
    logo = _logo(editions[0] if editions else None, theme, files)
    if site.base:
        files["feed.xml"] = feed(site, views, newest.organisation if newest else "", theme)
        files["sitemap.xml"] = sitemap(site, views)
    elif (content.parent / SITE_FILE).is_file():  # without the file, no site was asked for
        warnings.append(f"archive: feed.xml and sitemap.xml need the address the site is "
                        f"published at: add `base_url: https://...` under `site:` in "
                        f"{SITE_FILE}")
    context = {
        "site": site, "lang": site.language or "en", "editions": views,
        "words": theme.words(site.language or "en"),
        "organisation": newest.organisation if newest else site.title or "",
        "website": newest.website if newest else None,
        "address": newest.address if newest else "",
        "logo": logo, "stylesheet": f"{ASSETS}/style.css",
        "feed_href": "feed.xml" if "feed.xml" in files else None,
    }
    files["index.html"] = theme.render("archive/index.html", context).encode()
    files[f"{ASSETS}/style.css"] = _stylesheet(theme).encode()
    for name, data in theme.web_fonts().items():  # shared with the editions' pages
        files[f"{WEB_FONTS}/{name}"] = data
    return files, warnings


def _stylesheet(theme: Theme) -> str:
    """Return the web page's stylesheet with the archive's own rules after it."""
    env = theme.environment()
    assert env.loader is not None
    sources = [env.loader.get_source(env, name)[0] for name in ("web/style.css",
                                                                 "archive/style.css")]
    faces = theme.font_faces(lambda name: f"../{WEB_FONTS}/{name}", web=True)
    return theme.css_tokens() + faces + "".join(sources)


def _thumbnail(entry: Listed, theme: Theme, files: Files,
               made: dict[Path, bytes]) -> dict[str, Any] | None:
    """Add a small copy of an edition's cover (or the theme's artwork) to `files`.

    `made` holds the copies already made by this render, by source: every edition without
    a cover of its own shows the theme's artwork, which is scaled down once.
    """
    cover = entry.config.cover_image
    source = _inside(entry.root, cover) if cover else None
    if source is None and theme.config.artwork:
        source = theme.asset(theme.config.artwork)
    if source is None:
        return None
    if source.suffix.lower() == ".svg":
        name = f"{ASSETS}/covers/{entry.slug}.svg"
        files[name] = source.read_bytes()
        return {"src": name, "width": THUMBNAIL[0], "height": THUMBNAIL[1]}
    name = f"{ASSETS}/covers/{entry.slug}.jpg"
    if source not in made:
        made[source] = _scaled_cover(source)
    files[name] = made[source]
    return {"src": name, "width": THUMBNAIL[0], "height": THUMBNAIL[1]}


def _scaled_cover(source: Path) -> bytes:
    """Return a raster cover cropped and scaled to `THUMBNAIL`, as a JPEG."""
    from PIL import Image, ImageOps

    with Image.open(source) as opened:
        # A JPEG is decoded at the smallest of 1/2, 1/4, 1/8 of its size still larger than
        # the thumbnail on every side: a quarter of the work or less, the same picture.
        side = max(THUMBNAIL)
        opened.draft(None, (side, side))
        picture: Image.Image = ImageOps.exif_transpose(opened)
        if picture.mode in ("RGBA", "LA", "P"):
            with_alpha = picture.convert("RGBA")
            picture = Image.new("RGB", picture.size, (255, 255, 255))
            picture.paste(with_alpha, mask=with_alpha.getchannel("A"))
        small = ImageOps.fit(picture.convert("RGB"), THUMBNAIL, Image.Resampling.LANCZOS)
    data = io.BytesIO()
    small.save(data, "JPEG", quality=82, optimize=True, progressive=True)
    return data.getvalue()


def _logo(newest: Listed | None, theme: Theme, files: Files) -> str | None:
    """Add the newest edition's logo (or the theme's) to `files`; return its address."""
    source = None
    if newest and newest.config.logo:
        source = _inside(newest.root, newest.config.logo)
    if source is None and theme.config.logo:
        source = theme.asset(theme.config.logo)
    if source is None:
        return None
    name = f"{ASSETS}/logo{source.suffix.lower()}"
    files[name] = source.read_bytes()
    return name


def feed(site: SiteSettings, views: list[dict[str, Any]], organisation: str,
         theme: Theme) -> bytes:
    """Return the Atom feed: one entry per published edition, newest first."""
    context = {"site": site, "base": site.base, "lang": site.language or "en",
               "editions": views, "organisation": organisation,
               "updated": views[0]["moment"] if views else "2000-01-01T00:00:00Z"}
    return theme.render("archive/feed.xml", context).encode()


def sitemap(site: SiteSettings, views: list[dict[str, Any]]) -> bytes:
    """Return the sitemap: the archive page and every published edition's page."""
    from xml.sax.saxutils import escape

    base = site.base
    rows = [(base, views[0]["date"] if views else None)]
    rows += [(f"{base}{view['slug']}/", view["date"]) for view in views]
    body = "".join(f"  <url><loc>{escape(str(url))}</loc>"
                   + (f"<lastmod>{day}</lastmod>" if day else "") + "</url>\n"
                   for url, day in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode()
