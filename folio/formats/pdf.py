"""PDF: an `Edition` -> `<edition>.pdf`, a tagged print document, and the `print.html` behind it.

The theme's `pdf/` templates turn the edition into one HTML document with its print
stylesheet inlined; WeasyPrint lays it out. Three things happen here and nowhere else:
section HTML is adapted to paper (footnotes move to where they are called, web
addresses become footnotes), every file the document asks for is checked against the
resource policy before and during rendering, and the PDF options are fixed so that the
same input gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import html as html_lib
import logging
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from markupsafe import Markup

from .. import __version__
from ..content import Edition, Section
from ..context import SectionView, template_context
from ..errors import Problem, ResourceError, TemplateError
from ..fetcher import Refused, ResourcePolicy, make_fetcher
from ..theme import Theme, font_package_folder
from . import Files

log = logging.getLogger("folio")

MM = 72 / 25.4
BLEED = "3mm"
BLEED_POINTS = 3 * MM
"""The print-ready bleed: 3 mm, in PDF points."""
MARK_POINTS = 6 * MM
"""The length of a crop mark, drawn from the edge of the bleed outwards."""

FOOTNOTE_REF = re.compile(
    r'<sup id="[^"]*"><a class="footnote-ref" href="#[^"]*">(\d+)</a></sup>')
EXTERNAL_LINK = re.compile(r'<a\b[^>]*?\shref="((?:https?|mailto):[^"]+)"[^>]*>(.*?)</a>', re.S)
RESOURCE_ATTRIBUTE = re.compile(r'<(img|a|link|object|embed|source|video|audio|image)\b'
                                r'([^>]*?)\s(src|href|data|srcset|poster)="([^"]*)"', re.I)
CSS_URL = re.compile(r'url\(\s*[\'"]?([^\'")]+)', re.I)
SVG_REFERENCE = re.compile(r'(?:\bhref|\bsrc)\s*=\s*["\']([^"\']*)["\']'
                           r'|url\(\s*[\'"]?([^\'")]+)|@import\s+[\'"]([^\'"]+)', re.I)


# --- paper adaptations ----------------------------------------------------------------


def rgba(colour: str, alpha: float) -> str:
    """Return a `#rrggbb` theme colour as CSS `rgba()` with the given opacity."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"


def short_url(url: str) -> str:
    """Return an address as a reader would type it: no scheme, no trailing slash."""
    return re.sub(r"^(https?://|mailto:)", "", url).rstrip("/")


def print_body(section: Section) -> str:
    """Return a section's HTML for paper: notes and link addresses as page footnotes."""
    notes = section.footnotes

    def note(match: re.Match[str]) -> str:
        number = int(match[1])
        if not 1 <= number <= len(notes):
            return ""
        return f'<span class="footnote">{notes[number - 1]}</span>'

    def link(match: re.Match[str]) -> str:
        url, text = match[1], match[2]
        plain_text = re.sub(r"<[^>]+>", "", text).strip()
        if short_url(url) in (plain_text, short_url(plain_text)):
            return match[0]
        return (f'{match[0]}<span class="footnote footnote--url">'
                f'<a href="{url}">{html_lib.escape(short_url(html_lib.unescape(url)))}</a>'
                f"</span>")

    body = EXTERNAL_LINK.sub(link, section.html)
    return FOOTNOTE_REF.sub(note, body)


# --- resources ------------------------------------------------------------------------


def resource_policy(edition: Edition, theme: Theme) -> ResourcePolicy:
    """Return the policy of the files the PDF may read: edition, theme, font packages."""
    folders = [edition.root, *theme.folders]
    for font in (theme.config.body_font, theme.config.heading_font):
        if font.package:
            folders.append(font_package_folder(font.package))
    return ResourcePolicy.of(folders)


def referenced_urls(html: str) -> Iterator[str]:
    """Yield every address in an HTML fragment that a renderer could fetch."""
    for tag, _before, attribute, value in RESOURCE_ATTRIBUTE.findall(html):
        if tag.lower() == "a" and attribute.lower() == "href":
            continue  # an ordinary link is never fetched; attachments are switched off
        yield html_lib.unescape(value)
    for value in CSS_URL.findall(html):
        yield html_lib.unescape(value)


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


def _refusal_problems(refused: list[Refused], edition: Edition, theme: Theme,
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


# --- the print document ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PrintDocument:
    """The HTML handed to WeasyPrint and everything needed to render it the same way."""

    html: str
    base_url: str
    policy: ResourcePolicy
    options: dict[str, Any]


def _file_url(path: Path) -> str:
    return path.resolve().as_uri()


def _theme_picture(theme: Theme, name: str | None) -> str | None:
    found = theme.asset(name) if name else None
    return _file_url(found) if found else None


def print_context(edition: Edition, theme: Theme, base_url: str) -> dict[str, Any]:
    """Return the template context of the print document."""
    config = edition.config
    context = template_context(edition)
    views: list[SectionView] = context["sections"]
    context["sections"] = [
        dataclasses.replace(view, body=Markup(print_body(section)))
        for view, section in zip(views, edition.sections, strict=True)
    ]
    logo = config.logo or None
    cover = config.cover_image or None
    created = None
    if config.pdf.creation_date:
        created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    context.update(
        base_url=base_url,
        logo=logo or _theme_picture(theme, theme.config.logo),
        cover=cover or _theme_picture(theme, theme.config.artwork),
        cover_alt=(config.cover_image_alt or "") if cover else "",
        paper=config.pdf.paper,
        print_ready=config.pdf.print_ready,
        bleed=BLEED if config.pdf.print_ready else "0mm",
        created=created,
        generator=f"Folio {__version__}",
        short_url=short_url,
        rgba=rgba,
    )
    return context


def stylesheet(theme: Theme, context: dict[str, Any]) -> str:
    """Return the print stylesheet: tokens, `@font-face` rules, then `pdf/print.css`."""
    faces = theme.font_faces(_file_url)
    css = theme.render("pdf/print.css", context)
    found = re.search(r"@import\b", css)
    if found:
        template = theme.environment().get_template("pdf/print.css").filename
        raise TemplateError([Problem(template or "pdf/print.css",
                                     css.count("\n", 0, found.start()) + 1,
                                     "@import is not supported in the print stylesheet; copy "
                                     "the rules into print.css")])
    return theme.css_tokens + faces + css


def location_free(text: str, policy: ResourcePolicy) -> str:
    """Replace the addresses of the allowed folders in `text` by neutral names.

    What identifies a PDF (its identifier, the names of its pictures) must not depend on
    where the project or Python happens to be installed: same input, same bytes.
    """
    for index, root in enumerate(policy.roots):
        text = text.replace(root.as_uri() + "/", f"folder{index}:/")
    return text


def pdf_options(edition: Edition, identifier: bytes) -> dict[str, Any]:
    """Return the WeasyPrint options (for `render` and `write_pdf`) of this edition."""
    return {
        "pdf_variant": edition.config.pdf.variant,
        "pdf_tags": True,
        "pdf_identifier": identifier,
        "attachments": None,
        "custom_metadata": False,
        "uncompressed_pdf": False,
    }


def print_document(edition: Edition, theme: Theme) -> PrintDocument:
    """Check the edition's resources and render its print HTML; nothing is laid out yet."""
    base_url = _file_url(edition.root) + "/"
    policy = resource_policy(edition, theme)
    check_sections(edition, policy, base_url)
    context = print_context(edition, theme, base_url)
    context["stylesheet"] = Markup(stylesheet(theme, context))
    html = theme.render("pdf/document.html", context)
    identifier = hashlib.sha256(location_free(html, policy).encode()).hexdigest()[:32]
    return PrintDocument(html, base_url, policy, pdf_options(edition, identifier.encode()))


# --- rendering ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def font_configuration() -> Any:
    """Return the process's one WeasyPrint font configuration; fonts are loaded once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _pages(pdf: Any) -> list[Any]:
    """Return the page dictionaries of a pydyf PDF (`Kids` holds `number 0 R` triples)."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def _number(reference: Any) -> int:
    """Return the object number of a pydyf reference (`b"12 0 R"`)."""
    return int(bytes(reference).split()[0])


def crop_marks(pdf: Any) -> None:
    """Make each page print-ready: 3 mm bleed box, and crop marks in a slug around it.

    WeasyPrint's own marks sit inside the bleed, where a cut slightly off the line would
    show them; a printer expects them outside it. So the media box grows by a slug, the
    bleed box is set to exactly 3 mm, and the marks are drawn in the slug (as artifacts,
    in black, which PDF/A allows).
    """
    import pydyf

    offset, length, spare = BLEED_POINTS, MARK_POINTS, MM
    reach = offset + length + spare
    for page in _pages(pdf):
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        page["BleedBox"] = pydyf.Array([left - offset, bottom - offset,
                                        right + offset, top + offset])
        page["MediaBox"] = pydyf.Array([left - reach, bottom - reach,
                                        right + reach, top + reach])
        lines = []
        for x, y, dx, dy in ((left, bottom, -1, -1), (right, bottom, 1, -1),
                             (left, top, -1, 1), (right, top, 1, 1)):
            lines.append((x + dx * offset, y, x + dx * (offset + length), y))
            lines.append((x, y + dy * offset, x, y + dy * (offset + length)))
        content = pdf.objects[_number(page["Contents"])].stream
        content.insert(0, b"q")
        content.append(b"Q")
        content += [b"/Artifact BMC q 0 G 0.25 w 0 J"]
        content += [f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S".encode()
                    for x1, y1, x2, y2 in lines]
        content += [b"Q EMC"]


def margin_artifacts(pdf: Any) -> None:
    """Mark running headers and page numbers as artifacts, so they are never read out.

    WeasyPrint tags the text of page-margin boxes but leaves it out of the structure
    tree. Here those marked-content sequences become `/Artifact` and their entries in the
    parent tree are emptied: what a screen reader meets is the document, not its furniture.
    """
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    document_element = objects[_number(root["K"][0])]
    reachable: set[int] = set()
    stack = [_number(kid) for kid in document_element["K"] if not isinstance(kid, int)]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        kids = objects[number].get("K", []) if isinstance(objects[number], dict) else []
        stack += [_number(kid) for kid in kids if not isinstance(kid, int)]
    loose: dict[int, set[int]] = {}
    for element in objects:
        if (isinstance(element, dict) and element.get("Type") == "/StructElem"
                and getattr(element, "number", None) not in reachable
                and element is not document_element
                and "Pg" in element):
            mcids = {kid for kid in element["K"] if isinstance(kid, int)}
            loose.setdefault(_number(element["Pg"]), set()).update(mcids)
    nums = objects[_number(root["ParentTree"])]["Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(_pages(pdf)):
        furniture = loose.get(page.number)
        if not furniture or index not in parents:
            continue
        content = objects[_number(page["Contents"])].stream
        for at in range(1, len(content) - 1):
            item = content[at]
            if (isinstance(item, dict) and item.get("MCID") in furniture
                    and content[at + 1] == b"BDC"):
                parents[index][item["MCID"]] = "null"
                content[at - 1: at + 2] = ["/Artifact", b"", b"BMC"]


def _finisher(print_ready: bool) -> Any:
    """Return the step WeasyPrint runs on the finished PDF, before writing it out."""

    def finish(document: Any, pdf: Any) -> None:
        if "StructTreeRoot" in pdf.catalog:
            margin_artifacts(pdf)
        if print_ready:
            crop_marks(pdf)

    return finish


class _Relay(logging.Handler):
    """Pass WeasyPrint's warnings on as Folio warnings, so the build reports them."""

    def emit(self, record: logging.LogRecord) -> None:
        log.warning("PDF: %s", record.getMessage())


@contextmanager
def _weasyprint_warnings() -> Iterator[None]:
    logger = logging.getLogger("weasyprint")
    handler = _Relay(logging.WARNING)
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def write_pdf(document: PrintDocument, print_ready: bool = False) -> tuple[bytes, list[Refused]]:
    """Lay out the print document; return the PDF and the resources refused on the way."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher(document.policy)
    images: dict[str, Any] = {}  # WeasyPrint's picture cache, as by default: a dict
    try:
        with _weasyprint_warnings():
            rendered = HTML(string=document.html, base_url=document.base_url,
                            url_fetcher=fetcher).render(font_config=font_configuration(),
                                                        cache=images, **document.options)
            # Pictures are named after their address; name them after a location-free one.
            for url, image in images.items():
                if url.startswith("file:") and isinstance(getattr(image, "id", None), str):
                    image.id = hashlib.md5(location_free(url, document.policy).encode(),
                                           usedforsecurity=False).hexdigest()
            # Attachments are never embedded: neither <link rel=attachment> nor
            # <a rel=attachment> becomes a file inside the PDF.
            rendered.metadata.attachments = []
            for page in rendered.pages:
                page.links = [("external" if kind == "attachment" else kind, *rest)
                              for kind, *rest in page.links]
            pdf = rendered.write_pdf(finisher=_finisher(print_ready), **document.options)
    except FatalURLFetchingError:
        if not fetcher.refused:
            raise
        return b"", fetcher.refused
    return pdf, fetcher.refused


# --- a head start for cold builds ------------------------------------------------------


class _Helper:
    """A forked process that imports WeasyPrint while this one reads the edition.

    Importing WeasyPrint takes longer than loading and templating an edition, and the two
    need not wait for each other: on a machine with two cores, a cold `build` costs about
    what WeasyPrint alone costs. The helper then lays out every PDF of the run, keeping
    its fonts loaded between editions.
    """

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), name="folio-pdf",
                                       daemon=True)
        self.process.start()
        child.close()

    def write(self, document: PrintDocument, print_ready: bool) -> tuple[bytes, list[Refused]]:
        self.connection.send((document, print_ready))
        status, result, warnings = self.connection.recv()
        for warning in warnings:
            log.warning("%s", warning)
        if status != "ok":
            raise RuntimeError(f"the PDF helper process failed: {result}")
        pdf, refused = result
        return pdf, refused


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _serve(connection: Any) -> None:
    """Run in the helper: import WeasyPrint at once, then lay out each document sent."""
    import traceback

    font_configuration()  # imports WeasyPrint: the head start
    collect = _Collect()
    logger = logging.getLogger("folio")
    logger.handlers, logger.propagate = [collect], False
    while True:
        try:
            document, print_ready = connection.recv()
        except (EOFError, OSError):
            return
        collect.messages = []
        try:
            connection.send(("ok", write_pdf(document, print_ready), collect.messages))
        except Exception:
            connection.send(("error", traceback.format_exc(), collect.messages))


_helper: _Helper | None = None


def prepare() -> None:
    """Give a cold build a head start: import WeasyPrint in a helper process, in parallel.

    Only where it pays and is safe: WeasyPrint is not loaded yet (a `watch` session keeps
    it loaded), this process runs no other threads, and it may start children.
    """
    global _helper
    if _helper is not None or "weasyprint" in sys.modules or threading.active_count() > 1:
        return
    try:
        _helper = _Helper()
    except (AssertionError, OSError, ValueError):  # a daemonic worker may not fork
        _helper = None


def render(edition: Edition, theme: Theme) -> Files:
    """Render the edition's PDF; return it with the exact HTML WeasyPrint was given."""
    document = print_document(edition, theme)
    if _helper is not None and _helper.process.is_alive():
        pdf, refused = _helper.write(document, edition.config.pdf.print_ready)
    else:
        pdf, refused = write_pdf(document, edition.config.pdf.print_ready)
    if refused:
        raise ResourceError(_refusal_problems(refused, edition, theme, document.policy,
                                              document.base_url))
    return {f"{edition.slug}.pdf": pdf, "print.html": document.html.encode()}
