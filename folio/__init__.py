"""Folio: one set of content sections -> a web page, a print PDF and an email.

The model and the shared stages, one module each, in pipeline order:
- `schema`: the declared shape of edition.yaml, front matter and theme.yaml
- `sources`: raw project files -> plain data (safe YAML, theme folders)
- `content`: edition folder -> validated `Edition`
- `markup`: section Markdown -> sanitised HTML fragments
- `pictures`: a picture file -> its kind checked by content (SVGs: drawing only), or why not
- `theme`: theme name -> tokens, template loader chain, assets
- `context`: `Edition` -> the template context every format shares
- `i18n`: a language -> its interface words (gettext catalogues), dates and direction
- `errors`: the `FolioError` family, each problem with its file and line

Plug-in families, one package each:
- `formats/`: the outputs, `render(edition, theme) -> files`: `web`, `pdf/`, `email/`
- `check/`: an edition -> findings, one module per rule family
- `importers/`: a .docx, .md or .txt draft -> a new edition folder

Commands and orchestration: `build` (stale outputs -> rendered -> written atomically),
`watch`, `send`, `scaffold`, and `cli`, the command line behind `generate.py`. A stage
never imports a command; a format never imports another format.

The public API is imported on first use, so that `python generate.py` on an up-to-date
project loads only what it needs. The build itself is `folio.build.build`: a name of the
package cannot be both the `build` module and its function.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_edition": "folio.content", "Edition": "folio.content",
    "Section": "folio.content", "load_theme": "folio.theme", "FolioError": "folio.errors",
    "ContentError": "folio.errors", "TemplateError": "folio.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'folio' has no attribute {name!r}")
