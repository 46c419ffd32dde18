"""Prefetch: the print document's pictures -> decoded and encoded for the PDF by a second
thread, while WeasyPrint lays out the pages on the first.

WeasyPrint loads a picture when the layout first meets it and encodes it for the PDF when
the file is written, both on the one thread that lays out: on the sample annual review,
about 0.2 s of the 1.2 s. Pillow and zlib do that work without holding the interpreter, so
a thread does it beside the layout, on the second core, and the layout finds it done.
The meeting point is WeasyPrint's picture cache (the `cache` argument of `render`), keyed
by address: `PictureCache` makes the layout wait for a picture the thread is still
preparing rather than prepare it twice.

Only what the layout would do the same way is done ahead: raster pictures (`<img>` with a
`file:` address the resource policy allows), loaded as WeasyPrint loads them, and encoded
for a picture drawn at its own resolution with smoothing (`image-rendering: auto`).
Anything else (an SVG, a picture the policy refuses or Pillow cannot read, a document
whose CSS turns pictures) is left to the layout, which then reports it as it would have.
The PDF is byte for byte the same either way.
"""

from __future__ import annotations

import html
import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin

from .fetcher import Refused, ResourcePolicy, make_fetcher

THREAD = "folio-pictures"
"""The name of the thread that prepares pictures; its WeasyPrint warnings are not shown."""
PICTURE = re.compile(r"<img\b[^>]*?\ssrc=(?:\"([^\"]*)\"|'([^']*)')", re.I)


class PictureCache(dict[str, Any]):
    """WeasyPrint's picture cache, with pictures a thread is still preparing."""

    def __init__(self) -> None:
        super().__init__()
        self.preparing: dict[str, Future[None]] = {}

    def __contains__(self, key: object) -> bool:
        future = self.preparing.get(key) if isinstance(key, str) else None
        if future is not None:
            future.result()  # `_prepare` never raises
        return super().__contains__(key)


def addresses(document_html: str, base_url: str, policy: ResourcePolicy) -> list[str]:
    """Return the allowed local pictures the document's `<img>` elements name, in order."""
    found = []
    for match in PICTURE.finditer(document_html):
        url = urljoin(base_url, html.unescape(match[1] if match[1] is not None else match[2]))
        if not url.startswith("file:"):
            continue
        try:
            policy.locate(url)
        except Refused:
            continue  # the layout meets it and reports it
        found.append(url)
    return list(dict.fromkeys(found))


def prefetch(document_html: str, base_url: str, policy: ResourcePolicy,
             options: dict[str, Any]) -> tuple[PictureCache, ThreadPoolExecutor]:
    """Start preparing the document's pictures; return the cache to render with and the
    thread's executor (to shut down once the PDF is written)."""
    cache = PictureCache()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD)
    if "image-orientation" in document_html or "image-resolution" in document_html:
        return cache, executor  # pictures the CSS turns or scales: as the layout does them
    from weasyprint import DEFAULT_OPTIONS

    settings = {**DEFAULT_OPTIONS, **options}
    fetcher = make_fetcher(policy)
    for url in addresses(document_html, base_url, policy):
        cache.preparing[url] = executor.submit(_prepare, cache, url, fetcher, settings)
    return cache, executor


def _prepare(cache: PictureCache, url: str, fetcher: Any, options: dict[str, Any]) -> None:
    """Load one picture as WeasyPrint would and encode it for the PDF; put it in `cache`."""
    try:
        from weasyprint.images import RasterImage, get_image_from_uri

        pictures: dict[str, Any] = {}  # its data stays here, where the picture reads it
        image = get_image_from_uri(pictures, fetcher, options, url)
        if not isinstance(image, RasterImage):
            return  # unreadable (the layout says so) or SVG (drawn in the layout's context)
        encoded = image.get_x_object(True, 1)
    except Exception:  # a WeasyPrint without these parts: the layout does it all
        logging.getLogger("folio").debug("PDF: picture %s not prepared ahead", url,
                                         exc_info=True)
        return
    _serve_once(image, encoded)
    dict.__setitem__(cache, url, image)


def _serve_once(image: Any, encoded: Any) -> None:
    """Make the picture hand out its prepared PDF object the first time it is asked for
    one drawn smoothed at its own resolution; any other request is made as before."""
    make = image.get_x_object
    ready = [encoded]

    def get_x_object(interpolate: bool, dpi_ratio: float) -> Any:
        if ready and interpolate and dpi_ratio == 1:
            return ready.pop()
        return make(interpolate, dpi_ratio)

    image.get_x_object = get_x_object
