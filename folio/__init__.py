"""Folio: one set of content sections -> a web page, a print PDF and an email.

Modules, one per pipeline stage:
- `schema`: the declared shape of edition.yaml, front matter and theme.yaml
- `content`: edition folder -> validated `Edition`
- `markup`: section Markdown -> sanitised HTML fragments
- `theme`: theme name -> tokens, template loader chain, assets
- `context`: `Edition` -> the template context every format shares
- `formats`: the output plug-ins (`web`, `pdf`, `email`), `render(edition, theme) -> files`
- `build`: the orchestrator: stale outputs -> rendered -> written atomically
- `cli`: the command line behind `generate.py`
"""

__version__ = "0.1.0"

from .build import build
from .content import Edition, Section, load_edition
from .errors import ContentError, FolioError, TemplateError
from .theme import load_theme

__all__ = ["ContentError", "Edition", "FolioError", "Section", "TemplateError", "build",
           "load_edition", "load_theme"]
