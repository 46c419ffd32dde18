"""Formats: the output plug-ins, each of one shape: `render(edition, theme) -> files`.

In: a rendered `Edition` and its `Theme`. Out: file names (relative to the edition's
build folder) and their bytes; nothing here writes to disk. `web` (the page layout and
its assets), `pdf/` and `email/`, registered in `FORMATS`; adding a format adds one
module and one line there. A format imports the shared stages, never a command, never
another format. A format module is imported only when something must be rendered with
it, so that an up-to-date build never pays for WeasyPrint or MJML.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..content import Edition
    from ..theme import Theme

Files = dict[str, bytes]
"""Rendered output: paths relative to `build/<edition>/` -> file contents. A path may go
up once, into the build folder's shared `assets/fonts/` (`archive.WEB_FONTS`): those files
are named by their content and shared by every edition and the archive."""


@dataclass(frozen=True)
class Format:
    """One output format: its module and what its rebuild key depends on."""

    name: str
    module: str
    templates: tuple[str, ...]
    """Theme sub-folders whose files the output depends on."""
    ignores: tuple[str, ...]
    """`edition.yaml` keys that do not change this output."""
    links: bool = False
    """Whether the output links to the archive and the editions before and after it, so
    that its key depends on their titles and dates."""

    background: bool = False
    """Lays out in a helper process: `prepare()` starts the helper early, `start()` hands
    it the work and returns at once."""

    def prepare(self) -> None:
        """Let a background format start its helper (the PDF imports WeasyPrint there)."""
        if self.background:
            importlib.import_module(self.module).prepare()

    def preload(self) -> None:
        """Import what rendering needs, for worker processes forked from this one to share.

        A format module may define `preload()` for what it imports only when it renders
        (the PDF: WeasyPrint and pikepdf).
        """
        module = importlib.import_module(self.module)
        getattr(module, "preload", lambda: None)()

    def renderer(self) -> Callable[[Edition, Theme], Files]:
        """Import the format module and return its `render` function."""
        render: Callable[[Edition, Theme], Files] = importlib.import_module(self.module).render
        return render

    def start(self, edition: Edition, theme: Theme) -> Callable[[], Files]:
        """Begin rendering; return the function that finishes it and returns the files.

        A background format returns as soon as its helper has the work, so the other
        formats render meanwhile; the others render at once.
        """
        if self.background:
            begin: Callable[[Edition, Theme], Callable[[], Files]] = importlib.import_module(
                self.module).start
            return begin(edition, theme)
        files = self.renderer()(edition, theme)
        return lambda: files


_NOT_CONTENT = ("checks", "words", "summary", "draft")
_EMAIL_ONLY = tuple(f"email.{key}" for key in (
    "subject", "preheader", "from", "reply_to", "asset_base_url", "mode", "merge_tags",
    "unsubscribe_url", "view_online_url", "tracking", "pdf_url"))
FORMATS: dict[str, Format] = {
    "web": Format("web", "folio.formats.web", ("web",), ("pdf", *_EMAIL_ONLY, *_NOT_CONTENT),
                  links=True),
    "pdf": Format("pdf", "folio.formats.pdf", ("pdf",), ("email", *_NOT_CONTENT),
                  background=True),
    "email": Format("email", "folio.formats.email", ("email",), ("pdf", *_NOT_CONTENT)),
}
"""Every output format, in the order they are built."""
