"""Resources: section HTML -> the files it asks for, each allowed or refused with its section.

Before anything is laid out, every address a section's HTML (and an SVG picture it
shows) could make the renderer fetch is checked against the `ResourcePolicy`, so that a
refusal names the section file and line that asked. Refusals met while rendering (from
templates or the theme) are traced back to whoever asked the same way.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin

from ...content import Edition, Section
from ...errors import Problem, ResourceError
from ...theme import Theme, font_folder, font_package_folder
from .fetcher import Refused, ResourcePolicy

RESOURCE_ATTRIBUTE = re.compile(r'<(img|a|link|object|embed|source|video|audio|image)\b'
                                r'([^>]*?)\s(src|href|data|srcset|poster)="([^"]*)"', re.I)
CSS_URL = re.compile(r'url\(\s*[\'"]?([^\'")]+)', re.I)
SVG_REFERENCE = re.compile(r'(?:\bhref|\bsrc)\s*=\s*["\']([^"\']*)["\']'
                           r'|url\(\s*[\'"]?([^\'")]+)|@import\s+[\'"]([^\'"]+)', re.I)


def resource_policy(edition: Edition, theme: Theme) -> ResourcePolicy:
    """Return the policy of the files the PDF may read: edition, theme, font packages."""
    folders = [edition.root, *theme.folders]
    for font in (theme.config.body_font, theme.config.heading_font):
        if font.package:
            folders.append(font_package_folder(font.package))
    for font in theme.config.script_fonts:
        if font.package or (font.folder and Path(font.folder).is_dir()):
            folders.append(font_folder(font))
    return ResourcePolicy.of(folders)


def referenced_urls(html: str) -> Iterator[str]:
    """Yield every address in an HTML fragment that a renderer could fetch."""
    for tag, _before, attribute, value in RESOURCE_ATTRIBUTE.findall(html):
        if tag.lower() == "a" and attribute.lower() == "href":
            continue  # an ordinary link is never fetched; attachments are switched off
        yield html_lib.unescape(value)
    for value in CSS_URL.findall(html_lib.unescape(html)):  # quotes written as &quot;
        yield value


def svg_urls(svg: str) -> Iterator[str]:
    """Yield the addresses an SVG picture would fetch: images, `url()`, `@import`."""
    for match in SVG_REFERENCE.finditer(svg):
        value = html_lib.unescape(next(g for g in match.groups() if g is not None)).strip()
        if value and not value.startswith(("#", "data:")):
            yield value


def requests(section: Section, base_url: str, policy: ResourcePolicy) -> Iterator[
        tuple[str, str, Refused | None]]:
    """Yield (address as written, absolute address, refusal or None) for what a section asks.

    Pictures in SVG are followed one level down: what an allowed SVG file asks for is
    asked by the section that shows it.
    """
    for url in dict.fromkeys(referenced_urls(section.html)):
        absolute = urljoin(base_url, url.strip())
        try:
            path = policy.locate(url, base_url)
        except Refused as refusal:
            yield url, absolute, refusal
            continue
        yield url, absolute, None
        if path.suffix.lower() == ".svg":
            text = path.read_text("utf-8", errors="replace")
            for inner in dict.fromkeys(svg_urls(text)):
                inner_absolute = urljoin(path.as_uri(), inner)
                try:
                    policy.locate(inner_absolute)
                except Refused as refusal:
                    yield url, inner_absolute, Refused(f"{inner} (in {url})", refusal.reason)


def check_sections(edition: Edition, policy: ResourcePolicy, base_url: str) -> None:
    """Raise `ResourceError` naming each section that asks for a file the PDF may not read."""
    problems = []
    for section in edition.sections:
        for url, _absolute, refusal in requests(section, base_url, policy):
            if refusal is not None:
                problems.append(Problem(section.path, _line_of(section, url),
                                        _explain(refusal.url, refusal.reason)))
    if problems:
        raise ResourceError(problems)


def _line_of(section: Section, url: str) -> int | None:
    at = section.body.find(url)
    return section.body_line + section.body.count("\n", 0, at) if at >= 0 else None


def _explain(url: str, reason: str) -> str:
    return (f"the PDF will not read '{url}': {reason}; copy the picture into images/ and "
            "write images/<name>")


def refusal_problems(refused: list[Refused], edition: Edition, theme: Theme,
                      policy: ResourcePolicy, base_url: str) -> list[Problem]:
    """Attribute refusals met while rendering to the section, edition or theme that asked."""
    askers: dict[str, Path] = {}
    for section in edition.sections:
        for _url, absolute, _refusal in requests(section, base_url, policy):
            askers.setdefault(unquote(absolute), section.path)
    config = edition.config
    for picture in (config.logo, config.cover_image):
        if picture:
            askers.setdefault(unquote(urljoin(base_url, picture)), edition.root / "edition.yaml")
    problems = []
    for refusal in refused:
        asker = askers.get(unquote(refusal.url))
        if asker is None:
            folder = next((f for f in theme.folders if f != edition.root / "templates"),
                          theme.folders[0])
            problems.append(Problem(folder, None, f"a template of theme '{theme.name}' asks "
                                    f"for '{refusal.url}', which the PDF will not read: "
                                    f"{refusal.reason}; put the file in the theme's assets/"))
        else:
            problems.append(Problem(asker, None, _explain(refusal.url, refusal.reason)))
    return problems
