"""PDF format: an `Edition` -> `<edition>.pdf`, a tagged print document, and its `print.html`.

In: a rendered `Edition` and its `Theme`. Out: the PDF bytes and the exact HTML WeasyPrint
was given. Modules, in the order they run:
- `resources`: which files each section asks for, checked against `fetcher`'s policy;
- `document`: the print HTML (paper adaptations, stylesheet, options);
- `layout`: WeasyPrint with the safe `fetcher`; `finish`: artifacts, bleed and crop marks;
  `structure`: the tag tree repaired to read as the page does, and `mapping`: the fonts'
  text maps, so that text copies as it was written;
- `conformance`: the finished file checked against the standard it claims;
- `helper`: a forked process that imports WeasyPrint while the edition is read, then lays
  out, repairs and checks each PDF; `pipeline`: the steps in turn, `start` and `render`.
Imports only the shared stages (content, context, theme, errors), never a command. Its
names are imported on first use: the helper is started (`prepare`) before the edition's
model and templates are imported, so that both imports run at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import print_document
    from .helper import preload, prepare
    from .pipeline import render, start

_API = {"prepare": "helper", "preload": "helper", "print_document": "document",
        "render": "pipeline", "start": "pipeline"}
__all__ = ["preload", "prepare", "print_document", "render", "start"]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
