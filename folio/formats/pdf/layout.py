"""Layout: a `PrintDocument` -> PDF bytes, laid out by WeasyPrint with the safe fetcher.

WeasyPrint is imported here only, and only when a PDF is laid out: checking or building
other formats never pays for it. Its warnings are passed on as Folio's.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from .document import PrintDocument, location_free
from .fetcher import Refused, make_fetcher
from .finish import finisher

log = logging.getLogger("folio")


@lru_cache(maxsize=1)
def font_configuration() -> Any:
    """Return the process's one WeasyPrint font configuration; fonts are loaded once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


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
            pdf = rendered.write_pdf(finisher=finisher(print_ready), **document.options)
    except FatalURLFetchingError:
        if not fetcher.refused:
            raise
        return b"", fetcher.refused
    return pdf, fetcher.refused
