"""Fetcher: a URL asked for by the PDF renderer -> the bytes of an allowed local file, or a refusal.

WeasyPrint reads whatever address a document names. The PDF format hands it a
`SafeFetcher`, which serves only files that lie inside a few folders (the edition, the
theme, the font packages) and refuses everything else: other `file:` paths (`../`,
symbolic links and `%2e%2e` included), network addresses and every other scheme except
`data:`, whose bytes are in the address itself. The same `ResourcePolicy` checks section
HTML before rendering, so that a refusal can name the section that asked for the file.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

MAX_RESOURCE_BYTES = 50_000_000
"""The largest file the renderer may read (pictures are limited to 25 MB when loading)."""


class Refused(Exception):
    """A resource the policy will not serve; the message says why, for a person."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")

    def __reduce__(self) -> tuple[type[Refused], tuple[str, str]]:
        return (Refused, (self.url, self.reason))  # travels back from the PDF helper process


@dataclass(frozen=True)
class ResourcePolicy:
    """Which local files a rendering may read: those inside `roots`, nothing else."""

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, folders: Iterable[Path]) -> ResourcePolicy:
        """Return a policy for these folders (resolved, symbolic links followed)."""
        return cls(tuple(dict.fromkeys(Path(f).resolve() for f in folders)))

    def locate(self, url: str, base_url: str | None = None) -> Path:
        """Return the file `url` names, or raise `Refused` saying why it may not be read."""
        url = url.strip()
        absolute = urljoin(base_url, url) if base_url else url
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme in ("http", "https", "ftp", "ftps", "ws", "wss") or (
            not scheme and absolute.startswith("//")
        ):
            raise Refused(url, "it is a network address, and the PDF is built offline")
        if scheme != "file":
            raise Refused(url, f"'{scheme or 'relative'}:' addresses are not read by the PDF")
        if parts.netloc not in ("", "localhost"):
            raise Refused(url, f"it names another machine ('{parts.netloc}')")
        from urllib.request import url2pathname  # with http.client: not before the helper starts

        path = Path(url2pathname(unquote(parts.path)))
        try:
            target = path.resolve()
        except (OSError, RuntimeError) as exc:
            raise Refused(url, f"the path cannot be resolved ({exc})") from exc
        root = next((r for r in self.roots if target.is_relative_to(r)), None)
        if root is None:
            raise Refused(url, "it is outside the edition folder, the theme and the font "
                               "packages")
        if any(part.startswith(".") for part in target.relative_to(root).parts):
            raise Refused(url, "hidden files are not read")
        if not target.is_file():
            raise Refused(url, "the file does not exist")
        if target.stat().st_size > MAX_RESOURCE_BYTES:
            raise Refused(url, "the file is larger than 50 MB")
        return target


def make_fetcher(policy: ResourcePolicy) -> Any:
    """Return a WeasyPrint URL fetcher that serves only what `policy` allows.

    WeasyPrint is imported here, not when this module is, so that checking resources
    never pays for it.
    """
    return _fetcher_class()(policy)


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """A WeasyPrint URL fetcher that serves files allowed by a `ResourcePolicy` only.

        Every refusal is recorded in `refused` and raised as `FatalURLFetchingError`,
        which stops the rendering: nothing of a refused file reaches the PDF, and no
        attachment or picture is silently left out.
        """

        def __init__(self, policy: ResourcePolicy):
            # Only `data:` addresses ever reach WeasyPrint's own fetching, below.
            super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False,
                             fail_on_errors=True)
            self.policy = policy
            self.refused: list[Refused] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if url.startswith("data:"):
                # The bytes are in the address itself: nothing is read (pictures in SVG).
                return super().fetch(url, headers)
            try:
                path = self.policy.locate(url)
            except Refused as refusal:
                self.refused.append(refusal)
                raise FatalURLFetchingError(str(refusal)) from None
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return SafeFetcher
